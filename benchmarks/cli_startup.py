"""How fast the CLI answers: `icpchat --help` and a full offline scripted profile.

Run: python benchmarks/cli_startup.py   (writes benchmarks/cli_startup.txt)
Targets (issue 2): --help under 0.25 s; a full offline `icpchat run` under 1.5 s.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "ledgerloop-b2b.yaml"


def timed(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the page cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    exe = shutil.which("icpchat") or sys.exit("install icpchat first: python -m pip install -e .")
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "ICPCHAT_HOME": home}
        rows = {
            "icpchat --help": timed([exe, "--help"], env, 20),
            "icpchat run (full B2B profile, md+json)": timed(
                [exe, "run", "--answers", str(EXAMPLE), "--out", out, "--format", "md,json", "--llm", "none"], env, 10
            ),
        }
    lines = [
        f"# icpchat CLI start-up, {date.today().isoformat()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"{'command':<45} {'median s':>9} {'min s':>7} {'max s':>7}  runs",
    ]
    for name, times in rows.items():
        lines.append(f"{name:<45} {statistics.median(times):>9.3f} {min(times):>7.3f} {max(times):>7.3f}  {len(times)}")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "cli_startup.txt").write_text(text)


if __name__ == "__main__":
    main()
