"""Exception types, the process exit codes of the CLI, and one formatter for validation errors.

The exit codes are a public contract (scripts and CI branch on them); the list users read is
in README.md (section "Scripts and CI") and in `icpchat --help`. Keep the three in step.
Imports nothing heavy: the CLI loads this module before parsing its arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:
    from pydantic import ValidationError


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    """A bug: an unexpected exception (set ICPCHAT_DEBUG=1 for the traceback)."""
    USAGE = 2
    """Bad input or usage; the message names the file, the key path and the problem."""
    INCOMPLETE = 3
    """Required answers are missing under `run --strict`."""
    LLM_FAILED = 4
    """The LLM provider failed and fallback to the offline rules was refused (--no-fallback)."""
    FINDINGS = 5
    """`icpchat lint --strict` or `run --strict` found errors (other than missing answers: 3). Its own code, so CI can tell "the profile has
    problems" from "icpchat crashed" (1), which an alias of INTERNAL could not."""
    INTERRUPTED = 130


def key_path(loc: Sequence[int | str], data: Any = None) -> str:
    """A pydantic error location as the key path users see: ``icps[0].company_size.min``.

    With ``data`` (the validated input), a list item that has an ``id`` is named too:
    ``questions[3] (id: pains).kind``, so the reader finds it without counting.
    """
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and "id" in node:
                out += f" (id: {node['id']})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def validation_problem(exc: ValidationError, data: Any = None) -> tuple[str, str]:
    """The first error of a pydantic ValidationError as (key path, message)."""
    err = exc.errors()[0]
    return key_path(err["loc"], data), err["msg"]


class IcpchatError(Exception):
    """Base class: an error the CLI reports as one message, without a traceback."""

    exit_code: ExitCode = ExitCode.INTERNAL


class InputError(IcpchatError):
    """Bad input from the user: a file, a key in it, or a command-line value.

    The message reads ``FILE: KEY: PROBLEM`` so the user knows where to look.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, problem: str, *, file: str | None = None, key: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.key = key
        super().__init__(": ".join(part for part in (file, key, problem) if part))

    @classmethod
    def from_validation(cls, exc: ValidationError, *, file: str | None = None, data: Any = None) -> Self:
        """This error for the first problem pydantic found in ``data`` (read from ``file``)."""
        key, problem = validation_problem(exc, data)
        return cls(problem, file=file, key=key or None)


class AnswerError(InputError):
    """An answer that cannot be taken for its question (wrong type, unknown choice...)."""


class SessionError(InputError):
    """A saved session that is missing, locked by another process or unreadable."""


class IncompleteProfile(IcpchatError):
    """Required answers are missing and the run was asked to be strict."""

    exit_code = ExitCode.INCOMPLETE


class ProfileFindings(IcpchatError):
    """Error-level quality findings other than missing answers, under ``--strict``."""

    exit_code = ExitCode.FINDINGS


class _Judged(Protocol):
    """A quality finding, as far as ``--strict`` reads it (errors.py imports no models)."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def field(self) -> str: ...


def check_strict(findings: Sequence[_Judged]) -> None:
    """What ``--strict`` means, for `icpchat run` and `icpchat lint` alike (they disagreed).

    Missing required answers are "incomplete" (exit 3, as DESIGN.md's exit codes say); any
    other error-level finding, such as a persona linked to an ICP that does not exist, is
    exit 5. Missing answers win: filling them in is the first thing to do.
    """
    errors = [f for f in findings if f.severity == "error"]
    missing = [f for f in errors if f.rule == "required-missing"]
    if missing:
        raise IncompleteProfile(f"required answers missing: {', '.join(f.field for f in missing)}")
    if errors:
        rules = ", ".join(sorted({f.rule for f in errors}))
        raise ProfileFindings(f"{len(errors)} error-level finding{'s' * (len(errors) != 1)} ({rules})")


class LLMUnavailable(IcpchatError):
    """The LLM provider failed and falling back to offline behaviour was refused."""

    exit_code = ExitCode.LLM_FAILED
