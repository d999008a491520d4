"""Read the messy CSV files CRMs export, through DuckDB: any common encoding (transcoded as a
stream), `,` `;` tab or `|` separators, thousands separators and currency symbols, blank and
duplicate rows, headers found by name. No size limit: the rows go into a DuckDB database in a
temporary folder, not into Python, and DuckDB keeps to a memory limit, spilling to disk.

The cells stay text as the file has them; numbers are read in SQL by the number reader's own
rules (:mod:`icpchat.analysis.amount_sql`), so "1.234,50 €" means the same here as anywhere.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icpchat.analysis.headers import LOCAL_SYNONYMS, fold_header
from icpchat.analysis.source import Source, open_source
from icpchat.analysis.sqltext import WHITESPACE, lit
from icpchat.errors import InputError
from icpchat.text.numbers import decimal_for_delimiter, read_amount

if TYPE_CHECKING:
    import duckdb

#: DuckDB's working memory; past it, joins and aggregates spill to the temporary folder.
MEMORY_LIMIT = os.environ.get("ICPCHAT_DUCKDB_MEMORY", "350MB")

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
    """A header as :data:`SYNONYMS` are written (accents folded: "Größe" -> "grosse")."""
    return fold_header(h)


def _trimmed(col: str) -> str:
    """A cell without the whitespace Python's str.strip() removes, '' for none."""
    return f"COALESCE(trim({col}, {lit(WHITESPACE)}), '')"


def _edged(names: list[str]) -> str:
    """SQL: some cell of the row starts or ends with whitespace (one regex over the row: DuckDB's
    trim with a set of characters is slow, so it only runs on such rows)."""
    every = " || chr(31) || ".join(f"COALESCE({n}, '')" for n in names)
    ws = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
    pattern = r"(^|\x1f)" + ws + "|" + ws + r"($|\x1f)"
    return f"regexp_matches({every}, {lit(pattern)})"


@dataclass
class Table:
    """A CRM export loaded into DuckDB: table ``clean`` holds its rows, blank and duplicate rows
    removed, in file order (``icpchat_row``), one text column ``c0``, ``c1``... per header."""

    path: str
    headers: list[str]
    columns: dict[str, str]
    """canonical name -> the file's header."""
    delimiter: str
    encoding: str
    con: duckdb.DuckDBPyConnection
    count: int = 0
    duplicates_removed: int = 0
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)
    _rows: list[dict[str, str]] | None = None

    def sql_column(self, canonical: str) -> str:
        """The SQL column holding a canonical column (``c3``)."""
        return f"c{self.headers.index(self.columns[canonical])}"

    @property
    def rows(self) -> list[dict[str, str]]:
        """Every row as a dict (header -> cell); for small files and tests, not for millions."""
        if self._rows is None:
            names = ", ".join(f"c{i}" for i in range(len(self.headers)))
            records = self.con.execute(f"SELECT {names} FROM clean ORDER BY icpchat_row").fetchall()
            self._rows = [{h: (r[i] or "") for i, h in enumerate(self.headers)} for r in records]
        return self._rows

    def get(self, row: dict[str, str], canonical: str) -> str:
        header = self.columns.get(canonical)
        return (row.get(header) or "").strip() if header else ""

    def require_rows(self) -> None:
        """Refuse a file with a header and no data rows (exit 2): `analyze` and `score` agree."""
        if not self.count:
            raise InputError("no data rows under the header; export the records, not only the columns", file=self.path)


def connect(workdir: Path) -> duckdb.DuckDBPyConnection:
    import duckdb

    # In memory, which DuckDB spills to ``spill`` past the limit (a database file costs twice the time).
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = {lit(MEMORY_LIMIT)}")
    con.execute(f"SET temp_directory = {lit(str(workdir / 'spill'))}")
    con.execute(f"SET threads = {max(1, os.cpu_count() or 1)}")
    return con


def _reader(src: Source, names: list[str], parallel: bool) -> str:
    cols = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in names) + "}"
    return (
        f"read_csv({lit(str(src.utf8))}, delim={lit(src.delimiter)}, quote='\"', escape='\"', header=false,"
        f" skip={src.skip + 1}, auto_detect=false, columns={cols}, null_padding=true,"
        f" parallel={str(parallel).lower()}, strict_mode=false, encoding='utf-8')"
    )


def _load(con: duckdb.DuckDBPyConnection, src: Source, stored: list[str]) -> tuple[int, int, int]:
    """Rows of ``src`` into table ``raw`` and view ``clean``; (rows kept, blank rows, duplicates).

    A row is blank when every cell is whitespace; a duplicate when its cells, trimmed, equal
    an earlier row's (the first is kept). Rows are told apart by a 64-bit hash of their
    trimmed cells; rows sharing a hash are compared cell by cell, so a collision never drops
    a row. The file's order is the table's (``rowid``). Only the ``stored`` columns are kept
    (every column counts for blank and duplicate rows)."""
    import duckdb

    names = [f"c{i}" for i in range(len(src.headers))]
    trimmed = [_trimmed(c) for c in names]
    plain = [f"COALESCE({c}, '')" for c in names]
    empty_trimmed = " AND ".join(t + " = ''" for t in trimmed)
    empty_plain = " AND ".join(p + " = ''" for p in plain)
    blank = f"CASE WHEN edged THEN {empty_trimmed} ELSE {empty_plain} END"
    key = f"CASE WHEN edged THEN hash({', '.join(trimmed)}) ELSE hash({', '.join(plain)}) END"
    listed = ", ".join(stored)
    for parallel in (True, False):
        try:
            con.execute(
                f"CREATE OR REPLACE TABLE raw AS SELECT {listed}, {blank} AS blank, {key} AS h"
                f" FROM (SELECT *, {_edged(names)} AS edged FROM {_reader(src, names, parallel)})"
            )
            break
        except duckdb.Error as exc:
            # DuckDB reads in parallel unless a quoted cell holds a line break and rows are short.
            if parallel and "parallel" in str(exc).lower():
                continue
            raise InputError(f"cannot read as CSV: {_first_line(exc)}", file=src.name) from None
    con.execute("CREATE TABLE shared AS SELECT h FROM raw WHERE NOT blank GROUP BY h HAVING count(*) > 1")
    # Rows whose hash another row shares: the first of each group of equal trimmed cells stays.
    con.execute(
        f"CREATE TABLE firsts AS SELECT min(r) AS r FROM (SELECT rowid AS r, * FROM raw"
        f" WHERE NOT blank AND h IN (SELECT h FROM shared)) GROUP BY {', '.join(_trimmed(c) for c in stored)}"
    )
    con.execute(
        f"CREATE VIEW clean AS SELECT rowid AS icpchat_row, {listed} FROM raw WHERE NOT blank"
        " AND (h NOT IN (SELECT h FROM shared) OR rowid IN (SELECT r FROM firsts))"
    )
    [(total, blanks)] = con.execute("SELECT count(*), count(*) FILTER (WHERE blank) FROM raw").fetchall()
    [(kept,)] = con.execute("SELECT count(*) FROM clean").fetchall()
    return kept, blanks, total - blanks - kept


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


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


def read_table(
    path: Path, mapping: dict[str, str] | None = None, encoding: str | None = None, keep: set[str] | None = None
) -> Table:
    """Load a CRM export into DuckDB (a temporary folder, removed with the table). ``keep``
    names the canonical columns to keep (default: every column of the file)."""
    workdir = Path(tempfile.mkdtemp(prefix="icpchat-table-"))
    try:
        src = open_source(path, workdir, encoding)
        columns = _find_columns(src.headers, mapping or {}, src.name)
        con = connect(workdir)
        wanted = {columns[c] for c in keep if c in columns} if keep is not None else set(src.headers)
        stored = [f"c{i}" for i, h in enumerate(src.headers) if h in wanted] or ["c0"]
        kept, blanks, duplicates = _load(con, src, stored)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    table = Table(src.name, src.headers, columns, src.delimiter, src.encoding, con, kept, duplicates, blanks)
    weakref.finalize(table, _close, con, workdir)
    return table


def sql_columns(
    path: Path | None, mapping: dict[str, str], encoding: str | None = None
) -> tuple[dict[str, str], str | None]:
    """The columns ``score --sql`` names (canonical -> header) and the decimal mark: from the
    CSV's header when given, else from ``--map`` and the field names themselves."""
    if path is None:
        return {**{f: f for f in SYNONYMS}, **mapping}, None
    with tempfile.TemporaryDirectory(prefix="icpchat-header-") as tmp:
        src = open_source(path, Path(tmp), encoding)
    return _find_columns(src.headers, mapping, src.name), decimal_for_delimiter(src.delimiter)


def _close(con: Any, workdir: Path) -> None:
    con.close()
    shutil.rmtree(workdir, ignore_errors=True)


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
        for n in (*names, *LOCAL_SYNONYMS.get(canonical, ())):
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
