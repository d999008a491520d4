"""A rough guess at the language of a short question, from its function words.

The knowledge base and its embedding model are English. A question in another language is
still searched, but its passages match less well, so `ask` says so, and the "nothing here
answers that" floor (tuned on English questions) is not applied to it. A guess needs no
model: words such as "the", "und", "les", "não" give a question away after a few words. It
errs towards English: a question is called another language only when at least two of its
words are that language's and more of them than English's.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Frequent short words of each language (lowercase), chosen to overlap little with English.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the a an and or of to in on for with is are was were be been do does did how what "
        "who why when where which should would could can we our us my i you your they their "
        "them it its this that these those not no from about at by as if than then there "
        "have has had will just any into out up more most some"
    ),
    "de": _words(
        "der die das und oder ist sind wie was wer warum wann wo welche welcher soll sollen "
        "wir unser unsere ich ein eine einen einem einer nicht mit für von zu auf im in den "
        "dem des bei auch sich es kann können muss müssen vor nach über ob dass"
    ),
    "fr": _words(
        "le la les un une des et ou est sont comment quoi qui pourquoi quand où quel quelle "
        "quels nous notre nos je vous votre ils elles il ne pas avec pour de du dans sur au "
        "aux ce cette ces faut être avoir tout tous très"
    ),
    "es": _words(
        "el la los las un una unos y o es son cómo como qué quién por porque cuándo dónde "
        "cuál nosotros nuestro nuestra nuestros yo usted ellos no con para de del en al "
        "este esta estos hay tenemos debemos puedo mis sus lo se me"
    ),
    "pt": _words(
        "o a os as um uma e ou é são como que quem por porque quando onde qual nós nosso "
        "nossa nossos eu você eles não com para de do da dos das em no na se meu minha "
        "ainda temos nenhum nenhuma está antes"
    ),
    "it": _words(
        "il lo la gli le un una e o è sono come che chi perché quando dove quale noi nostro "
        "nostra io voi loro non con per di del della in nel sul questo questa"
    ),
    "nl": _words(
        "de het een en of is zijn hoe wat wie waarom wanneer waar welke wij we ons onze ik "
        "niet met voor van te op in bij ook moet moeten kan kunnen dat"
    ),
}

NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
}


def _latin_share(text: str) -> float:
    """Share of the letters in ``text`` that are Latin script (1.0 when there are none)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


def guess_language(text: str) -> str | None:
    """An ISO 639-1 code for ``text`` when it is clearly not English, "en" when it reads as
    English or cannot be told apart ("¿" counts as a Spanish word), and None when it is mostly in a non-Latin script (a
    language this guess cannot name)."""
    if _latin_share(text) < 0.5:
        return None
    words = {w.lower() for w in _WORD.findall(text)}  # "la la land" is one French word
    counts = {code: sum(w in vocabulary for w in words) for code, vocabulary in FUNCTION_WORDS.items()}
    counts["es"] += "¿" in text
    english = counts.pop("en")
    best = max(counts, key=lambda code: counts[code])
    if counts[best] >= 2 and counts[best] > english:
        return best
    return "en"


def non_english(text: str) -> str | None:
    """The name of the language of ``text`` when it is clearly not English ("German"; "not
    English" for a script the guess cannot name), else None."""
    code = guess_language(text)
    if code == "en":
        return None
    return NAMES.get(code or "", "not English")
