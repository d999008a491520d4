"""Time `icpchat analyze` and `icpchat score` on 10,000-row synthetic CRM exports.

Run: python benchmarks/analyze_10k.py   (writes benchmarks/analyze_10k.txt)
Target (issue 6): analyze on 10,000 rows in under 2 s, whole process included.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROWS = 10_000


def timed(cmd: list[str], runs: int = 5) -> tuple[list[float], list[float]]:
    """(wall seconds, CPU seconds: user + system) of each run."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main() -> None:
    exe = shutil.which("icpchat") or sys.exit("install icpchat first")
    with tempfile.TemporaryDirectory() as tmp:
        customers, leads = Path(tmp) / "customers.csv", Path(tmp) / "leads.csv"
        subprocess.run(
            [sys.executable, str(HERE / "make_crm.py"), "--rows", str(ROWS), "--out", str(customers)], check=True
        )
        subprocess.run(
            [sys.executable, str(HERE / "make_crm.py"), "--rows", str(ROWS), "--leads", "--out", str(leads)], check=True
        )
        profile = HERE.parent / "examples" / "ledgerloop.json"
        rows = {
            f"icpchat analyze ({ROWS:,} customers)": timed(
                [exe, "analyze", str(customers), "--out", str(Path(tmp) / "a.json")]
            ),
            f"icpchat score ({ROWS:,} leads)": timed(
                [exe, "score", str(leads), "--profile", str(profile), "--format", "json"]
            ),
        }
    load = os.getloadavg()
    lines = [
        f"# analyze/score, {date.today().isoformat()}, {os.cpu_count()} cores; whole process, 5 runs;"
        f" load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} after the runs",
        f"{'command':<40} {'median s':>9} {'min s':>7} {'max s':>7} {'CPU s':>7}",
    ]
    lines += [
        f"{k:<40} {statistics.median(w):>9.3f} {min(w):>7.3f} {max(w):>7.3f} {statistics.median(c):>7.3f}"
        for k, (w, c) in rows.items()
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "analyze_10k.txt").write_text(text)


if __name__ == "__main__":
    main()
