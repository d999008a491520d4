"""`icpchat validate` on generated outcomes whose truth is known (issue 15b).

Run: python benchmarks/validate.py   (writes benchmarks/validate.txt)

Each seed writes two exports of 20,000 closed deals from the same process (one to fit on, one
held out), ';'-separated with European numbers as a German CRM writes them. The win rate
depends on the industry only (Fintech 30%, anything else 10%: a lift of 3.0); the country is
pure noise. The founder's hand weights give the country as much as the industry (50 and 50),
so a Fintech deal in France scores like a retailer in Germany: a plausible mistake to catch.

Goals (issue 15): the report recovers the lift within 15% (the industry's and the ICP's, whose
truth follows from the generating rates), names the country as noise, and weights calibrated on
the first export rank the held-out deals at least as well as the hand weights (AUC).
Every run goes through the CLI as a user would: validate, validate --calibrate, validate again
on the held-out export with each profile.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from icpchat.domain.models import Criterion, Meta, Profile, Quality, Scale
from icpchat.export.jsonfmt import render_json

HERE = Path(__file__).resolve().parent
ROWS = 20_000
SEEDS = (1, 2, 3, 4, 5)
P_SIGNAL, P_REST = 0.30, 0.10
SHARE_FINTECH, SHARE_GERMANY = 0.35, 0.40
OTHER_INDUSTRIES = ("Retail", "Logistics", "Manufacturing", "Healthcare", "Media")
OTHER_COUNTRIES = ("France", "Spain", "Italy", "Poland", "Sweden")

SCALE = Scale(
    icp="Fintech in Germany",
    criteria=[
        Criterion(field="industry", weight=50, ideal=["Fintech"]),
        Criterion(field="country", weight=50, ideal=["Germany"]),
    ],
)


def truth() -> dict[str, float]:
    """The lifts the generating process implies. The ICP's: over the four kinds of deal
    (Fintech or not, Germany or not), inside when the hand scale scores it 60 or more."""
    weights = {c.field: c.weight for c in SCALE.criteria}
    total = sum(weights.values())
    won = {True: 0.0, False: 0.0}
    share = {True: 0.0, False: 0.0}
    for fintech in (True, False):
        for germany in (True, False):
            p = (SHARE_FINTECH if fintech else 1 - SHARE_FINTECH) * (SHARE_GERMANY if germany else 1 - SHARE_GERMANY)
            inside = 100 * (weights["industry"] * fintech + weights["country"] * germany) / total >= 60
            share[inside] += p
            won[inside] += p * (P_SIGNAL if fintech else P_REST)
    icp = (won[True] / share[True]) / (won[False] / share[False])
    return {"industry": P_SIGNAL / P_REST, "country": 1.0, "icp": icp}


def write_outcomes(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    lines = ["Firma;Industry;Country;Employees;Amount;Stage"]
    for i in range(ROWS):
        fintech = rng.random() < SHARE_FINTECH
        germany = rng.random() < SHARE_GERMANY
        won = rng.random() < (P_SIGNAL if fintech else P_REST)
        industry = "Fintech" if fintech else rng.choice(OTHER_INDUSTRIES)
        country = "Germany" if germany else rng.choice(OTHER_COUNTRIES)
        amount = f"{rng.uniform(5_000, 60_000):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        stage = "Closed Won" if won else "Closed Lost"
        lines.append(f"Firma {seed}-{i} GmbH;{industry};{country};{rng.randint(20, 900)};{amount} €;{stage}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")


def validate(*args: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-m", "icpchat", "validate", *args, "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def run_seed(tmp: Path, profile: Path, seed: int) -> dict[str, object]:
    fit_file, held_out = tmp / f"fit-{seed}.csv", tmp / f"held-{seed}.csv"
    write_outcomes(fit_file, seed)
    write_outcomes(held_out, seed + 1000)
    start = time.perf_counter()
    report = validate(str(fit_file), "--profile", str(profile))
    seconds = time.perf_counter() - start
    fitted = tmp / f"fitted-{seed}.json"
    calibration = validate(str(fit_file), "--profile", str(profile), "--calibrate", "--out", str(fitted))
    hand_auc = validate(str(held_out), "--profile", str(profile))["auc"]
    fitted_auc = validate(str(held_out), "--profile", str(fitted))["auc"]
    criteria = {c["field"]: c for c in report["criteria"]}  # type: ignore[attr-defined]
    weights = {w["field"]: w["fitted"] for w in calibration["calibration"]["weights"]}  # type: ignore[index]
    return {
        "seed": seed,
        "seconds": seconds,
        "lift": report["lift"],
        "in": report["in_icp"],
        "out": report["out_icp"],
        "auc": report["auc"],
        "verdict": report["verdict"]["level"],  # type: ignore[index]
        "industry_lift": criteria["industry"]["lift"],
        "industry_signal": criteria["industry"]["signal"],
        "country_lift": criteria["country"]["lift"],
        "country_signal": criteria["country"]["signal"],
        "weights": weights,
        "cv": calibration["calibration"]["cv_auc"],  # type: ignore[index]
        "held_out_auc": {"hand": hand_auc, "fitted": fitted_auc},
    }


def main() -> None:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    expected = truth()
    lines = [
        f"benchmarks/validate.py, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {ROWS:,} deals per export, "
        f"seeds {', '.join(map(str, SEEDS))}",
        f"uptime before: {uptime}",
        f"truth: industry lift {expected['industry']:.2f} (Fintech {P_SIGNAL:.0%} vs {P_REST:.0%}), country lift "
        f"{expected['country']:.2f} (noise), ICP lift {expected['icp']:.3f} (inside: Fintech and Germany, 100 "
        "points; one of them scores 50)",
        "",
    ]
    passed = True
    with tempfile.TemporaryDirectory(prefix="icpchat-validate-bench-") as tmp_name:
        tmp = Path(tmp_name)
        profile = tmp / "profile.json"
        profile.write_text(
            render_json(Profile(meta=Meta.new(datetime.now(UTC)), quality=Quality(completeness=0), scoring=[SCALE])),
            encoding="utf-8",
        )
        for seed in SEEDS:
            r = run_seed(tmp, profile, seed)
            ind_err = abs(r["industry_lift"] / expected["industry"] - 1)  # type: ignore[operator]
            icp_err = abs(r["lift"] / expected["icp"] - 1)  # type: ignore[operator]
            held = r["held_out_auc"]
            ok = (
                ind_err <= 0.15
                and icp_err <= 0.15
                and r["country_signal"] == "noise"
                and r["industry_signal"] == "signal"
                and held["fitted"] >= held["hand"]  # type: ignore[index,operator]
            )
            passed = passed and ok
            lines += [
                f"seed {seed}: {'PASS' if ok else 'FAIL'} ({r['seconds']:.2f} s for validate on {ROWS:,} rows)",
                f"  ICP: inside {r['in']['won']}/{r['in']['n']} won, outside {r['out']['won']}/{r['out']['n']}, "  # type: ignore[index]
                f"lift {r['lift']:.3f} (truth {expected['icp']:.2f}, off {icp_err:.1%}), AUC {r['auc']:.3f}, "
                f"verdict {r['verdict']}",
                f"  industry lift {r['industry_lift']:.3f} (truth {expected['industry']:.2f}, off {ind_err:.1%}): "
                f"{r['industry_signal']}; country lift {r['country_lift']:.3f}: {r['country_signal']}",
                f"  fitted weights {r['weights']} (hand: industry 50, country 50); 5-fold CV AUC hand "
                f"{r['cv']['profile']:.3f} fitted {r['cv']['fitted']:.3f}",  # type: ignore[index]
                f"  held-out export AUC: hand weights {held['hand']:.3f}, fitted weights {held['fitted']:.3f}",  # type: ignore[index]
            ]
    lines += [
        "",
        f"all goals met on every seed: {passed}",
        "load average after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    (HERE / "validate.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
