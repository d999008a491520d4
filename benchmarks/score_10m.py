"""`icpchat score` on 10 million leads (CSV out), and the scorer's SQL against the Python scorer.

Run: python benchmarks/score_10m.py [--rows N]   (writes benchmarks/score_10m.txt)
Goal (issue 14): 10 million leads scored in under 60 s, whole process, CSV written to a file.

Also measured, as the peer in the same run: the Python reference scorer
(icpchat.analysis.scoring.score_leads) on 100,000 of the leads, extrapolated to 10 million;
and the agreement of `score --sql` run on DuckDB with the Python scorer on those leads.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROFILE = HERE.parent / "examples" / "ledgerloop.json"
SAMPLE = 100_000

sys.path.insert(0, str(HERE))
from analyze_1g import cpu_seconds, timed_run  # noqa: E402


def python_and_sql(leads: Path) -> tuple[float, int, int]:
    """(seconds of the Python scorer, leads, leads where `score --sql` on DuckDB differs)."""
    import duckdb

    from icpchat.analysis.scoring import score_leads
    from icpchat.analysis.table import read_table
    from icpchat.services import load_profile_file, load_settings

    profile = load_profile_file(PROFILE, load_settings())
    table = read_table(leads)
    start = time.perf_counter()
    scored = score_leads(table, profile)
    seconds = time.perf_counter() - start
    sql = subprocess.run(
        [shutil.which("icpchat") or "icpchat", "score", "--sql", str(leads), "--profile", str(PROFILE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    con = duckdb.connect()
    con.execute(f"CREATE TABLE leads AS SELECT * FROM read_csv('{leads}', all_varchar=true, header=true)")
    by_sql = {r[0]: r[1:] for r in con.execute(f"SELECT Company, score, tier, reasons FROM ({sql}) AS s").fetchall()}
    differ = sum(by_sql.get(r.row["Company"]) != (r.score, r.tier, "; ".join(r.reasons)) for r in scored)
    return seconds, len(scored), differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    exe = shutil.which("icpchat") or sys.exit("install icpchat first")
    make = [sys.executable, str(HERE / "make_crm.py"), "--leads"]
    with tempfile.TemporaryDirectory() as tmp:
        leads, sample = Path(tmp) / "leads.csv", Path(tmp) / "sample.csv"
        subprocess.run([*make, "--rows", str(args.rows), "--out", str(leads)], check=True)
        subprocess.run([*make, "--rows", str(SAMPLE), "--out", str(sample)], check=True)
        size = leads.stat().st_size
        load = os.getloadavg()[0]
        out = Path(tmp) / "scored.csv"
        wall, peak, report = timed_run(["/bin/sh", "-c", f'"{exe}" score "{leads}" --profile "{PROFILE}" > "{out}"'])
        lines_out = sum(1 for _ in out.open("rb")) - 1
        py_seconds, n, differ = python_and_sql(sample)
    per_10m = py_seconds / n * 10_000_000
    lines = [
        f"# score, {date.today().isoformat()}, {os.cpu_count()} cores, load average {load:.1f} before the run; one run",
        f"{'what':<52} {'wall s':>9} {'goal s':>7} {'CPU s':>7} {'peak RSS MB':>12}",
        f"{f'icpchat score, {args.rows:,} leads ({size / 1e6:.0f} MB), CSV out':<52} {wall:>9.1f} {60:>7}"
        f" {cpu_seconds(report):>7.1f} {peak:>12.0f}",
        f"{f'Python reference scorer, {n:,} leads (x{10_000_000 // n} = 10M)':<52} {per_10m:>9.0f} {'':>7} {'':>7} {'':>12}",
        f"rows written: {lines_out:,}; `score --sql` on DuckDB vs the Python scorer: {n - differ:,} of {n:,} leads equal",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "score_10m.txt").write_text(text)


if __name__ == "__main__":
    main()
