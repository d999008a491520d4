"""The critic: is one answer specific enough to act on, and if not, what is missing?

:func:`check_answer` picks the field's spec (``fields.py``: by question id, then kind), reads
the answer once (``reading.py``: words tagged with the lexicon's categories, numbers,
signals) and runs the detectors in order; the first that objects explains why, names what is
missing, and makes the interview ask its follow-up probe once. A detector objects to what it
can show, never to a keyword alone where a keyword is legitimate: "anyone still on SAP Business
One 9.x" is a fine disqualifier, "Any e-commerce brand doing subscriptions on Shopify" a fine
industry.

Detectors, in order: a range's number and width (unit-aware, ``ranges.py``); a hedge with
little else; a universal word where the field narrows a group; a budget with no amount; a
trigger that is a state, not an event; and substance: an answer (every item of a list) with no
named thing and no number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from icpchat.domain.models import Answer, Finding, SizeRange
from icpchat.quality.fields import FieldSpec, section_of, spec_for
from icpchat.quality.findings import finding
from icpchat.quality.ranges import judge_range
from icpchat.quality.reading import SIGNALS, Reading, Token, joined, read
from icpchat.questions.models import Question

QUOTE_LIMIT = 40

#: Categories that explain a flag, most telling first, with what each says about the answer.
_CATEGORY_SAYS = {
    "size_words": "is a size word, not {subject}",
    "business_models": "is a business model, not {subject}",
    "broad_sectors": "is a whole sector, not {subject}",
    "broad_regions": "spans many countries",
    "non_places": "is not a place you can sell in",
    "roles_generic": "is a kind of role, not {subject}",
    "placeholders": "is a placeholder, not {subject}",
}


#: What explains a flag in any field; the rest only where a field names them first ("online"
#: is no place in a geography, but in a list of sources just a generic word, and "good" is a
#: placeholder only in a label).
_EXPLAIN_ANYWHERE = ("size_words", "business_models", "roles_generic")


@dataclass(frozen=True)
class Flag:
    rule: str
    observation: str
    """What the critic saw, one clause, no final full stop."""
    missing: str
    """What a specific answer would add, as the probe names it."""

    @property
    def message(self) -> str:
        return f"{self.observation}. Missing: {self.missing}."


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_LIMIT:
        cut = text[:QUOTE_LIMIT].rsplit(" ", 1)[0] or text[:QUOTE_LIMIT]
        text = cut + "…"
    return f"“{text}”"


def _missing(spec: FieldSpec, reading: Reading) -> str:
    """The wanted signals the answer lacks when it has some of them; else the field's named thing."""
    have = reading.signals()
    absent = [w for w in spec.wants if w not in have]
    if absent and len(absent) < len(spec.wants):
        return " and ".join(SIGNALS[w] for w in absent)
    return spec.named


_EVENTS = frozenset({"event"})
_NONE: frozenset[str] = frozenset()
_QUOTED = re.compile(r"[\"“”«»„]|^\s*'")
_NON_EVENT_FILLER = frozenset({"stop", "non_event_words", "hedge"})


def _named(spec: FieldSpec, reading: Reading) -> list[Token]:
    """The named things of an answer for this field (in a trigger, event words count)."""
    return reading.content(spec.empty, _EVENTS if spec.events else _NONE)


def _in_voice(reading: Reading) -> bool:
    """Quoted, or said in the first person, in three words or more: an objection as heard."""
    said = _QUOTED.search(reading.text) is not None or reading.has("voice")
    return said and len(reading.tokens) >= 3


@dataclass(frozen=True)
class Case:
    """One answer as the detectors see it."""

    spec: FieldSpec
    kind: str
    items: tuple[str, ...]
    """The list's items, or the one text."""
    whole: Reading
    """All items read as one text."""
    readings: tuple[Reading, ...]
    """Each item read on its own."""

    @property
    def missing(self) -> str:
        return _missing(self.spec, self.whole)

    def named(self, reading: Reading) -> list[Token]:
        return _named(self.spec, reading)


def _weak(spec: FieldSpec, reading: Reading) -> bool:
    """No named thing and, where numbers count, no number; for a pain, a difficulty about a
    topic or two with no number ("Clinics find scheduling difficult")."""
    if spec.numbers_count and reading.has_number:
        return False
    if spec.voice and _in_voice(reading):
        return False
    named = len(_named(spec, reading))
    return named < 1 or (reading.has("difficulty") and named <= spec.topic_only)


# -- detectors: each returns a Flag or None ----------------------------------------------------


def _hedge(case: Case) -> Flag | None:
    whole = case.whole
    if not whole.has("hedge"):
        return None
    says_little = not whole.has_number and len(case.named(whole)) < 3
    if not (case.spec.hedge_strict or says_little):
        return None
    return Flag("vague-hedge", f"{_quote(whole.text)} sounds unsure", case.missing)


def _restricted(case: Case, reading: Reading) -> bool:
    """A universal word narrowed by what follows it: "Any company selling on Amazon FBA in the
    EU with 500+ SKUs" (two named things or a number after it), not "All industries really"."""
    tokens = reading.tokens
    last = max(i for i, t in enumerate(tokens) if "universal" in t.tags)
    after = tokens[last].end
    named_after = [t for t in case.named(reading) if t.start >= after]
    return len(named_after) >= 2 or any(a.start >= after for a in reading.numbers)


def _universal(case: Case) -> Flag | None:
    spec, whole = case.spec, case.whole
    if not spec.universal or not whole.has("universal"):
        return None
    if spec.number_clears_universal and whole.has_number:
        return None
    wide = [r for r in case.readings if r.has("universal") and not _restricted(case, r)]
    if not wide:
        return None
    span = wide[0].span_of("universal") or wide[0].text
    return Flag("vague-universal", f"{_quote(span)} takes in almost everyone", case.missing)


def _needs_number(case: Case) -> Flag | None:
    if not case.spec.needs_number or case.whole.has_number:
        return None
    return Flag("no-specifics", f"{_quote(case.whole.text)} has no amount in it", case.missing)


def _non_event(reading: Reading) -> bool:
    if reading.has_number:
        return False
    if reading.has("non_event_words") and not reading.content(_NON_EVENT_FILLER):
        return True
    opening = reading.tokens[:2]
    return any("conditionals" in t.tags for t in opening) and reading.has("non_event_states")


def _events(case: Case) -> Flag | None:
    if not case.spec.events:
        return None
    states = [r for r in case.readings if _non_event(r)]
    if not states or not all(r in states or _weak(case.spec, r) for r in case.readings):
        return None
    return Flag("non-event", f"{_quote(states[0].text)} says when they are ready, not what happens", case.missing)


def _explain(spec: FieldSpec, weak: Sequence[Reading]) -> tuple[str | None, str]:
    """The rule and the observation for answers that name nothing: which words made them empty
    (None: no category explains it, the caller picks the rule)."""
    if spec.says:
        return None, f"{_quote(joined(r.text for r in weak))} {spec.says}"
    order = [*spec.categories_first, *(c for c in _EXPLAIN_ANYWHERE if c not in spec.categories_first)]
    for category in (c for c in order if c in spec.empty):
        for r in weak:
            span = r.span_of(category)
            if span:
                return "vague-category", f"{_quote(span)} {_CATEGORY_SAYS[category].format(subject=spec.subject)}"
    text = joined(r.text for r in weak)
    if spec.topic_only and any(r.has("difficulty") and _named(spec, r) for r in weak):
        return None, f"{_quote(text)} says what is hard, not what it costs"
    if any(r.has("generic") for r in weak):
        return None, f"{_quote(text)} is true of almost everyone"
    return None, f"{_quote(text)} names nothing you could check"


def _too_few(case: Case) -> Flag | None:
    """A field that needs several named things (a buying committee names several roles)."""
    spec, whole = case.spec, case.whole
    if spec.min_content <= 1:
        return None
    if (spec.numbers_count and whole.has_number) or len(case.named(whole)) >= spec.min_content:
        return None
    rule, observation = _explain(spec, [whole])
    if rule is None and case.named(whole):
        observation = f"{_quote(whole.text)} {spec.few}"
    return Flag(rule or "no-specifics", observation, case.missing)


def _substance(case: Case) -> Flag | None:
    """Every item names nothing: no named thing and no number."""
    if case.spec.min_content > 1 or not all(_weak(case.spec, r) for r in case.readings):
        return None
    rule, observation = _explain(case.spec, case.readings)
    return Flag(rule or ("generic-item" if case.kind == "list" else "no-specifics"), observation, case.missing)


_DETECTORS: tuple[Callable[[Case], Flag | None], ...] = (
    _hedge,
    _universal,
    _needs_number,
    _events,
    _too_few,
    _substance,
)


def _judge_range(case: Case, wanted: str) -> Flag | None:
    flag = _universal(case)
    if flag is not None:
        return flag
    spec, whole = case.spec, case.whole
    if not whole.has_number:
        span = whole.span_of("size_words")
        if span:
            return Flag("range-unreadable", f"{_quote(span)} is a size word, not a number", spec.named)
        return Flag("range-unreadable", f"I found no number in {_quote(whole.text)}", spec.named)
    found = judge_range(whole, wanted)
    if found is None:
        return None
    return Flag(found.rule, found.observation, found.missing or spec.named)


def judge(spec: FieldSpec, kind: str, items: tuple[str, ...]) -> Flag | None:
    """The first objection to an answer given as its items (one for a text), or None."""
    items = tuple(i for i in items if i.strip()) or ("",)
    case = Case(spec, kind, items, read(joined(items)), tuple(read(i) for i in items))
    if kind == "range":
        return _judge_range(case, spec.range_unit)
    for detector in _DETECTORS:
        flag = detector(case)
        if flag is not None:
            return flag
    return None


def _items(answer: Answer, kind: str) -> tuple[str, ...]:
    value = answer.value
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, SizeRange) or kind == "range":
        raw = answer.raw
        return (raw if isinstance(raw, str) else "; ".join(raw),)
    return (value,)


@lru_cache(maxsize=4096)
def _cached(section: str | None, question_id: str, kind: str, items: tuple[str, ...]) -> Flag | None:
    spec = spec_for(section, question_id, kind)
    return None if spec is None else judge(spec, kind, items)


def preload() -> None:
    """Load the word lists now (tens of milliseconds, once per process): for a composition root
    to call on a worker thread at start, so the first judgement on an event loop is not the one
    that pays for it."""
    read("preload")


def critique(question: Question, answer: Answer, field: str) -> Flag | None:
    """Why ``answer`` is too vague to act on, or None. ``field`` is its path (``icps[0].goals``)."""
    return _cached(section_of(field), question.id, question.kind, _items(answer, question.kind))


def check_answer(question: Question, answer: Answer, field: str) -> list[Finding]:
    """The critic's findings for one answer; used live during the interview and by ``lint``."""
    flag = critique(question, answer, field)
    return [] if flag is None else [finding(flag.rule, field, flag.message)]
