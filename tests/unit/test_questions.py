from pathlib import Path

import pytest
import yaml

from icpchat.domain.models import SECTION_MODELS
from icpchat.errors import InputError
from icpchat.questions.loader import load_catalog, load_question_set
from tests.conftest import REPO

# The YAML order (issue 11): labels after what they label, evidence moved first at run time
# when there are customers (engine/starts.py), the 1.1 ids added.
DESIGN_IDS = {
    "business": "name offering model problem customers_today",
    "icp": "industries company_size revenue life_stage household income_band geographies growth_stage "
    "tech_maturity pains goals name triggers purchase_occasion current_solution switching buying_committee "
    "budget budget_owner willingness_to_pay value_metric sales_cycle value_drivers preconditions "
    "best_customers disqualifiers success_metrics where_to_find signals",
    "persona": "icp job_title name seniority buying_role demographics psychographics responsibilities goals "
    "challenges kpis information_sources channels influencers technologies content_preferences "
    "decision_criteria objections objection_responses key_message proof_point time_to_decide triggers quote",
    "negative_persona": "name reason how_to_spot what_to_do",
}
#: The ids of schema 1.0: every one is still asked (answers files keep loading).
IDS_1_0 = {
    "icp": "name industries company_size revenue geographies growth_stage tech_maturity current_solution "
    "pains goals triggers buying_committee budget sales_cycle value_drivers best_customers disqualifiers "
    "success_metrics",
    "persona": "name icp job_title seniority buying_role demographics psychographics responsibilities goals "
    "challenges kpis information_sources channels influencers technologies content_preferences "
    "decision_criteria objections time_to_decide triggers quote",
}
REQUIRED = {
    "business": {"name", "offering", "model", "problem"},
    "icp": {"name", "industries", "company_size", "geographies", "pains", "goals"},
    "persona": {"name", "job_title", "goals", "challenges"},
    "negative_persona": {"name", "reason"},
}


def test_every_design_id_is_asked_in_order(catalog):
    for section, ids in DESIGN_IDS.items():
        assert [q.id for q in catalog.section(section).questions] == ids.split()


def test_the_1_0_ids_are_all_still_asked(catalog):
    for section, ids in IDS_1_0.items():
        assert set(ids.split()) <= {q.id for q in catalog.section(section).questions}


def test_quick_depth_asks_triggers_disqualifiers_and_the_committee(catalog):
    quick = {q.id for q in catalog.section("icp").questions if q.asked_at("quick")}
    assert {"triggers", "disqualifiers", "buying_committee"} <= quick


def test_persona_questions_that_repeat_the_icp_start_from_it(catalog):
    starts = {q.id: q.starts_from for q in catalog.section("persona").questions if q.starts_from}
    assert starts == {
        "challenges": "icp.pains",
        "goals": "icp.goals",
        "triggers": "icp.triggers",
        "kpis": "icp.success_metrics",
    }
    assert catalog.question("persona", "buying_role").multiple


def test_required_flags_match_design(catalog):
    for section, required in REQUIRED.items():
        assert {q.id for q in catalog.section(section).questions if q.required} == required


def test_question_ids_match_profile_fields(catalog):
    for qset in catalog.sets:
        assert set(SECTION_MODELS[qset.section].model_fields) == {q.id for q in qset.questions}


def test_every_question_teaches(catalog):
    for qset in catalog.sets:
        for q in qset.questions:
            assert q.help and q.followup and 1 <= len(q.examples) <= 3 and q.topics, q.id


def test_b2c_condition_only_on_firmographics(catalog):
    icp = catalog.section("icp").questions
    not_b2c = {q.id for q in icp if q.condition and q.condition.not_in == ("b2c",)}
    assert not_b2c == {"industries", "company_size", "revenue", "growth_stage", "buying_committee", "budget_owner"}
    consumers = {q.id for q in icp if q.condition and q.condition.in_}
    assert consumers == {"life_stage", "household", "income_band", "purchase_occasion"}
    for q in icp:
        if q.id in consumers:
            assert q.condition is not None and q.condition.holds("b2c") and not q.condition.holds("b2b")


def _broken_copy(tmp_path: Path, section: str, mutate) -> Path:
    folder = tmp_path / "prompts"
    folder.mkdir()
    for f in (REPO / "prompts").glob("*.yaml"):
        (folder / f.name).write_text(f.read_text())
    data = yaml.safe_load((folder / f"{section}.yaml").read_text())
    mutate(data)
    (folder / f"{section}.yaml").write_text(yaml.safe_dump(data))
    return folder


@pytest.mark.parametrize(
    ("mutate", "key", "problem"),
    [
        (lambda d: d["questions"][2].update(kind="essay"), "questions[2] (id: revenue).kind", "Input should be"),
        (lambda d: d["questions"][1].pop("prompt"), "questions[1] (id: company_size).prompt", "Field required"),
        (lambda d: d["questions"][0].update(id="colour"), "questions[0].id", "unknown question id 'colour'"),
        (lambda d: d["questions"][0].update(choices=["a"]), "questions[0] (id: industries)", "only for kind choice"),
        (lambda d: d["questions"][0].update(multiple=True), "questions[0] (id: industries)", "only for kind choice"),
    ],
)
def test_broken_question_set_names_file_key_and_problem(tmp_path, mutate, key, problem):
    folder = _broken_copy(tmp_path, "icp", mutate)
    with pytest.raises(InputError) as err:
        load_catalog(folder)
    message = str(err.value)
    assert str(folder / "icp.yaml") in message
    assert key in message
    assert problem in message


def test_invalid_yaml_question_set(tmp_path):
    bad = tmp_path / "icp.yaml"
    bad.write_text("section: icp\nquestions: [\n")
    with pytest.raises(InputError, match="invalid YAML"):
        load_question_set(bad)


def test_a_starting_point_naming_no_question_is_refused(tmp_path):
    def mutate(d):
        d["questions"][0]["starts_from"] = "icp.colour"

    folder = _broken_copy(tmp_path, "persona", mutate)
    with pytest.raises(InputError) as err:
        load_catalog(folder)
    assert "starting point refers to unknown question 'icp.colour'" in str(err.value)
    assert "icp.starts_from" in str(err.value)


def test_every_question_but_a_choice_has_its_own_critic_entry(catalog):
    """The critic judges each field by its own spec (quality/fields.py); the new 1.1 questions too."""
    from icpchat.quality.fields import SPECS

    missing = [
        f"{s.section}.{q.id}"
        for s in catalog.sets
        for q in s.questions
        if q.kind != "choice" and f"{s.section}.{q.id}" not in SPECS
    ]
    assert missing == []
