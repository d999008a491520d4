"""Crash-safe file writes: temp file in the same folder, fsync, rename, fsync the folder.

A reader (or a process killed mid-write) sees either the old file or the new one, never
half of one; :func:`replace_together` does the same for a set of files (the formats of one
export), so a kill never leaves some formats new and some old.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path


def atomic_write(path: Path, data: bytes | str, *, mode: int = 0o600) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


STAGING_PREFIX = ".icpchat-out-"
STALE_STAGING_SECONDS = 3600
"""A staging folder this old was left by a process that was killed; the next write removes it."""


def replace_together(folder: Path, files: Mapping[str, bytes], *, mode: int = 0o600) -> list[Path]:
    """Write ``files`` (name -> bytes) into ``folder`` as one set: all of them go into a
    temporary folder beside the targets, each fsynced, and only when every one is written are
    they renamed into place. A failure or a kill while writing leaves the old files as they
    were (never some formats new and some old); only the renames, which write no data, can be
    cut between files. Returns the paths written, in the order given."""
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, suffix=".tmp", dir=folder))
    try:
        for name, data in files.items():
            with open(staging / name, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(staging / name, mode)
        _fsync_dir(staging)
        for name in files:
            os.replace(staging / name, folder / name)
        _fsync_dir(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in files]


def _remove_stale_staging(folder: Path) -> None:
    now = time.time()
    for entry in folder.glob(f"{STAGING_PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            if entry.is_dir() and now - entry.stat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
