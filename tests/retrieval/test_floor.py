"""The "nothing here answers that" floor and the note for questions not in English, on the
real built-in knowledge base (`ask`, the chat's /ask) and through the command line."""

from __future__ import annotations

import json

import pytest

from icpchat import services
from icpchat.domain.models import Citation
from icpchat.retrieval.kb import SCORE_FLOOR, KnowledgeBase
from icpchat.retrieval.wording import NOTHING_ANSWERS, language_note
from icpchat.text.language import guess_language, non_english
from tests.support import run_cli

OFF_TOPIC = "what's the capital of France"


def test_an_off_topic_question_gets_no_passages(kb: KnowledgeBase):
    hits = kb.hits(OFF_TOPIC, 3)
    assert hits and hits[0].similarity < SCORE_FLOOR  # passages exist; none is close enough
    assert kb.search(OFF_TOPIC, 3) == []


def test_a_founder_question_still_gets_its_article(kb: KnowledgeBase):
    found = kb.search("who should we not sell to?", 3)
    assert found and found[0].source == "09-anti-icp-and-negative-personas.md"


def test_interview_guidance_has_no_floor(kb: KnowledgeBase, catalog):
    question = catalog.question("icp", "disqualifiers")
    assert len(kb.guide("icp.disqualifiers", question, "capital of France")) == kb.guidance_k


def test_a_question_not_in_english_is_still_searched(kb: KnowledgeBase):
    german = "wie finde ich heraus, welche Kunden nicht zu uns passen?"
    assert kb.hits(german, 3)[0].similarity < SCORE_FLOOR
    assert kb.search(german, 3)  # the model is English: it tries anyway, and ask says so


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("wie bereite ich einen Launch auf Product Hunt vor?", "de"),
        ("nous avons pivoté vers les cliniques vétérinaires, faut-il refaire tout notre profil ?", "fr"),
        ("ainda não temos nenhum cliente. como eu testo o meu perfil?", "pt"),
        ("¿cómo encuentro a mis clientes ideales?", "es"),
        ("how do I find out what customers would pay?", "en"),
        ("la la land pricing for SaaS", "en"),
        ("HubSpot or Pipedrive for our CRM", "en"),
        ("как найти клиентов", None),
    ],
)
def test_the_language_guess(text: str, code: str | None):
    assert guess_language(text) == code


def test_the_note_names_the_language_and_says_the_search_still_ran():
    note = language_note("wie bereite ich einen Launch auf Product Hunt vor?")
    assert note is not None and "German" in note and "English" in note
    assert language_note("who should we not sell to?") is None
    assert non_english("как найти клиентов") == "not English"


def test_ask_says_nothing_answers_an_off_topic_question():
    result = run_cli("ask", OFF_TOPIC)
    assert result.returncode == 0, result.err  # an answer, not an error (DESIGN.md's exit codes)
    assert result.out == ""  # stdout is data: no passages
    assert "Nothing in the knowledge base answers that question" in result.err
    payload = json.loads(run_cli("ask", OFF_TOPIC, "--json").out)
    assert payload["citations"] == [] and payload["note"] is None


def test_ask_notes_a_question_not_in_english_and_still_shows_passages():
    result = run_cli("ask", "wie finde ich heraus, welche Kunden nicht zu uns passen?", "--k", "1")
    assert result.returncode == 0, result.err
    assert "looks like German" in result.err and "[1] " in result.out
    assert "**" not in result.out  # passages are rendered, not shown as Markdown source


class _NoPassages:
    def search(self, query: str, k: int, *, boost_question: str | None = None) -> list[Citation]:
        return []


class _OnePassage:
    def search(self, query: str, k: int, *, boost_question: str | None = None) -> list[Citation]:
        text = "| Trigger | Window |\n|---|---|\n| New CFO | 90 days |\n\n**Act early.** Then follow up."
        return [Citation(title="Triggers", source="05.md", text=text, score=0.5)]


@pytest.mark.parametrize("question", ["what's the capital of France", "wo ist die Hauptstadt von Frankreich?"])
def test_chat_ask_says_nothing_answers_it(icpchat_home, question: str):
    conv = services.build_conversation(services.load_settings(llm="none"), "t", knowledge=_NoPassages())
    try:
        citations, pieces = conv.ask_stream(question)
        text = "".join(pieces)
    finally:
        conv.close()
    assert citations == []
    assert "Nothing in the knowledge base answers that question" in text
    assert ("looks like German" in text) == question.startswith("wo ist")
    assert NOTHING_ANSWERS.split(".")[0] in text


def test_chat_ask_shows_passages_as_markdown(icpchat_home):
    conv = services.build_conversation(services.load_settings(llm="none"), "t", knowledge=_OnePassage())
    try:
        _, pieces = conv.ask_stream("when do they buy?")
        text = "".join(pieces)
    finally:
        conv.close()
    assert "- **New CFO** — Window: 90 days" in text and "**Act early.**" in text and "|" not in text
