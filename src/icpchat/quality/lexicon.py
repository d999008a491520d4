"""The critic's words: one YAML file per language in ``quality/lexicon/``, read once, matched by whole words.

Each file maps a category (``universal``, ``size_words``, ``generic``...; :data:`CATEGORIES`) to
words and phrases. Matching folds case and accents; a phrase matches its words in order; a
trailing ``*`` matches any ending (``grow*``: grows, growing, growth); a word also matches its
plural in -s, -es or -ies. Every language's words apply to every answer, so a founder may mix
languages. The files ship inside the package (hatch includes every file under src/icpchat).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from icpchat.errors import IcpchatError

LANGUAGES = ("en", "de", "fr", "es", "pt")

CATEGORIES = (
    "stop",
    "hedge",
    "universal",
    "size_words",
    "business_models",
    "broad_sectors",
    "broad_regions",
    "non_places",
    "org_words",
    "place_words",
    "placeholders",
    "roles_generic",
    "generic",
    "tech_generic",
    "difficulty",
    "non_event_words",
    "conditionals",
    "non_event_states",
    "time_bound",
    "time_units",
    "people_units",
    "money_words",
    "event",
    "named",
    "voice",
)

#: A word, as the critic splits text: letters only (digits are read by the number reader).
WORD = re.compile(r"[^\W\d_]+")

Phrase = tuple[str, ...]


class LexiconError(IcpchatError):
    """A shipped word list is broken: a bug in the package, not in anything the user typed."""


def fold(text: str) -> str:
    """Lower case without accents: "Größe" -> "grosse", "Décideur" -> "decideur"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def _variants(word: str) -> tuple[str, ...]:
    """The word and the singulars it may be the plural of (companies -> company, tools -> tool)."""
    out = [word]
    if len(word) > 3 and word.endswith("s"):
        out.append(word[:-1])
        if word.endswith("es"):
            out.append(word[:-2])
        if word.endswith("ies"):
            out.append(word[:-3] + "y")
    return tuple(out)


@dataclass(frozen=True)
class _Starred:
    head: Phrase
    """The words before the last, matched exactly."""
    prefix: str
    """What the last word starts with."""
    categories: frozenset[str]


class Lexicon:
    """Every category's phrases, indexed for a scan of a few dozen words in well under a millisecond."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        exact: dict[Phrase, set[str]] = defaultdict(set)
        starred: dict[tuple[Phrase, str], set[str]] = defaultdict(set)
        for category, phrases in entries.items():
            for phrase in phrases:
                star = phrase.rstrip().endswith("*")
                parts = tuple(words(phrase))
                if not parts:
                    continue
                if star:
                    starred[(parts[:-1], parts[-1])].add(category)
                else:
                    exact[parts].add(category)
        self._exact = {k: frozenset(v) for k, v in exact.items()}
        index: dict[str, list[_Starred]] = defaultdict(list)
        for (head, prefix), cats in starred.items():
            entry = _Starred(head, prefix, frozenset(cats))
            index[head[0] if head else prefix[:3]].append(entry)
        self._starred = dict(index)
        self._longest = max([len(p) for p in self._exact] + [len(h) + 1 for h, _ in starred] + [1])

    def tag(self, tokens: tuple[str, ...]) -> tuple[frozenset[str], ...]:
        """The categories of each token: the union of every phrase that covers it."""
        tags: list[set[str]] = [set() for _ in tokens]
        for i in range(len(tokens)):
            for length, cats in self._matches(tokens, i):
                for j in range(i, i + length):
                    tags[j] |= cats
        return tuple(frozenset(t) for t in tags)

    def _matches(self, tokens: tuple[str, ...], i: int) -> list[tuple[int, frozenset[str]]]:
        found = []
        for length in range(1, min(self._longest, len(tokens) - i) + 1):
            head, last = tokens[i : i + length - 1], tokens[i + length - 1]
            for variant in _variants(last):
                cats = self._exact.get((*head, variant))
                if cats:
                    found.append((length, cats))
                    break
        for key in {tokens[i], tokens[i][:3]}:
            for entry in self._starred.get(key, ()):
                n = len(entry.head)
                if i + n < len(tokens) and tokens[i : i + n] == entry.head and tokens[i + n].startswith(entry.prefix):
                    found.append((n + 1, entry.categories))
        return found


def _load_file(name: str) -> dict[str, list[str]]:
    path = resources.files("icpchat.quality") / "lexicon" / f"{name}.yaml"
    try:
        # The base loader reads every word as text (a bare "no" stays a word) and is the fastest.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read the critic's words: {exc}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping of category -> words")
    for category, phrases in data.items():
        if category not in CATEGORIES:
            raise LexiconError(f"{path}: {category}: unknown category; the categories are: {', '.join(CATEGORIES)}")
        bad = [p for p in phrases or () if not isinstance(p, str)]
        if bad:
            # YAML 1.1 reads a bare yes/no/on/off as a boolean: quote such words.
            raise LexiconError(f"{path}: {category}: {bad[0]!r} is not text; quote it")
    return {k: list(v or ()) for k, v in data.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """All languages' words, merged; loaded on first use (a few milliseconds), then shared."""
    merged: dict[str, list[str]] = defaultdict(list)
    for language in LANGUAGES:
        for category, phrases in _load_file(language).items():
            merged[category].extend(phrases)
    return Lexicon(dict(merged))
