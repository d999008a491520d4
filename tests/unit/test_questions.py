from pathlib import Path

import pytest
import yaml

from icpchat.domain.models import SECTION_MODELS
from icpchat.errors import InputError
from icpchat.questions.loader import load_catalog, load_question_set
from tests.conftest import REPO

DESIGN_IDS = {
    "business": "name offering model problem customers_today",
    "icp": "name industries company_size revenue geographies growth_stage tech_maturity current_solution "
    "pains goals triggers buying_committee budget sales_cycle value_drivers best_customers disqualifiers "
    "success_metrics",
    "persona": "name icp job_title seniority buying_role demographics psychographics responsibilities goals "
    "challenges kpis information_sources channels influencers technologies content_preferences "
    "decision_criteria objections time_to_decide triggers quote",
    "negative_persona": "name reason",
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
    conditional = {q.id for q in catalog.section("icp").questions if q.condition}
    assert conditional == {"industries", "company_size", "revenue", "growth_stage", "buying_committee"}


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
        (lambda d: d["questions"][2].update(kind="essay"), "questions[2] (id: company_size).kind", "Input should be"),
        (lambda d: d["questions"][1].pop("prompt"), "questions[1] (id: industries).prompt", "Field required"),
        (lambda d: d["questions"][0].update(id="colour"), "questions[0].id", "unknown question id 'colour'"),
        (lambda d: d["questions"][0].update(choices=["a"]), "questions[0] (id: name)", "only for kind choice"),
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
