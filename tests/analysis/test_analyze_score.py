"""`icpchat analyze` and `icpchat score` on realistic and messy CRM exports."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from icpchat.analysis.analyze import analyze
from icpchat.analysis.scoring import score_leads
from icpchat.analysis.table import parse_bool, parse_mapping, parse_number, read_table
from icpchat.domain.models import Criterion, Scale
from icpchat.errors import InputError
from icpchat.services import load_profile_file, load_settings
from tests.conftest import EXAMPLES, REPO

DATA = Path(__file__).resolve().parents[1] / "data"
MESSY_MAP = "Branche=industry,Mitarbeiter=employees,Land=country,Total Paid=ltv,Status Churn=churned,Upsell=expanded,Deal Size=deal_size"


@pytest.mark.parametrize(
    ("text", "delimiter", "expected"),
    [
        ("$1,234.50", ",", 1234.5),
        ("€ 12.500,00", ";", 12500.0),
        ("1.200", ";", 1200.0),
        ("1 200", ",", 1200.0),
        ("12k", ",", 12000.0),
        ("2,5", ";", 2.5),
        ("", ",", None),
        ("n/a", ",", None),
        ("abc", ",", None),
    ],
)
def test_parse_number(text, delimiter, expected):
    assert parse_number(text, delimiter) == expected


def test_parse_bool():
    assert parse_bool("Yes") is True and parse_bool("nein") is False and parse_bool("maybe") is None


def test_realistic_export_finds_planted_icp():
    result = analyze(read_table(EXAMPLES / "customers.csv"))
    icp = result["answers"]["icp"]
    assert set(icp["industries"]) == {"SaaS", "Fintech"}
    assert icp["company_size"] == "51-500"
    assert set(icp["geographies"]) <= {"United Kingdom", "Germany", "Austria", "Switzerland"}
    assert result["columns"]["ltv"] == "Lifetime Value"
    assert result["evidence"]["sales_cycle_days"]["best_median"] < result["evidence"]["sales_cycle_days"]["rest_median"]


def test_messy_export_with_mapping():
    table = read_table(DATA / "messy_customers.csv", parse_mapping(MESSY_MAP))
    assert (table.encoding, table.delimiter, table.duplicates_removed, table.blank_rows) == ("cp1252", ";", 1, 1)
    assert len(table.rows) == 8
    assert table.get(table.rows[0], "company") == "Müller Logistik GmbH"
    result = analyze(table)
    assert result["answers"]["icp"]["industries"] == ["SaaS"]


def test_file_without_outcome_columns_says_what_to_do(tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("Company,Industry\nA,SaaS\n")
    with pytest.raises(InputError, match=r"lifetime value, churned or expanded column.*--map"):
        analyze(read_table(f))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02" * 100, "binary"), (b"A,B\n", "no data rows")],
)
def test_bad_csv(tmp_path, content, message):
    f = tmp_path / "c.csv"
    f.write_bytes(content)
    with pytest.raises(InputError, match=message):
        analyze(read_table(f))


def test_bad_map():
    with pytest.raises(InputError, match="--map"):
        parse_mapping("Acct=colour")


def test_seeded_run_records_data_provenance(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "business: {name: X, offering: Y, model: b2b, problem: Z}\nicps: [{name: Data ICP, geographies: [UK]}]\n"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "icpchat",
            "run",
            "--answers",
            str(answers),
            "--seed",
            str(EXAMPLES / "analysis.json"),
            "--format",
            "json",
        ],
        capture_output=True,
        check=True,
    )
    icp = json.loads(out.stdout)["icps"][0]
    assert icp["industries"]["provenance"] == "data"
    assert icp["geographies"] == {"raw": ["UK"], "value": ["UK"], "provenance": "founder"}  # the founder overrides


def test_scores_sorted_with_reasons_and_tiers():
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    table = read_table(EXAMPLES / "leads.csv")
    results = score_leads(table, profile)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    top = results[0]
    assert top.score == 100 and top.tier == "A" and any("ideal" in r for r in top.reasons)
    assert {r.tier for r in results} <= {"A", "B", "C", "D", "disqualified"}


def test_disqualifier_beats_points():
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    profile.scoring = [
        Scale(
            icp="Test",
            criteria=[
                Criterion(field="industry", weight=50, ideal=["SaaS", "Fintech"]),
                Criterion(field="country", weight=50, ideal=["United Kingdom"], disqualifying=["United Kingdom"]),
            ],
        )
    ]
    table = read_table(EXAMPLES / "leads.csv")
    results = score_leads(table, profile)
    uk = [r for r in results if table.get(r.row, "country") == "United Kingdom"]
    assert uk and all(r.score == 0 and r.tier == "disqualified" for r in uk)
    assert results[-1].disqualified  # disqualified leads sort last


def test_score_cli_csv_and_json(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "icpchat",
        "score",
        str(EXAMPLES / "leads.csv"),
        "--profile",
        str(EXAMPLES / "ledgerloop.json"),
    ]
    csv_out = subprocess.run(cmd, capture_output=True, check=True, text=True).stdout.splitlines()
    assert csv_out[0].startswith("score,tier,icp,Company")
    assert len(csv_out) == 41
    records = json.loads(subprocess.run([*cmd, "--format", "json"], capture_output=True, check=True).stdout)
    assert records[0]["score"] >= records[-1]["score"]


def test_analyze_cli_bad_file(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "icpchat", "analyze", str(tmp_path / "nope.csv")], capture_output=True, text=True
    )
    assert result.returncode == 2 and "nope.csv: no such file" in result.stderr and "Traceback" not in result.stderr


def test_make_crm_is_deterministic(tmp_path):
    script = REPO / "benchmarks" / "make_crm.py"
    for name in ("a.csv", "b.csv"):
        subprocess.run([sys.executable, str(script), "--rows", "50", "--out", str(tmp_path / name)], check=True)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
