"""`run --out` killed with SIGKILL at every write leaves the previous export whole (issue 12).

Before, the formats were replaced one by one, so a kill between two of them left old and
new formats side by side (9 of 20 kills). The child process slows each fsync down and says
when it starts one; the test kills it during the first, the second, ... the last, and then
reads which run wrote each file: all of them the first run, or all the second.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

FORMATS = "md,json,html,docx"
CHILD = """
import os, sys, time
real = os.fsync
def slow(fd):
    print("fsync", flush=True)
    time.sleep(0.15)
    real(fd)
os.fsync = slow
from icpchat.cli import main
main(sys.argv[1:])
"""


def _answers(tmp_path: Path, offering: str) -> Path:
    path = tmp_path / f"{offering}.yaml"
    path.write_text(f"business: {{name: Acme, offering: {offering}, model: b2b, problem: p}}\n", encoding="utf-8")
    return path


def _start(tmp_path: Path, offering: str) -> subprocess.Popen[str]:
    args = ["run", "--answers", str(_answers(tmp_path, offering)), "--out", str(tmp_path / "out"), "--format", FORMATS]
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )


def _written_by(folder: Path) -> dict[str, str]:
    """Which run wrote each visible file (its offering), read from the file's bytes."""
    found = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue  # a staging folder a killed run could not remove
        data = path.read_bytes()
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                data = docx.read("word/document.xml")
        found[path.name] = next((o for o in ("firstrun", "secondrun") if o.encode() in data), "?")
    return found


def _fsyncs_of_a_whole_run(tmp_path: Path) -> int:
    child = _start(tmp_path, "firstrun")
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return out.count("fsync")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_during_run_out_never_mixes_old_and_new_formats(tmp_path: Path) -> None:
    points = _fsyncs_of_a_whole_run(tmp_path)
    assert points >= len(FORMATS.split(","))
    first = _written_by(tmp_path / "out")
    assert set(first.values()) == {"firstrun"} and len(first) == 4
    mixed = []
    for point in range(1, points + 1):
        child = _start(tmp_path, "secondrun")
        assert child.stdout is not None
        for _ in range(point):
            assert child.stdout.readline() == "fsync\n"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
        assert child.stderr is not None
        child.stderr.close()
        seen = _written_by(tmp_path / "out")
        assert len(seen) == 4, seen
        if len(set(seen.values())) != 1:
            mixed.append((point, seen))
        # back to the first run's files for the next kill point
        restore = _start(tmp_path, "firstrun")
        assert restore.wait(timeout=120) == 0
        restore.communicate()
    assert mixed == [], f"{len(mixed)} of {points} kill points left formats mixed: {mixed}"
