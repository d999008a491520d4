"""`icpchat score` on DuckDB: the scorer's SQL over a loaded export, written as CSV or JSON.

The SQL is the one ``score --sql`` prints (in DuckDB's dialect, which only swaps in shorter
character tables), run over table ``clean`` of :mod:`.table`. Ten million scored rows do not
pass through Python one by one: DuckDB writes the CSV, with every text cell made safe by the
rule of :mod:`icpchat.text.csv_cells`, and Python copies the file to the output.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from icpchat.analysis.scoring import check_usable
from icpchat.analysis.scoring_sql import scorer_sql
from icpchat.analysis.sqltext import display, lit
from icpchat.analysis.table import Table
from icpchat.domain.models import Scale
from icpchat.text.csv_cells import safe_cells_sql, write_rows
from icpchat.text.numbers import decimal_for_delimiter

__all__ = ["score_sql_for", "write_csv", "write_json"]

_BATCH = 10_000


def score_sql_for(table: Table, scales: Sequence[Scale], lists: bool = False) -> str:
    """The scoring SELECT over ``table``'s rows, best first, columns c0... then the scores
    (and ``reason_list`` with ``lists``: JSON wants them apart, CSV joined)."""
    table.require_rows()
    check_usable(scales, table)
    columns = {field: table.sql_column(field) for field in table.columns}
    table.con.execute("CREATE OR REPLACE VIEW leads AS SELECT * FROM clean")
    names = [f"c{i}" for i in range(len(table.headers))]
    return scorer_sql(
        scales,
        columns,
        decimal=decimal_for_delimiter(table.delimiter),
        dialect="duckdb",
        select=names,
        order_by="icpchat_row",
        reason_lists=lists,
    )


def write_csv(table: Table, scales: Sequence[Scale], out: IO[str]) -> None:
    """score, tier, icp, the lead's columns, reasons: as CSV on ``out``, best first."""
    sql = score_sql_for(table, scales)
    cells = [("score", False), ("tier", True), ("icp", True)]
    cells += [(f"c{i}", True) for i in range(len(table.headers))] + [("reasons", True)]
    safe = safe_cells_sql(f"({sql}) AS scored", cells)
    write_rows(out, [["score", "tier", "icp", *table.headers, "reasons"]])
    out.flush()
    with tempfile.TemporaryDirectory(prefix="icpchat-score-") as tmp:
        target = Path(tmp) / "scored.csv"
        table.con.execute(
            f"COPY ({safe}) TO {lit(str(target))} (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', NEW_LINE '\\n')"
        )
        with target.open("r", encoding="utf-8", newline="") as fh:
            shutil.copyfileobj(fh, out, 1 << 20)


def _records(table: Table, scales: Sequence[Scale]) -> Iterator[dict[str, Any]]:
    sql = score_sql_for(table, scales, lists=True)
    name = table.headers.index(table.columns.get("company", table.headers[0]))
    cursor = table.con.execute(f"SELECT * FROM ({sql}) AS scored")
    width = len(table.headers)
    while batch := cursor.fetchmany(_BATCH):
        for row in batch:
            cells = {h: row[i] or "" for i, h in enumerate(table.headers)}
            score, tier, icp, _joined, reasons = row[width : width + 5]
            yield {
                "company": display(row[name]),
                "score": score,
                "tier": tier,
                "icp": icp,
                "reasons": list(reasons),
                "row": cells,
            }


def write_json(table: Table, scales: Sequence[Scale], out: IO[str]) -> None:
    """A JSON list of the scored leads (company, score, tier, icp, reasons, row), best first."""
    out.write("[")
    for n, record in enumerate(_records(table, scales)):
        out.write(",\n  " if n else "\n  ")
        out.write(json.dumps(record, ensure_ascii=True))
    out.write("\n]\n")
