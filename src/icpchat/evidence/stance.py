"""The offline verdict: does a customer's sentence support an answer item or contradict it?

Two signals, both cheap and explainable. Keyword overlap: the share of the item's content
words (crudely stemmed, so "fridges" meets "fridge" and "failing" meets "failure") that the
sentence uses. Polarity: a negation ("not", "nicht", "não") within a few words of a shared word,
or a contrast cue anywhere ("not really", "isn't our problem", "we don't care about",
"actually it's..."), turns the sentence against the item, unless the item is itself negated
(an objection "my chefs will not use another app" is echoed by "a fourth thing on a tablet
won't get used"; only a contrast cue turns a quote against it). The
embedding similarity is added by the matcher; this module needs no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from icpchat.domain.models import Stance
from icpchat.evidence.cues import cue_tags, stop_words, tokens

#: Words either side of a shared word in which a negation is read as negating it.
NEGATION_WINDOW = 4
_SUFFIXES = ("ingly", "ation", "ings", "ing", "ies", "ied", "ed", "es", "ly", "er", "ure", "s", "e", "y")
#: A negation reaches no further than its clause: "a text to the manager, not an email".
_CLAUSE = re.compile(r"[,;:()\[\]]|\s[-–—]\s")


def stem(word: str) -> str:
    """A crude stem: "fridges" -> "fridg", "failing"/"failure" -> "fail"; cut at 6 letters."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:6]


@dataclass(frozen=True)
class Reading:
    """A text read once: its stems, where they are, and where its cues are."""

    toks: tuple[str, ...]
    clauses: tuple[int, ...]
    """The clause of each token."""
    stems: tuple[str | None, ...]
    """The stem of each content word; None for stop words and cue words."""
    negations: tuple[int, ...]
    contrast: bool
    small_talk: int
    """How many tokens are small talk."""

    @property
    def content(self) -> frozenset[str]:
        return frozenset(s for s in self.stems if s)


def read(text: str) -> Reading:
    clause_of: list[int] = []
    parts: list[str] = []
    for n, clause in enumerate(_CLAUSE.split(text)):
        found = tokens(clause)
        parts += found
        clause_of += [n] * len(found)
    toks = tuple(parts)
    tags = cue_tags(toks)
    stop = stop_words(toks)
    stems: list[str | None] = []
    for tok, tag, is_stop in zip(toks, tags, stop, strict=True):
        cue = "negation" in tag or "contrast" in tag
        stems.append(None if is_stop or cue or len(tok) < 2 else stem(tok))
    return Reading(
        toks=toks,
        clauses=tuple(clause_of),
        stems=tuple(stems),
        negations=tuple(i for i, tag in enumerate(tags) if "negation" in tag),
        contrast=any("contrast" in tag for tag in tags),
        small_talk=sum(1 for tag in tags if "small_talk" in tag),
    )


def overlap(item: Reading, sentence: Reading) -> float:
    """The share of the item's content words that the sentence uses (0-1)."""
    wanted = item.content
    if not wanted:
        return 0.0
    return len(wanted & sentence.content) / len(wanted)


def negated(item: Reading, sentence: Reading) -> bool:
    """A contrast cue, or a negation in the same clause as a word the sentence shares with
    the item: up to 4 words before it ("not our problem"), or 2 after ("fridges aren't")."""
    if sentence.contrast:
        return True
    shared = item.content
    places = [i for i, s in enumerate(sentence.stems) if s and s in shared]
    return any(
        sentence.clauses[n] == sentence.clauses[p] and -2 <= p - n <= NEGATION_WINDOW
        for n in sentence.negations
        for p in places
    )


def item_negated(item: Reading) -> bool:
    return bool(item.negations) or item.contrast


_SMALL = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_N = r"(\d+(?:\.\d+)?|" + "|".join(_SMALL) + r")"
_DURATION = re.compile(rf"(?<![\w.]){_N}(?:\s*(?:-|–|to|or)\s*{_N})?\s*(day|week|month|year|wk|mo)s?\b", re.IGNORECASE)
_WEEKS = {"day": 1 / 7, "week": 1, "wk": 1, "month": 4.35, "mo": 4.35, "year": 52}


def _number(text: str) -> float:
    word = text.lower()
    return float(_SMALL.index(word) + 1) if word in _SMALL else float(text)


def durations(text: str) -> list[tuple[float, float]]:
    """Every span of time stated, in weeks: "4-8 weeks" -> (4, 8), "three or four months" -> (13, 17.4)."""
    out = []
    for m in _DURATION.finditer(text):
        low = _number(m[1])
        high = _number(m[2]) if m[2] else low
        factor = _WEEKS[m[3].lower()]
        out.append((low * factor, high * factor))
    return out


def figure_verdict(item: str, sentence: str) -> Stance | None:
    """A duration the sentence states against the item's: outside the item's span contradicts
    it ("~21 weeks start to finish" against "4-8 weeks"), inside supports it; None when either
    states none. Only durations: a sales cycle or a time to decide is what notes report as
    a figure, while amounts in notes are mostly prices and losses, not the answer's range."""
    wanted, said = durations(item), durations(sentence)
    if len(wanted) != 1 or not said:
        return None
    low, high = wanted[0]
    inside = all(low <= a and b <= high for a, b in said)
    return Stance.SUPPORTS if inside else Stance.CONTRADICTS


def verdict(item: Reading, sentence: Reading) -> Stance:
    """Contradicts when the sentence negates what the item states. An item that is itself
    negative (an objection, "no engineer visit") is mostly echoed in other words, not by a
    negation, so against it only a contrast cue counts."""
    if item_negated(item):
        return Stance.CONTRADICTS if sentence.contrast and not item.contrast else Stance.SUPPORTS
    return Stance.CONTRADICTS if negated(item, sentence) else Stance.SUPPORTS
