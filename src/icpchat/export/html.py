"""A standalone HTML one-pager: the profile with a visual card per persona.

No external assets and no script: it opens offline, prints cleanly (A4, cards kept whole)
and every piece of founder text goes through :func:`escape`.
"""

from __future__ import annotations

import html

from icpchat.domain.models import ICP, Answer, Persona, Profile
from icpchat.export import view
from icpchat.questions.models import Catalog
from icpchat.text.terminal import visible


def escape(text: str) -> str:
    """Text for HTML: markup escaped, control characters shown (``␛``), never kept."""
    return html.escape(visible(text))


CSS = """
:root { --ink:#1d232a; --muted:#5b6670; --line:#d9dee3; --accent:#2f6fdf; --warn:#b26b00; --err:#b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 1040px; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; } h2 { margin-top: 2rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
.meta { color: var(--muted); font-size: .9rem; }
.bar { height: .5rem; background: var(--line); border-radius: .25rem; overflow: hidden; max-width: 320px; }
.bar > span { display: block; height: 100%; background: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: .75rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid var(--line); }
th { width: 28%; color: var(--muted); font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: .75rem; padding: 1rem 1.1rem; break-inside: avoid;
        box-shadow: 0 1px 3px rgba(0,0,0,.06); }
.card h3 { margin: 0; font-size: 1.15rem; } .card .role { color: var(--muted); margin: .1rem 0 .6rem; }
.card blockquote { margin: .5rem 0; padding-left: .75rem; border-left: 3px solid var(--accent); font-style: italic; }
.card h4 { margin: .7rem 0 .2rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.card ul { margin: 0; padding-left: 1.1rem; }
.chip { display: inline-block; border: 1px solid var(--line); border-radius: 1rem; padding: 0 .55rem; margin: .1rem; font-size: .8rem; }
.sev-error { color: var(--err); font-weight: 600; } .sev-warning { color: var(--warn); font-weight: 600; }
.narrative { font-size: 1.02rem; }
@media print { body { margin: 0; max-width: none; } .card { box-shadow: none; } h2 { break-after: avoid; } }
@page { size: A4; margin: 14mm; }
"""


def _rows(entity: object, qids: tuple[str, ...]) -> str:
    cells = [
        f"<tr><th>{escape(view.label(q))}</th><td>{escape(view.text(getattr(entity, q)))}</td></tr>"
        for q in qids
        if getattr(entity, q) is not None
    ]
    return f"<table>{''.join(cells)}</table>" if cells else ""


def _list(title: str, answer: Answer | None) -> str:
    items = view.items(answer)
    if not items:
        return ""
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f"<h4>{escape(title)}</h4><ul>{lis}</ul>"


def _persona_cards(personas: list[Persona]) -> list[str]:
    if not personas:
        return []
    return ['<h2>Personas</h2><div class="cards">', *(_persona_card(p) for p in personas), "</div>"]


def _persona_card(p: Persona) -> str:
    role = " · ".join(escape(view.text(a)).replace("_", " ") for a in (p.job_title, p.buying_role) if a is not None)
    quote = f"<blockquote>{escape(view.text(p.quote))}</blockquote>" if p.quote is not None else ""
    icp = f'<span class="chip">{escape(view.text(p.icp))}</span>' if p.icp is not None else ""
    body = "".join(
        _list(label, getattr(p, qid))
        for qid, label in (
            ("goals", "Goals"),
            ("challenges", "Challenges"),
            ("information_sources", "Learns from"),
            ("decision_criteria", "Decides on"),
            ("objections", "Objections"),
        )
    )
    return (
        f'<article class="card"><h3>{escape(view.name_of(p, "Unnamed persona"))}</h3>'
        f'<p class="role">{role}</p>{icp}{quote}{body}</article>'
    )


def _details(entity: object, section: str, catalog: Catalog) -> str:
    skip = set(view.KEY_ATTRIBUTES[section]) | {"name"}
    qids = tuple(q.id for q in catalog.section(section).questions if q.id not in skip)
    return _rows(entity, qids)


def render_html(profile: Profile, catalog: Catalog) -> str:
    title = view.title_of(profile)
    meta = profile.meta
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{escape(meta.generator)} {escape(meta.version)}">',
        f"<title>{escape(title)}: ideal customer profile</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="meta">Ideal customer profile · updated {meta.updated_at.date().isoformat()} · '
        f"review by {meta.review_by.isoformat()} · completeness {profile.quality.completeness}/100</p>",
        f'<div class="bar"><span style="width:{profile.quality.completeness}%"></span></div></header>',
        "<h2>Business</h2>",
        _rows(profile.business, ("offering", "model", "problem", "customers_today")),
    ]
    views = view.entity_views(profile, catalog)
    icps = [ev for ev in views if ev.section == "icp"]
    for ev in icps:
        assert isinstance(ev.entity, ICP)
        story = profile.narrative.get(ev.path) or view.icp_narrative(ev.entity)
        parts += [
            f"<h2>{escape(ev.heading)}</h2>",
            f'<p class="narrative">{escape(story)}</p>',
            _rows(ev.entity, view.KEY_ATTRIBUTES["icp"]),
        ]
    parts += _persona_cards(profile.personas)
    for ev in icps:
        details = _details(ev.entity, "icp", catalog)
        if details:
            parts += [f"<h2>Details: {escape(view.name_of(ev.entity, 'ICP'))}</h2>", details]
    negatives = [ev for ev in views if ev.section == "negative_persona"]
    if negatives:
        parts.append("<h2>Who we do not target</h2><ul>")
        parts += [
            f"<li><strong>{escape(view.name_of(ev.entity, 'Unnamed'))}</strong>: {escape(view.text(ev.answer('reason')))}</li>"
            for ev in negatives
        ]
        parts.append("</ul>")
    if profile.quality.findings:
        parts.append("<h2>Quality check</h2><table>")
        parts += [
            f'<tr><th class="sev-{f.severity}">{escape(f.severity)}</th><td><code>{escape(f.field)}</code> {escape(f.message)}</td></tr>'
            for f in profile.quality.findings
        ]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"
