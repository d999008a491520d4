"""Country names and codes in any language, from the ISO 3166 tables of pycountry.

"UK", "United Kingdom", "GB", "GBR", "Royaume-Uni" and "Vereinigtes Königreich" are one
country. The names come from pycountry (ISO 3166-1 with its translations in about 160
languages); a handful of everyday names that are not ISO names ("UK", "USA" is ISO already,
"Britain", "Holland") are added below. A name that means two countries in two languages
is dropped rather than guessed.

Building the index reads about 160 gettext catalogues and folds some 33,000 spellings:
about half a second, which was most of ``analyze``/``score`` on a 10,000-row file. So the
built index is kept under ICPCHAT_HOME (``cache/``), named by the pycountry release and its
data file, our format and the caller's key, and read back in a few milliseconds. A missing,
unreadable or corrupt cache file is rebuilt, and a cache that cannot be written (a read-only
home) is simply not kept: the cache can make a run faster, never make it fail.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["cache_file", "country_index"]

FORMAT = 1
"""Bump when the index's content or file layout changes (old files are then not read)."""

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
def country_index(key: Callable[[str], str], key_id: str = "") -> dict[str, str]:
    """Every name and code of every country, as ``key`` normalises it, -> alpha-2 code.

    ``key_id`` names what ``key`` does (e.g. a digest of its tables); with one, the index is
    read from and kept in the cache, and a change in ``key`` must change ``key_id``. Without
    one the index is built each time, since a cache could not tell two keys apart."""
    path = cache_file(key_id) if key_id else None
    cached = _read(path) if path is not None else None
    if cached is not None:
        return cached
    index = _build(key)
    if path is not None:
        _write(path, index)
    return index


def cache_file(key_id: str) -> Path | None:
    """Where the index for ``key_id`` is kept, or None when pycountry is not found."""
    from importlib.util import find_spec

    from icpchat.paths import data_dir

    spec = find_spec("pycountry")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    try:
        data = (package / "databases" / "iso3166-1.json").stat()
    except OSError:
        return None
    # The release from its .dist-info folder (importlib.metadata costs ~35 ms to import); the
    # data file's size and time catch a reinstall or an edit that kept the release number.
    release = next((p.name[10:-10] for p in package.parent.glob("pycountry-*.dist-info")), "unknown")
    tag = hashlib.sha256(f"{package}|{data.st_size}|{data.st_mtime_ns}|{key_id}".encode()).hexdigest()[:16]
    return data_dir() / "cache" / f"countries-{release}-f{FORMAT}-{tag}.marshal"


def _read(path: Path) -> dict[str, str] | None:
    """The cached index, or None when the file is missing, unreadable or not an index."""
    try:
        value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(value, dict) or not value:
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return None
    return value


def _write(path: Path, index: dict[str, str]) -> None:
    from icpchat.store.atomic import atomic_write

    with contextlib.suppress(OSError):  # a read-only or full home: the next run builds it again
        atomic_write(path, marshal.dumps(index), mode=0o644)


def _build(key: Callable[[str], str]) -> dict[str, str]:
    import gettext

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
