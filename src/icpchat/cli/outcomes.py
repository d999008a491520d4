"""`icpchat validate`: the ICP tested against the outcomes of real deals or accounts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from icpchat.cli.common import echo, echo_json, err, warn_stale
from icpchat.errors import InputError

if TYPE_CHECKING:
    from icpchat.domain.models import Profile, Scale

_NO_SCALE = (
    "the profile has no ICP criterion to test: answer an ICP's industries, company size, "
    "geographies or revenue (`icpchat chat --resume`, or icps[0].industries... in the answers "
    "file of `icpchat run`), or add a 'scoring' section"
)


def split_mapping(specs: tuple[str, ...]) -> tuple[str | None, str | None]:
    """``--map`` pairs as (the outcome column's header, the rest as `analyze` reads them)."""
    outcome: str | None = None
    rest: list[str] = []
    for part in (p for spec in specs for p in spec.split(",")):
        header, sep, field = part.rpartition("=")
        if sep and field.strip().lower() == "outcome":
            outcome = header.strip()
        elif part.strip():
            rest.append(part)
    return outcome, ",".join(rest) or None


def _scales(profile: Profile, profile_file: str) -> list[Scale]:
    from icpchat.domain.scales import profile_scales

    scales = profile_scales(profile)
    if not scales:
        raise InputError(_NO_SCALE, file=profile_file)
    return scales


def _write_profile(profile: Profile, path: Path) -> None:
    from icpchat.export.jsonfmt import render_json
    from icpchat.store.atomic import atomic_write

    atomic_write(path, render_json(profile), mode=0o644)


def _summary(report: dict[str, Any], source: str) -> dict[str, Any]:
    from datetime import UTC, datetime

    return {
        "date": datetime.now(UTC).date(),
        "source": Path(source).name,
        "n": report["n"],
        "in_icp": {"n": report["in_icp"]["n"], "rate": report["in_icp"]["rate"]},
        "out_icp": {"n": report["out_icp"]["n"], "rate": report["out_icp"]["rate"]},
        "lift": report["lift"],
        "auc": report["auc"],
        "verdict": report["verdict"]["text"],
    }


@click.command()
@click.argument("csv_file", metavar="OUTCOMES.csv", type=click.Path(dir_okay=False))
@click.option("--profile", "profile_file", required=True, metavar="FILE", help="Profile JSON (or session) to test.")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="HEADER=FIELD,...",
    help="Name columns the headers don't reveal, e.g. 'Etapa=outcome,Sector=industry' (repeatable).",
)
@click.option(
    "--encoding", metavar="NAME", help="The file's encoding when it is not UTF-8, UTF-16 or cp1252 (found by itself)."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--out",
    "out",
    default="-",
    metavar="FILE|-",
    help="Where the report goes (REPORT.md); with --calibrate, the new profile JSON.",
)
@click.option("--calibrate", is_flag=True, help="Fit the weights on these outcomes and write them into --out.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap and the folds.")
def validate(
    csv_file: str,
    profile_file: str,
    mapping: tuple[str, ...],
    encoding: str | None,
    fmt: str,
    out: str,
    calibrate: bool,
    seed: int,
) -> None:
    """Test the ICP against outcomes: do deals inside it win more often?

    \b
    OUTCOMES.csv is a CRM export of deals or accounts. The outcome column is found by
    its header (won/lost, closed won/closed lost, stage, status, churned/retained, or a
    revenue figure such as 'Won amount', in several languages) or named with
    --map 'HEADER=outcome'. Each row is scored as `icpchat score` scores a lead.
    Reports the win rate inside and outside the ICP (95% Wilson intervals), the lift,
    the fit score's AUC (bootstrap interval), each criterion's lift, and a verdict that
    says how many outcomes a firm answer needs.

    --calibrate --out NEW.json fits the weights (regularised logistic regression),
    compares them with the profile's on held-out deals, and writes a profile with the
    fitted weights in 'scoring' (provenance data) and the test's summary in 'validation'.
    """
    from icpchat import services
    from icpchat.analysis.table import parse_mapping, read_table
    from icpchat.analysis.validate import find_outcome, report, score_outcomes
    from icpchat.analysis.validate_text import summary_line, words

    if calibrate and out == "-":
        raise click.UsageError("--calibrate needs --out NEW.json (the profile with the fitted weights)")
    profile = services.load_profile_file(Path(profile_file), services.load_settings())
    warn_stale(profile)
    scales = _scales(profile, profile_file)
    outcome_header, rest = split_mapping(mapping)
    table = read_table(Path(csv_file), parse_mapping(rest), encoding)
    outcome = find_outcome(table, outcome_header)
    scored = score_outcomes(table, scales, outcome)
    result = report(table, scales, outcome, scored, seed=seed)
    if calibrate:
        result["calibration"] = _calibrate(profile, scales, scored, result, csv_file, Path(out), seed)
    if fmt == "json":
        echo_json(result, ensure_ascii=True)
    elif out == "-" or calibrate:
        echo(words(result), nl=False)
    else:
        from icpchat.store.atomic import atomic_write
        from icpchat.text.terminal import visible

        atomic_write(Path(out), visible(words(result)), mode=0o644)
        err(f"wrote {out}")
    err(summary_line(result))


def _calibrate(
    profile: Profile, scales: list[Scale], scored: Any, result: dict[str, Any], source: str, out: Path, seed: int
) -> dict[str, Any]:
    from icpchat.analysis.calibrate import calibrate, fitted_scales
    from icpchat.domain.models import ValidationSummary

    fit = calibrate(scored, seed=seed)
    updated = profile.model_copy(
        update={
            "scoring": fitted_scales(scales, scored, fit.weights, fit.kept),
            "validation": ValidationSummary.model_validate(_summary(result, source)),
        }
    )
    # Validated again as a whole: what is written is a profile `score` and `export` read.
    _write_profile(type(profile).model_validate(updated.model_dump()), out)
    err(f"wrote {out}")
    return fit.to_dict(scored, scales)
