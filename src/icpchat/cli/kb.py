"""Knowledge-base commands: `ask` for cited guidance, `ingest` your documents, `kb` upkeep."""

from __future__ import annotations

from pathlib import Path

import click

from icpchat.cli.common import LLM, echo, echo_json, err
from icpchat.errors import InputError


@click.command()
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
    from icpchat import services

    if not question.strip():
        raise InputError('give a question, e.g. icpchat ask "who should we not sell to?"', key="QUESTION")
    from icpchat.retrieval.wording import NOTHING_ANSWERS, language_note
    from icpchat.text.passages import passage_plain

    settings = services.load_settings(llm=llm)
    model = services.build_llm(settings, fallback=not no_fallback)
    citations = services.build_knowledge_base(settings).search(question, k or settings.guidance_k)
    note = language_note(question)
    if as_json:
        payload = {"question": question, "citations": [c.model_dump() for c in citations], "note": note}
        echo_json(payload)
        return
    if note:
        err(note)
    if not citations:  # nothing clears the knowledge base's floor: not an error, an answer
        err(NOTHING_ANSWERS)
        return
    if model.mode == "llm":
        for piece in model.stream_answer(question, citations):  # printed as it arrives
            echo(piece, nl=False)
        echo()
        return
    for n, c in enumerate(citations, 1):
        echo(f"[{n}] {c.title}" + (f" — {c.heading}" if c.heading else ""), style={"bold": True})
        echo(passage_plain(c.text))
        echo(f"    source: {c.source}, score {c.score:.2f}", style={"dim": True})
        echo()


@click.command()
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
        err(f"added {name} ({chunks} passage{'s' * (chunks != 1)})")


@click.group(name="kb")
def kb_group() -> None:
    """The knowledge base: status, rebuild, remove a document."""


@kb_group.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def kb_status(as_json: bool) -> None:
    """Where the index lives, what is in it and whether it is up to date."""
    from icpchat import services

    status = services.build_knowledge_base(services.load_settings()).status().to_dict()
    if as_json:
        echo_json(status, ensure_ascii=True)
        return
    echo(f"index:      {status['location']} ({status['backend']}, collection {status['collection']})")
    echo(f"model:      {status['model']}")
    echo(f"articles:   {status['articles']} built-in")
    echo(f"your docs:  {', '.join(f'{n} ({c})' for n, c in status['user_docs'].items()) or 'none'}")
    echo(f"passages:   {status['chunks']}")
    echo(f"up to date: {'yes' if status['up_to_date'] else 'no: ' + status['reason'] + ' (it is rebuilt on next use)'}")


@kb_group.command(name="rebuild")
def kb_rebuild() -> None:
    """Rebuild the index from the built-in articles and your documents' files."""
    from icpchat import services

    status = services.build_knowledge_base(services.load_settings()).rebuild()
    err(
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
        err(f"removed {name}")
    if missing:
        raise InputError(f"not in the knowledge base: {', '.join(missing)}", key="NAME")
