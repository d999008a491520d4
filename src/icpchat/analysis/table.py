"""Read the messy CSV files CRMs export: any common encoding, `,` `;` tab or `|` separators,
thousands separators and currency symbols, blank and duplicate rows, headers found by name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from icpchat.errors import InputError
from icpchat.text.numbers import decimal_for_delimiter, read_amount

MAX_BYTES = 200_000_000

#: Canonical column -> header names (normalised: lower case, words separated by one space).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "company": (
        "company",
        "company name",
        "account",
        "account name",
        "organization",
        "organisation",
        "customer",
        "name",
        "lead company",
    ),
    "industry": ("industry", "sector", "vertical", "industry type", "segment"),
    "employees": (
        "employees",
        "employee count",
        "number of employees",
        "no of employees",
        "headcount",
        "company size",
        "size",
        "staff",
    ),
    "revenue": ("revenue", "annual revenue", "company revenue", "turnover"),
    "country": (
        "country",
        "country region",
        "hq country",
        "billing country",
        "region",
        "geography",
        "location",
        "market",
    ),
    "deal_size": (
        "deal size",
        "amount",
        "deal amount",
        "deal value",
        "acv",
        "contract value",
        "arr",
        "first year value",
    ),
    "ltv": ("lifetime value", "ltv", "clv", "customer lifetime value", "total revenue", "lifetime revenue"),
    "churned": ("churned", "churn", "is churned", "cancelled", "canceled", "lost"),
    "expanded": ("expanded", "expansion", "upsell", "upsold", "upgraded"),
    "cycle_days": (
        "sales cycle days",
        "sales cycle",
        "cycle days",
        "days to close",
        "days to win",
        "sales cycle length",
    ),
}
_TRUE = {
    "yes",
    "y",
    "true",
    "1",
    "x",
    "ja",
    "oui",
    "si",
    "sí",
    "churned",
    "expanded",
    "cancelled",
    "canceled",
    "lost",
    "upsold",
}
_FALSE = {"no", "n", "false", "0", "", "active", "retained", "-", "nein", "non"}


def norm_header(h: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", h.lower()).split())


@dataclass
class Table:
    path: str
    headers: list[str]
    rows: list[dict[str, str]]
    columns: dict[str, str]
    """canonical name -> the file's header."""
    delimiter: str
    encoding: str
    duplicates_removed: int = 0
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)

    def get(self, row: dict[str, str], canonical: str) -> str:
        header = self.columns.get(canonical)
        return (row.get(header) or "").strip() if header else ""

    def require_rows(self) -> None:
        """Refuse a file with a header and no data rows (exit 2): `analyze` and `score` agree."""
        if not self.rows:
            raise InputError("no data rows under the header; export the records, not only the columns", file=self.path)


def _decode(raw: bytes, path: str) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw[:4096]:
        raise InputError("not a CSV text file (binary content)", file=path)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``--map "Acct Name=company,Emp=employees"`` -> {"company": "Acct Name", ...}."""
    out: dict[str, str] = {}
    if not spec:
        return out
    for part in spec.split(","):
        header, sep, canonical = part.partition("=")
        canonical = canonical.strip()
        if not sep or canonical not in SYNONYMS:
            raise InputError(
                f"expected HEADER=FIELD pairs with FIELD one of {', '.join(SYNONYMS)}; got {part.strip()!r}",
                key="--map",
            )
        out[canonical] = header.strip()
    return out


def read_table(path: Path, mapping: dict[str, str] | None = None) -> Table:
    name = str(path)
    if not path.is_file():
        raise InputError("no such file", file=name)
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // 1_000_000} MB", file=name)
    text, encoding = _decode(path.read_bytes(), name)
    if not text.strip():
        raise InputError("the file is empty", file=name)
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError(f"cannot parse as CSV at line {reader.line_num}: {exc}", file=name) from None
    header_row = next((r for r in records if any(c.strip() for c in r)), None)
    if header_row is None:
        raise InputError("no header row", file=name)
    headers = [h.strip() for h in header_row]
    start = records.index(header_row) + 1
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, ...]] = set()
    duplicates = blanks = 0
    for record in records[start:]:
        if not any(c.strip() for c in record):
            blanks += 1
            continue
        key = tuple(c.strip() for c in record)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        rows.append({h: (record[i] if i < len(record) else "") for i, h in enumerate(headers)})
    columns = _find_columns(headers, mapping or {}, name)
    return Table(name, headers, rows, columns, delimiter, encoding, duplicates, blanks)


def _find_columns(headers: list[str], mapping: dict[str, str], file: str) -> dict[str, str]:
    by_norm = {norm_header(h): h for h in headers}
    columns: dict[str, str] = {}
    for canonical, header in mapping.items():
        if header not in headers and norm_header(header) not in by_norm:
            raise InputError(
                f"--map names column {header!r}, which the file does not have; it has: {', '.join(headers)}",
                file=file,
                key="--map",
            )
        columns[canonical] = header if header in headers else by_norm[norm_header(header)]
    taken = set(columns.values())
    for canonical, names in SYNONYMS.items():
        if canonical in columns:
            continue
        for n in names:
            if n in by_norm and by_norm[n] not in taken:
                columns[canonical] = by_norm[n]
                taken.add(by_norm[n])
                break
    return columns


def parse_number(text: str, delimiter: str = ",") -> float | None:
    """ "$1,234.50", "1.234,50 €", "12k", "1 200", "1,5 Mio." -> a float; None when blank or unreadable.

    The one number reader does the work (:mod:`icpchat.text.numbers`); a ``;``-delimited file
    comes from a decimal-comma locale, so there "2,500" is two and a half.
    """
    return read_amount(text, decimal=decimal_for_delimiter(delimiter))


def parse_bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return None
