"""Malformed and hostile input answers exit 2, naming the file, the key and the line (issue 12).

Before: nesting about 1,000 levels deep was a RecursionError, a 400-digit range bound a
pydantic error, a lone surrogate a serialisation error, a bad date a ValueError (all exit 1),
and a key given twice silently dropped the first mapping (exit 0). Also here, the smaller
items of issue 12 that a command shows: a config.toml that is a folder, `score` on a
header-only CSV, and `run --out` replacing its files as one set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from icpchat.export.registry import EXPORTERS
from tests.conftest import EXAMPLES
from tests.support import run_cli

BUSINESS = "business: {name: Acme, offering: Invoices, model: b2b, problem: Manual AP}\n"

HOSTILE = {
    # name: (file name, content, what the message says, key, line)
    "deep yaml": ("a.yaml", "business: " + "[" * 1000 + "]" * 1000 + "\n", "nested 65 levels deep", "business", 1),
    "deep json": ("a.json", '{"business": ' + "{" * 1000 + "}" * 1000 + "}", "nested 65 levels deep", None, 1),
    "deep block yaml": (
        "a.yaml",
        "".join(f"{'  ' * i}k{i}:\n" for i in range(70)) + "  " * 70 + "x\n",
        "nested 65 levels deep",
        "k0.k1.k2",
        65,
    ),
    "400-digit bound": (
        "a.yaml",
        BUSINESS + "icps: [{name: X, company_size: {min: " + "9" * 400 + "}}]\n",
        "a number with 400 digits",
        "icps[0].company_size.min",
        2,
    ),
    "400-digit json": ("a.json", '{"business": {"name": ' + "9" * 400 + "}}", "400 digits", "business.name", None),
    "400-digit range text": (
        "a.yaml",
        BUSINESS + "icps: [{name: X, company_size: '" + "9" * 400 + "-5'}]\n",
        "too large for a range",
        "icps[0].company_size",
        None,
    ),
    "nan choice": ("a.yaml", "business: {name: Acme, model: .nan}\n", "NaN and infinity", "business.model", 1),
    "inf bound": ("a.yaml", BUSINESS + "icps: [{name: X, revenue: {max: .inf}}]\n", "NaN", "icps[0].revenue.max", 2),
    "json NaN": ("a.json", '{"business": {"name": "A", "model": NaN}}', "NaN and infinity", "business.model", None),
    "json 1e999": ("a.json", '{"business": {"name": -1e999}}', "NaN and infinity", "business.name", None),
    "lone surrogate yaml": (
        "a.yaml",
        'business: {name: "Acme \\ud83d", offering: x}\n',
        "\\ud83d, half of a UTF-16 surrogate pair",
        "business.name",
        1,
    ),
    "lone surrogate json": ("a.json", '{"business": {"name": "\\udc00"}}', "\\udc00", "business.name", None),
    "duplicate top-level key": (
        "a.yaml",
        BUSINESS + "icps: [{name: X}]\nbusiness: {name: Other}\n",
        "given twice (first at line 1)",
        "business",
        3,
    ),
    "duplicate nested key": (
        "a.yaml",
        "business:\n  name: Acme\n  offering: x\n  name: Acme Ltd\n",
        "given twice (first at line 2)",
        "business.name",
        4,
    ),
    "duplicate json key": (
        "a.json",
        '{"business": {"name": "A"}, "business": {"name": "B"}}',
        "given twice",
        "business",
        None,
    ),
    "bad date": ("a.yaml", "business: {name: 2024-13-45}\n", "looks like a date", "business.name", 1),
    "bad hex": ("a.yaml", "business: {name: 0x_}\n", "looks like a whole number", "business.name", 1),
    "escape beyond unicode": ("a.yaml", 'business: {name: "\\UFFFFFFFF"}\n', "names no Unicode character", None, 1),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_answers_file_exits_2_naming_file_key_and_line(tmp_path: Path, case: str) -> None:
    name, content, problem, key, line = HOSTILE[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_cli("run", "--answers", str(path), "--format", "json")
    assert result.returncode == 2, result.err
    assert result.out == "" and "Traceback" not in result.err and "internal error" not in result.err
    first = result.err.splitlines()[0]
    assert first.startswith(f"icpchat: error: {path}: "), first
    assert problem in first
    if key is not None:
        assert f"{path}: {key}" in first
    if line is not None:
        assert f"line {line}:" in first


def test_every_problem_of_a_file_is_listed_at_once(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("business: {name: .nan, offering: .inf, model: b2b}\nbusiness: {name: B}\n", encoding="utf-8")
    result = run_cli("run", "--answers", str(path), "--format", "json")
    assert result.returncode == 2
    lines = result.err.splitlines()
    assert [line.split(": ")[3] for line in lines] == ["business.name", "business.offering", "business"]


def test_a_surrogate_pair_written_as_two_escapes_is_one_character(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text('business: {name: "Acme \\ud83d\\ude00", offering: x, model: b2b}\n', encoding="utf-8")
    result = run_cli("run", "--answers", str(path), "--format", "json")
    assert result.returncode == 0, result.err
    assert json.loads(result.out)["business"]["name"]["raw"] == "Acme \U0001f600"


def test_the_same_key_in_two_entities_is_no_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BUSINESS + "icps:\n  - {name: A, pains: [x]}\n  - {name: B, pains: [y]}\n", encoding="utf-8")
    assert run_cli("run", "--answers", str(path), "--format", "json").returncode == 0


def test_profile_and_session_json_nested_too_deep_exit_2(tmp_path: Path, icpchat_home: Path) -> None:
    deep = '{"schema_version": "1.0", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    profile = tmp_path / "p.json"
    profile.write_text(deep, encoding="utf-8")
    sessions = icpchat_home / "data" / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "deep.json").write_text(deep, encoding="utf-8")
    for args, named in (
        (("lint", str(profile)), str(profile)),
        (("export", str(profile), "--format", "md"), str(profile)),
        (("sessions", "show", "deep"), str(sessions / "deep.json")),
    ):
        result = run_cli(*args)
        assert result.returncode == 2, (args, result.err)
        assert result.err.startswith(f"icpchat: error: {named}: ") and "nested 65 levels deep" in result.err


# -- config.toml that is a folder ----------------------------------------------------------


def test_config_toml_that_is_a_folder_exits_2(icpchat_home: Path) -> None:
    config = icpchat_home / "config" / "config.toml"
    config.mkdir(parents=True)
    result = run_cli("questions")
    assert result.returncode == 2, result.err
    assert result.err.strip() == (
        f"icpchat: error: {config}: is a folder; the settings file must be a TOML file (or absent)"
    )


# -- score and analyze on a header-only CSV --------------------------------------------------


def test_score_and_analyze_refuse_a_header_only_csv_alike(tmp_path: Path) -> None:
    csv = tmp_path / "leads.csv"
    csv.write_text("Company,Industry,Employees,Country\n", encoding="utf-8")
    scored = run_cli("score", str(csv), "--profile", str(EXAMPLES / "ledgerloop.json"))
    analyzed = run_cli("analyze", str(csv))
    assert (scored.returncode, analyzed.returncode) == (2, 2), (scored.err, analyzed.err)
    message = f"icpchat: error: {csv}: no data rows under the header"
    assert scored.err.startswith(message) and analyzed.err.startswith(message)
    assert scored.out == ""


# -- run --out replaces its files as one set --------------------------------------------------


def _export(tmp_path: Path, offering: str) -> tuple[int, str]:
    answers = tmp_path / "a.yaml"
    answers.write_text(f"business: {{name: Acme, offering: {offering}, model: b2b}}\n", encoding="utf-8")
    result = run_cli("run", "--answers", str(answers), "--out", str(tmp_path / "out"), "--format", "md,json,html")
    return result.returncode, result.err


def _offerings(folder: Path) -> dict[str, str]:
    """Which run wrote each file: the offering it holds."""
    found = {}
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        found[path.name] = next((o for o in ("first-run", "second-run") if o in text), "?")
    return found


def test_a_failing_format_leaves_the_previous_export_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _export(tmp_path, "first-run")[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}

    def broken(profile: object, catalog: object, options: object = None) -> bytes:
        raise RuntimeError("html renderer failed")

    monkeypatch.setitem(EXPORTERS, "html", broken)
    code, err = _export(tmp_path, "second-run")
    assert code == 1 and "html renderer failed" in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before
    assert set(_offerings(tmp_path / "out").values()) == {"first-run"}


def test_a_failing_write_leaves_the_previous_export_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    assert _export(tmp_path, "first-run")[0] == 0
    real_fsync, calls = os.fsync, []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second file of the set
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    code, err = _export(tmp_path, "second-run")
    assert code == 2 and "No space left on device" in err and "--out" in err
    assert _offerings(tmp_path / "out") == {"acme.html": "first-run", "acme.json": "first-run", "acme.md": "first-run"}
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert _export(tmp_path, "second-run")[0] == 0
    assert set(_offerings(tmp_path / "out").values()) == {"second-run"}
