"""Reading a profile from disk: a profile JSON as exported, or a saved session file.

`export`, `lint`, `diff` and `score` accept either. This module tells them apart and
validates the file; turning a session into a profile is the composition root's job
(:func:`icpchat.services.load_profile_file`), since it needs the question catalog and a clock.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path

from pydantic import ValidationError

from icpchat.domain.models import SCHEMA_VERSION, Profile
from icpchat.errors import InputError
from icpchat.store.sessions import Session, load_session_file
from icpchat.text.structured import DataError, load_json

#: The schema versions this icpchat reads: every minor version of 1 up to its own (1.1 only
#: added optional fields, so a 1.0 file is a valid 1.1 profile once read).
READABLE_VERSIONS: tuple[str, ...] = typing.get_args(Profile.model_fields["schema_version"].annotation)


def read_profile_file(path: Path) -> Profile | Session:
    """The profile, or the session, that ``path`` holds; any problem is an InputError
    naming the file (and the key path, for a profile that does not validate)."""
    try:
        data = load_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, DataError) as exc:
        raise InputError(f"cannot read a profile or session JSON: {exc}", file=str(path)) from None
    if isinstance(data, dict) and data.get("format") == "icpchat-session":
        return load_session_file(path)
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError("not an icpchat profile (no schema_version) or session file", file=str(path))
    if data["schema_version"] not in READABLE_VERSIONS:
        raise InputError(
            f"schema_version {data['schema_version']!r} is not supported; "
            f"this icpchat reads {' and '.join(READABLE_VERSIONS)}",
            file=str(path),
            key="schema_version",
        )
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(exc, file=str(path)) from None
    # Read as the current version: written again, the file says what it now holds (a 1.0
    # persona's single buying role has become a one-item list).
    return profile.model_copy(update={"schema_version": SCHEMA_VERSION})
