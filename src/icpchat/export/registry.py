"""The export formats and how to pick one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from icpchat.domain.models import Profile
from icpchat.errors import InputError
from icpchat.questions.models import Catalog

if TYPE_CHECKING:
    from icpchat.export.document import DocumentOptions

#: Renders a profile in one format; the options say what the document includes and its page.
Exporter = Callable[[Profile, Catalog, "DocumentOptions | None"], bytes]


def _markdown(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> bytes:
    from icpchat.export.markdown import render_markdown

    return render_markdown(profile, catalog, options).encode("utf-8")


def _json(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> bytes:
    from icpchat.export.jsonfmt import render_json

    return render_json(profile).encode("utf-8")


def _html(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> bytes:
    from icpchat.export.html import render_html

    return render_html(profile, catalog, options).encode("utf-8")


def _docx(profile: Profile, catalog: Catalog, options: DocumentOptions | None = None) -> bytes:
    from icpchat.export.docx import render_docx

    return render_docx(profile, catalog, options)


EXPORTERS: dict[str, Exporter] = {
    "md": _markdown,
    "json": _json,
    "html": _html,
    "docx": _docx,
}
FORMATS = tuple(EXPORTERS)


def parse_formats(spec: str) -> list[str]:
    formats = [f.strip().lower().lstrip(".") for f in spec.split(",") if f.strip()]
    aliases = {"markdown": "md"}
    formats = [aliases.get(f, f) for f in formats]
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown or not formats:
        raise InputError(
            f"unknown format {', '.join(map(repr, unknown)) or repr(spec)}; choose from {', '.join(FORMATS)}",
            key="--format",
        )
    return list(dict.fromkeys(formats))


def render(profile: Profile, catalog: Catalog, fmt: str, options: DocumentOptions | None = None) -> bytes:
    """``profile`` in format ``fmt``; ``options`` (default: no findings, no guidance, A4, English)
    shape the documents and are ignored by the JSON, which always holds everything."""
    return EXPORTERS[fmt](profile, catalog, options)


def slugify(text: str, default: str = "profile") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or default


def default_filename(profile: Profile, fmt: str) -> str:
    """``<slug of the business name>.<fmt>``: what `--out DIR` and `/export` write."""
    from icpchat.export.view import title_of

    return f"{slugify(title_of(profile))}.{fmt}"
