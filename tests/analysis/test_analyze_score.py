"""`icpchat analyze` and `icpchat score` on realistic and messy CRM exports."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from icpchat.analysis.analyze import analyze
from icpchat.analysis.scoring import derive_scale, score_leads
from icpchat.analysis.table import parse_bool, parse_mapping, parse_number, read_table
from icpchat.domain.models import ICP, Answer, Criterion, Scale, SizeRange
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


def test_score_reads_employees_in_any_locale(tmp_path):
    # a lead with "1.200" employees scored as 1.2 while analyze read "6.240.000,00 €" right
    f = tmp_path / "leads.csv"
    f.write_text('Company,Employees\nPunkt,1.200\nKomma,"1,200"\nSpace,1 200\nWords,twelve hundred\nSmall,12\n')
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    profile.scoring = [
        Scale(icp="T", criteria=[Criterion(field="employees", weight=100, ideal_range=SizeRange(min=1000, max=2000))])
    ]
    table = read_table(f)
    scores = {table.get(r.row, "company"): r.score for r in score_leads(table, profile)}
    assert scores == {"Punkt": 100, "Komma": 100, "Space": 100, "Words": 0, "Small": 0}  # a cell is digits


def test_disqualifier_limits_are_read_by_the_same_reader():
    icp = ICP(
        company_size=Answer(raw="1.000-5.000", value=SizeRange(min=1000, max=5000)),
        disqualifiers=Answer(raw=["Fewer than 1.000 employees"], value=["Fewer than 1.000 employees"]),
    )
    employees = next(c for c in derive_scale(icp).criteria if c.field == "employees")
    assert employees.disqualifying_range == SizeRange(max=999)
    icp_de = icp.model_copy(
        update={"disqualifiers": Answer(raw=["mehr als 10.000 Mitarbeiter"], value=["mehr als 10.000 Mitarbeiter"])}
    )
    employees = next(c for c in derive_scale(icp_de).criteria if c.field == "employees")
    assert employees.disqualifying_range == SizeRange(min=10001)


def test_analyze_reads_european_amounts(tmp_path):
    f = tmp_path / "c.csv"
    rows = [f"C{i};SaaS;{'1.200' if i % 2 else '300'};{'6.240.000,00 €' if i % 2 else '1.000,00 €'}" for i in range(10)]
    f.write_text("Company;Industry;Employees;Lifetime Value\n" + "\n".join(rows) + "\n")
    table = read_table(f)
    values = [parse_number(table.get(r, "ltv"), table.delimiter) for r in table.rows]
    assert sorted(set(values)) == [1000.0, 6240000.0]
    assert {parse_number(table.get(r, "employees"), table.delimiter) for r in table.rows} == {300.0, 1200.0}
