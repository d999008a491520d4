"""Schema 1.1 (issue 11) reads what 1.0 wrote: profiles, sessions and answers files.

tests/data/ledgerloop-1.0.json is examples/ledgerloop.json as committed before 1.1 (a persona's
buying_role a single string, no 1.1 fields). Every command that takes a profile must read it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from icpchat.domain.models import SCHEMA_VERSION
from icpchat.store.profiles import read_profile_file
from tests.conftest import EXAMPLES, REPO
from tests.support import run_cli as icpchat

OLD = REPO / "tests" / "data" / "ledgerloop-1.0.json"


def test_the_fixture_is_a_1_0_file():
    data = json.loads(OLD.read_text())
    assert data["schema_version"] == "1.0"
    assert data["personas"][0]["buying_role"]["value"] == "champion"


def test_a_1_0_profile_reads_as_1_1_with_roles_as_lists():
    profile = read_profile_file(OLD)
    assert profile.schema_version == SCHEMA_VERSION == "1.1"
    roles = [p.buying_role for p in profile.personas if p.buying_role is not None]
    assert roles and all(isinstance(r.value, list) and len(r.value) == 1 for r in roles)
    assert roles[0].raw == "champion"  # the founder's text is never rewritten


@pytest.mark.parametrize("fmt", ["md", "html", "json", "docx"])
def test_export_reads_a_1_0_file(tmp_path, fmt):
    result = icpchat("export", str(OLD), "--format", fmt, "--out", str(tmp_path))
    assert result.returncode == 0, result.err
    written = next(tmp_path.iterdir())
    if fmt == "json":
        data = json.loads(written.read_text())
        assert data["schema_version"] == "1.1"
        assert data["personas"][0]["buying_role"]["value"] == ["champion"]
    if fmt == "md":
        assert "Champion" in written.read_text()


def test_lint_diff_and_score_read_a_1_0_file(tmp_path):
    assert icpchat("lint", str(OLD)).returncode == 0
    diff = icpchat("diff", str(OLD), str(OLD))
    assert diff.returncode == 0 and "no changes" in diff.out
    scored = icpchat("score", str(EXAMPLES / "leads.csv"), "--profile", str(OLD))
    assert scored.returncode == 0, scored.err
    header, best = scored.out.splitlines()[:2]
    assert header.startswith("score,tier,icp,") and best.startswith("100,A,")


def test_an_unknown_version_names_the_file_key_and_what_is_read(tmp_path):
    data = json.loads(OLD.read_text())
    data["schema_version"] = "2.0"
    future = tmp_path / "future.json"
    future.write_text(json.dumps(data))
    result = icpchat("lint", str(future))
    assert result.returncode == 2
    assert "future.json" in result.err and "schema_version" in result.err and "1.0 and 1.1" in result.err
    assert "Traceback" not in result.err


def test_a_session_saved_before_1_1_loads_with_roles_as_lists(tmp_path, catalog):
    """A session file holds the interview state: a single buying role saved by 1.0 reads as a
    one-item list, and the session turns into a profile."""
    from icpchat.engine.interview import Interview, InterviewState
    from icpchat.store.sessions import Session, SessionStore, load_session_file

    interview = Interview(catalog, InterviewState(depth="quick"))
    interview.set_answer("business", 0, "name", "Acme")
    interview.set_answer("persona", 0, "name", "Fiona")
    interview.set_answer("persona", 0, "buying_role", "champion")
    store = SessionStore(tmp_path)
    store.save(Session.new("old", interview.state))
    path = next(tmp_path.glob("old*.json"))
    data = json.loads(path.read_text())
    data["state"]["personas"][0]["buying_role"]["value"] = "champion"  # as 1.0 wrote it
    path.write_text(json.dumps(data))
    loaded = load_session_file(path)
    assert loaded.state.personas[0].buying_role.value == ["champion"]
    result = icpchat("export", str(path), "--format", "json", "--out", "-")
    assert result.returncode == 0, result.err
    assert json.loads(result.out)["personas"][0]["buying_role"]["value"] == ["champion"]


def test_a_1_0_answers_file_runs_and_its_single_role_becomes_a_list(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "business: {name: Acme, offering: AP automation, model: b2b, problem: Invoices typed by hand}\n"
        "icp: {name: Finance teams, industries: [SaaS], company_size: 50-200, geographies: [UK],\n"
        "      pains: [Close takes 10 days], goals: [Close in 5 days]}\n"
        "personas: [{name: Fiona, job_title: Finance Director, buying_role: economic_buyer,\n"
        "            goals: [Close faster], challenges: [Chasing approvals]}]\n"
    )
    result = icpchat("run", "--answers", str(answers), "--format", "json", "--out", "-")
    assert result.returncode == 0, result.err
    data = json.loads(result.out)
    assert data["schema_version"] == "1.1"
    role = data["personas"][0]["buying_role"]
    assert (role["raw"], role["value"]) == ("economic_buyer", ["economic_buyer"])


# -- review_by by stage (knowledge/19) -------------------------------------------------------

ANSWERS = (
    "business: {{name: Acme, offering: AP automation, model: b2b, problem: Invoices typed by hand{stage}}}\n"
    "icp: {{name: Finance teams, industries: [SaaS], company_size: 50-200, geographies: [UK],\n"
    "      pains: [Close takes 10 days], goals: [Close in 5 days]}}\n"
)
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


@pytest.mark.parametrize(
    ("stage", "review_by"),
    [
        ("none", date(2026, 3, 1)),
        ("1-9", date(2026, 3, 1)),
        ("10-99", date(2026, 4, 1)),
        ("100+", date(2026, 7, 1)),
        (None, date(2026, 4, 1)),
    ],
)
def test_review_by_follows_the_stage(tmp_path, stage, review_by):
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS.format(stage=f", customers_today: '{stage}'" if stage else ""))
    result = icpchat(
        "run", "--answers", str(answers), "--format", "json", "--out", "-", env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.returncode == 0, result.err
    assert json.loads(result.out)["meta"]["review_by"] == review_by.isoformat()


def test_the_review_months_setting_overrides_the_stage(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS.format(stage=", customers_today: '100+'"))
    result = icpchat(
        "run",
        "--answers",
        str(answers),
        "--format",
        "json",
        "--out",
        "-",
        env={"SOURCE_DATE_EPOCH": EPOCH, "ICPCHAT_REVIEW_MONTHS": "12"},
    )
    assert result.returncode == 0, result.err
    assert json.loads(result.out)["meta"]["review_by"] == "2027-01-01"


def test_a_bad_review_months_setting_exits_2_naming_it(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS.format(stage=""))
    result = icpchat(
        "run", "--answers", str(answers), "--format", "json", "--out", "-", env={"ICPCHAT_REVIEW_MONTHS": "0"}
    )
    assert result.returncode == 2 and "review_months" in result.err and "Traceback" not in result.err


def test_an_unknown_role_in_an_answers_file_exits_2_naming_file_key_and_choices(tmp_path):
    answers = tmp_path / "roles.yaml"
    answers.write_text("business: {name: Acme}\npersonas: [{name: Fiona, buying_role: [champion, astronaut]}]\n")
    result = icpchat("run", "--answers", str(answers), "--format", "json", "--out", "-")
    assert result.returncode == 2
    assert "roles.yaml: personas[0].buying_role[1]: 'astronaut' is not one of the choices" in result.err
    assert "Traceback" not in result.err


def test_diff_from_a_1_0_file_to_its_1_1_version_names_what_was_added():
    result = icpchat("diff", str(OLD), str(EXAMPLES / "ledgerloop.json"))
    assert result.returncode == 0, result.err
    assert "+ icps[0].where_to_find:" in result.out and "+ personas[0].key_message:" in result.out
    assert "~ personas[0].buying_role" in result.out  # one role, now two
