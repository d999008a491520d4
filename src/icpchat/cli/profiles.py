"""Commands that produce a profile: the chat, `run` from an answers file, `export` of a saved
one, and the two that describe the contract (`questions`, `schema`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from icpchat.cli.common import DEPTH, FINDINGS_OPTION, GUIDANCE_APPENDIX, LLM, echo, echo_json, err, warn_stale

if TYPE_CHECKING:
    from icpchat.questions.models import Condition

OUT_OPTION = click.option(
    "--out",
    "out",
    default="-",
    show_default=True,
    metavar="DIR|-",
    help="Folder for <slug>.<ext> files, or - for stdout.",
)
"""The --out of run and export: one folder of <slug>.<ext> files, or stdout."""


@click.command()
@click.option("--session", "session_name", metavar="NAME", help="Session to start or continue (default: 'default').")
@click.option("--resume", is_flag=True, help="Continue the most recent session where it stopped.")
@click.option("--llm", type=LLM, default=None, help="Model use: auto, none or openai.")
@click.option("--depth", type=DEPTH, default=None, help="Interview depth for a new session.")
def chat(session_name: str | None, resume: bool, llm: str | None, depth: str | None) -> None:
    """Open the interview chat (the default command).

    Your answers are saved after every message; quit any time and come back with --resume.
    """
    from icpchat import services

    settings = services.load_settings(llm=llm, depth=depth)
    code = services.run_chat(settings, session_name=session_name, resume=resume)
    if code:
        sys.exit(code)


@click.command()
@click.option(
    "--answers", "answers", required=True, metavar="FILE|-", help="YAML or JSON answers file, or - for stdin."
)
@OUT_OPTION
@click.option(
    "--format",
    "formats",
    default=None,
    metavar="md,json",
    help="Comma-separated formats (default: md for stdout, md,json for a folder).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 3 when required answers are missing, 5 for any other error-level finding, as `lint --strict` "
    "(files are still written).",
)
@click.option("--llm", type=LLM, default=None, help="Model use: auto, none or openai.")
@click.option(
    "--seed",
    "seed",
    default=None,
    metavar="FILE",
    help="Pre-fill the ICP from `icpchat analyze` output; answers override it.",
)
@click.option(
    "--guidance",
    is_flag=True,
    help="Cite knowledge-base guidance for each answered question (opens the index) and add it as an appendix.",
)
@FINDINGS_OPTION
@click.option(
    "--no-fallback", is_flag=True, help="Exit 4 when the LLM fails, instead of finishing with the offline rules."
)
def run(
    answers: str,
    out: str,
    formats: str | None,
    strict: bool,
    llm: str | None,
    seed: str | None,
    guidance: bool,
    findings: bool,
    no_fallback: bool,
) -> None:
    """Build a profile from an answers file, without questions.

    \b
    The answers file uses the question ids of `icpchat questions`:
      business: {name: Acme, offering: "...", model: b2b, problem: "..."}
      icps:
        - {name: Mid-market SaaS, industries: [SaaS], company_size: 50-250, ...}
      personas:
        - {name: Finance Director Fiona, icp: Mid-market SaaS, job_title: Finance Director}
    """
    from icpchat import services

    request = services.RunRequest(
        answers=answers,
        out=out,
        formats=formats,
        strict=strict,
        seed=seed,
        guidance=guidance,
        findings=findings,
        fallback=not no_fallback,
    )
    settings = services.load_settings(llm=llm)
    services.run_answers(settings, request, stdin=sys.stdin.buffer, stdout=sys.stdout.buffer, say=err)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--depth", type=DEPTH, default="deep", show_default=True, help="Only questions asked at this depth.")
def questions(as_json: bool, depth: str) -> None:
    """List the interview questions and their ids (the keys of an answers file)."""
    from icpchat import services

    catalog = services.build_catalog(services.load_settings())
    if as_json:
        payload = [
            {
                "section": s.section,
                "title": s.title,
                "repeatable": s.repeatable,
                "questions": [
                    {"id": f"{s.section}.{q.id}", **q.model_dump(exclude={"id"}, exclude_none=True, by_alias=True)}
                    for q in s.questions
                    if q.asked_at(depth)
                ],
            }
            for s in catalog.sets
        ]
        echo_json(payload)
        return
    for s in catalog.sets:
        echo(f"{s.title} ({s.section}{', repeatable' if s.repeatable else ''})", style={"bold": True})
        for q in s.questions:
            if not q.asked_at(depth):
                continue
            flags = ("*" if q.required else " ") + _condition_words(q.condition)
            kind = "choices" if q.multiple else q.kind
            echo(f"  {s.section}.{q.id:<22}{flags} {kind:<6} {q.prompt}")
        echo()
    echo("* required. Use these ids as keys in an answers file (see `icpchat run --help`).")


def _condition_words(condition: Condition | None) -> str:
    """When a question is asked, in a few words: " (not for b2c)", " (only for b2c, b2b2c)"."""
    if condition is None:
        return ""
    if condition.in_ is not None:
        return f" (only for {', '.join(condition.in_)})"
    return f" (not for {', '.join(condition.not_in or ())})"


@click.command()
def schema() -> None:
    """Print the JSON Schema that every exported profile validates against."""
    import json

    from icpchat.domain.models import profile_json_schema

    click.echo(json.dumps(profile_json_schema(), indent=2))


@click.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False))
@OUT_OPTION
@click.option("--format", "formats", default=None, metavar="md,json", help="Comma-separated formats.")
@FINDINGS_OPTION
@GUIDANCE_APPENDIX
def export_cmd(file: str, out: str, formats: str | None, findings: bool, guidance: bool) -> None:
    """Re-render a saved session file or a profile JSON into other formats."""
    from icpchat import services

    settings = services.load_settings()
    fmts = services.output_formats(formats, out)
    profile = services.load_profile_file(Path(file), settings)
    warn_stale(profile)
    options = services.document_options(settings, findings=findings, guidance=guidance)
    catalog = services.build_catalog(settings)
    services.write_outputs(profile, catalog, fmts, out, stdout=sys.stdout.buffer, say=err, options=options)
