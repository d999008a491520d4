"""The words that turn a quote against an answer, and the words of small talk.

The lists live in ``evidence/cues/<language>.yaml`` (see its README) and are matched with the
critic's matcher (:class:`icpchat.quality.lexicon.Lexicon`): folded case and accents, whole
words, phrases in order. Every language applies to every note.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from importlib import resources

import yaml

from icpchat.quality.lexicon import LANGUAGES, Lexicon, LexiconError, lexicon, words

CATEGORIES = ("negation", "contrast", "small_talk")


def _load(language: str) -> dict[str, list[str]]:
    path = resources.files("icpchat.evidence") / "cues" / f"{language}.yaml"
    try:
        # The base loader keeps a bare "no" a word, as the critic's lists do.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read the evidence cues: {exc}") from None
    if not isinstance(data, dict) or set(data) - set(CATEGORIES):
        raise LexiconError(f"{path}: expected a mapping of {', '.join(CATEGORIES)} to words")
    return {k: list(v or ()) for k, v in data.items()}


@lru_cache(maxsize=1)
def cues() -> Lexicon:
    """Every language's cues, merged; read on first use, then shared."""
    merged: dict[str, list[str]] = defaultdict(list)
    for language in LANGUAGES:
        for category, phrases in _load(language).items():
            merged[category].extend(phrases)
    return Lexicon(dict(merged))


def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` (``don't`` reads as ``don``, ``t``)."""
    return tuple(words(text))


def cue_tags(toks: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    return cues().tag(toks)


def stop_words(toks: tuple[str, ...]) -> list[bool]:
    """Which tokens carry no content (the critic's ``stop`` words in every language)."""
    return ["stop" in tags for tags in lexicon().tag(toks)]
