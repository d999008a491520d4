"""The critic (quality/critic.py): each detector fires where it should and says what is missing."""

from __future__ import annotations

import pytest

from icpchat.domain.models import Answer, entity_path
from icpchat.engine.interview import Interview, InterviewState
from icpchat.engine.parse import parse_answer
from icpchat.quality import RULES, check_answer, completeness
from icpchat.quality.critic import critique
from icpchat.quality.fields import SPECS, section_of, spec_for
from icpchat.quality.lexicon import CATEGORIES, LANGUAGES, _load_file
from icpchat.questions.models import Catalog


def flag(catalog: Catalog, field: str, text: str):
    section, qid = field.split(".")
    question = catalog.question(section, qid)
    key = entity_path(section, 0, qid)
    return critique(question, parse_answer(question, text, key), key)


def rule(catalog: Catalog, field: str, text: str) -> str | None:
    found = flag(catalog, field, text)
    return None if found is None else found.rule


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("icp.industries", "SMBs", "vague-category"),
        ("icp.industries", "B2B", "vague-category"),
        ("icp.industries", "Tech", "vague-category"),
        ("icp.industries", "Alle Branchen", "vague-universal"),
        ("icp.geographies", "Global", "vague-universal"),
        ("icp.geographies", "weltweit", "vague-universal"),
        ("icp.geographies", "Online", "vague-category"),
        ("icp.geographies", "Europe and North America", "vague-category"),
        ("persona.job_title", "CFO or maybe CEO", "vague-hedge"),
        ("persona.job_title", "Decision makers", "vague-category"),
        ("icp.goals", "Save time and money", "generic-item"),
        ("icp.goals", "Grow; Save time", "generic-item"),
        ("icp.goals", "Wachstum", "generic-item"),
        ("persona.kpis", "Revenue; Growth; Efficiency", "generic-item"),
        ("icp.triggers", "When they need us", "non-event"),
        ("icp.triggers", "Anytime", "non-event"),
        ("icp.sales_cycle", "It depends", "vague-hedge"),
        ("business.problem", "not sure", "vague-hedge"),
        ("icp.tech_maturity", "They use modern tools", "no-specifics"),
        ("persona.information_sources", "LinkedIn and Google", "generic-item"),
        ("persona.decision_criteria", "A good product at a fair price", "generic-item"),
        ("icp.budget", "Whatever they can afford", "vague-hedge"),
        ("icp.budget", "They have budget for software", "no-specifics"),
        ("icp.buying_committee", "The owner decides", "no-specifics"),
    ],
)
def test_the_issues_missed_answers_are_flagged(catalog, field, text, expected):
    assert rule(catalog, field, text) == expected


@pytest.mark.parametrize(
    ("field", "text"),
    [
        # Universal words only push back where they widen a group that should be narrow.
        ("persona.objections", "Anyone can build this in Excel"),
        ("icp.disqualifiers", "Everyone on SAP Business One"),
        ("icp.industries", "Any company selling on Amazon FBA in the EU with 500+ SKUs"),
        ("icp.best_customers", "Everyone who onboarded with a named admin in week 1 stayed (31 of 33)"),
        ("persona.quote", "Everyone in this office hates month-end."),
        ("persona.challenges", "Chases all 30 managers for approvals"),
    ],
)
def test_universal_words_that_do_not_target_pass(catalog, field, text):
    assert flag(catalog, field, text) is None


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("icp.revenue", "$5M-$50M"),
        ("icp.revenue", "$10M-$60M"),
        ("icp.company_size", "50-500"),
        ("icp.company_size", "10.000–50.000 Mitarbeiter"),
        ("icp.company_size", "1-20"),
        ("icp.company_size", "500+"),
        ("icp.revenue", "2-15 Mio. €"),
    ],
)
def test_ranges_the_guidance_gives_pass(catalog, field, text):
    assert flag(catalog, field, text) is None


def test_ranges_are_read_pair_by_pair_with_their_units(catalog):
    size = catalog.question("icp", "company_size")
    # Four numbers in two bands: the parser asks which range is meant; the critic reads both.
    text = Answer(raw="5-40 staff, usually 2-3 locations", value="5-40 staff, usually 2-3 locations")
    assert check_answer(size, text, "icps[0].company_size") == []
    assert rule(catalog, "icp.company_size", "10-1000") == "wide-range"
    assert rule(catalog, "icp.company_size", "$5M-$20M") == "range-unit"
    assert rule(catalog, "icp.revenue", "$1M to $1B") == "wide-range"
    saved = Answer(raw="Millions", value="Millions")  # a magnitude word is no amount
    assert check_answer(catalog.question("icp", "revenue"), saved, "icps[0].revenue")[0].rule == "range-unreadable"


def test_the_probe_says_what_is_missing(catalog):
    smb = flag(catalog, "icp.industries", "SMBs")
    assert (
        smb.message
        == "“SMBs” is a size word, not an industry. Missing: the kind of business, one level below the sector."
    )
    goal = flag(catalog, "icp.goals", "Save time and money")
    assert goal.message.endswith("Missing: a target with a number and a date.")
    trigger = flag(catalog, "icp.triggers", "when they need us")
    assert trigger.message.endswith("Missing: an event you could spot from outside.")
    assert (
        "a number" not in flag(catalog, "icp.goals", "Grow by 20%, somehow").message
        if flag(catalog, "icp.goals", "Grow by 20%, somehow")
        else True
    )


def test_every_critic_rule_probes_and_is_a_warning_or_note():
    for rule_id in ("vague-universal", "wide-range", "generic-item", "range-unreadable", "range-unit"):
        assert RULES[rule_id].followup
    for rule_id in ("vague-category", "vague-hedge", "non-event", "no-specifics"):
        assert RULES[rule_id].followup and RULES[rule_id].severity == "warning"


def test_choices_are_never_judged(catalog):
    model = catalog.question("business", "model")
    assert check_answer(model, Answer(raw="b2b", value="b2b"), "business.model") == []


def test_every_question_has_a_spec_and_paths_name_sections(catalog):
    for qset in catalog.sets:
        for q in qset.questions:
            if q.kind != "choice":
                assert f"{qset.section}.{q.id}" in SPECS
    assert section_of("icps[2].goals") == "icp" and section_of("personas[0].goals") == "persona"
    assert section_of("") is None and section_of("business.name") == "business"
    assert spec_for(None, "goals", "list") is SPECS["icp.goals"]  # no path: the first spec of that id
    assert spec_for(None, "brand_new", "text") is not None  # a new question is judged by its kind


def test_every_language_file_knows_its_categories():
    for language in LANGUAGES:
        entries = _load_file(language)
        assert set(entries) <= set(CATEGORIES)
        for category in ("stop", "hedge", "universal", "size_words", "generic", "non_event_states"):
            assert entries.get(category), (language, category)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("icp.industries", "PME"),
        ("icp.industries", "pequenas empresas"),
        ("icp.geographies", "América Latina"),
        ("icp.goals", "crescimento"),
        ("persona.goals", "être plus efficace"),
        ("persona.job_title", "Entscheider"),
        ("persona.triggers", "quando sentir necessidade"),
        ("icp.sales_cycle", "assez long"),
        ("persona.challenges", "manque de temps"),
    ],
)
def test_five_languages(catalog, field, text):
    assert flag(catalog, field, text) is not None


def _quick_interview(catalog, problem: str) -> Interview:
    iv = Interview(catalog, InterviewState(depth="quick"))
    answers = [
        "Acme",
        "Invoice automation for finance teams",
        "b2b",
        problem,
        "10-99",
        "SaaS; Fintech",
        "50-250",
        "United Kingdom; Germany",
        "Month-end close takes 10 days",
        "Close the books in 3 days",
        "Mid-market SaaS finance teams",
        "Hired a new CFO",
        "CFO signs off; AP manager uses it daily",
        "Under 20 employees",
        "no",
        "Finance Director",
        "Finance Director Fiona",
        "Close in 3 days; A clean audit",
        "Chases approvers by email",
        "no",
        "no",
    ]
    for text in answers:
        outcome = iv.answer(text)
        if outcome.followup:
            iv.answer("")  # Enter keeps the answer
    assert iv.done
    return iv


def test_completeness_stays_below_100_while_a_required_answer_is_vague(catalog):
    specific = _quick_interview(catalog, "Finance teams spend 3 days a month keying invoices by hand")
    assert specific.completeness() == 100
    vague = _quick_interview(catalog, "not sure")
    assert vague.completeness() < 100
    assert completeness(vague.state, catalog, "quick") == vague.completeness()


def test_preload_loads_the_word_lists_once():
    from icpchat.quality import preload
    from icpchat.quality.lexicon import lexicon

    preload()
    assert lexicon.cache_info().currsize == 1
    preload()
    assert lexicon.cache_info().misses == 1 or lexicon.cache_info().hits >= 1


def test_the_critic_is_cached_and_cheap(catalog):
    import time

    question = catalog.question("icp", "pains")
    answer = parse_answer(question, "Picking errors on 2-3% of orders; returns cost €18 each", "icps[0].pains")
    check_answer(question, answer, "icps[0].pains")
    start = time.perf_counter()
    for _ in range(1000):
        check_answer(question, answer, "icps[0].pains")
    assert time.perf_counter() - start < 1.0  # cached: microseconds, not milliseconds
