"""Crash-safe file writes: temp file in the same folder, fsync, rename, fsync the folder.

A reader (or a process killed mid-write) sees either the old file or the new one, never
half of one; :func:`replace_together` does the same for a set of files (the formats of one
export), so a kill never leaves some formats new and some old.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path


def atomic_write(path: Path, data: bytes | str, *, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data``, readable by its owner only unless ``mode`` says otherwise
    (sessions, drafts and journals hold what the founder typed; exports pass 0o644).

    A process killed between the temp file and the rename leaves ``.<name>.XXXX.tmp`` behind;
    the next write of the same file removes such leftovers once they are
    :data:`STALE_STAGING_SECONDS` old (a younger one may be another process's write in
    progress). A session, written under its lock, removes its own at once (:func:`remove_leftover_temps`).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftover_temps(path)
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


def remove_leftover_temps(path: Path, *, older_than: float | None = None) -> list[Path]:
    """Remove the temp files killed :func:`atomic_write` calls of ``path`` left behind, those
    at least ``older_than`` seconds old (default :data:`STALE_STAGING_SECONDS`; 0 when the
    caller holds a lock no other writer of ``path`` can hold). Returns what it removed."""
    age = STALE_STAGING_SECONDS if older_than is None else older_than
    now = time.time()
    removed: list[Path] = []
    if not path.parent.is_dir():
        return removed
    for entry in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if entry.is_file() and not entry.is_symlink() and now - entry.stat().st_mtime >= age:
                entry.unlink()
                removed.append(entry)
    return removed


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
