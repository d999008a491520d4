"""Markdown export: front matter, a narrative and key-attribute table per ICP and persona,
every answer, the quality findings and the cited guidance.

Answers are founder text and are escaped so that Markdown or HTML inside them shows as
typed and can neither break the layout nor inject markup. It pastes cleanly into Google
Docs and Notion (plain tables, no HTML except ``<br>`` inside table cells).
"""

from __future__ import annotations

import yaml

from icpchat.domain.models import ICP, Persona, Profile
from icpchat.export import view
from icpchat.questions.models import Catalog

# escape and escape_inline moved to icpchat.text.markdown; they stay importable from here
# for code written against the old place (the TUI switches over in its own change).
from icpchat.text.markdown import escape, escape_inline

__all__ = ["escape", "escape_inline", "render_markdown"]


def _table(rows: list[tuple[str, str]]) -> list[str]:
    if not rows:
        return []
    out = ["| Attribute | Answer |", "| --- | --- |"]
    out += [f"| {k} | {escape_inline(v)} |" for k, v in rows]
    return [*out, ""]


def _answers(entity: object, section: str, catalog: Catalog) -> list[str]:
    """Every answer not already in the key-attribute table, under its label."""
    out: list[str] = []
    for q in catalog.section(section).questions:
        answer = getattr(entity, q.id)
        if answer is None or q.id in view.KEY_ATTRIBUTES[section]:
            continue
        values = view.items(answer)
        out.append(f"**{view.label(q.id)}**")
        out.append("")
        if q.kind == "list":
            out += [f"- {escape_inline(v)}" for v in values]
        else:
            out += ["  \n".join(escape(line) for line in values[0].splitlines())]
        out.append("")
    return out


def _key_rows(entity: object, section: str) -> list[tuple[str, str]]:
    return [
        (view.label(qid), view.text(getattr(entity, qid)))
        for qid in view.KEY_ATTRIBUTES[section]
        if getattr(entity, qid) is not None
    ]


def render_markdown(profile: Profile, catalog: Catalog) -> str:
    meta = profile.meta
    title = view.title_of(profile)
    front = {
        "title": f"{title}: ideal customer profile",
        "generator": f"{meta.generator} {meta.version}",
        "schema_version": profile.schema_version,
        "created": meta.created_at.isoformat(),
        "updated": meta.updated_at.isoformat(),
        "review_by": meta.review_by.isoformat(),
        "mode": meta.mode,
        "completeness": profile.quality.completeness,
    }
    lines = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip(), "---", ""]
    lines += [f"# {escape_inline(title)}: ideal customer profile", ""]
    lines += [
        f"> Draft written with icpchat. Completeness {profile.quality.completeness}/100. "
        f"Review by {meta.review_by.isoformat()}.",
        "",
    ]

    lines += ["## Business", ""]
    lines += _table(_key_rows(profile.business, "business"))
    lines += _answers(profile.business, "business", catalog)

    for ev in view.entity_views(profile, catalog):
        if ev.section == "negative_persona":
            continue
        lines += [f"## {escape_inline(ev.heading)}", ""]
        synthesised = profile.narrative.get(ev.path)
        if ev.section == "icp":
            assert isinstance(ev.entity, ICP)
            story = synthesised or view.icp_narrative(ev.entity)
        else:
            assert isinstance(ev.entity, Persona)
            story = synthesised or view.persona_narrative(ev.entity)
            if ev.entity.quote is not None:
                lines += [f"> {escape_inline(view.text(ev.entity.quote))}", ""]
        if story:
            lines += [escape(story), ""]
        lines += ["### Key attributes", "", *_table(_key_rows(ev.entity, ev.section))]
        lines += ["### Details", "", *_answers(ev.entity, ev.section, catalog)]

    if profile.negative_personas:
        lines += ["## Who we do not target", ""]
        for ev in view.entity_views(profile, catalog):
            if ev.section == "negative_persona":
                reason = view.text(ev.answer("reason"))
                name = view.name_of(ev.entity, "unnamed")
                lines.append(f"- **{escape_inline(name)}**" + (f": {escape_inline(reason)}" if reason else ""))
        lines.append("")

    lines += ["## Quality check", "", f"Completeness: **{profile.quality.completeness}/100**", ""]
    if profile.quality.findings:
        lines += ["| Severity | Field | Finding |", "| --- | --- | --- |"]
        lines += [f"| {f.severity} | `{f.field}` | {escape_inline(f.message)} |" for f in profile.quality.findings]
    else:
        lines.append("No findings.")
    lines.append("")

    if profile.guidance:
        lines += ["## Appendix: guidance consulted", ""]
        for qid, citations in profile.guidance.items():
            lines += [f"### {escape_inline(qid)}", ""]
            for c in citations:
                where = c.source + (f', section "{c.heading}"' if c.heading else "")
                lines.append(
                    f"- *{escape_inline(c.title)}* ({escape_inline(where)}): {escape_inline(_snippet(c.text))}"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _snippet(text: str, limit: int = 280) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
