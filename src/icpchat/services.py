"""Composition root: builds the engine, store, runner and app from :class:`Settings`.

The CLI and the tests both go through these factories, so what the tests exercise is what
users run. Heavy pieces (Chroma, the LLM client, Textual) are imported only here, lazily.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from icpchat import paths
from icpchat.errors import InputError

if TYPE_CHECKING:
    from icpchat.domain.models import Profile
    from icpchat.llm.port import LLM
    from icpchat.questions.models import Catalog
    from icpchat.runner import Runner
    from icpchat.settings import Settings
    from icpchat.store.sessions import Session, SessionStore


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and config file; a bad value is an InputError (exit 2)."""
    from pydantic import ValidationError

    from icpchat.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise InputError.from_validation(exc, file=str(paths.config_file())) from None
    except ValueError as exc:  # malformed TOML
        raise InputError(f"cannot read config: {exc}", file=str(paths.config_file())) from None


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

    return session_profile(session, build_runner(settings))


def load_profile_file(path: Path, settings: Settings) -> Profile:
    """A profile JSON (as exported) or a saved session file, as a :class:`Profile`."""
    import json

    from pydantic import ValidationError

    from icpchat.domain.models import Profile
    from icpchat.store.sessions import load_session_file

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read a profile or session JSON: {exc}", file=str(path)) from None
    if isinstance(data, dict) and data.get("format") == "icpchat-session":
        return profile_from_session(load_session_file(path), settings)
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError("not an icpchat profile (no schema_version) or session file", file=str(path))
    if data["schema_version"] != "1.0":
        raise InputError(
            f"schema_version {data['schema_version']!r} is not supported; this icpchat reads 1.0",
            file=str(path),
            key="schema_version",
        )
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, file=str(path)) from None


def session_summaries(settings: Settings) -> list[dict[str, Any]]:
    """Name, last edit, completeness and business name of each saved session, newest first."""
    from icpchat.engine.interview import Interview
    from icpchat.errors import SessionError

    store = build_store(settings)
    catalog = build_catalog(settings)
    rows = []
    for name in store.names():
        try:
            session = store.load(name)
        except SessionError as exc:
            rows.append({"name": name, "updated_at": "", "completeness": 0, "business": f"(unreadable: {exc.problem})"})
            continue
        interview = Interview(catalog, session.state)
        business = session.state.business.name
        rows.append(
            {
                "name": name,
                "updated_at": session.updated_at.isoformat(),
                "completeness": interview.completeness(),
                "business": business.raw if business is not None and isinstance(business.raw, str) else "",
            }
        )
    return sorted(rows, key=lambda r: r["updated_at"], reverse=True)


def most_recent_session(settings: Settings) -> str | None:
    rows = session_summaries(settings)
    return rows[0]["name"] if rows else None


def build_knowledge_base(settings: Settings, *, progress: Any = "stderr") -> Any:
    """The knowledge base (:class:`icpchat.retrieval.kb.KnowledgeBase`); nothing is opened
    or built until its first search."""
    from icpchat.retrieval import build_knowledge_base as build

    return build(settings, progress=progress)


def build_conversation(settings: Settings, name: str, *, knowledge: Any = None) -> Any:
    """Open (or create) session ``name`` and lock it for this process.

    Returns a :class:`icpchat.conversation.Conversation`; its ``lock`` attribute must be
    released when the chat ends.
    """
    from icpchat.conversation import Conversation
    from icpchat.engine.interview import Interview, InterviewState
    from icpchat.store.sessions import Session

    store = build_store(settings)
    lock = store.acquire(name)
    try:
        if store.exists(name):
            session = store.load(name)
        else:
            session = Session.new(name, InterviewState(depth=settings.depth), now=clock()())
            store.save(session, now=session.created_at)
    except BaseException:
        lock.release()
        raise
    runner = build_runner(settings)
    conversation = Conversation(
        Interview(runner.catalog, session.state),
        session,
        store,
        runner,
        knowledge=knowledge,
        clock=clock(),
        llm=build_llm(settings),
    )
    conversation.lock = lock  # type: ignore[attr-defined]
    return conversation


_DEFAULT: Any = object()


def build_app(
    settings: Settings, *, session_name: str | None = None, resume: bool = False, knowledge: Any = _DEFAULT
) -> Any:
    """The Textual app `icpchat chat` runs and the snapshot tests render.

    ``knowledge`` defaults to the knowledge base; tests pass None (no guidance) or a fake.
    """
    from icpchat.tui.app import ICPChatApp

    if resume and session_name is None:
        session_name = most_recent_session(settings)
        if session_name is None:
            raise InputError("there is no saved session to resume; start one with: icpchat", key="--resume")
    if knowledge is _DEFAULT:
        # Progress bars would draw over the TUI: the index builds silently, in a worker.
        knowledge = build_knowledge_base(settings, progress=None)
    return ICPChatApp(
        settings=settings,
        open_session=lambda name: build_conversation(settings, name, knowledge=knowledge),
        list_sessions=lambda: session_summaries(settings),
        session_name=session_name,
    )
