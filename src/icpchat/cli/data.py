"""Commands over data and saved profiles: `analyze` a CRM export, `score` leads, `lint` and
`diff` profiles."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from icpchat.cli.common import echo, echo_json, err, warn_stale
from icpchat.errors import check_strict


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable findings.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 3 when required answers are missing, 5 for any other error-level finding (as `run --strict`).",
)
def lint(file: str, as_json: bool, strict: bool) -> None:
    """Check a profile JSON (or session) against the quality rules.

    Findings are recomputed with this version's rules, whatever the file recorded.

    \b
    Exit codes:
      0  no error-level finding (or no --strict)
      3  required answers missing, under --strict
      5  error-level findings under --strict (a persona linked to an unknown ICP...)
      2  the file cannot be read as a profile
    `icpchat run --strict` judges its profile the same way.
    """
    from icpchat import services
    from icpchat.quality import lint as run_lint

    settings = services.load_settings()
    profile = services.load_profile_file(Path(file), settings)
    warn_stale(profile)
    findings = run_lint(profile, services.build_catalog(settings))
    errors = sum(f.severity == "error" for f in findings)
    if as_json:
        echo_json([f.model_dump() for f in findings], ensure_ascii=True)
    elif not findings:
        echo(f"{file}: no findings")
    else:
        for f in findings:
            echo(f"{file}: {f.field}: {f.severity}: {f.message} [{f.rule}]")
        warnings = len(findings) - errors
        err(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} or notes")
    if strict:
        check_strict(findings)  # exit 3 or 5, as `run --strict`


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable changes.")
def diff(old: str, new: str, as_json: bool) -> None:
    """Show what changed between two versions of a profile, field by field.

    \b
    A field whose value changed shows old and new values; one where only the founder's
    words changed ("B2B" -> "b2b, mostly", both b2b) says "wording changed, value did not"
    (kind "reworded" in --json, with the words as old/new and the value as value).
    """
    from icpchat import services
    from icpchat.versions import diff_profiles

    settings = services.load_settings()
    before = services.load_profile_file(Path(old), settings)
    after = services.load_profile_file(Path(new), settings)
    changes = diff_profiles(before, after)
    if as_json:
        echo_json([c.to_dict() for c in changes])
        return
    echo(f"--- {old} (updated {before.meta.updated_at.date()})")
    echo(f"+++ {new} (updated {after.meta.updated_at.date()})")
    for c in changes:
        if c.kind == "changed":
            echo(f"~ {c.path}\n    - {c.old}\n    + {c.new}")
        elif c.kind == "reworded":
            echo(f"~ {c.path}: wording changed, value did not ({c.value})\n    - {c.old!r}\n    + {c.new!r}")
        elif c.kind == "added":
            echo(f"+ {c.path}: {c.new}", style={"fg": "green"})
        else:
            echo(f"- {c.path}: {c.old}", style={"fg": "red"})
    if not changes:
        echo("no changes")


ENCODING = click.option(
    "--encoding",
    metavar="NAME",
    help="The file's encoding when it is not UTF-8, UTF-16 or cp1252 (found by itself), e.g. cp1250.",
)
MAPPING = click.option(
    "--map",
    "mapping",
    metavar="HEADER=FIELD,...",
    help="Name columns the headers don't reveal: HEADER=FIELD pairs, e.g. 'Acct=company,Seats=employees' "
    "(fields: company, industry, employees, revenue, country, deal_size, ltv, churned, expanded, cycle_days).",
)


@click.command()
@click.argument("csv_file", metavar="CUSTOMERS.csv", type=click.Path(dir_okay=False))
@MAPPING
@ENCODING
@click.option(
    "--out", "out", default="-", show_default=True, metavar="FILE|-", help="Where to write the analysis JSON."
)
def analyze(csv_file: str, mapping: str | None, encoding: str | None, out: str) -> None:
    """Propose ICP answers from a CRM export, with evidence.

    \b
    Columns are found by header name, in English, German, French, Spanish and Portuguese
    (company/Firma/entreprise/empresa, industry/Branche/secteur, employees/Mitarbeiter/
    effectif/empleados, revenue/Umsatz/chiffre d'affaires, country/Land/pays/país, deal size,
    lifetime value, churned/gekündigt, expanded, sales cycle days...). The best customers
    (top 25% by lifetime value, else expanded and retained) are compared with the rest; with
    fewer than 20 in either group it warns that the conclusions are weak.
    Any size of file: the rows are read by DuckDB, not held in memory.
    Feed the result to `icpchat run --seed analysis.json`.

    \b
    --map names a column whose header says nothing: HEADER=FIELD, comma-separated, where
    HEADER is the file's header as written and FIELD one of company, industry, employees,
    revenue, country, deal_size, ltv, churned, expanded, cycle_days. For a file headed
    "Acct;Seats;Total Paid;Gone":
      icpchat analyze crm.csv --map 'Acct=company,Seats=employees,Total Paid=ltv,Gone=churned'
    """
    import json

    from icpchat.analysis.analyze import analyze as run_analysis
    from icpchat.analysis.sample import small_sample_warning
    from icpchat.analysis.table import parse_mapping, read_table
    from icpchat.analysis.typed import ANALYZED
    from icpchat.store.atomic import atomic_write
    from icpchat.text.terminal import json_controls

    # Only the columns the analysis reads are kept (every column counts for duplicates).
    table = read_table(Path(csv_file), parse_mapping(mapping), encoding, keep=ANALYZED)
    result = run_analysis(table)
    # The data stay exact; characters a terminal would obey are written as \u escapes.
    text = json_controls(json.dumps(result, indent=2, ensure_ascii=False)) + "\n"
    if out == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(Path(out), text, mode=0o644)
        err(f"wrote {out}")
    err(
        f"{result['rows']} rows ({result['duplicates_removed']} duplicates removed); best customers: "
        f"{result['best_count']} ({result['best_rule']})"
    )
    if (weak := small_sample_warning(result["rows"], result["best_count"])) is not None:
        err(f"icpchat: warning: {weak}")


@click.command()
@click.argument("csv_file", metavar="[LEADS.csv]", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--profile", "profile_file", required=True, metavar="FILE", help="Profile JSON (or session) to score against."
)
@MAPPING
@ENCODING
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "--show-scale",
    is_flag=True,
    help="Print the qualification scale (JSON, editable into the profile's 'scoring') and exit.",
)
@click.option(
    "--sql",
    "as_sql",
    is_flag=True,
    help="Print the scorer as one SQL SELECT over a table named leads (to score in a warehouse) and exit.",
)
def score(
    csv_file: str | None,
    profile_file: str,
    mapping: str | None,
    encoding: str | None,
    fmt: str,
    show_scale: bool,
    as_sql: bool,
) -> None:
    """Score leads 0-100 against the ICP's qualification scale, best first.

    Each lead gets a tier (A/B/C/D, or disqualified: a disqualifying value beats any
    points) and the reasons; a value that matches only loosely (case, plural, synonym,
    a country's other name or code) says what it matched. Edit weights and values in the
    profile JSON's `scoring`.

    \b
    --sql prints the same scorer as one SELECT over a table named `leads` whose text
    columns are named as in the leads CSV (give LEADS.csv or --map to name them; else the
    field names: industry, employees, country, revenue, deal_size). It returns every
    lead column plus score, tier, icp and reasons, equal to this command's scores.
    """
    from icpchat import services
    from icpchat.analysis.scoring import scales_for
    from icpchat.analysis.table import parse_mapping

    profile = services.load_profile_file(Path(profile_file), services.load_settings())
    warn_stale(profile)
    scales = scales_for(profile)
    if show_scale:
        echo_json([s.model_dump(exclude_none=True) for s in scales], ensure_ascii=True)
        return
    if as_sql:
        from icpchat.analysis.scoring_sql import scorer_sql
        from icpchat.analysis.table import sql_columns

        columns, decimal = sql_columns(Path(csv_file) if csv_file else None, parse_mapping(mapping), encoding)
        echo(scorer_sql(scales, columns, decimal=decimal))
        return
    if csv_file is None:
        raise click.UsageError("LEADS.csv is missing (only --sql and --show-scale work without it)")
    from icpchat.analysis.score_engine import write_csv, write_json
    from icpchat.analysis.table import read_table

    table = read_table(Path(csv_file), parse_mapping(mapping), encoding)
    # Cells from the CRM export are neutralised (formula injection, escape sequences).
    (write_json if fmt == "json" else write_csv)(table, scales, sys.stdout)
    sys.stdout.flush()
