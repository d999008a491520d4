"""The CLI as scripts use it: stdout for data, stderr for talk, exit codes.

Most tests call :func:`icpchat.cli.main` in this process (what the console script calls, with
the streams captured); the last ones start a real process for what only a process shows.
"""

from __future__ import annotations

import json
import time

import jsonschema
import pytest

from tests.conftest import EXAMPLES
from tests.support import modules_loaded_by, run_cli_process
from tests.support import run_cli as icpchat


def test_help_teaches():
    result = icpchat("--help")
    assert result.returncode == 0
    out = result.stdout.decode()
    for word in ("run", "questions", "schema", "sessions", "export", "Examples:", "Exit codes"):
        assert word in out


def test_run_writes_md_and_json_that_validate(tmp_path):
    result = icpchat(
        "run", "--answers", str(EXAMPLES / "ledgerloop-b2b.yaml"), "--out", str(tmp_path), "--format", "md,json"
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledgerloop.json", "ledgerloop.md"]
    schema = json.loads(icpchat("schema").stdout)
    jsonschema.validate(json.loads((tmp_path / "ledgerloop.json").read_text()), schema)
    assert b"wrote" in result.stderr and result.stdout == b""


def test_stdin_to_stdout():
    raw = (EXAMPLES / "brewbox-b2c.yaml").read_bytes()
    result = icpchat("run", "--answers", "-", "--format", "json", stdin=raw)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["business"]["name"]["raw"] == "BrewBox"


def test_questions_json_lists_every_id():
    payload = json.loads(icpchat("questions", "--json").stdout)
    ids = {q["id"] for s in payload for q in s["questions"]}
    assert {"business.customers_today", "icp.success_metrics", "persona.quote", "negative_persona.reason"} <= ids
    assert {"icp.switching", "icp.where_to_find", "persona.key_message", "negative_persona.how_to_spot"} <= ids
    assert len(ids) == 62  # 46 in schema 1.0, 16 added in 1.1
    role = next(q for s in payload for q in s["questions"] if q["id"] == "persona.buying_role")
    assert role["multiple"] is True


def test_strict_exits_3_but_still_writes(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("business: {name: Acme, model: b2b}\n")
    result = icpchat("run", "--answers", str(answers), "--out", str(tmp_path / "out"), "--strict")
    assert result.returncode == 3
    assert b"required answers missing: business.offering" in result.stderr
    assert (tmp_path / "out" / "acme.md").exists()


def test_export_re_renders_profile_json(tmp_path):
    result = icpchat("export", str(EXAMPLES / "ledgerloop.json"), "--format", "md")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == (EXAMPLES / "ledgerloop.md").read_text()


BAD_INPUTS = {
    "invalid_yaml": (b"business: {name: [unclosed\n", "invalid YAML at line"),
    "invalid_json": (b'{"business": ', "invalid JSON at line 1"),
    "not_mapping": (b"- just\n- a list\n", "expected a mapping"),
    "wrong_type": (b"business: {name: {first: A}}\n", "business.name: expected text, got a mapping"),
    "unknown_key": (b"business: {nmae: Acme}\n", "business.nmae: unknown key; did you mean 'name'?"),
    "unknown_top": (b"personnas: []\n", "personnas: unknown key; did you mean 'personas'?"),
    "unknown_choice": (b"business: {model: saas}\n", "business.model: 'saas' is not one of the choices: 1 b2b, 2 b2c"),
    "list_not_list": (b"icps: {name: A}\n", "icps: expected a list, got a mapping"),
    "bad_range": (b"icps: [{company_size: {min: big}}]\n", "icps[0].company_size.min: expected a number"),
    "alias_bomb": (
        b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
        "YAML aliases (*name) are not allowed",
    ),
    "binary": (bytes(range(256)) * 4, "not a text file (NUL byte at offset 0)"),
    "latin1": ("business: {name: Café}\n".encode("latin-1"), "not UTF-8 text"),
    "huge": (b"business: {name: " + b"x" * 1_200_000 + b"}\n", "larger than 1 MB"),
    "empty": (b"\n\n", "the answers file is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_answers_exit_2_with_file_and_key(tmp_path, case):
    content, expected = BAD_INPUTS[case]
    suffix = ".json" if case == "invalid_json" else ".yaml"
    path = tmp_path / f"answers{suffix}"
    path.write_bytes(content)
    result = icpchat("run", "--answers", str(path))
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert str(path) in err and expected in err
    assert "Traceback" not in err
    assert result.stdout == b""


def test_every_problem_listed_at_once(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("business: {nmae: A, model: saas}\nicps: [{industries: {x: 1}}]\n")
    err = icpchat("run", "--answers", str(path)).stderr.decode()
    assert err.count("icpchat: error:") == 3


def test_missing_file_and_bad_format(tmp_path):
    missing = icpchat("run", "--answers", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and b"nope.yaml: no such file" in missing.stderr
    fmt = icpchat("run", "--answers", str(EXAMPLES / "brewbox-b2c.yaml"), "--format", "pdf")
    assert fmt.returncode == 2 and b"--format: unknown format 'pdf'" in fmt.stderr
    two = icpchat("run", "--answers", str(EXAMPLES / "brewbox-b2c.yaml"), "--format", "md,json")
    assert two.returncode == 2 and b"stdout takes one format" in two.stderr


def test_usage_error_exit_2():
    result = icpchat("run")
    assert result.returncode == 2 and b"Missing option '--answers'" in result.stderr


def test_bad_config_file_exit_2(icpchat_home):
    config = icpchat_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('depth = "bottomless"\n')
    result = icpchat("questions")
    assert result.returncode == 2
    assert str(config).encode() in result.stderr and b"depth" in result.stderr
    config.write_text("depth = [unclosed\n")
    broken = icpchat("questions")
    assert broken.returncode == 2 and b"cannot read config" in broken.stderr


def test_sessions_lifecycle(icpchat_home, catalog):
    from icpchat.engine.interview import InterviewState
    from icpchat.store import Session, SessionStore

    store = SessionStore(icpchat_home / "data" / "sessions")
    session = Session.new("acme", InterviewState(depth="quick"))
    from icpchat.engine import Interview

    iv = Interview(catalog, session.state)
    for a in ("Acme", "Invoices", "b2b"):
        iv.answer(a)
    store.save(session)

    listing = icpchat("sessions", "list")
    assert listing.returncode == 0 and b"acme" in listing.stdout and b"Acme" in listing.stdout
    rows = json.loads(icpchat("sessions", "list", "--json").stdout)
    assert rows[0]["name"] == "acme" and rows[0]["completeness"] > 0
    shown = icpchat("sessions", "show", "acme")
    assert b"# Acme: ideal customer profile" in shown.stdout
    out = icpchat("sessions", "export", "acme", "--out", str(icpchat_home / "x"), "--format", "json")
    assert out.returncode == 0 and (icpchat_home / "x" / "acme.json").exists()
    again = icpchat("export", str(store.path("acme")), "--format", "json")
    assert json.loads(again.stdout)["business"]["model"]["value"] == "b2b"
    refused = icpchat("sessions", "delete", "acme")
    assert refused.returncode == 2 and b"--yes" in refused.stderr
    assert icpchat("sessions", "delete", "acme", "--yes").returncode == 0
    gone = icpchat("sessions", "show", "acme")
    assert gone.returncode == 2 and b"no session named 'acme'" in gone.stderr


# -- what only a real process proves -------------------------------------------------------


def test_exit_codes_reach_the_shell(tmp_path):
    """The exit status a shell sees is main's: 0, 2 on bad input, 3 under --strict (the
    installed `icpchat` script for the first two, python -m icpchat for the last)."""
    answers = tmp_path / "a.yaml"
    answers.write_text("business: {name: Acme, model: b2b}\n")
    assert run_cli_process("schema", console_script=True).returncode == 0
    bad = run_cli_process("run", "--answers", str(tmp_path / "missing.yaml"), console_script=True)
    assert bad.returncode == 2 and bad.stdout == b"" and b"missing.yaml: no such file" in bad.stderr
    strict = run_cli_process("run", "--answers", str(answers), "--out", str(tmp_path / "out"), "--strict")
    assert strict.returncode == 3 and (tmp_path / "out" / "acme.md").exists()


def test_help_is_fast_and_light():
    started = time.perf_counter()
    result = run_cli_process("--help")
    assert result.returncode == 0 and b"Exit codes" in result.stdout
    assert time.perf_counter() - started < 5  # a cold interpreter plus click: well under a second
    assert modules_loaded_by("import icpchat.cli", ("pydantic", "yaml", "textual", "chromadb")) == []


def test_questions_say_when_each_is_asked():
    out = icpchat("questions").stdout.decode()
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert "(not for b2c)" in lines["icp.industries"]
    assert "(only for b2c, b2b2c, marketplace)" in lines["icp.life_stage"]
    assert "(not for" not in lines["icp.life_stage"] and "(" not in lines["icp.pains"].split("list")[0]
    assert " choices " in lines["persona.buying_role"]
