"""`score --sql` is the Python scorer: the same scores, tiers and reasons, lead by lead."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpchat.analysis.scoring import score_leads
from icpchat.analysis.scoring_sql import scorer_sql
from icpchat.analysis.table import read_table
from icpchat.domain.models import Criterion, Scale, SizeRange
from icpchat.services import load_profile_file, load_settings
from tests.conftest import EXAMPLES, REPO
from tests.support import run_cli


def _sql_scores(csv_path: Path, sql: str) -> list[tuple[str, int, str, str]]:
    """Run ``sql`` on DuckDB over the CSV loaded as table ``leads`` (text columns)."""
    con = duckdb.connect()
    path = str(csv_path).replace("'", "''")
    con.execute(f"CREATE TABLE leads AS SELECT * FROM read_csv('{path}', all_varchar=true, header=true)")
    rows = con.execute(f"SELECT * FROM ({sql}) AS scored").fetchall()
    names = [d[0] for d in con.description or []]
    con.close()
    first = names.index("score")
    return [(r[0] or "", r[first], r[first + 1], r[first + 3]) for r in rows]


def _python_scores(csv_path: Path, profile) -> list[tuple[str, int, str, str]]:
    table = read_table(csv_path)
    first = table.headers[0]
    return [(r.row[first], r.score, r.tier, "; ".join(r.reasons)) for r in score_leads(table, profile)]


def _messy_leads(path: Path, rows: int) -> None:
    """make_crm's leads, with some values written as people write them."""
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "make_crm.py"), "--rows", str(rows), "--leads", "--out", str(path)],
        check=True,
    )
    variants = {
        "SaaS": ["saas", "Software as a Service", "B2B SaaS platforms"],
        "Fintech": ["FinTech", "fintechs", "Financial Technology"],
        "United Kingdom": ["UK", "GB", "Royaume-Uni", "Vereinigtes Königreich"],
        "Germany": ["DE", "Deutschland", "Alemanha", "germany "],
        "Spain": ["Espanha", "España", "ES"],
    }
    with path.open(newline="", encoding="utf-8") as fh:
        records = list(csv.reader(fh))
    for i, record in enumerate(records[1:]):
        for col in (1, 3):
            options = variants.get(record[col])
            if options and i % 3:
                record[col] = options[i % len(options)]
        if i % 7 == 0:
            record[2] = f"{int(record[2]):,}".replace(",", ".") + " " if int(record[2]) >= 1000 else f"ca. {record[2]}"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(records)


def test_sql_equals_python_on_the_example_leads(tmp_path):
    leads = tmp_path / "leads.csv"
    _messy_leads(leads, 60)
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    printed = run_cli("score", "--sql", str(leads), "--profile", str(EXAMPLES / "ledgerloop.json"))
    assert sorted(_sql_scores(leads, printed.out)) == sorted(_python_scores(leads, profile))


@pytest.mark.slow
def test_sql_equals_python_on_10000_leads(tmp_path):
    leads = tmp_path / "leads.csv"
    _messy_leads(leads, 10_000)
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    printed = run_cli("score", "--sql", str(leads), "--profile", str(EXAMPLES / "ledgerloop.json"))
    assert printed.returncode == 0, printed.err
    by_sql = {r[0]: r[1:] for r in _sql_scores(leads, printed.out)}
    by_python = {r[0]: r[1:] for r in _python_scores(leads, profile)}
    assert len(by_python) == 10_000
    assert by_sql == by_python
    assert any("matches" in reasons for _, _, reasons in by_python.values())  # fuzzy matches were exercised


def test_sql_without_a_file_uses_field_names():
    result = run_cli("score", "--sql", "--profile", str(EXAMPLES / "ledgerloop.json"))
    assert result.returncode == 0, result.err
    assert 'leads."industry"' in result.out and result.out.lstrip().startswith("WITH")
    assert "\x1b" not in result.out and "\t" not in result.out  # controls written as CHR(n)


def test_score_needs_a_file_unless_sql():
    result = run_cli("score", "--profile", str(EXAMPLES / "ledgerloop.json"))
    assert result.returncode == 2 and "LEADS.csv is missing" in result.err


# -- generated profiles and leads ------------------------------------------------------------

_WORDS = ["SaaS", "Fintech", "Marketing agencies", "marketing agency", "E-Commerce", "Logistik", "Healthcare", "Café"]
_COUNTRIES = ["United Kingdom", "UK", "Spain", "Espanha", "ES", "Germany", "DE", "Österreich", "Atlantis"]
_NUMBERS = ["120", "1.200", "1,200", "80", "400", "12k", "ca. 50", "€ 1.234,50", "n/a", "", " 7 ", "2,5", "1 500"]


def _rng(draw: st.DrawFn) -> SizeRange | None:
    low = draw(st.sampled_from([None, 10.0, 50.0, 80.0, 1200.0]))
    high = draw(st.sampled_from([None, 100.0, 400.0, 1500.0]))
    return None if low is None and high is None else SizeRange(min=low, max=high)


@st.composite
def scales(draw: st.DrawFn) -> list[Scale]:
    out = []
    for n in range(draw(st.integers(1, 2))):
        criteria = [
            Criterion(
                field="industry",
                weight=draw(st.sampled_from([30.0, 12.5, 1.0])),
                ideal=draw(st.lists(st.sampled_from(_WORDS), max_size=2)),
                acceptable=draw(st.lists(st.sampled_from(_WORDS), max_size=1)),
                disqualifying=draw(st.lists(st.sampled_from(_WORDS), max_size=1)),
            ),
            Criterion(
                field="country",
                weight=draw(st.sampled_from([20.0, 7.0])),
                ideal=draw(st.lists(st.sampled_from(_COUNTRIES), max_size=2)),
                disqualifying=draw(st.lists(st.sampled_from(_COUNTRIES), max_size=1)),
            ),
            Criterion(
                field="employees",
                weight=draw(st.sampled_from([25.0, 3.0])),
                ideal_range=draw(st.builds(lambda: None) | st.just(SizeRange(min=80, max=400))),
                acceptable_range=_rng(draw),
                disqualifying_range=_rng(draw),
            ),
        ]
        out.append(Scale(icp=f"ICP {n}", criteria=draw(st.permutations(criteria)), tiers={"A": 70, "B": 40}))
    return out


_CELLS = st.tuples(
    st.sampled_from([*_WORDS, "Software as a Service", "agencies", "", "B2B SaaS tools"]),
    st.sampled_from(_NUMBERS),
    st.sampled_from([*_COUNTRIES, "Royaume-Uni", "", "Spanien"]),
)


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(scales(), st.lists(_CELLS, min_size=1, max_size=30), st.sampled_from([",", ";"]))
@pytest.mark.parametrize("dialect", ["ansi", "duckdb"])
def test_sql_equals_python_on_generated_profiles(tmp_path_factory, dialect, generated, cells, delimiter):
    leads = tmp_path_factory.mktemp("leads") / "leads.csv"
    with leads.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["Company", "Industry", "Employees", "Country"])
        writer.writerows([f"Lead {i}", *c] for i, c in enumerate(cells))
    table = read_table(leads)
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    profile.scoring = generated
    expected = {r.row["Company"]: (r.score, r.tier, "; ".join(r.reasons)) for r in score_leads(table, profile)}
    sql = scorer_sql(generated, table.columns, decimal="," if delimiter == ";" else None, dialect=dialect)
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE leads AS SELECT * FROM read_csv('{leads}', all_varchar=true, header=true, delim='{delimiter}')"
    )
    got = {
        r[0]: (r[1], r[2], r[3])
        for r in con.execute(f"SELECT Company, score, tier, reasons FROM ({sql}) AS s").fetchall()
    }
    assert got == expected
