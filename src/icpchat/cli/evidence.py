"""`icpchat evidence`: quotes from interview notes and call transcripts for and against the profile."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from icpchat.cli.common import LLM, echo, echo_json, err, warn_stale
from icpchat.errors import InputError

if TYPE_CHECKING:
    from icpchat.evidence.match import Outcome

_LABEL = {"belief": "belief   ", "supported": "supported", "contested": "CONTESTED"}


@click.command("evidence")
@click.argument("notes", nargs=-1, required=True, metavar="NOTES...", type=click.Path())
@click.option("--profile", "profile_file", required=True, metavar="FILE", help="Profile JSON (or session) to ground.")
@click.option("--out", required=True, metavar="NEW.json", help="Where the profile with its evidence is written.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--llm", type=LLM, default=None, help="auto: a model judges each quote when one is configured.")
def evidence(notes: tuple[str, ...], profile_file: str, out: str, fmt: str, llm: str | None) -> None:
    """Find what customers said for and against each ICP and persona answer.

    \b
    NOTES are interview notes (.md, .txt: one fact per line or bullet, 'Name:' for who
    said it) and call transcripts (.vtt with <v Name> tags, .srt with 'Name:' lines), or
    folders of them. Each answer gets the quotes that support or contradict it (source,
    line or timestamp, speaker) and a confidence: belief (only your word), supported (two
    sources or more agree, none contradicts) or contested (a source contradicts).
    Small talk and your own questions are left out. Offline, the shipped embedding model
    and negation cues decide; with a model (--llm auto and OPENAI_API_KEY or
    OPENAI_BASE_URL) it judges each quote, and the offline verdict stands where it fails.

    \b
    Examples:
      icpchat evidence interviews/ calls/*.vtt --profile acme.json --out acme.json
      icpchat evidence notes.md --profile acme.json --out grounded.json --format json
    """
    from icpchat import services
    from icpchat.evidence import read_all
    from icpchat.evidence.match import Judge, find_evidence
    from icpchat.retrieval.embeddings import shared_embedder

    if Path(out).is_dir():
        raise InputError("is a folder; --out names the new profile's file, e.g. grounded.json", file=out)
    settings = services.load_settings(llm=llm)
    profile = services.load_profile_file(Path(profile_file), settings)
    warn_stale(profile)
    utterances = read_all(notes, progress=err)
    model = services.build_llm(settings)
    judge = model if model.mode == "llm" and isinstance(model, Judge) else None
    outcome = find_evidence(profile, utterances, shared_embedder(), judge=judge, progress=err)
    for notice in outcome.notices:
        err(f"icpchat: warning: {notice}")
    _write(outcome, Path(out))
    err(f"wrote {out}")
    if fmt == "json":
        from icpchat.evidence.match import summary_rows

        echo_json({"out": out, "utterances": outcome.utterances, "fields": summary_rows(outcome)})
    else:
        echo(text_summary(outcome), nl=False)


def _write(outcome: Outcome, path: Path) -> None:
    from icpchat.export.jsonfmt import render_json
    from icpchat.store.atomic import atomic_write

    try:
        atomic_write(path, render_json(outcome.profile), mode=0o644)
    except OSError as exc:
        raise InputError(f"cannot write it: {exc.strerror or exc}", file=str(path)) from None


def text_summary(outcome: Outcome) -> str:
    """One line per answered field: its confidence, its counts, and the quote a document shows."""
    from icpchat.evidence.match import summary_rows

    rows = summary_rows(outcome)
    lines = [f"{outcome.utterances} utterances read, {outcome.sentences} customer sentences weighed\n"]
    for row in rows:
        lines.append(_row(row))
    counts = {label: sum(r["confidence"] == label for r in rows) for label in _LABEL}
    lines.append(f"\n{counts['supported']} supported, {counts['contested']} contested, {counts['belief']} belief\n")
    return "".join(lines)


def _row(row: dict[str, Any]) -> str:
    line = f"{_LABEL[row['confidence']]}  {row['field']}  (+{row['supports']} -{row['contradicts']})\n"
    best = row["best"]
    if best:
        who = f"{best['speaker']}, " if best.get("speaker") else ""
        sign = "+" if best["stance"] == "supports" else "-"
        line += f'    {sign} "{best["quote"]}" ({who}{best["source"]}, {best["location"]})\n'
    return line
