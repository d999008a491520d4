"""Small helpers shared by test packages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


def modules_loaded_by(code: str, packages: Iterable[str]) -> list[str]:
    """Run ``code`` in a fresh interpreter; the modules of ``packages`` it ended up importing."""
    probe = (
        f"{code}\nimport sys\nprint(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {tuple(packages)!r})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return [m for m in result.stdout.strip().split(",") if m]


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Terminate a server process, killing it if it does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class CliResult:
    """What a run of `icpchat` left behind: its exit code and its two streams, as bytes."""

    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8")


def run_cli(*args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None) -> CliResult:
    """``icpchat ARGS`` in this process, through :func:`icpchat.cli.main` as the console
    script calls it, with stdin, stdout and stderr captured; the exit code is main's.
    ``env`` is set for the call only."""
    from click.testing import CliRunner

    from icpchat.cli import main

    with CliRunner().isolation(input=stdin, env=env) as (out, err, _mixed):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return CliResult(code, out.getvalue(), err.getvalue())


def run_cli_process(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    console_script: bool = False,
) -> CliResult:
    """``python -m icpchat ARGS`` in a fresh process, for what only a process proves: exit
    codes as a shell sees them, import time, signals, and heavy libraries' shutdown.
    ``console_script`` runs the installed ``icpchat`` script instead (its entry point)."""
    script = Path(sys.executable).with_name("icpchat")
    command = [str(script)] if console_script else [sys.executable, "-m", "icpchat"]
    result = subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    return CliResult(result.returncode, result.stdout, result.stderr)
