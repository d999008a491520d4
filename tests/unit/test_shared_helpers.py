"""The "one of each" helpers every layer shares: answer text, depth, entity path, the
validation-error formatter, Markdown escaping, and the exit codes."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from icpchat.domain.depth import DEPTHS, asked_at
from icpchat.domain.models import Answer, Meta, entity_path
from icpchat.errors import ExitCode, InputError, SessionError, key_path, validation_problem
from icpchat.settings import Settings
from icpchat.text.markdown import escape, escape_inline


def test_answer_text_keeps_raw_or_joins_list_items():
    assert Answer(raw="  as typed ", value="as typed").text() == "  as typed "
    listed = Answer(raw=["SaaS", "Fintech"], value=["SaaS", "Fintech"])
    assert listed.text() == "SaaS; Fintech"
    assert listed.text("\n") == "SaaS\nFintech"


def test_one_depth_type_everywhere():
    assert DEPTHS == ("quick", "standard", "deep")
    assert Meta.model_fields["depth"].annotation == Settings.model_fields["depth"].annotation
    assert asked_at("quick", "standard") and asked_at("standard", "standard")
    assert not asked_at("deep", "quick")


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (("business",), "business"),
        (("business", 0, "name"), "business.name"),
        (("icp", 1), "icps[1]"),
        (("persona", 0, "goals"), "personas[0].goals"),
        (("negative_persona", 2, "reason"), "negative_personas[2].reason"),
    ],
)
def test_entity_path(args, path):
    assert entity_path(*args) == path


class _Inner(BaseModel):
    kind: int


class _Outer(BaseModel):
    questions: list[_Inner]


def test_validation_error_becomes_key_path_and_message():
    data = {"questions": [{"kind": 1}, {"id": "pains", "kind": "many"}]}
    with pytest.raises(ValidationError) as info:
        _Outer.model_validate(data)
    key, message = validation_problem(info.value)
    assert key == "questions[1].kind" and "integer" in message
    assert validation_problem(info.value, data)[0] == "questions[1] (id: pains).kind"
    err = SessionError.from_validation(info.value, file="s.json")
    assert isinstance(err, SessionError) and str(err).startswith("s.json: questions[1].kind: ")
    assert key_path(()) == ""
    assert InputError.from_validation(info.value).key == "questions[1].kind"


def test_escape_lives_in_text_and_stays_importable_from_export():
    from icpchat.export import markdown

    assert markdown.escape is escape and markdown.escape_inline is escape_inline
    assert escape("*bold* <b>") == r"\*bold\* \<b\>"
    assert escape_inline("a\n- b") == r"a<br>\- b"


def test_exit_codes_are_distinct_and_stable():
    assert {c.name: c.value for c in ExitCode} == {
        "OK": 0,
        "INTERNAL": 1,
        "USAGE": 2,
        "INCOMPLETE": 3,
        "LLM_FAILED": 4,
        "FINDINGS": 5,
        "INTERRUPTED": 130,
    }


def test_shorten_cuts_at_a_word_boundary_and_says_so():
    from icpchat.text.markdown import shorten

    assert shorten("The overstretched operations lead", 22) == "The overstretched…"
    assert shorten("a  b\n c", 10) == "a b c"
    assert shorten("x" * 20, 10) == "x" * 9 + "…"  # no boundary near: a hard cut
