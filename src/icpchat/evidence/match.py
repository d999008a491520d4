"""Quotes for and against every ICP and persona answer, and the confidence they give it.

For each answer item (a list answer's items, or the whole text) every customer sentence is
scored by the shipped embedding model's cosine similarity and by keyword overlap; a sentence
that scores high enough and shares at least one content word becomes a candidate, judged
offline (:mod:`icpchat.evidence.stance`) and, when a model is configured, by the model too
(the offline verdict is computed first and kept when the model fails). Founder questions
(a speaker who mostly asks), questions and small-talk sentences (the weather, a holiday,
"can you hear me") are never evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from icpchat.domain.models import (
    SECTION_KEYS,
    Answer,
    Confidence,
    Evidence,
    Profile,
    SizeRange,
    Stance,
    entity_path,
)
from icpchat.evidence.sources import Utterance
from icpchat.evidence.stance import Reading, figure_verdict, overlap, read, verdict

if TYPE_CHECKING:
    import numpy as np

SECTIONS = ("icp", "persona", "negative_persona")
#: Labels and links: a quote cannot support a name.
SKIPPED = frozenset({"name", "icp", "buying_role"})
#: Similarity weight in the score; the rest is keyword overlap.
SIM_WEIGHT = 0.6
#: A sentence this close is shown to the model (when there is one).
CANDIDATE_SCORE = 0.3
#: A sentence this close is attached as supporting evidence by the offline verdict.
SUPPORT_SCORE = 0.5
#: A contradiction needs less closeness: a cue says it turns against the item, and a customer
#: who puts the topic aside ("the fridges aren't our problem") is rarely close in meaning.
CONTRADICT_SCORE = 0.3
#: Quotes kept per answer item and stance, best first.
PER_ITEM = 3
#: Sentences per item judged (and shown to a model), closest first.
CANDIDATES_PER_ITEM = 10
_SPLIT = re.compile(r"(?<=[.!?])\s+|;\s+|\s+[-–—]\s+")
_QUOTES = "\"'“”‘’ "


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class Judge(Protocol):
    """A model's verdict per quote: ``supports``, ``contradicts`` or ``neither``; None when it failed."""

    def judge_evidence(self, field: str, item: str, quotes: Sequence[str]) -> list[str] | None: ...


@dataclass(frozen=True)
class Sentence:
    utterance: Utterance
    quote: str
    reading: Reading


@dataclass(frozen=True)
class Item:
    path: str
    """``icps[0].pains``."""
    text: str
    listed: bool


@dataclass
class Outcome:
    """What a run found: the updated profile and, per field, its evidence and confidence."""

    profile: Profile
    fields: dict[str, Answer] = field(default_factory=dict)
    utterances: int = 0
    sentences: int = 0
    notices: list[str] = field(default_factory=list)


def answer_items(profile: Profile) -> list[Item]:
    """Every ICP, persona and negative-persona answer item that a quote could bear on."""
    out = []
    for section in SECTIONS:
        for index, entity in enumerate(getattr(profile, SECTION_KEYS[section])):
            for qid, answer in entity:
                if qid in SKIPPED or not isinstance(answer, Answer):
                    continue
                path = entity_path(section, index, qid)
                if isinstance(answer.value, list):
                    out += [Item(path, str(v), True) for v in answer.value if str(v).strip()]
                else:
                    text = answer.text() if isinstance(answer.value, SizeRange) else str(answer.value)
                    out.append(Item(path, text, False))
    return out


def interviewers(utterances: Iterable[Utterance]) -> set[str]:
    """Speakers of whom most turns (at least two) are questions: the founder asking, not a customer."""
    asked: Counter[str] = Counter()
    spoke: Counter[str] = Counter()
    for u in utterances:
        if u.speaker:
            spoke[u.speaker] += 1
            asked[u.speaker] += u.text.rstrip().endswith("?")
    return {name for name, n in spoke.items() if asked[name] >= 2 and asked[name] * 2 >= n}


def sentences(utterances: Sequence[Utterance]) -> list[Sentence]:
    """The customers' sentences: not the interviewer's, not questions, not empty."""
    asking = interviewers(utterances)
    out = []
    for u in utterances:
        if u.speaker in asking:
            continue
        for part in _SPLIT.split(u.text):
            quote = part.strip(_QUOTES)
            if len(quote) < 12 or quote.endswith("?"):
                continue
            reading = read(quote)
            if len(reading.content) >= 2 and not reading.small_talk:
                out.append(Sentence(u, quote, reading))
    return out


def _score(sim: float, keyword: float) -> float:
    return round(max(0.0, min(1.0, SIM_WEIGHT * sim + (1 - SIM_WEIGHT) * keyword)), 3)


@dataclass(frozen=True)
class Candidate:
    item: Item
    sentence: Sentence
    score: float
    stance: Stance


def candidates(items: Sequence[Item], found: Sequence[Sentence], embedder: Embedder) -> list[Candidate]:
    """Per item, its closest customer sentences (one per utterance), with the offline verdict."""
    if not items or not found:
        return []
    vectors = embedder.embed([i.text for i in items] + [s.quote for s in found])
    sims = vectors[: len(items)] @ vectors[len(items) :].T
    out = []
    for row, item in enumerate(items):
        reading = read(item.text)
        best: dict[tuple[str, str], Candidate] = {}
        for col, sentence in enumerate(found):
            keyword = overlap(reading, sentence.reading)
            if keyword == 0:
                continue
            score = _score(float(sims[row, col]), keyword)
            key = (sentence.utterance.source, sentence.utterance.location)
            if score >= CANDIDATE_SCORE and (key not in best or best[key].score < score):
                stance = figure_verdict(item.text, sentence.quote) or verdict(reading, sentence.reading)
                best[key] = Candidate(item, sentence, score, stance)
        out += sorted(best.values(), key=lambda c: -c.score)[:CANDIDATES_PER_ITEM]
    return out


def judged(found: list[Candidate], judge: Judge | None, notices: list[str]) -> list[Candidate]:
    """The candidates worth attaching: the offline verdict, or the model's where it answered."""
    offline = [c for c in found if _attached(c)]
    if judge is None:
        return offline
    by_item: dict[tuple[str, str], list[Candidate]] = {}
    for c in found:
        by_item.setdefault((c.item.path, c.item.text), []).append(c)
    out: list[Candidate] = []
    for (path, text), group in by_item.items():
        verdicts = judge.judge_evidence(path, text, [c.sentence.quote for c in group])
        if verdicts is None or len(verdicts) != len(group):
            out += [c for c in group if _attached(c)]
            continue
        for c, said in zip(group, verdicts, strict=True):
            if said in (Stance.SUPPORTS.value, Stance.CONTRADICTS.value):
                out.append(Candidate(c.item, c.sentence, c.score, Stance(said)))
    notices.extend(getattr(judge, "notices", [])[-1:])
    return out


def _attached(c: Candidate) -> bool:
    return c.score >= (CONTRADICT_SCORE if c.stance is Stance.CONTRADICTS else SUPPORT_SCORE)


def confidence(evidence: Sequence[Evidence]) -> Confidence:
    """contested: a source contradicts; supported: two sources or more agree; else belief."""
    if any(e.stance is Stance.CONTRADICTS for e in evidence):
        return Confidence.CONTESTED
    if len({e.source for e in evidence if e.stance is Stance.SUPPORTS}) >= 2:
        return Confidence.SUPPORTED
    return Confidence.BELIEF


def best(answer: Answer) -> Evidence | None:
    """The quote a document shows for a field (see :meth:`Answer.best_evidence`)."""
    return answer.best_evidence()


def _evidence(c: Candidate) -> Evidence:
    u = c.sentence.utterance
    return Evidence(
        source=u.source,
        location=u.location,
        speaker=u.speaker,
        quote=c.sentence.quote,
        stance=c.stance,
        score=c.score,
        item=c.item.text if c.item.listed else None,
    )


def _per_answer(chosen: Iterable[Candidate]) -> dict[str, list[Evidence]]:
    per_item: dict[tuple[str, str, Stance], list[Candidate]] = {}
    for c in sorted(chosen, key=lambda c: -c.score):
        per_item.setdefault((c.item.path, c.item.text, c.stance), []).append(c)
    out: dict[str, list[Evidence]] = {}
    for (path, _, _), group in per_item.items():
        out.setdefault(path, []).extend(_evidence(c) for c in group[:PER_ITEM])
    return {p: sorted(ev, key=lambda e: -e.score) for p, ev in out.items()}


def apply(profile: Profile, evidence: dict[str, list[Evidence]]) -> tuple[Profile, dict[str, Answer]]:
    """The profile with every answer's evidence replaced by this run's, and its confidence set."""
    data = profile.model_dump()
    fields: dict[str, Answer] = {}
    for item in {i.path for i in answer_items(profile)}:
        entity, _, qid = item.rpartition(".")
        key, _, index = entity.rstrip("]").partition("[")
        answer = Answer.model_validate(data[key][int(index)][qid])
        found = evidence.get(item, [])
        updated = answer.model_copy(update={"evidence": found, "confidence": confidence(found)})
        data[key][int(index)][qid] = updated.model_dump()
        fields[item] = updated
    order = {path: n for n, path in enumerate(dict.fromkeys(i.path for i in answer_items(profile)))}
    return type(profile).model_validate(data), dict(sorted(fields.items(), key=lambda kv: order[kv[0]]))


def find_evidence(
    profile: Profile,
    utterances: Sequence[Utterance],
    embedder: Embedder,
    *,
    judge: Judge | None = None,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Evidence for every ICP and persona answer of ``profile`` from ``utterances``."""
    say = progress or (lambda _: None)
    items = answer_items(profile)
    found = sentences(utterances)
    say(f"matching {len(found)} customer sentences against {len(items)} answer items")
    notices: list[str] = []
    chosen = judged(candidates(items, found, embedder), judge, notices)
    updated, fields = apply(profile, _per_answer(chosen))
    return Outcome(updated, fields, len(utterances), len(found), notices)


def summary_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """Per field: the verdict, the number of quotes and the best one (what the CLI prints)."""
    rows = []
    for path, answer in outcome.fields.items():
        top = best(answer)
        rows.append(
            {
                "field": path,
                "confidence": answer.confidence.value,
                "supports": sum(e.stance is Stance.SUPPORTS for e in answer.evidence),
                "contradicts": sum(e.stance is Stance.CONTRADICTS for e in answer.evidence),
                "best": top.model_dump(mode="json", exclude_none=True) if top else None,
            }
        )
    return rows
