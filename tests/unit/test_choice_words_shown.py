"""Choices are listed in words the founder can type back ("1. Decision maker", not
"1. decision_maker"), and codes whose words would not read back stay codes ("b2b")."""

from __future__ import annotations

from icpchat.conversation.presenter import _choice_shown
from icpchat.engine.parse import pick_choice
from icpchat.questions import load_catalog


def test_every_choice_shown_picks_itself_back() -> None:
    for section in load_catalog().sets:
        for question in section.questions:
            for choice in question.choices or ():
                assert pick_choice(_choice_shown(choice), question.choices or ()) == choice


def test_roles_read_as_words_and_models_as_codes() -> None:
    assert _choice_shown("decision_maker") == "Decision maker"
    assert _choice_shown("b2b") == "b2b"
