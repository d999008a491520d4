"""A CRM export on its way into DuckDB: encoding found and transcoded as a stream, separator
and header sniffed from the first lines.

Files come from Excel and CRMs in UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text") or a Windows code page, cp1252 most often. DuckDB reads UTF-8, so anything
else is decoded chunk by chunk into a UTF-8 copy in a temporary folder: memory stays flat
whatever the file's size. Which code page is a guess when the file does not say: UTF-8 when
every byte sequence is valid UTF-8, else cp1252, else Latin-1; ``--encoding`` names another
(cp1250 for Central Europe, cp1251 for Cyrillic...).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from icpchat.errors import InputError

__all__ = ["Source", "open_source"]

CHUNK = 1 << 20
SAMPLE_CHARS = 20_000
DELIMITERS = ",;\t|"


@dataclass
class Source:
    """A CRM export ready for DuckDB's CSV reader."""

    name: str
    """The file as the user named it (messages say this)."""
    utf8: Path
    """The file itself when it is UTF-8, else its UTF-8 copy."""
    encoding: str
    delimiter: str
    headers: list[str]
    skip: int
    """Lines before the header row (blank lines at the top)."""


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in _chunks(path):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _detect(path: Path, name: str) -> str:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        raise InputError("not a CSV text file (binary content)", file=name)
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes(path, encoding):
            return encoding
    return "latin-1"


def _transcode(path: Path, encoding: str, target: Path, name: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            for chunk in _chunks(path):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise InputError(f"not readable as {encoding}: {exc.reason} at byte {exc.start}", file=name) from None


def _sample(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        return fh.read(SAMPLE_CHARS)


def _sniff(sample: str, name: str) -> tuple[str, list[str], int]:
    """Separator, header names and the lines before the header."""
    if not sample.strip():
        raise InputError("the file is empty", file=name)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    lines = 0
    try:
        for record in reader:
            if any(c.strip() for c in record):
                return delimiter, [h.strip() for h in record], lines
            lines = reader.line_num
    except csv.Error as exc:
        raise InputError(f"cannot parse as CSV at line {reader.line_num}: {exc}", file=name) from None
    raise InputError("no header row", file=name)


def open_source(path: Path, workdir: Path, encoding: str | None = None) -> Source:
    """Check ``path``, find its encoding (or take ``encoding``), make it UTF-8 in ``workdir``
    when it is not, and sniff separator and header."""
    name = str(path)
    if not path.is_file():
        raise InputError("no such file", file=name)
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", key="--encoding") from None
    found = encoding or _detect(path, name)
    utf8 = path
    if found not in ("utf-8", "utf-8-sig", "ascii"):
        utf8 = workdir / "export.utf8.csv"
        _transcode(path, found, utf8, name)
    delimiter, headers, skip = _sniff(_sample(utf8), name)
    return Source(name, utf8, found, delimiter, headers, skip)
