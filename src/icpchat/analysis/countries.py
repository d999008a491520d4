"""Country names and codes in any language, from the ISO 3166 tables of pycountry.

"UK", "United Kingdom", "GB", "GBR", "Royaume-Uni" and "Vereinigtes Königreich" are one
country. The names come from pycountry (ISO 3166-1 with its translations in about 160
languages); a handful of everyday names that are not ISO names ("UK", "USA" is ISO already,
"Britain", "Holland") are added below. A name that means two countries in two languages
is dropped rather than guessed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

__all__ = ["country_index"]

#: Everyday names that are not among ISO 3166's names or translations.
EVERYDAY = {
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "US": ("U.S.", "U.S.A.", "America", "United States of America"),
    "NL": ("Holland",),
    "KR": ("South Korea", "Korea"),
    "CZ": ("Czech Republic",),
    "AE": ("UAE", "Emirates"),
}


@functools.cache
def country_index(key: Callable[[str], str]) -> dict[str, str]:
    """Every name and code of every country, as ``key`` normalises it, -> alpha-2 code."""
    import gettext
    import os

    import pycountry

    names: dict[str, set[str]] = {}
    translators = [gettext.NullTranslations()]
    for lang in sorted(os.listdir(pycountry.LOCALES_DIR)):
        if os.path.exists(os.path.join(pycountry.LOCALES_DIR, lang, "LC_MESSAGES", "iso3166-1.mo")):
            translators.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
    for country in pycountry.countries:
        code = country.alpha_2
        english = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
        spellings = {country.alpha_2, country.alpha_3, *EVERYDAY.get(code, ())}
        spellings |= {t.gettext(n) for n in english if n for t in translators}
        for spelling in spellings:
            folded = key(spelling)
            if folded.strip():
                names.setdefault(folded, set()).add(code)
    return {name: next(iter(codes)) for name, codes in names.items() if len(codes) == 1}
