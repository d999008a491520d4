"""`icpchat lint` and `icpchat diff`, run in-process through main(argv)."""

import json
from datetime import date

import yaml

from icpchat.services import load_profile_file, load_settings
from icpchat.versions import diff_profiles, review_warning
from tests.conftest import EXAMPLES
from tests.support import run_cli as icpchat


def test_lint_reports_and_strict_exit(tmp_path):
    ok = icpchat("lint", str(EXAMPLES / "ledgerloop.json"))
    assert ok.returncode == 0 and "warning:" in ok.out and "[no-customer-evidence]" in ok.out
    doc = json.loads((EXAMPLES / "ledgerloop.json").read_text())
    del doc["icps"][0]["pains"]
    broken = tmp_path / "p.json"
    broken.write_text(json.dumps(doc))
    assert icpchat("lint", str(broken)).returncode == 0
    strict = icpchat("lint", str(broken), "--strict")
    # a required answer missing is "incomplete" (DESIGN.md), exit 3, as `run --strict`
    assert strict.returncode == 3 and "icps[0].pains: error" in strict.out  # ExitCode.INCOMPLETE
    findings = json.loads(icpchat("lint", str(broken), "--json").out)
    assert any(
        (f["rule"], f["severity"], f["field"]) == ("required-missing", "error", "icps[0].pains") for f in findings
    )


def test_run_and_lint_strict_agree_on_an_error_finding(tmp_path):
    """A persona linked to an ICP that does not exist: `run --strict` exited 0 where
    `lint --strict` exited 5. Both exit 5 now (3 stays for missing answers)."""
    answers = yaml.safe_load((EXAMPLES / "ledgerloop-b2b.yaml").read_text("utf-8"))
    answers["personas"][0]["icp"] = "Nobody Inc"
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(answers), "utf-8")
    run = icpchat("run", "--answers", str(tmp_path / "a.yaml"), "--out", str(tmp_path / "out"), "--strict")
    assert run.returncode == 5 and "persona-unknown-icp" in run.err
    lint = icpchat("lint", str(tmp_path / "out" / "ledgerloop.json"), "--strict")
    assert lint.returncode == 5 and "personas[0].icp: error" in lint.out
    assert icpchat("run", "--answers", str(tmp_path / "a.yaml"), "--format", "json").returncode == 0


def test_lint_help_documents_its_exit_codes():
    result = icpchat("lint", "--help")
    text = " ".join(result.out.split())
    assert result.returncode == 0 and "Exit codes" in text and "5 error-level findings under --strict" in text
    assert "3 required answers missing, under --strict" in text and "run --strict" in text
    run_help = " ".join(icpchat("run", "--help").out.split())
    assert "5 for any other error-level finding" in run_help


def test_lint_bad_profile_exit_2(tmp_path):
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps({"schema_version": "1.0", "meta": {}, "quality": {"completeness": 5}}))
    result = icpchat("lint", str(bad))
    assert result.returncode == 2 and "p.json: meta.version: Field required" in result.err


def test_diff_field_by_field(tmp_path):
    old = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    new = old.model_copy(deep=True)
    new.icps.reverse()  # order alone is not a change
    assert diff_profiles(old, new) == []
    new.icps[1].company_size = new.icps[1].company_size.model_copy(update={"raw": "100-300"})
    new.personas.pop()
    changes = {(c.path, c.kind) for c in diff_profiles(old, new)}
    # only the words changed (the value read from them did not): reworded, not changed
    assert changes == {("icps[1].company_size", "reworded"), ("personas[1]", "removed")}
    b = tmp_path / "b.json"
    b.write_text(new.model_dump_json(exclude_none=True))
    out = icpchat("diff", str(EXAMPLES / "ledgerloop.json"), str(b))
    assert out.returncode == 0 and "~ icps[1].company_size: wording changed" in out.out
    assert "- personas[1]: CFO Carlos" in out.out


def test_review_date_warning(tmp_path):
    profile = load_profile_file(EXAMPLES / "ledgerloop.json", load_settings())
    assert review_warning(profile, profile.meta.review_by) is None
    assert "due for review" in review_warning(profile, date(2030, 1, 1))
    doc = json.loads((EXAMPLES / "ledgerloop.json").read_text())
    doc["meta"]["review_by"] = "2020-01-01"
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(doc))
    result = icpchat("lint", str(stale))
    assert "warning: this profile was due for review on 2020-01-01" in result.err


def test_diff_says_when_only_the_wording_changed(tmp_path):
    """'B2B' -> 'b2b, mostly' read as b2b both times: diff printed 'b2b -> b2b' as a change."""
    doc = json.loads((EXAMPLES / "ledgerloop.json").read_text())
    doc["business"]["model"]["raw"] = "b2b, mostly"
    doc["business"]["offering"] = {**doc["business"]["offering"], "value": "Something else", "raw": "Something else"}
    new = tmp_path / "b.json"
    new.write_text(json.dumps(doc))
    result = icpchat("diff", str(EXAMPLES / "ledgerloop.json"), str(new))
    assert result.returncode == 0
    assert "~ business.model: wording changed, value did not (b2b)" in result.out and "'b2b, mostly'" in result.out
    assert "~ business.offering\n" in result.out  # a changed value still reads as a change
    changes = json.loads(icpchat("diff", "--json", str(EXAMPLES / "ledgerloop.json"), str(new)).out)
    model = next(c for c in changes if c["path"] == "business.model")
    assert model == {"path": "business.model", "kind": "reworded", "old": "b2b", "new": "b2b, mostly", "value": "b2b"}
