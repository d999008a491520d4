"""Exception types and the process exit codes of the CLI (see DESIGN.md, Commands)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    FINDINGS = 1
    """`icpchat lint --strict` found errors (a linter's usual exit code)."""
    USAGE = 2
    INCOMPLETE = 3
    LLM_FAILED = 4
    INTERRUPTED = 130


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


class AnswerError(InputError):
    """An answer that cannot be taken for its question (wrong type, unknown choice...)."""


class SessionError(InputError):
    """A saved session that is missing, locked by another process or unreadable."""


class IncompleteProfile(IcpchatError):
    """Required answers are missing and the run was asked to be strict."""

    exit_code = ExitCode.INCOMPLETE


class LLMUnavailable(IcpchatError):
    """The LLM provider failed and falling back to offline behaviour was refused."""

    exit_code = ExitCode.LLM_FAILED
