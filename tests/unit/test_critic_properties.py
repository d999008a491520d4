"""Properties of the critic over any text: it never raises, it is deterministic, and case or
surrounding whitespace never turns a specific answer vague."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpchat.domain.models import Answer, SizeRange, entity_path
from icpchat.quality import check_answer
from icpchat.quality.critic import _cached, critique
from icpchat.quality.reading import read
from icpchat.questions.loader import load_catalog

CATALOG = load_catalog()
QUESTIONS = [(qs.section, q) for qs in CATALOG.sets for q in qs.questions]
SPECIFIC = [
    (f"{section}.{q.id}", example) for section, q in QUESTIONS if q.kind in ("text", "list") for example in q.examples
] + [
    (e["field"], e["text"])
    for e in yaml.safe_load(Path(__file__).with_name("knowledge_examples.yaml").read_text(encoding="utf-8"))
    if e["expect"] == "specific"
]
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.text(max_size=300) | st.text(alphabet=st.sampled_from(list("aéß 0123456789-–.,;$€%+<>kMm\n")), max_size=80)
values = texts | st.lists(texts, max_size=6) | st.builds(SizeRange, min=st.none() | st.floats(0, 1e9), max=st.none())


def _answer(value: object, raw: str) -> Answer:
    return Answer(raw=raw, value=value)  # type: ignore[arg-type]


@PROPERTY
@given(index=st.integers(0, len(QUESTIONS) - 1), value=values, raw=texts)
def test_never_raises_on_any_text(index: int, value: object, raw: str) -> None:
    section, question = QUESTIONS[index]
    findings = check_answer(question, _answer(value, raw), entity_path(section, 0, question.id))
    assert all(f.message and f.rule for f in findings)


@PROPERTY
@given(index=st.integers(0, len(QUESTIONS) - 1), text=texts)
def test_deterministic_and_independent_of_the_cache(index: int, text: str) -> None:
    section, question = QUESTIONS[index]
    answer = _answer(text, text)
    field = entity_path(section, 0, question.id)
    first = critique(question, answer, field)
    _cached.cache_clear()
    read.cache_clear()
    assert critique(question, answer, field) == first


def _flag(field: str, text: str) -> object:
    section, qid = field.split(".")
    question = CATALOG.question(section, qid)
    items = [i.strip() for i in text.split(";")] if question.kind == "list" else text
    return critique(question, _answer(items, text), entity_path(section, 0, qid))


@pytest.mark.parametrize(("field", "text"), SPECIFIC)
def test_specific_examples_are_specific_as_given(field: str, text: str) -> None:
    assert _flag(field, text) is None


@PROPERTY
@given(
    example=st.sampled_from(SPECIFIC),
    change=st.sampled_from([str.upper, str.lower, str.title, lambda s: s]),
    before=st.sampled_from(["", " ", "\t", "  \n"]),
    after=st.sampled_from(["", " ", "\n", " \t "]),
)
def test_case_and_whitespace_never_make_a_specific_answer_vague(example, change, before, after) -> None:
    field, text = example
    assert _flag(field, before + change(text) + after) is None
