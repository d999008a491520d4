"""The command line. It parses arguments, calls services and prints; it holds no logic.

stdout carries data (profiles, JSON), stderr carries talk (progress, warnings, errors), and
exit codes follow :class:`icpchat.errors.ExitCode`. The commands live in one module per
family (profiles, data, kb, sessions); this module holds the group and :func:`main`, which
turns errors into one line and an exit code. Only click and light modules are imported at
module level so that `icpchat --help` answers at once.
"""

from __future__ import annotations

import os
import sys

import click

from icpchat import __version__
from icpchat.cli import data, evidence, kb, outcomes, profiles
from icpchat.cli.common import DEPTH, LLM, err
from icpchat.cli.sessions import sessions
from icpchat.errors import ExitCode, IcpchatError

__all__ = ["cli", "main"]

EPILOG = """\b
Examples:
  icpchat                                   start (or continue) the interview in the terminal
  icpchat --session acme --resume           continue the session named acme
  icpchat run --answers acme.yaml --out docs/ --format md,json
  cat acme.yaml | icpchat run --answers - --format json > acme.json
  icpchat ask "who should we not sell to?"  guidance from the knowledge base, cited
  icpchat questions --depth quick           what the quick interview asks
  icpchat sessions list                     saved interviews, newest first
  icpchat evidence notes/ --profile acme.json --out acme.json   quotes for and against each answer

\b
Exit codes: 0 ok, 1 internal error, 2 bad input or usage, 3 incomplete under --strict,
4 LLM failed and fallback refused, 5 error-level findings under run/lint --strict, 130 interrupted.
Files live under $ICPCHAT_HOME (default: your platform's user data folder).
"""


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
        ctx.invoke(profiles.chat, session_name=session_name, resume=resume, llm=llm, depth=depth)


for _command in (
    profiles.chat,
    profiles.run,
    profiles.questions,
    profiles.schema,
    profiles.export_cmd,
    data.lint,
    data.diff,
    data.analyze,
    data.score,
    outcomes.validate,
    evidence.evidence,
    sessions,
    kb.ask,
    kb.ingest,
    kb.kb_group,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI and turns errors into one line on stderr and an exit code."""
    try:
        cli.main(args=argv, prog_name="icpchat", standalone_mode=False)
    except IcpchatError as exc:
        for line in str(exc).splitlines():
            err(f"icpchat: error: {line}")
        sys.exit(int(exc.exit_code))
    except (click.exceptions.Abort, KeyboardInterrupt):
        err("icpchat: interrupted")
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
        err(f"icpchat: internal error: {type(exc).__name__}: {exc}")
        err("icpchat: set ICPCHAT_DEBUG=1 to see the traceback, and please report it")
        sys.exit(int(ExitCode.INTERNAL))
