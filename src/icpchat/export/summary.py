"""The summary at the top of a document: each ICP at a glance (who, pain, trigger, why us,
walk away if), written from the answers without changing the founder's words.

Sentences are composed only where the answers are names (industries, countries, a size);
pains, triggers and reasons are quoted as the founder wrote them, after a label.
"""

from __future__ import annotations

from icpchat.domain.models import ICP, Persona
from icpchat.export import words
from icpchat.export.parts import SummaryBlock
from icpchat.export.sections import INTERVIEWS_PER_PERSONA, Context, negative_items
from icpchat.export.view import items, name_of


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def who(ctx: Context, icp: ICP, personas: list[Persona]) -> str:
    """ "Companies in B2B SaaS or Fintech with 80-400 employees, in the UK or Germany." For a
    consumer ICP (no industries or size): its name, where, and a persona's demographics."""
    size = _size(ctx, icp)
    industries = items(icp.industries)
    geographies = items(icp.geographies)
    place = f"based in {words.join([words.place(g) for g in geographies], 'or')}" if geographies else ""
    if industries or size:
        head = "Companies" + (f" in {words.join(industries, 'or')}" if industries else "")
        head += f" with {size}" if size else ""
        return _sentence(", ".join(p for p in (head, place) if p))
    people = name_of(icp, "Customers")
    typical = next((p for p in personas if p.demographics is not None), None)
    line = _sentence(" ".join(p for p in (people, place) if p))
    if typical is not None:
        line += " " + _sentence(f"Typically {'; '.join(items(typical.demographics))} ({name_of(typical, 'persona')})")
    return line


def _size(ctx: Context, icp: ICP) -> str:
    parts = []
    if icp.company_size is not None:
        parts.append(words.range_answer(icp.company_size, "company_size", ctx.language))
    size = " and ".join(parts)
    if icp.revenue is not None:
        revenue = f"revenue {words.range_answer(icp.revenue, 'revenue', ctx.language)}"
        size = f"{size} ({revenue})" if size else revenue
    return size


def _first(answer_items: list[str]) -> str:
    return _sentence(answer_items[0]) if answer_items else ""


def block(ctx: Context, index: int) -> SummaryBlock:
    icp = ctx.profile.icps[index]
    walk = items(icp.disqualifiers) + [w.title for w in negative_items(ctx)]
    lines = (
        ("Who", who(ctx, icp, ctx.personas_of(index))),
        ("Pain", _first(items(icp.pains))),
        ("Trigger", _first(items(icp.triggers))),
        ("Why us", _sentence("; ".join(items(icp.value_drivers)))),
        ("Walk away if", _sentence("; ".join(walk))),
    )
    return SummaryBlock(name_of(icp, "unnamed"), tuple((k, v) for k, v in lines if v))


def hypothesis(ctx: Context) -> str:
    """What the document says first when the founder has no paying customers yet."""
    if not ctx.no_customers:
        return ""
    count = sum(INTERVIEWS_PER_PERSONA * max(1, len(ctx.personas_of(i))) for i in range(len(ctx.profile.icps)))
    count = count or INTERVIEWS_PER_PERSONA
    each = f" ({INTERVIEWS_PER_PERSONA} per persona)" if count > INTERVIEWS_PER_PERSONA else ""
    return (
        f"Hypothesis: no paying customers yet, so every answer here is a belief to test. Validate it with "
        f"{count} interviews{each} before you build lists or campaigns on it."
    )
