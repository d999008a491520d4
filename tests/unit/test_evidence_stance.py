"""The offline verdict, the confidence rules and the matcher (icpchat.evidence)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpchat.domain.models import Answer, Confidence, Evidence, Stance
from icpchat.evidence.match import confidence, find_evidence, sentences
from icpchat.evidence.sources import Utterance
from icpchat.evidence.stance import durations, figure_verdict, read, verdict

S, C = Stance.SUPPORTS, Stance.CONTRADICTS


@pytest.mark.parametrize(
    ("item", "quote", "stance"),
    [
        ("Paper temperature logs are filled in late", "half the time the sheet gets filled in at 11pm", S),
        ("A fridge failing overnight bins the stock", "honestly the fridges aren't our problem, it's allergens", C),
        ("Every site keeps a 5-star hygiene rating", "we don't really care about the stars", C),
        ("Month-end close takes 8-10 days", "Honestly the close isn't our problem", C),
        ("Alerts by text to the duty manager", "wants a text to the duty manager, not an email to him", S),
        ("Stock lost to fridge failures", "not really, stock loss is mostly bakes", C),
        ("Approvals stall in inboxes", "actually it's the suppliers who are slow, approvals are quick", C),
        ("Fridge failures cost stock", "We lost a freezer in Camden, but the insurance covered the stock", C),
        # an item that is itself negative is echoed, not contradicted, by a negation
        ("My chefs will not use another app", "a fourth thing on a tablet won't get used", S),
        ("Another per-site subscription", "he hates new subscriptions, he counts them", S),
        # other languages
        ("Papierprotokolle der Temperatur", "die Temperatur Protokolle sind nicht unser Problem", C),
        ("Registos de temperatura em papel", "os registos de temperatura não são problema", C),
        ("Registros de temperatura en papel", "los registros de temperatura no nos importan", C),
        ("Relevés de température sur papier", "les relevés de température ne sont pas un souci", C),
        ("Relevés de température sur papier", "tous les relevés de température sont sur papier", S),
    ],
)
def test_stance_on_hand_cases(item, quote, stance):
    assert verdict(read(item), read(quote)) == stance


def test_a_duration_outside_the_answer_contradicts_it_inside_supports():
    assert durations("4-8 weeks") == [(4.0, 8.0)]
    assert figure_verdict("4-8 weeks", "~21 weeks start to finish") == C
    assert figure_verdict("4-8 weeks", "signed within six weeks") == S
    assert figure_verdict("4-8 weeks", "you're looking at three or four months") == C
    assert figure_verdict("4-8 weeks", "the board meets every quarter") is None


@given(st.text(max_size=200), st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_the_verdict_never_raises(item, quote):
    assert verdict(read(item), read(quote)) in (S, C)
    figure_verdict(item, quote)


def _ev(source, stance):
    return Evidence(source=source, location="line 1", quote="q", stance=stance, score=0.6)


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ([], Confidence.BELIEF),
        ([_ev("a.md", S)], Confidence.BELIEF),  # one source is still one customer's word
        ([_ev("a.md", S), _ev("a.md", S)], Confidence.BELIEF),  # two quotes, one source
        ([_ev("a.md", S), _ev("b.vtt", S)], Confidence.SUPPORTED),
        ([_ev("a.md", S), _ev("b.vtt", S), _ev("c.srt", C)], Confidence.CONTESTED),
        ([_ev("c.srt", C)], Confidence.CONTESTED),
    ],
)
def test_confidence_rules(found, expected):
    assert confidence(found) == expected


def test_the_best_quote_of_a_contested_field_is_the_one_against_it():
    weak_against = _ev("c.srt", C).model_copy(update={"score": 0.31})
    answer = Answer(raw="x", value="x", evidence=[_ev("a.md", S), weak_against], confidence=Confidence.CONTESTED)
    assert answer.best_evidence() == weak_against


def test_interviewer_questions_and_small_talk_are_not_evidence():
    said = [
        Utterance("c.vtt", "00:00:01.000", "Tom", "Can you hear me okay?"),
        Utterance("c.vtt", "00:00:02.000", "Priya", "Yes, loud and clear, grim weather in London today."),
        Utterance("c.vtt", "00:00:03.000", "Tom", "How do fridge checks work across your sites?"),
        Utterance("c.vtt", "00:00:04.000", "Priya", "Paper, all of it, a clipboard by every walk-in fridge."),
        Utterance("c.vtt", "00:00:05.000", "Tom", "So the paper logs are filled in late, right, as a rule."),
        Utterance("c.vtt", "00:00:06.000", "Tom", "And who signs?"),
    ]
    quotes = [s.quote for s in sentences(said)]
    assert quotes == ["Paper, all of it, a clipboard by every walk-in fridge."]


def test_find_evidence_attaches_quotes_and_sets_confidence(catalog):
    from icpchat.retrieval.embeddings import shared_embedder
    from icpchat.runner import Runner

    profile = Runner(catalog).run(
        {
            "business": {"name": "Chillcheck", "offering": "fridge sensors", "model": "b2b", "problem": "paper logs"},
            "icps": [
                {
                    "name": "Restaurant groups",
                    "industries": ["Restaurant groups"],
                    "pains": ["Paper temperature logs are filled in late", "Fridge failures overnight bin the stock"],
                }
            ],
        },
        "answers.yaml",
    )
    said = [
        Utterance("a.md", "line 3", None, "half the time the temperature logs get filled in late, at 11pm"),
        Utterance("b.vtt", "00:00:30.000", "Priya", "The paper temperature logs are always filled in late."),
        Utterance("c.srt", "00:01:00.000", "Sian", "Honestly fridge failures aren't our problem, it's allergens."),
    ]
    outcome = find_evidence(profile, said, shared_embedder())
    pains = outcome.profile.icps[0].pains
    assert pains is not None and pains.confidence == Confidence.CONTESTED
    by_stance = {(e.source, e.stance) for e in pains.evidence}
    assert {("a.md", S), ("b.vtt", S), ("c.srt", C)} <= by_stance
    against = pains.best_evidence()
    assert against is not None and against.speaker == "Sian" and against.location == "00:01:00.000"
    assert against.item == "Fridge failures overnight bin the stock"
