"""Composition root: builds the engine, store, runner and app from :class:`Settings`.

The CLI and the tests both go through these factories, so what the tests exercise is what
users run. Heavy pieces (Chroma, the LLM client, Textual) are imported only here, lazily.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from icpchat import paths
from icpchat.errors import InputError

if TYPE_CHECKING:
    from icpchat.conversation import Conversation
    from icpchat.domain.models import Profile
    from icpchat.export.document import DocumentOptions
    from icpchat.llm.port import LLM
    from icpchat.questions.models import Catalog
    from icpchat.retrieval.base import Retriever
    from icpchat.runner import Runner
    from icpchat.settings import Settings
    from icpchat.store.sessions import Session, SessionStore
    from icpchat.store.summaries import SessionSummary
    from icpchat.tui.app import ICPChatApp


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and config file; a bad value is an InputError (exit 2)."""
    from pydantic import ValidationError

    from icpchat.settings import Settings

    config = paths.config_file()
    if config.exists() and not config.is_file():
        # pydantic-settings reads only a file there and would silently use the defaults.
        kind = "a folder" if config.is_dir() else "not a regular file"
        raise InputError(f"is {kind}; the settings file must be a TOML file (or absent)", file=str(config))
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise InputError.from_validation(exc, file=str(config)) from None
    except ValueError as exc:  # malformed TOML
        raise InputError(f"cannot read config: {exc}", file=str(config)) from None
    except OSError as exc:  # unreadable: permissions, a dangling link...
        raise InputError(f"cannot read config: {exc.strerror or exc}", file=str(config)) from None


def clock() -> Callable[[], datetime]:
    """Now, or SOURCE_DATE_EPOCH when set, so scripted runs can be byte-for-byte reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            fixed = datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise InputError("expected whole seconds since 1970", key="SOURCE_DATE_EPOCH") from None
        return lambda: fixed
    return lambda: datetime.now(UTC)


def build_catalog(settings: Settings | None = None) -> Catalog:
    from icpchat.questions.loader import load_catalog

    return load_catalog()


def build_store(settings: Settings) -> SessionStore:
    from icpchat.store.sessions import SessionStore

    return SessionStore(settings.sessions_dir)


def build_llm(settings: Settings, *, fallback: bool = True) -> LLM:
    """The LLM port the settings ask for: a model when configured, else the offline rules.
    Cheap: langchain_openai is imported on the model's first call, not here."""
    from icpchat.llm import build_llm as build

    return build(settings, fallback=fallback)


def build_runner(settings: Settings, *, guidance: bool = False, llm: LLM | None = None) -> Runner:
    """The scripted runner; with ``guidance`` it records the knowledge passages for each
    answered question (this opens the knowledge base, so it is opt-in for speed)."""
    from icpchat.runner import Runner

    guide = None
    if guidance:
        from icpchat.retrieval import build_guide

        guide = build_guide(
            settings, on_error=lambda exc: print(f"icpchat: warning: no guidance: {exc}", file=sys.stderr)
        )
    return Runner(build_catalog(settings), clock=clock(), review_months=settings.review_months, guide=guide, llm=llm)


def profile_from_session(session: Session, settings: Settings) -> Profile:
    from icpchat.conversation import session_profile

    return session_profile(session, build_catalog(settings), settings.review_months)


def load_profile_file(path: Path, settings: Settings) -> Profile:
    """A profile JSON (as exported) or a saved session file, as a :class:`Profile`."""
    from icpchat.store.profiles import read_profile_file
    from icpchat.store.sessions import Session

    loaded = read_profile_file(path)
    return profile_from_session(loaded, settings) if isinstance(loaded, Session) else loaded


@dataclass(frozen=True)
class RunRequest:
    """What `icpchat run` is asked to do: its options, as parsed by the CLI."""

    answers: str
    """The answers file, or ``-`` for stdin."""
    out: str = "-"
    """A folder for ``<slug>.<ext>`` files, or ``-`` for stdout."""
    formats: str | None = None
    """Comma-separated formats; None: md for stdout, md and json for a folder."""
    strict: bool = False
    """Raise IncompleteProfile (exit 3) when required answers are missing, after writing."""
    seed: str | None = None
    """An `icpchat analyze` output that pre-fills the ICP; the answers override it."""
    guidance: bool = False
    """Cite knowledge-base passages for each answered question (opens the index), and add
    them to the documents as an appendix."""
    findings: bool = False
    """Add the quality findings to the documents ("Open points")."""
    fallback: bool = True
    """False: a failing LLM raises LLMUnavailable (exit 4) instead of falling back."""


def run_answers(
    settings: Settings, request: RunRequest, *, stdin: BinaryIO, stdout: BinaryIO, say: Callable[[str], None]
) -> Profile:
    """`icpchat run`: read the answers (and seed), build the profile, write every format.

    ``stdin`` and ``stdout`` are byte streams (``-`` reads and writes them); ``say`` takes the
    progress and warnings meant for a person. Bad input raises InputError before anything is
    written; under ``strict`` the files are written first, then IncompleteProfile is raised.
    """
    from icpchat.runner import check_complete, decode_answers, read_answers

    fmts = output_formats(request.formats, request.out)
    file, raw = read_answers(request.answers, stdin)
    data = decode_answers(raw, file)
    seed_data = None
    if request.seed:
        seed_file, seed_raw = read_answers(request.seed, stdin)
        seed_data = decode_answers(seed_raw, seed_file)
    llm = build_llm(settings, fallback=request.fallback)  # may raise LLMUnavailable: exit 4
    reviewer = llm if llm.mode == "llm" else None
    runner = build_runner(settings, guidance=request.guidance, llm=reviewer)
    if reviewer is not None:
        say(f"icpchat: reviewing each answer with {reviewer.model}...")
    profile = runner.run(data, file, seed=seed_data, seed_file=request.seed or "")
    for notice in llm.notices:
        say(f"icpchat: warning: {notice}")
    options = document_options(settings, findings=request.findings, guidance=request.guidance)
    write_outputs(profile, runner.catalog, fmts, request.out, stdout=stdout, say=say, options=options)
    if request.strict:
        check_complete(profile)
    return profile


def output_formats(spec: str | None, out: str) -> list[str]:
    """The formats to write: md alone for stdout, md and json for a folder, unless given."""
    from icpchat.export.registry import parse_formats

    fmts = parse_formats(spec or ("md" if out == "-" else "md,json"))
    if out == "-" and len(fmts) > 1:
        raise InputError("stdout takes one format; use --out DIR for several", key="--format")
    return fmts


def document_options(settings: Settings, *, findings: bool = False, guidance: bool = False) -> DocumentOptions:
    """What the documents include (findings, guidance appendix) and their page and language."""
    from icpchat.export.document import DocumentOptions

    return DocumentOptions(findings=findings, guidance=guidance, paper=settings.paper, language=settings.language)


def write_outputs(
    profile: Profile,
    catalog: Catalog,
    fmts: list[str],
    out: str,
    *,
    stdout: BinaryIO,
    say: Callable[[str], None],
    options: DocumentOptions | None = None,
) -> list[Path]:
    """Write each format into folder ``out`` as <slug>.<ext>, or the one format to ``stdout``
    (``out`` is ``-``). Returns the files written. ``options`` shape the documents (see
    :func:`document_options`); the JSON always holds everything.

    Every format is rendered before anything is written, and the files replace the old ones
    as one set (:func:`icpchat.store.atomic.replace_together`): a failure or a kill leaves
    the previous export whole, never some formats new and some old."""
    from icpchat.export.registry import default_filename, render
    from icpchat.store.atomic import replace_together

    if out == "-":
        if fmts[0] == "docx" and stdout.isatty():
            raise InputError("docx is binary: use --out DIR, or redirect stdout to a file", key="--format")
        stdout.write(render(profile, catalog, fmts[0], options))
        stdout.flush()
        return []
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError("not a folder", file=out, key="--out")
    files = {default_filename(profile, fmt): render(profile, catalog, fmt, options) for fmt in fmts}
    try:
        written = replace_together(folder, files, mode=0o644)
    except OSError as exc:
        raise InputError(f"cannot write there: {exc.strerror or exc}", file=out, key="--out") from None
    for target in written:
        say(f"wrote {target}")
    return written


def session_summaries(settings: Settings) -> list[SessionSummary]:
    """Name, last edit, completeness and business name of each saved session, newest first."""
    from icpchat.store.summaries import summarize

    return summarize(build_store(settings), build_catalog(settings))


def most_recent_session(settings: Settings) -> str | None:
    rows = session_summaries(settings)
    return rows[0].name if rows else None


def build_knowledge_base(settings: Settings, *, progress: Any = "stderr", build_in_child: bool = False) -> Any:
    """The knowledge base (:class:`icpchat.retrieval.kb.KnowledgeBase`); nothing is opened
    or built until its first search."""
    from icpchat.retrieval import build_knowledge_base as build

    return build(settings, progress=progress, build_in_child=build_in_child)


def build_conversation(settings: Settings, name: str, *, knowledge: Retriever | None = None) -> Conversation:
    """Open (or create) session ``name``, locked for this process until ``close()``."""
    from icpchat.conversation import Conversation, Tools
    from icpchat.engine.interview import InterviewState
    from icpchat.store.handle import OpenSession

    now = clock()
    handle = OpenSession.open(
        build_store(settings), name, new_state=lambda: InterviewState(depth=settings.depth), now=now()
    )
    tools = Tools(
        knowledge=knowledge,
        llm=build_llm(settings),
        clock=now,
        review_months=settings.review_months,
        document=document_options(settings),
    )
    return Conversation(handle, build_catalog(settings), tools)


_DEFAULT: Any = object()


def build_app(
    settings: Settings, *, session_name: str | None = None, resume: bool = False, knowledge: Any = _DEFAULT
) -> ICPChatApp:
    """The Textual app `icpchat chat` runs and the snapshot tests render.

    ``knowledge`` defaults to the knowledge base; tests pass None (no guidance) or a fake.
    """
    from icpchat.tui.app import ICPChatApp

    if session_name is not None:
        build_store(settings).check(session_name)  # a folder in its place: exit 2 before the screen opens
    if resume and session_name is None:
        session_name = most_recent_session(settings)
        if session_name is None:
            raise InputError("there is no saved session to resume; start one with: icpchat", key="--resume")
        build_store(settings).check(session_name)
    elif resume and session_name is not None and not (store := build_store(settings)).exists(session_name):
        # --resume promises an existing session: a typo must not quietly start an empty one.
        known = ", ".join(store.names()) or "none saved yet"
        raise InputError(f"no saved session named {session_name!r} to resume (sessions: {known})", key="--session")
    if knowledge is _DEFAULT:
        # Progress bars would draw over the TUI: the index builds silently, in a child
        # process (Chroma's writes hold the GIL and would freeze the screen).
        knowledge = build_knowledge_base(settings, progress=None, build_in_child=True)
    app = ICPChatApp(
        settings=settings,
        open_session=lambda name: build_conversation(settings, name, knowledge=knowledge),
        list_sessions=lambda: session_summaries(settings),
        session_name=session_name,
        knowledge=knowledge,
    )
    _crash_report_without_locals(app)
    return app


def _crash_report_without_locals(app: ICPChatApp) -> None:
    """Report a crash in the chat without the values of local variables.

    Textual prints an unhandled exception as a Rich traceback with every frame's locals
    (``App._fatal_error`` passes show_locals=True, as of textual 8.2), and in the chat those hold
    the session: answers, the founder's drafts, the session file's JSON. The traceback is
    still shown, without them. This replaces a private Textual method on the instance, so
    tests/cli/test_session_damage.py checks it still takes effect; it belongs in
    ICPChatApp (tui/app.py) once the chat's rework has landed.
    """
    from rich.traceback import Traceback

    def fatal_error() -> None:
        app.bell()
        app.panic(Traceback(show_locals=False, width=None))

    vars(app)["_fatal_error"] = fatal_error


def run_chat(settings: Settings, *, session_name: str | None = None, resume: bool = False) -> int:
    """Run the chat until the founder quits; returns the exit code.

    Every answer is on disk and the session's lock released when the app returns. A guidance
    lookup may still run on its daemon thread: the knowledge base's shutdown waits for that
    one search and refuses new ones, so the interpreter never finalises under onnxruntime.
    """
    app = build_app(settings, session_name=session_name, resume=resume)
    try:
        app.run()
    finally:
        app.shutdown()
        # The process ends next: spare the interpreter's final collection the walk over the
        # chat's few hundred thousand objects (0.3-0.5 s after Ctrl+Q). Nothing is lost: every
        # answer is on disk and the session's lock is released by now.
        gc.freeze()
    return app.return_code or 0
