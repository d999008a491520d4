"""Shape and proportions of the labelled pushback set (benchmarks/pushback/labelled.yaml).

This checks the data only; it never runs the critic on it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

# Run alone, mypy finds icpchat through the editable install, which has no py.typed marker;
# run with src/ on its path, the import is typed and the ignore is unused: both are fine.
from icpchat.questions.loader import load_catalog  # type: ignore[import-untyped, unused-ignore]

REPO = Path(__file__).resolve().parents[2]
SET_PATH = REPO / "benchmarks" / "pushback" / "labelled.yaml"
KEYS = {"id", "field", "lang", "answer", "label", "why", "split"}
LANGS = {"en", "de", "fr", "es", "pt"}
LABELS = {"vague", "specific"}
SPLITS = {"tune", "holdout"}


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    data = yaml.safe_load(SET_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def _share(entries: list[dict[str, Any]], key: str, value: str) -> float:
    return sum(1 for e in entries if e[key] == value) / len(entries)


def test_every_entry_has_the_documented_shape(entries: list[dict[str, Any]]) -> None:
    for e in entries:
        assert isinstance(e, dict)
        assert set(e) == KEYS, e
        for key in KEYS:
            assert isinstance(e[key], str), (e["id"], key)
            assert e[key].strip(), (e["id"], key)
        assert e["lang"] in LANGS, e["id"]
        assert e["label"] in LABELS, e["id"]
        assert e["split"] in SPLITS, e["id"]


def test_ids_are_unique(entries: list[dict[str, Any]]) -> None:
    ids = Counter(e["id"] for e in entries)
    assert [i for i, n in ids.items() if n > 1] == []


def test_size_and_fields_exist_in_the_question_catalog(entries: list[dict[str, Any]]) -> None:
    assert len(entries) >= 300
    fields = {e["field"] for e in entries}
    assert len(fields) >= 20
    known = set(load_catalog().all_ids())
    assert sorted(fields - known) == []


def test_labels_are_balanced(entries: list[dict[str, Any]]) -> None:
    assert 0.45 <= _share(entries, "label", "vague") <= 0.55


def test_enough_answers_are_not_in_english(entries: list[dict[str, Any]]) -> None:
    assert 1 - _share(entries, "lang", "en") >= 0.15
    # every non-English language is present, not only one of them
    assert {e["lang"] for e in entries} == LANGS


def test_split_is_about_sixty_forty(entries: list[dict[str, Any]]) -> None:
    assert 0.55 <= _share(entries, "split", "tune") <= 0.65


def test_every_field_has_both_labels_and_both_splits(entries: list[dict[str, Any]]) -> None:
    labels: dict[str, set[str]] = {}
    splits: dict[str, set[str]] = {}
    for e in entries:
        labels.setdefault(e["field"], set()).add(e["label"])
        splits.setdefault(e["field"], set()).add(e["split"])
    assert {f: s for f, s in labels.items() if s != LABELS} == {}
    assert {f: s for f, s in splits.items() if s != SPLITS} == {}
