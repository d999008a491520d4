"""`icpchat sessions`: list, show, export and delete saved interviews."""

from __future__ import annotations

import sys

import click

from icpchat.cli.common import FINDINGS_OPTION, GUIDANCE_APPENDIX, echo, echo_json, err
from icpchat.errors import InputError


@click.group()
def sessions() -> None:
    """Saved interviews: list, show, export, delete."""


@sessions.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def sessions_list(as_json: bool) -> None:
    """Saved sessions, most recently edited first."""
    from icpchat import services

    settings = services.load_settings()
    rows = services.session_summaries(settings)
    if as_json:
        echo_json([r.as_json() for r in rows], ensure_ascii=True)
        return
    if not rows:
        err("No saved sessions yet. Start one with: icpchat")
        return
    echo(f"{'NAME':<24} {'LAST EDITED':<20} {'DONE':>5}  BUSINESS")
    for r in rows:
        echo(f"{r.name:<24} {r.updated_at[:16].replace('T', ' '):<20} {r.completeness:>4}%  {r.business}")


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
@FINDINGS_OPTION
@GUIDANCE_APPENDIX
def sessions_export(name: str, out: str, formats: str | None, findings: bool, guidance: bool) -> None:
    """Export a session's draft to files."""
    from icpchat import services

    settings = services.load_settings()
    fmts = services.output_formats(formats, out)
    session = services.build_store(settings).load(name)
    profile = services.profile_from_session(session, settings)
    options = services.document_options(settings, findings=findings, guidance=guidance)
    catalog = services.build_catalog(settings)
    services.write_outputs(profile, catalog, fmts, out, stdout=sys.stdout.buffer, say=err, options=options)


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
        if not click.confirm(f"Delete session {name!r}? This cannot be undone"):
            err(f"kept session {name}")  # a "no" is an answer, not an interruption: exit 0
            return
    store.delete(name)
    err(f"deleted session {name}")
