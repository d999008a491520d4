"""`icpchat evidence`, the evidence fields in the profile, diff, lint and the chat's /evidence."""

import json
import shutil
from pathlib import Path

import pytest

from icpchat.domain.models import Confidence, Profile, Stance
from tests.support import run_cli

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "examples" / "notes"


@pytest.fixture(scope="module")
def profile_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("p")
    result = run_cli("run", "--answers", str(ROOT / "examples" / "ledgerloop-b2b.yaml"), "--format", "json")
    assert result.returncode == 0, result.err
    path = out / "ledgerloop.json"
    path.write_text(result.out, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def grounded(profile_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("g") / "grounded.json"
    result = run_cli("evidence", str(NOTES), "--profile", str(profile_file), "--out", str(out))
    assert result.returncode == 0, result.err
    return out, result


def test_evidence_writes_the_profile_and_prints_a_summary(grounded):
    out, result = grounded
    profile = Profile.model_validate_json(out.read_text(encoding="utf-8"))
    pains = profile.icps[0].pains
    assert pains is not None and pains.evidence
    assert pains.confidence == Confidence.CONTESTED  # "the close isn't our problem" (Northwind)
    against = pains.best_evidence()
    assert against is not None and against.stance == Stance.CONTRADICTS
    assert against.speaker == "Lena Vogel" and against.location == "00:00:29.500"
    challenges = profile.personas[0].challenges
    assert challenges is not None and challenges.confidence == Confidence.SUPPORTED
    # stdout is the summary (data), stderr the progress (talk)
    assert "CONTESTED  icps[0].pains" in result.out
    assert "Honestly the close isn't our problem" in result.out
    assert "read " in result.err and "wrote " in result.err


def test_json_summary(profile_file, tmp_path):
    out = tmp_path / "g.json"
    result = run_cli(
        "evidence",
        str(NOTES / "2026-10-21-call-northwind-pay.vtt"),
        "--profile",
        str(profile_file),
        "--out",
        str(out),
        "--format",
        "json",
    )
    assert result.returncode == 0, result.err
    summary = json.loads(result.out)
    pains = next(f for f in summary["fields"] if f["field"] == "icps[0].pains")
    assert pains["confidence"] == "contested" and pains["best"]["speaker"] == "Lena Vogel"


def test_help_teaches(tmp_path):
    result = run_cli("evidence", "--help")
    assert result.returncode == 0
    for needle in ("NOTES...", ".vtt", "<v Name>", "supported", "contested", "--out", "Examples"):
        assert needle in result.out


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda d: d / "missing.md", "missing.md: no such file"),
        (lambda d: (d / "x.vtt").write_bytes(b"\x00\x01WEBVTT") and d / "x.vtt", "x.vtt: is a binary file"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "empty: holds no notes"),
    ],
)
def test_unreadable_notes_exit_2_naming_the_file(profile_file, tmp_path, make, problem):
    notes = make(tmp_path)
    out = tmp_path / "out.json"
    result = run_cli("evidence", str(notes), "--profile", str(profile_file), "--out", str(out))
    assert result.returncode == 2
    assert problem in result.err and "Traceback" not in result.err
    assert not out.exists()


def test_an_out_that_is_a_folder_exits_2_before_any_work(profile_file, tmp_path):
    result = run_cli("evidence", str(NOTES), "--profile", str(profile_file), "--out", str(tmp_path))
    assert result.returncode == 2 and f"{tmp_path}: is a folder" in result.err
    assert "read " not in result.err


def test_a_bad_profile_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "1.1", "icps": 3}', encoding="utf-8")
    result = run_cli("evidence", str(NOTES), "--profile", str(bad), "--out", str(tmp_path / "o.json"))
    assert result.returncode == 2 and "bad.json" in result.err and "Traceback" not in result.err


def test_round_trip_and_schema(grounded):
    out, _ = grounded
    text = out.read_text(encoding="utf-8")
    profile = Profile.model_validate_json(text)
    from icpchat.export.jsonfmt import render_json

    assert Profile.model_validate_json(render_json(profile)) == profile
    schema = json.loads(run_cli("schema").out)
    answer = schema["$defs"]["Answer"]["properties"]
    assert "evidence" in answer and "confidence" in answer
    assert set(schema["$defs"]["Evidence"]["required"]) >= {"source", "location", "quote", "stance", "score"}


def test_old_files_without_evidence_load_and_are_written_as_before(profile_file):
    text = profile_file.read_text(encoding="utf-8")
    assert '"evidence"' not in text and '"confidence"' not in text
    profile = Profile.model_validate_json(text)
    assert profile.icps[0].pains is not None and profile.icps[0].pains.confidence == Confidence.BELIEF
    from icpchat.export.jsonfmt import render_json

    assert '"evidence"' not in render_json(profile)
    # the committed example, written before evidence existed, loads and lints as before
    example = ROOT / "examples" / "ledgerloop.json"
    assert Profile.model_validate_json(example.read_text(encoding="utf-8")).icps
    lint = run_cli("lint", str(example), "--json")
    assert not {f["rule"] for f in json.loads(lint.out)} & {"no-quotes", "contested"}


def test_documents_show_the_label_and_best_quote(grounded, tmp_path):
    out, _ = grounded
    for fmt in ("md", "html"):
        result = run_cli("export", str(out), "--format", fmt, "--out", "-")
        assert result.returncode == 0, result.err
        assert "Contested (against)" in result.out
        assert "close isn" in result.out  # the best quote against the pains
    import docx

    result = run_cli("export", str(out), "--format", "docx", "--out", f"{tmp_path}/")
    assert result.returncode == 0, result.err
    word = docx.Document(str(next(tmp_path.glob("*.docx"))))
    texts = [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert any(t.startswith('Contested (against): "Honestly the close isn') for t in texts)


def test_diff_shows_evidence_changes(profile_file, grounded):
    out, _ = grounded
    result = run_cli("diff", str(profile_file), str(out))
    assert result.returncode == 0
    assert "~ icps[0].pains.evidence" in result.out
    assert "- belief: no quotes" in result.out and "+ contested:" in result.out


def test_lint_warns_on_key_fields_without_quotes_only_once_evidence_ran(profile_file, grounded):
    before = run_cli("lint", str(profile_file), "--json")
    assert not {f["rule"] for f in json.loads(before.out)} & {"no-quotes", "contested"}
    out, _ = grounded
    after = {(f["rule"], f["field"]) for f in json.loads(run_cli("lint", str(out), "--json").out)}
    assert ("contested", "icps[0].pains") in after
    assert ("no-quotes", "icps[0].triggers") in after


def test_chat_evidence_updates_the_answers_and_autosaves(icpchat_home, tmp_path, catalog):
    import yaml

    from icpchat import services
    from icpchat.runner import Runner

    data = yaml.safe_load((ROOT / "examples" / "ledgerloop-b2b.yaml").read_text(encoding="utf-8"))
    state = Runner(catalog).interview_from(data, "ledgerloop-b2b.yaml").state
    conv = services.build_conversation(services.load_settings(), "t")
    try:
        conv.session.state.business, conv.session.state.icps = state.business, state.icps
        conv.session.state.personas = state.personas
        notes = tmp_path / "my notes"
        shutil.copytree(NOTES, notes)
        (reply,) = [r for r in conv.submit(f'/evidence "{notes}"') if r.kind == "info"][:1]
        assert "Contested" in reply.text and "close isn" in reply.text
        assert reply.text.index("Contested") < reply.text.index("Supported")  # contested first
        saved = json.loads((icpchat_home / "data" / "sessions" / "t.json").read_text())
        pains = saved["state"]["icps"][0]["pains"]
        assert pains["confidence"] == "contested" and pains["evidence"]
        review = conv.submit("/review")[0]
        assert review.findings[0].rule == "contested"
        error = conv.submit("/evidence nowhere.md")[0]
        assert error.kind == "error" and "nowhere.md: no such file" in error.text.lower()
    finally:
        conv.close()
