"""The model's verdict on evidence quotes, against the scripted local server (function calling)."""

from __future__ import annotations

from typing import Any

from icpchat.domain.models import Stance
from icpchat.evidence.match import Candidate, Item, Sentence, judged
from icpchat.evidence.sources import Utterance
from icpchat.evidence.stance import read, verdict
from tests.llm.fake_server import error, tool_call

ITEM = Item("icps[0].pains", "Month-end close takes 8-10 working days", True)


def _candidate(text: str, score: float) -> Candidate:
    sentence = Sentence(Utterance("n.md", "line 3", "Hannah", text), text, read(text))
    return Candidate(ITEM, sentence, score, verdict(read(ITEM.text), sentence.reading))


CANDIDATES = [
    _candidate("our close takes nine working days and the board wants five", 0.7),
    _candidate("the close is fine, we close in five days", 0.55),  # offline: no cue, so supports
    _candidate("the close calendar is on the wall", 0.32),  # offline: too weak to attach
]


def test_the_model_judges_each_quote_by_function_calling(server: Any, llm: Any) -> None:
    server.queue(
        tool_call(
            "judge_quotes",
            {
                "verdicts": [
                    {"index": 1, "stance": "supports"},
                    {"index": 2, "stance": "contradicts"},
                    {"index": 3, "stance": "neither"},
                ]
            },
        )
    )
    notices: list[str] = []
    found = judged(CANDIDATES, llm, notices)
    assert [(c.sentence.quote[:10], c.stance) for c in found] == [
        ("our close ", Stance.SUPPORTS),
        ("the close ", Stance.CONTRADICTS),
    ]
    (request,) = server.requests
    assert request.tool == "judge_quotes"
    assert "1. our close takes nine" in request.content("user") and "icps[0].pains" in request.content("user")
    assert notices == []


def test_a_failing_model_keeps_the_offline_verdict(server: Any, llm: Any) -> None:
    server.queue(error(503), error(503), error(503))
    notices: list[str] = []
    found = judged(CANDIDATES, llm, notices)
    offline = judged(CANDIDATES, None, [])
    assert found == offline and [c.stance for c in found] == [Stance.SUPPORTS, Stance.SUPPORTS]
    assert notices and "judging evidence" in notices[0] and "offline verdict stands" in notices[0]


def test_a_reply_that_skips_a_quote_is_not_used(server: Any, llm: Any) -> None:
    server.queue(tool_call("judge_quotes", {"verdicts": [{"index": 1, "stance": "contradicts"}]}))
    assert judged(CANDIDATES, llm, []) == judged(CANDIDATES, None, [])
