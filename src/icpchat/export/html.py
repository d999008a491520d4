"""A standalone HTML one-pager: summary, ICP sections with scorecard and "walk away if", and a
visual card per persona.

No external assets and no script: it opens offline, prints cleanly (A4 or Letter, cards kept
whole) and every piece of founder text goes through :func:`escape`.
"""

from __future__ import annotations

import html

from icpchat.domain.models import Profile
from icpchat.export.document import (
    Document,
    DocumentOptions,
    IcpSection,
    Item,
    PersonaCard,
    ValidationView,
    WalkAway,
    build_document,
)
from icpchat.export.parts import Scorecard
from icpchat.questions.models import Catalog
from icpchat.text.terminal import visible


def escape(text: str) -> str:
    """Text for HTML: markup escaped, control characters shown (``␛``), never kept."""
    return html.escape(visible(text))


CSS = """
:root { --ink:#1d232a; --muted:#5b6670; --line:#d9dee3; --accent:#2f6fdf; --warn:#b26b00; --err:#b3261e; --stop:#fbeceb; --soft:#f4f7fc; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 1040px; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; } h2 { margin-top: 2rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
h3 { margin: 1.2rem 0 .4rem; font-size: 1.05rem; }
h4 { margin: .7rem 0 .2rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
ul { margin: 0; padding-left: 1.1rem; } p { margin: .3rem 0; }
.meta, .confidence, .note, .source { color: var(--muted); font-size: .9rem; }
.source { font-style: italic; font-size: .8rem; }
.bar { height: .5rem; background: var(--line); border-radius: .25rem; overflow: hidden; max-width: 320px; }
.bar > span { display: block; height: 100%; background: var(--accent); }
.hypothesis { border-left: 4px solid var(--warn); background: #fff6e5; padding: .5rem .8rem; font-weight: 600; }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 1rem; }
.glance section { background: var(--soft); border-radius: .75rem; padding: .6rem 1rem; break-inside: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .3rem 0; }
dt { font-weight: 600; color: var(--muted); } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; } .attributes th { width: 28%; }
.scorecard td:first-child { font-weight: 600; }
.walkaway { border: 1px solid #e6b8b4; background: var(--stop); border-radius: .75rem; padding: .6rem 1rem; margin: 1rem 0; break-inside: avoid; }
.walkaway h3 { margin-top: 0; color: var(--err); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: .75rem; padding: 1rem 1.1rem; break-inside: avoid;
        box-shadow: 0 1px 3px rgba(0,0,0,.06); }
.card h3 { margin: 0; font-size: 1.15rem; } .card .role { color: var(--muted); margin: .1rem 0 .4rem; }
.card blockquote { margin: .5rem 0; padding-left: .75rem; border-left: 3px solid var(--accent); font-style: italic; }
.card .message { background: var(--soft); border-radius: .5rem; padding: .3rem .6rem; margin: .5rem 0; }
.response { color: var(--muted); }
.chip { display: inline-block; border: 1px solid var(--line); border-radius: 1rem; padding: 0 .55rem; margin: .1rem 0; font-size: .8rem; }
.sev { font-weight: 600; color: var(--warn); }
@media print { body { margin: 0; max-width: none; } .card { box-shadow: none; } h2, h3 { break-after: avoid; } }
"""

_PAGE = {"a4": "A4", "letter": "letter"}


def _values(item: Item) -> str:
    """One answer: a list one item per line, text with its line breaks."""
    if item.listed and len(item.values) != 1:
        return "<ul>" + "".join(f"<li>{escape(v)}</li>" for v in item.values) + "</ul>"
    if item.listed:
        return f"<ul><li>{escape(item.values[0])}</li></ul>"
    return "<br>".join(escape(line) for v in item.values for line in v.splitlines() or [""])


def _source(item: Item) -> str:
    return f' <span class="source">({escape(item.source)})</span>' if item.source else ""


def _evidence(item: Item) -> str:
    # The existing muted "note" style: no new CSS, so documents without evidence are unchanged.
    return f'<p class="note"><em>{escape(item.evidence)}</em></p>' if item.evidence else ""


def _block(item: Item) -> str:
    body = _values(item)
    return (
        f"<h4>{escape(item.label)}{_source(item)}</h4>" + (body if item.listed else f"<p>{body}</p>") + _evidence(item)
    )


def _cell(values: tuple[str, ...]) -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return escape(values[0])
    return "<ul>" + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>"


def _attributes(items: tuple[Item, ...]) -> str:
    rows = "".join(f"<tr><th>{escape(i.label)}{_source(i)}</th><td>{_values(i)}{_evidence(i)}</td></tr>" for i in items)
    return f'<table class="attributes">{rows}</table>' if rows else ""


def _header(doc: Document) -> list[str]:
    meta = doc.meta
    parts = [
        f"<header><h1>{escape(doc.title)}</h1>",
        f'<p class="meta">Ideal customer profile · draft · updated {meta.updated_at.date().isoformat()} · '
        f"review by {meta.review_by.isoformat()} · completeness {doc.completeness}/100</p>",
        f'<div class="bar"><span style="width:{doc.completeness}%"></span></div></header>',
    ]
    if doc.hypothesis:
        parts.append(f'<p class="hypothesis">{escape(doc.hypothesis)}</p>')
    return parts


def _summary(doc: Document) -> list[str]:
    facts = "".join(f"<dt>{escape(i.label)}</dt><dd>{_values(i)}{_source(i)}</dd>" for i in doc.business)
    parts = ['<section class="summary"><h2>Summary</h2>', f"<dl>{facts}</dl>" if facts else ""]
    if doc.summary:
        parts.append('<div class="glance">')
        for block in doc.summary:
            lines = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in block.lines)
            parts.append(f"<section><h3>{escape(block.name)}</h3><dl>{lines}</dl></section>")
        parts.append("</div>")
    parts.append("</section>")
    return parts


def _scorecard(card: Scorecard) -> str:
    rows = "".join(
        f"<tr><td>{escape(r.criterion)}</td><td>{escape(r.points)} ({r.share}%)</td><td>{_cell(r.ideal)}</td>"
        f"<td>{_cell(r.acceptable)}</td><td>{_cell(r.disqualifying)}</td></tr>"
        for r in card.rows
    )
    head = "<tr><th>Criterion</th><th>Points</th><th>Ideal (full points)</th><th>Acceptable (half)</th><th>Disqualifying</th></tr>"
    return f'<table class="scorecard">{head}{rows}</table><p class="note">{escape(card.rule)} {escape(card.origin)}</p>'


def _walk_away(entries: tuple[WalkAway, ...], heading: str = "h3") -> str:
    if not entries:
        return ""
    lis = []
    for w in entries:
        title = f"<strong>{escape(w.title)}</strong>" if w.reason or w.details else escape(w.title)
        reason = f": {escape(w.reason)}" if w.reason else ""
        details = "".join(f"<li>{escape(d.label)}: {_values(d)}</li>" for d in w.details)
        lis.append(f"<li>{title}{reason}" + (f"<ul>{details}</ul>" if details else "") + "</li>")
    return f'<aside class="walkaway"><{heading}>Walk away if</{heading}><ul>{"".join(lis)}</ul></aside>'


def _icp(section: IcpSection) -> list[str]:
    parts = [f'<section id="{escape(section.anchor)}"><h2>{escape(section.heading)}</h2>']
    if section.hypothesis:
        parts.append(f'<p class="hypothesis">{escape(section.hypothesis)}</p>')
    parts.append(f'<p class="confidence">Confidence: {escape(section.confidence)}</p>')
    if section.story:
        parts.append(f'<p>{escape(section.story)} <span class="source">(from the model)</span></p>')
    if section.attributes:
        parts += ["<h3>Key attributes</h3>", _attributes(section.attributes)]
    for group in section.groups:
        parts += [f"<h3>{escape(group.title)}</h3>", *(_block(i) for i in group.items)]
    parts.append("<h3>Qualification scorecard</h3>")
    parts.append(
        _scorecard(section.scorecard) if section.scorecard else f'<p class="note">{escape(section.no_scorecard)}</p>'
    )
    parts += [_walk_away(section.walk_away), "</section>"]
    return parts


def _card(card: PersonaCard) -> str:
    role = " · ".join(escape(r) for r in card.role)
    parts = [f'<article class="card"><h3>{escape(card.name)}</h3>', f'<p class="role">{role}</p>' if role else ""]
    if card.icp:
        parts.append(f'<span class="chip">ICP: {escape(card.icp)}</span>')
    if card.quote:
        parts.append(f"<blockquote>“{escape(card.quote)}”</blockquote>")
    if card.story:
        parts.append(f'<p>{escape(card.story)} <span class="source">(from the model)</span></p>')
    if card.message:
        parts.append('<div class="message">' + "".join(_block(i) for i in card.message) + "</div>")
    parts += [_block(i) for i in card.items]
    if card.objections:
        lis = "".join(
            f"<li>{escape(o.text)}"
            + (f'<br><span class="response">Response: {escape(o.response)}</span>' if o.response else "")
            + "</li>"
            for o in card.objections
        )
        parts.append(f"<h4>Objections</h4><ul>{lis}</ul>")
    parts.append(f'<p class="confidence">Confidence: {escape(card.confidence)}</p></article>')
    return "".join(parts)


def _validation(view: ValidationView | None) -> list[str]:
    if view is None:
        return []
    lis = "".join(f"<li>{escape(line)}</li>" for line in view.lines)
    return [
        f'<section id="validation"><h2>{escape(view.heading)}</h2><p><strong>{escape(view.verdict)}</strong></p><ul>{lis}</ul></section>'
    ]


def _appendix(doc: Document) -> list[str]:
    parts = []
    if doc.open_points is not None:
        lis = "".join(
            f'<li><span class="sev">{escape(p.severity)}</span>'
            + (f" · {escape(p.where)}" if p.where else "")
            + f": {escape(p.message)}</li>"
            for p in doc.open_points
        )
        parts.append(
            "<h2>Open points</h2>"
            + (f"<ul>{lis}</ul>" if lis else "<p>No open points: the draft passes every rule.</p>")
        )
    if doc.references:
        parts.append("<h2>Appendix: guidance consulted</h2>")
        for ref in doc.references:
            lis = "".join(
                f"<li><em>{escape(c.title)}</em> ({escape(c.where)}): {escape(c.text)}</li>" for c in ref.citations
            )
            parts.append(f"<h3>{escape(ref.question)}</h3><ul>{lis}</ul>")
    return parts


def render_html(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> str:
    doc = build_document(profile, catalog, options)
    meta = doc.meta
    page = f"@page {{ size: {_PAGE[doc.options.paper]}; margin: 14mm; }}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(doc.options.language)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{escape(meta.generator)} {escape(meta.version)}">',
        f"<title>{escape(doc.title)}: ideal customer profile</title><style>{CSS}{page}\n</style></head><body>",
        *_header(doc),
        *_summary(doc),
    ]
    for section in doc.icps:
        parts += _icp(section)
    parts += _validation(doc.validation)
    if doc.personas:
        parts += ['<h2>Personas</h2><div class="cards">', *(_card(c) for c in doc.personas), "</div>"]
    if doc.walk_away:
        parts.append(_walk_away(doc.walk_away, "h2"))
    parts += _appendix(doc)
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"
