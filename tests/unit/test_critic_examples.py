"""The critic agrees with the product's own guidance: every example answer in prompts/*.yaml and
every good example in knowledge/ passes; every vague or weak example in knowledge/ is flagged."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from icpchat.domain.models import Answer, entity_path
from icpchat.engine.parse import parse_answer
from icpchat.errors import AnswerError
from icpchat.quality.critic import critique
from icpchat.questions.loader import load_catalog
from icpchat.questions.models import Catalog

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "knowledge"
EXAMPLES = yaml.safe_load((Path(__file__).with_name("knowledge_examples.yaml")).read_text(encoding="utf-8"))

#: knowledge/22: the bold labels of its worked examples, per example, to question ids.
WORKED_FIELDS = {
    "icp": {
        "ICP name": "icp.name",
        "Industries": "icp.industries",
        "Company size": "icp.company_size",
        "Revenue": "icp.revenue",
        "Geographies": "icp.geographies",
        "Growth stage": "icp.growth_stage",
        "Tech maturity": "icp.tech_maturity",
        "Current solution": "icp.current_solution",
        "Pains": "icp.pains",
        "Goals": "icp.goals",
        "Triggers": "icp.triggers",
        "Buying committee": "icp.buying_committee",
        "Budget and deal size": "icp.budget",
        "Sales cycle": "icp.sales_cycle",
        "Value drivers": "icp.value_drivers",
        "Best customers": "icp.best_customers",
        "Disqualifiers": "icp.disqualifiers",
        "Success metrics": "icp.success_metrics",
    },
    "persona": {
        "Job title and seniority": "persona.job_title",
        "Responsibilities": "persona.responsibilities",
        "KPIs": "persona.kpis",
        "Goals": "persona.goals",
        "Challenges": "persona.challenges",
        "Psychographics": "persona.psychographics",
        "Information sources": "persona.information_sources",
        "Influencers": "persona.influencers",
        "Technologies": "persona.technologies",
        "Content preferences": "persona.content_preferences",
        "Decision criteria": "persona.decision_criteria",
        "Objections": "persona.objections",
        "Time to decide": "persona.time_to_decide",
        "Trigger": "persona.triggers",
        "Quote": "persona.quote",
    },
    "b2c": {
        "Profile name": "icp.name",
        "Demographics": "persona.demographics",
        "Psychographics": "persona.psychographics",
        "Pains": "icp.pains",
        "Goals": "icp.goals",
        "Triggers": "icp.triggers",
        "Channels": "persona.channels",
        "Decision criteria": "persona.decision_criteria",
        "Objections": "persona.objections",
        "Quote": "persona.quote",
    },
}
_RATED = re.compile(r'^(?:- )?(?:Vague|Weak|Sharper|Sharp|Strong|Good)[a-z ]*: "(?P<text>[^"]+)"', re.MULTILINE)
_WORKED = re.compile(r"^- \*\*(?P<label>[^*]+?):\*\* (?P<text>.+)$")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def flag_of(catalog: Catalog, field: str, text: str) -> Any:
    section, qid = field.split(".")
    question = catalog.question(section, qid)
    key = entity_path(section, 0, qid)
    try:
        answer = parse_answer(question, text, key)
    except AnswerError:
        # The interview's parser refuses a range with more than two numbers ("50-300 employees.
        # Below 50 ..."); the critic still judges the text, as for a session saved before.
        answer = Answer(raw=text, value=text)
    return critique(question, answer, key)


def worked_examples() -> list[tuple[str, str]]:
    """(field, text) of every filled-in field of knowledge/22's worked examples."""
    out = []
    kind = None
    for line in (KNOWLEDGE / "22-worked-examples.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line.lower()
            kind = (
                "b2c"
                if "b2c" in heading
                else "persona"
                if "persona" in heading
                else "icp"
                if "icp" in heading
                else None
            )
            continue
        match = _WORKED.match(line)
        if kind and match and match.group("label") in WORKED_FIELDS[kind]:
            text = match.group("text").rstrip(".").replace('"', "")
            out.append((WORKED_FIELDS[kind][match.group("label")], text))
    return out


def test_every_question_example_passes(catalog: Catalog) -> None:
    flagged = []
    for qset in catalog.sets:
        for q in qset.questions:
            for example in q.examples:
                field = f"{qset.section}.{q.id}"
                flag = flag_of(catalog, field, example)
                if flag is not None:
                    flagged.append((field, example, flag.message))
    assert flagged == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e['source']}-{e['field']}-{e['text'][:30]}")
def test_knowledge_examples(catalog: Catalog, example: dict[str, str]) -> None:
    flag = flag_of(catalog, example["field"], example["text"])
    if example["expect"] == "vague":
        assert flag is not None, "knowledge/ calls this vague; the critic let it pass"
    else:
        assert flag is None, flag.message


def test_every_rated_example_in_knowledge_is_listed() -> None:
    listed = {e["text"] for e in EXAMPLES}
    missing = []
    for path in sorted(KNOWLEDGE.glob("*.md")):
        for match in _RATED.finditer(path.read_text(encoding="utf-8")):
            if match.group("text") not in listed:
                missing.append((path.name, match.group("text")))
    assert missing == []


def test_worked_examples_pass(catalog: Catalog) -> None:
    examples = worked_examples()
    assert len(examples) >= 40  # the parser still finds the worked examples
    flagged = [(f, t, flag.message) for f, t in examples if (flag := flag_of(catalog, f, t)) is not None]
    assert flagged == []


def test_the_chat_tests_answers_stay_unflagged(catalog: Catalog) -> None:
    """tests/tui/helpers.QUICK_ANSWERS is "a realistic quick interview (none of these answers is
    vague)": the chat snapshots would change if the critic disagreed."""
    from tests.tui.helpers import QUICK_ANSWERS

    flagged = []
    for key, text in QUICK_ANSWERS:
        if key.endswith("?") or key.endswith(("model", "customers_today")):
            continue
        section = {"business": "business", "icps": "icp", "personas": "persona"}[key.split("[")[0].split(".")[0]]
        field = f"{section}.{key.rsplit('.', 1)[1]}"
        flag = flag_of(catalog, field, text)
        if flag is not None:
            flagged.append((key, text, flag.message))
    assert flagged == []
