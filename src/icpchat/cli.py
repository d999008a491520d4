"""The command line. It parses arguments, calls services and prints; it holds no logic.

stdout carries data (profiles, JSON), stderr carries talk (progress, warnings, errors), and
exit codes follow :class:`icpchat.errors.ExitCode`. Only click is imported at module level
so that `icpchat --help` answers at once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from icpchat import __version__
from icpchat.domain.depth import DEPTHS
from icpchat.errors import ExitCode, IcpchatError, InputError

DEPTH = click.Choice(DEPTHS)
LLM = click.Choice(["auto", "none", "openai"])

EPILOG = """\b
Examples:
  icpchat                                   start (or continue) the interview in the terminal
  icpchat --session acme --resume           continue the session named acme
  icpchat run --answers acme.yaml --out docs/ --format md,json
  cat acme.yaml | icpchat run --answers - --format json > acme.json
  icpchat ask "who should we not sell to?"  guidance from the knowledge base, cited
  icpchat questions --depth quick           what the quick interview asks
  icpchat sessions list                     saved interviews, newest first

\b
Exit codes: 0 ok, 1 internal error, 2 bad input or usage, 3 incomplete under --strict,
4 LLM failed and fallback refused, 5 lint --strict found errors, 130 interrupted.
Files live under $ICPCHAT_HOME (default: your platform's user data folder).
"""


def _err(message: str) -> None:
    click.echo(message, err=True)


@click.group(invoke_without_command=True, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="icpchat")
@click.option("--session", "session_name", metavar="NAME", help="Session to start or continue (default: 'default').")
@click.option("--resume", is_flag=True, help="Continue the most recent session (or --session NAME) where it stopped.")
@click.option("--llm", type=LLM, default=None, help="auto: use a model when OPENAI_API_KEY/OPENAI_BASE_URL is set.")
@click.option("--depth", type=DEPTH, default=None, help="quick: required questions (~15 min); deep: everything.")
@click.pass_context
def cli(ctx: click.Context, session_name: str | None, resume: bool, llm: str | None, depth: str | None) -> None:
    """Draft an Ideal Customer Profile and buyer personas by answering questions.

    With no command, opens the interview chat in your terminal. Everything works offline;
    an OpenAI-compatible model (OPENAI_API_KEY, or OPENAI_BASE_URL for Ollama, vLLM,
    LM Studio or llama.cpp) makes the follow-ups smarter but is never required.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(chat, session_name=session_name, resume=resume, llm=llm, depth=depth)


@cli.command()
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
    app = services.build_app(settings, session_name=session_name, resume=resume)
    app.run()
    # Every answer is already on disk and the session lock is released. A guidance lookup may
    # still be running in its daemon thread; letting the interpreter finalise under it makes
    # onnxruntime abort (exit 134), so leave at once. An interrupted first index build is
    # detected and redone on the next use.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(getattr(app, "return_code", 0) or 0)


@cli.command()
@click.option(
    "--answers", "answers", required=True, metavar="FILE|-", help="YAML or JSON answers file, or - for stdin."
)
@click.option(
    "--out",
    "out",
    default="-",
    show_default=True,
    metavar="DIR|-",
    help="Folder for <slug>.<ext> files, or - for stdout.",
)
@click.option(
    "--format",
    "formats",
    default=None,
    metavar="md,json",
    help="Comma-separated formats (default: md for stdout, md,json for a folder).",
)
@click.option("--strict", is_flag=True, help="Exit 3 when required answers are missing (files are still written).")
@click.option("--llm", type=LLM, default=None, help="Model use: auto, none or openai.")
@click.option(
    "--seed",
    "seed",
    default=None,
    metavar="FILE",
    help="Pre-fill the ICP from `icpchat analyze` output; answers override it.",
)
@click.option(
    "--guidance", is_flag=True, help="Cite knowledge-base guidance for each answered question (opens the index)."
)
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
    from icpchat.runner import check_complete, decode_answers, read_answers

    settings = services.load_settings(llm=llm)
    fmts = _formats(formats, out)
    file, raw = read_answers(answers, sys.stdin.buffer)
    data = decode_answers(raw, file)
    seed_data = None
    if seed:
        seed_file, seed_raw = read_answers(seed, sys.stdin.buffer)
        seed_data = decode_answers(seed_raw, seed_file)
    model = services.build_llm(settings, fallback=not no_fallback)  # may raise LLMUnavailable: exit 4
    runner = services.build_runner(settings, guidance=guidance, llm=model if model.mode == "llm" else None)
    if model.mode == "llm":
        _err(f"icpchat: reviewing each answer with {model.model}...")
    profile = runner.run(data, file, seed=seed_data, seed_file=seed or "")
    for notice in model.notices:
        _err(f"icpchat: warning: {notice}")
    _write_outputs(profile, runner.catalog, fmts, out)
    if strict:
        check_complete(profile)


def _formats(spec: str | None, out: str) -> list[str]:
    """The formats to write: md alone for stdout, md and json for a folder, unless given."""
    from icpchat.export.registry import parse_formats

    fmts = parse_formats(spec or ("md" if out == "-" else "md,json"))
    if out == "-" and len(fmts) > 1:
        raise InputError("stdout takes one format; use --out DIR for several", key="--format")
    return fmts


def _write_outputs(profile: Any, catalog: Any, fmts: list[str], out: str) -> None:
    """Write each format to ``out``'s folder as <slug>.<ext>, or the one format to stdout."""
    from icpchat.export.registry import default_filename, render
    from icpchat.store.atomic import atomic_write

    if out == "-":
        if fmts[0] == "docx" and sys.stdout.isatty():
            raise InputError("docx is binary: use --out DIR, or redirect stdout to a file", key="--format")
        sys.stdout.buffer.write(render(profile, catalog, fmts[0]))
        sys.stdout.flush()
        return
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError("not a folder", file=out, key="--out")
    for fmt in fmts:
        target = folder / default_filename(profile, fmt)
        atomic_write(target, render(profile, catalog, fmt), mode=0o644)
        _err(f"wrote {target}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--depth", type=DEPTH, default="deep", show_default=True, help="Only questions asked at this depth.")
def questions(as_json: bool, depth: str) -> None:
    """List the interview questions and their ids (the keys of an answers file)."""
    import json

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
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for s in catalog.sets:
        click.echo(click.style(f"{s.title} ({s.section}{', repeatable' if s.repeatable else ''})", bold=True))
        for q in s.questions:
            if not q.asked_at(depth):
                continue
            flags = ("*" if q.required else " ") + (" (not for b2c)" if q.condition else "")
            click.echo(f"  {s.section}.{q.id:<22}{flags} {q.kind:<6} {q.prompt}")
        click.echo()
    click.echo("* required. Use these ids as keys in an answers file (see `icpchat run --help`).")


@cli.command()
def schema() -> None:
    """Print the JSON Schema that every exported profile validates against."""
    import json

    from icpchat.domain.models import profile_json_schema

    click.echo(json.dumps(profile_json_schema(), indent=2))


@cli.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    default="-",
    show_default=True,
    metavar="DIR|-",
    help="Folder for <slug>.<ext> files, or - for stdout.",
)
@click.option("--format", "formats", default=None, metavar="md,json", help="Comma-separated formats.")
def export_cmd(file: str, out: str, formats: str | None) -> None:
    """Re-render a saved session file or a profile JSON into other formats."""
    from icpchat import services

    settings = services.load_settings()
    fmts = _formats(formats, out)
    profile = services.load_profile_file(Path(file), settings)
    _warn_stale(profile)
    _write_outputs(profile, services.build_catalog(settings), fmts, out)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable findings.")
@click.option("--strict", is_flag=True, help="Exit 5 when any finding has severity error (for a docs repo's CI).")
def lint(file: str, as_json: bool, strict: bool) -> None:
    """Check a profile JSON (or session) against the quality rules.

    Findings are recomputed with this version's rules, whatever the file recorded.
    Exit codes: 0 no error-level finding (or no --strict), 5 errors found under --strict,
    2 the file cannot be read as a profile.
    """
    import json

    from icpchat import services
    from icpchat.quality import lint as run_lint

    settings = services.load_settings()
    profile = services.load_profile_file(Path(file), settings)
    _warn_stale(profile)
    findings = run_lint(profile, services.build_catalog(settings))
    errors = sum(f.severity == "error" for f in findings)
    if as_json:
        click.echo(json.dumps([f.model_dump() for f in findings], indent=2))
    elif not findings:
        click.echo(f"{file}: no findings")
    else:
        for f in findings:
            click.echo(f"{file}: {f.field}: {f.severity}: {f.message} [{f.rule}]")
        warnings = len(findings) - errors
        click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} or notes", err=True)
    if strict and errors:
        sys.exit(int(ExitCode.FINDINGS))


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable changes.")
def diff(old: str, new: str, as_json: bool) -> None:
    """Show what changed between two versions of a profile, field by field."""
    import json

    from icpchat import services
    from icpchat.versions import diff_profiles

    settings = services.load_settings()
    before = services.load_profile_file(Path(old), settings)
    after = services.load_profile_file(Path(new), settings)
    changes = diff_profiles(before, after)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in changes], indent=2, ensure_ascii=False))
        return
    click.echo(f"--- {old} (updated {before.meta.updated_at.date()})")
    click.echo(f"+++ {new} (updated {after.meta.updated_at.date()})")
    for c in changes:
        if c.kind == "changed":
            click.echo(f"~ {c.path}\n    - {c.old}\n    + {c.new}")
        elif c.kind == "added":
            click.echo(click.style(f"+ {c.path}: {c.new}", fg="green"))
        else:
            click.echo(click.style(f"- {c.path}: {c.old}", fg="red"))
    if not changes:
        click.echo("no changes")


def _warn_stale(profile: Any) -> None:
    from datetime import UTC, datetime

    from icpchat.versions import review_warning

    message = review_warning(profile, datetime.now(UTC).date())
    if message:
        _err(f"icpchat: warning: {message}")


@cli.command()
@click.argument("csv_file", metavar="CUSTOMERS.csv", type=click.Path(dir_okay=False))
@click.option(
    "--map",
    "mapping",
    metavar="HEADER=FIELD,...",
    help="Name columns the headers don't reveal, e.g. 'Acct=company,Seats=employees'.",
)
@click.option(
    "--out", "out", default="-", show_default=True, metavar="FILE|-", help="Where to write the analysis JSON."
)
def analyze(csv_file: str, mapping: str | None, out: str) -> None:
    """Propose ICP answers from a CRM export, with evidence.

    \b
    Columns are found by header name (company, industry, employees, revenue, country,
    deal size, lifetime value, churned, expanded, sales cycle days...). The best customers
    (top 25% by lifetime value, else expanded and retained) are compared with the rest.
    Feed the result to `icpchat run --seed analysis.json`.
    """
    import json

    from icpchat.analysis.analyze import analyze as run_analysis
    from icpchat.analysis.table import parse_mapping, read_table
    from icpchat.store.atomic import atomic_write

    table = read_table(Path(csv_file), parse_mapping(mapping))
    result = run_analysis(table)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if out == "-":
        click.echo(text, nl=False)
    else:
        atomic_write(Path(out), text, mode=0o644)
        _err(f"wrote {out}")
    _err(
        f"{result['rows']} rows ({result['duplicates_removed']} duplicates removed); best customers: "
        f"{result['best_count']} ({result['best_rule']})"
    )


@cli.command()
@click.argument("csv_file", metavar="LEADS.csv", type=click.Path(dir_okay=False))
@click.option(
    "--profile", "profile_file", required=True, metavar="FILE", help="Profile JSON (or session) to score against."
)
@click.option("--map", "mapping", metavar="HEADER=FIELD,...", help="Name columns the headers don't reveal.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option(
    "--show-scale",
    is_flag=True,
    help="Print the qualification scale (JSON, editable into the profile's 'scoring') and exit.",
)
def score(csv_file: str, profile_file: str, mapping: str | None, fmt: str, show_scale: bool) -> None:
    """Score leads 0-100 against the ICP's qualification scale, best first.

    Each lead gets a tier (A/B/C/D, or disqualified: a disqualifying value beats any
    points) and the reasons. Edit weights and values in the profile JSON's `scoring`.
    """
    import csv as csvmod
    import json

    from icpchat import services
    from icpchat.analysis.scoring import as_records, scales_for, score_leads
    from icpchat.analysis.table import parse_mapping, read_table

    profile = services.load_profile_file(Path(profile_file), services.load_settings())
    _warn_stale(profile)
    if show_scale:
        click.echo(json.dumps([s.model_dump(exclude_none=True) for s in scales_for(profile)], indent=2))
        return
    table = read_table(Path(csv_file), parse_mapping(mapping))
    records = as_records(table, score_leads(table, profile))
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    writer = csvmod.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["score", "tier", "icp", *table.headers, "reasons"])
    for r in records:
        writer.writerow(
            [r["score"], r["tier"], r["icp"], *(r["row"].get(h, "") for h in table.headers), "; ".join(r["reasons"])]
        )


@cli.group()
def sessions() -> None:
    """Saved interviews: list, show, export, delete."""


@sessions.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def sessions_list(as_json: bool) -> None:
    """Saved sessions, most recently edited first."""
    import json

    from icpchat import services

    settings = services.load_settings()
    rows = services.session_summaries(settings)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        _err("No saved sessions yet. Start one with: icpchat")
        return
    click.echo(f"{'NAME':<24} {'LAST EDITED':<20} {'DONE':>5}  BUSINESS")
    for r in rows:
        click.echo(
            f"{r['name']:<24} {r['updated_at'][:16].replace('T', ' '):<20} {r['completeness']:>4}%  {r['business']}"
        )


@sessions.command(name="show")
@click.argument("name")
def sessions_show(name: str) -> None:
    """Print a session's draft as Markdown."""
    from icpchat import services
    from icpchat.export.registry import render

    settings = services.load_settings()
    session = services.build_store(settings).load(name)
    profile = services.profile_from_session(session, settings)
    sys.stdout.buffer.write(render(profile, services.build_catalog(settings), "md"))


@sessions.command(name="export")
@click.argument("name")
@click.option("--out", "out", default="-", show_default=True, metavar="DIR|-", help="Folder, or - for stdout.")
@click.option("--format", "formats", default=None, metavar="md,json", help="Comma-separated formats.")
def sessions_export(name: str, out: str, formats: str | None) -> None:
    """Export a session's draft to files."""
    from icpchat import services

    settings = services.load_settings()
    fmts = _formats(formats, out)
    session = services.build_store(settings).load(name)
    _write_outputs(services.profile_from_session(session, settings), services.build_catalog(settings), fmts, out)


@sessions.command(name="delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def sessions_delete(name: str, yes: bool) -> None:
    """Delete a saved session (asks first unless --yes)."""
    from icpchat import services

    store = services.build_store(services.load_settings())
    if not store.exists(name):
        store.load(name)  # raises the "no session named ..." error with the list
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("refusing to delete without confirmation; pass --yes", key="sessions delete")
        click.confirm(f"Delete session {name!r}? This cannot be undone", abort=True)
    store.delete(name)
    _err(f"deleted session {name}")


@cli.command()
@click.argument("question")
@click.option(
    "--k",
    "k",
    type=click.IntRange(1, 20),
    default=None,
    metavar="N",
    help="How many passages to show (default: the guidance_k setting, 3).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--llm",
    type=LLM,
    default=None,
    help="openai: a model answers from the passages, citing them (auto: when configured).",
)
@click.option("--no-fallback", is_flag=True, help="Exit 4 when the LLM fails, instead of showing the passages.")
def ask(question: str, k: int | None, as_json: bool, llm: str | None, no_fallback: bool) -> None:
    """Best-practice guidance for a question, with cited sources.

    \b
    Searches the built-in articles and any documents you added with `icpchat ingest`.
    The first run builds the index (a few seconds); later runs answer at once.
    Examples:
      icpchat ask "how long does it take them to buy?"
      icpchat ask "who should we not sell to?" --k 5 --json
    """
    import json

    from icpchat import services

    if not question.strip():
        raise InputError('give a question, e.g. icpchat ask "who should we not sell to?"', key="QUESTION")
    settings = services.load_settings(llm=llm)
    model = services.build_llm(settings, fallback=not no_fallback)
    citations = services.build_knowledge_base(settings).search(question, k or settings.guidance_k)
    if as_json:
        payload = {"question": question, "citations": [c.model_dump() for c in citations]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not citations:
        _err("Nothing in the knowledge base matches that question.")
        return
    if model.mode == "llm":
        for piece in model.stream_answer(question, citations):  # printed as it arrives
            click.echo(piece, nl=False)
        click.echo()
        return
    for n, c in enumerate(citations, 1):
        click.echo(click.style(f"[{n}] {c.title}" + (f" — {c.heading}" if c.heading else ""), bold=True))
        click.echo(c.text)
        click.echo(click.style(f"    source: {c.source}, score {c.score:.2f}", dim=True))
        click.echo()


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
def ingest(paths: tuple[str, ...]) -> None:
    """Add your own Markdown or text documents to the knowledge base.

    \b
    A sales playbook, interview notes, win/loss write-ups: `ask` and the interview's
    guidance will cite them next to the built-in articles. A folder adds every .md,
    .markdown and .txt file in it. A document is known by its file name: ingesting
    the same name again replaces the earlier version (`icpchat kb remove NAME` drops it).
    """
    from icpchat import services
    from icpchat.retrieval.userdocs import expand

    kb = services.build_knowledge_base(services.load_settings())
    added = kb.ingest(expand([Path(p) for p in paths]))
    for name, chunks in added.items():
        _err(f"added {name} ({chunks} passage{'s' * (chunks != 1)})")


@cli.group(name="kb")
def kb_group() -> None:
    """The knowledge base: status, rebuild, remove a document."""


@kb_group.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def kb_status(as_json: bool) -> None:
    """Where the index lives, what is in it and whether it is up to date."""
    import json

    from icpchat import services

    status = services.build_knowledge_base(services.load_settings()).status().to_dict()
    if as_json:
        click.echo(json.dumps(status, indent=2))
        return
    click.echo(f"index:      {status['location']} ({status['backend']}, collection {status['collection']})")
    click.echo(f"model:      {status['model']}")
    click.echo(f"articles:   {status['articles']} built-in")
    click.echo(f"your docs:  {', '.join(f'{n} ({c})' for n, c in status['user_docs'].items()) or 'none'}")
    click.echo(f"passages:   {status['chunks']}")
    click.echo(
        f"up to date: {'yes' if status['up_to_date'] else 'no: ' + status['reason'] + ' (it is rebuilt on next use)'}"
    )


@kb_group.command(name="rebuild")
def kb_rebuild() -> None:
    """Rebuild the index from the built-in articles and your documents' files."""
    from icpchat import services

    status = services.build_knowledge_base(services.load_settings()).rebuild()
    _err(
        f"rebuilt: {status.chunks} passages from {status.articles} articles and {len(status.user_docs)} of your documents"
    )


@kb_group.command(name="remove")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
def kb_remove(names: tuple[str, ...]) -> None:
    """Remove documents you ingested, by file name (see `icpchat kb status`)."""
    from icpchat import services

    removed = services.build_knowledge_base(services.load_settings()).remove(list(names))
    missing = [n for n in names if n not in removed]
    for name in removed:
        _err(f"removed {name}")
    if missing:
        raise InputError(f"not in the knowledge base: {', '.join(missing)}", key="NAME")


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and turns errors into one line on stderr and an exit code."""
    try:
        cli.main(args=argv, prog_name="icpchat", standalone_mode=False)
    except IcpchatError as exc:
        for line in str(exc).splitlines():
            _err(f"icpchat: error: {line}")
        sys.exit(int(exc.exit_code))
    except click.exceptions.Abort:
        _err("icpchat: interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))
    except KeyboardInterrupt:
        _err("icpchat: interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))
    except click.ClickException as exc:
        exc.show()
        sys.exit(int(ExitCode.USAGE))
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # `icpchat run ... | head`: the reader left; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(int(ExitCode.OK))
    except Exception as exc:
        if os.environ.get("ICPCHAT_DEBUG"):
            raise
        _err(f"icpchat: internal error: {type(exc).__name__}: {exc}")
        _err("icpchat: set ICPCHAT_DEBUG=1 to see the traceback, and please report it")
        sys.exit(int(ExitCode.INTERNAL))
