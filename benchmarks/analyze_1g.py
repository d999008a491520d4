"""`icpchat analyze` on a 10-million-row CRM export (~0.9-1 GB): wall time and peak memory.

Run: python benchmarks/analyze_1g.py [--rows N] [--keep]   (writes benchmarks/analyze_1g.txt)
Goal (issue 14): under 60 s and under 600 MB peak RSS, whole process included.

The export is made by make_crm.py in a temporary folder (about 3 minutes on two cores; not
timed). The command runs once under /usr/bin/time -v, which reports the child's peak
resident set size and CPU time (user + system); the machine's load average is printed
beside them, since other work on a shared machine slows the wall time down.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cpu_seconds(report: str) -> float:
    """User plus system CPU seconds from /usr/bin/time -v's report."""
    found = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report)
    return sum(float(x) for x in found)


def timed_run(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stderr) of one run of ``cmd``."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return wall, int(peak.group(1)) / 1024 if peak else float("nan"), done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--file", type=Path, help="an export made before (skips making one)")
    args = parser.parse_args()
    exe = shutil.which("icpchat") or sys.exit("install icpchat first")
    with tempfile.TemporaryDirectory() as tmp:
        export = args.file or Path(tmp) / "customers.csv"
        if not args.file:
            subprocess.run(
                [sys.executable, str(HERE / "make_crm.py"), "--rows", str(args.rows), "--out", str(export)], check=True
            )
        size = export.stat().st_size
        load = os.getloadavg()[0]
        wall, peak, report = timed_run([exe, "analyze", str(export), "--out", str(Path(tmp) / "analysis.json")])
    lines = [
        f"# analyze on a CRM export, {date.today().isoformat()}, {os.cpu_count()} cores, load average {load:.1f}"
        " before the run; one run, whole process",
        f"{'rows':>12} {'MB':>8} {'wall s':>8} {'goal s':>7} {'CPU s':>7} {'peak RSS MB':>12} {'goal MB':>8}",
        f"{args.rows:>12,} {size / 1e6:>8.0f} {wall:>8.1f} {60:>7} {cpu_seconds(report):>7.1f} {peak:>12.0f} {600:>8}",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "analyze_1g.txt").write_text(text)


if __name__ == "__main__":
    main()
