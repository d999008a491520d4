"""Headers in German, French, Spanish and Portuguese; --map taught in --help; small samples.

Before: a German export (Firma;Branche;Mitarbeiter;Umsatz;Land;Gekündigt) stopped with "cannot
tell the best customers apart", every column unrecognised, and `analyze` on 11 rows drew its
conclusions without a word about how few customers they came from.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from icpchat.analysis.headers import LOCAL_SYNONYMS, fold_header
from icpchat.analysis.sample import SMALL_SAMPLE, small_sample_warning
from icpchat.analysis.table import SYNONYMS, _find_columns
from tests.conftest import EXAMPLES
from tests.support import run_cli


def _german(path: Path, rows: int) -> Path:
    """The example customers with German headers, ';' and decimal-comma numbers."""
    with (EXAMPLES / "customers.csv").open(newline="", encoding="utf-8") as fh:
        records = list(csv.reader(fh))[1 : rows + 1]
    lines = ["Firma;Branche;Mitarbeiter;Umsatz;Land;Gekündigt"]
    lines += [
        ";".join([r[0], r[1], r[2], r[3].replace(",", "."), r[4], "Ja" if r[7] == "Yes" else "Nein"]) for r in records
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_a_german_export_is_understood(tmp_path):
    result = run_cli("analyze", str(_german(tmp_path / "kunden.csv", 200)))
    assert result.returncode == 0, result.err
    assert '"employees": "Mitarbeiter"' in result.out and '"churned": "Gekündigt"' in result.out
    assert '"revenue": "Umsatz"' in result.out and '"country": "Land"' in result.out
    assert "weak" not in result.err  # 200 customers: enough on both sides


def test_headers_in_each_language():
    headers = ["Société", "Secteur d'activité", "Effectif", "Chiffre d'affaires", "Pays", "Résilié"]
    assert _find_columns(headers, {}, "f.csv") == {
        "company": "Société",
        "industry": "Secteur d'activité",
        "employees": "Effectif",
        "revenue": "Chiffre d'affaires",
        "country": "Pays",
        "churned": "Résilié",
    }
    spanish = _find_columns(["Empresa", "Sector", "Número de empleados", "Facturación", "País"], {}, "e.csv")
    assert spanish["employees"] == "Número de empleados" and spanish["revenue"] == "Facturación"
    portuguese = _find_columns(["Nome da empresa", "Setor", "Funcionários", "Faturamento", "País"], {}, "p.csv")
    assert portuguese["employees"] == "Funcionários" and portuguese["industry"] == "Setor"
    assert "country" not in _find_columns(["Landkreis"], {}, "g.csv")  # whole headers only


def test_english_names_win_over_local_ones():
    assert _find_columns(["Land", "Country"], {}, "x.csv")["country"] == "Country"


@given(st.sampled_from([(c, n) for c, names in LOCAL_SYNONYMS.items() for n in names]), st.data())
def test_any_local_header_however_cased_is_found(pair, data):
    canonical, name = pair
    header = "".join(ch.upper() if data.draw(st.booleans()) else ch for ch in name)
    assert _find_columns([header], {}, "x.csv") == {canonical: header}


def test_synonyms_are_written_folded_and_not_shared():
    every = [n for names in (*SYNONYMS.values(), *LOCAL_SYNONYMS.values()) for n in names]
    assert all(fold_header(n) == n for n in every)
    assert len(every) == len(set(every)), "a header must name one field"


def test_a_small_sample_is_called_weak(tmp_path):
    result = run_cli("analyze", str(_german(tmp_path / "kunden.csv", 11)))
    assert result.returncode == 0, result.err
    assert "conclusions from so few customers are weak" in result.err and "of 11 rows" in result.err
    assert small_sample_warning(200, 34) is None
    assert "only 19 best customers" in (small_sample_warning(200, SMALL_SAMPLE - 1) or "")
    assert "only 5 other customers" in (small_sample_warning(40, 35) or "")


def test_help_teaches_map_with_an_example():
    text = " ".join(run_cli("analyze", "--help").out.split())
    assert "--map 'Acct=company,Seats=employees,Total Paid=ltv,Gone=churned'" in text
    assert "Mitarbeiter" in text and "cycle_days" in text
    score_help = " ".join(run_cli("score", "--help").out.split())
    assert "HEADER=FIELD pairs" in score_help and "deal_size" in score_help


def test_the_map_example_of_the_help_works(tmp_path):
    crm = tmp_path / "crm.csv"
    rows = [f"Co {i};{10 + i};{1000 * (i % 7)};{'yes' if i % 3 == 0 else 'no'}" for i in range(60)]
    crm.write_text("Acct;Seats;Total Paid;Gone\n" + "\n".join(rows) + "\n", "utf-8")
    result = run_cli("analyze", str(crm), "--map", "Acct=company,Seats=employees,Total Paid=ltv,Gone=churned")
    assert result.returncode == 0, result.err
    assert '"ltv": "Total Paid"' in result.out and '"employees": "Seats"' in result.out
