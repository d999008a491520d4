"""The outcome column of an export: found by its header in several languages, read cell by cell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icpchat.analysis.outcomes import OutcomeColumn, candidates, classify, kind_of, mapped_column, read_outcomes


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Won", "won"),
        ("Is Won?", "won"),
        ("Closed Won", "won"),
        ("Win/Loss", "won"),
        ("Deal outcome", "won"),
        ("Ergebnis", "won"),
        ("Résultat", "won"),
        ("Resultado", "won"),
        ("Esito", "won"),
        ("Stage", "stage"),
        ("Deal Stage", "stage"),
        ("Opportunity Status", "stage"),
        ("Vertriebsphase", "stage"),
        ("Étape", "stage"),
        ("Etapa", "stage"),
        ("Situação", "stage"),
        ("Churned", "churn"),
        ("Gekündigt", "churn"),
        ("Résilié", "churn"),
        ("Cancelado", "churn"),
        ("Retained", "retained"),
        ("Aktiv", "retained"),
        ("Won amount", "revenue"),
        ("Lifetime Value", "revenue"),
        ("Gesamtumsatz", "revenue"),
        ("Chiffre d'affaires total", "revenue"),
        ("Revenue", None),  # the company's annual revenue: a criterion, not an outcome
        ("Amount", None),
        ("Industry", None),
    ],
)
def test_header_kinds(header, kind):
    assert kind_of(header) == kind


def test_candidates_prefer_won_over_stage_over_churn_over_revenue():
    found = candidates(["Company", "Lifetime Value", "Churned", "Stage", "Won"])
    assert [c.kind for c in found] == ["won", "stage", "churn", "revenue"]


@pytest.mark.parametrize(
    ("cell", "kind", "expected"),
    [
        ("Closed Won", "stage", True),
        ("6 - Closed Lost", "stage", False),
        ("Proposal", "stage", None),
        ("Negotiation/Review", "stage", None),
        ("Gewonnen", "stage", True),
        ("Verloren", "stage", False),
        ("Gagné", "stage", True),
        ("Perdu", "stage", False),
        ("Ganado", "stage", True),
        ("Perdido", "stage", False),
        ("Ganho", "stage", True),
        ("yes", "stage", None),  # a stage column's "yes" says nothing
        ("Yes", "won", True),
        ("0", "won", False),
        ("ja", "churn", False),  # churned: yes is a loss
        ("Nein", "churn", True),
        ("TRUE", "retained", True),
        ("Churned", "stage", False),
        ("Active", "stage", True),
        ("Inactive", "stage", False),
        ("", "won", None),
        ("Won (then lost)", "stage", None),
    ],
)
def test_cells(cell, kind, expected):
    assert classify(cell, kind) is expected


def test_revenue_above_zero_when_the_file_holds_zeros():
    outcome = read_outcomes(OutcomeColumn("Won amount", "revenue"), ["0", "1.200,50", "", "0,00", "300"], ",")
    assert outcome.values == [False, True, None, False, True]
    assert "above 0" in outcome.rule


def test_revenue_best_quarter_without_zeros():
    cells = [str(n) for n in range(1, 101)]
    outcome = read_outcomes(OutcomeColumn("LTV", "revenue"), cells)
    assert sum(v is True for v in outcome.values) == 25 and "best quarter" in outcome.rule


def test_a_mapped_column_of_numbers_is_revenue_else_words():
    assert mapped_column("Paid", ["1.000", "0", "250"], ",").kind == "revenue"
    assert mapped_column("Ende", ["Gewonnen", "Verloren"]).kind == "won"
    assert mapped_column("Phase", ["x"]).kind == "stage"


@given(st.lists(st.text(max_size=30), max_size=12))
def test_detection_never_raises(headers):
    for column in candidates(headers):
        assert column.header in headers


@given(st.text(max_size=60), st.sampled_from(["won", "stage", "churn", "retained", "revenue"]))
def test_classify_never_raises(cell, kind):
    assert classify(cell, kind) in (True, False, None)


@given(st.lists(st.text(max_size=20), max_size=20), st.sampled_from([None, ","]))
def test_reading_any_cells_never_raises(cells, decimal):
    for kind in ("won", "stage", "churn", "retained", "revenue"):
        outcome = read_outcomes(OutcomeColumn("x", kind), cells, decimal)
        assert len(outcome.values) == len(cells)
