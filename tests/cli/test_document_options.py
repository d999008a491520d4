"""The documents' options on the command line (issue 11): --findings and --guidance on run,
export and sessions export; the paper and language settings; export of an older profile."""

from __future__ import annotations

import json

from icpchat.domain.models import Citation
from tests.conftest import EXAMPLES, REPO
from tests.support import run_cli

ANSWERS = str(EXAMPLES / "ledgerloop-b2b.yaml")


def test_run_leaves_findings_out_unless_asked():
    plain = run_cli("run", "--answers", ANSWERS)
    assert plain.returncode == 0, plain.err
    assert "## Open points" not in plain.out and "## Summary" in plain.out
    with_findings = run_cli("run", "--answers", ANSWERS, "--findings")
    assert with_findings.returncode == 0, with_findings.err
    assert "## Open points" in with_findings.out
    assert "icps[" not in with_findings.out and "personas[" not in with_findings.out


def test_export_of_a_saved_profile_with_findings_and_guidance(tmp_path):
    """A schema 1.0 file (examples/ledgerloop.json as written before 1.1) still exports."""
    profile = json.loads((REPO / "tests" / "data" / "ledgerloop-1.0.json").read_text())
    assert profile["schema_version"] == "1.0"
    profile["guidance"] = {
        "icp.triggers": [
            Citation(title="Buying triggers", source="knowledge/05.md", text="Watch for new CFOs.").model_dump()
        ]
    }
    source = tmp_path / "ledgerloop.json"
    source.write_text(json.dumps(profile))
    plain = run_cli("export", str(source), "--format", "html")
    assert plain.returncode == 0, plain.err
    assert "Watch for new CFOs." not in plain.out and "Open points" not in plain.out
    full = run_cli("export", str(source), "--format", "html", "--findings", "--guidance")
    assert full.returncode == 0, full.err
    assert "Watch for new CFOs." in full.out and "<h2>Open points</h2>" in full.out


def test_paper_and_language_come_from_the_settings():
    result = run_cli(
        "run", "--answers", ANSWERS, "--format", "html", env={"ICPCHAT_PAPER": "letter", "ICPCHAT_LANGUAGE": "de"}
    )
    assert result.returncode == 0, result.err
    assert '<html lang="de">' in result.out and "size: letter" in result.out
    bad = run_cli("run", "--answers", ANSWERS, "--format", "html", env={"ICPCHAT_PAPER": "a5"})
    assert bad.returncode == 2 and "paper" in bad.err and "Traceback" not in bad.err


def test_sessions_export_offers_the_same_flags():
    help_text = run_cli("sessions", "export", "--help").out
    assert "--findings" in help_text and "--guidance" in help_text
