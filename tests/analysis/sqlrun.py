"""Run generated SQL stages over a list of cells in DuckDB (helper for the SQL-vs-Python tests)."""

from __future__ import annotations

import duckdb


def run_stages(cells: list[str | None], stages: list[list[tuple[str, str]]], out: str) -> list[object]:
    con = duckdb.connect()
    con.execute("CREATE TABLE c (i INTEGER, v VARCHAR)")
    con.executemany("INSERT INTO c VALUES (?, ?)", list(enumerate(cells)))
    sql = "SELECT i, v FROM c"
    for k, stage in enumerate(stages):
        cols = ", ".join(f"{expr} AS {name}" for name, expr in stage)
        sql = f"SELECT s{k}.*, {cols} FROM ({sql}) AS s{k}"
    rows = dict(con.sql(f"SELECT i, {out} FROM ({sql}) AS r").fetchall())
    con.close()
    return [rows[i] for i in range(len(cells))]
