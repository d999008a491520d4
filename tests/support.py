"""Small helpers shared by test packages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable


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
