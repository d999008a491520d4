"""One process at a time in the embedded index, and the index kept private to its owner.

Chroma's embedded mode is not made for several processes at once: a search may apply
pending log entries (so it writes too), and a process that opened the index before another
one rebuilt it reads a stale segment ("Nothing found on disk"), then mistakes that for
damage. So every use of the index, a search as much as a build or an ingest, happens while
the process holds ``<index>/.lock`` (exclusive, held for one operation, reentrant within a
thread). A process that has to wait says so after a second and gives up after
:data:`LOCK_TIMEOUT` with a message naming the lock.

A process that writes leaves a new stamp in ``<index>/.generation``; one that finds a stamp
it did not see last time drops its open handles and reopens the index from disk.

The index holds the text of the user's documents: its folders are 0700 and its files 0600,
set again each time the lock is released (Chroma creates its files with the umask's mode).
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icpchat.retrieval.base import KnowledgeBaseUnavailable

#: Seconds a process waits for another one to finish with the index before giving up.
LOCK_TIMEOUT = 300.0
#: Seconds of waiting before the process says it is waiting.
QUIET_WAIT = 1.0
#: Set (to the index folder) in the environment of a child process that works on the index
#: for its parent: the parent holds the lock and waits for the child, so the child must not
#: wait for the lock itself.
HELD_BY_PARENT = "ICPCHAT_INDEX_LOCK_HELD_BY_PARENT"


def private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents as 0700 folders; make ``path`` itself 0700."""
    missing = []
    parent = path
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    if path.is_dir():
        _chmod(path, 0o700)


def make_private(folder: Path) -> None:
    """Owner-only permissions on ``folder`` and everything in it: folders 0700, files 0600.
    Symbolic links are left alone (chmod would follow them)."""
    for root, dirs, files in os.walk(folder):
        _chmod(Path(root), 0o700)
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                _chmod(path, 0o600)
        dirs[:] = [d for d in dirs if not Path(root, d).is_symlink()]


def _chmod(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):  # gone meanwhile, or not ours: nothing to tighten
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)


def move_aside(path: Path, now: datetime | None = None) -> Path | None:
    """Rename a damaged ``path`` (file or folder) to ``<name>.damaged-<UTC time>`` beside it;
    returns the new path, or None when there was nothing there."""
    if not path.exists() and not path.is_symlink():
        return None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists() or target.is_symlink():
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    path.rename(target)
    return target


class IndexLock:
    """The inter-process lock on one index folder, with the stamp of the last write."""

    def __init__(self, folder: Path, say: Callable[[str], None], *, timeout: float | None = None) -> None:
        self.folder = folder
        self.say = say
        self.timeout = LOCK_TIMEOUT if timeout is None else timeout
        self._file_lock: Any = None
        self._depth = threading.local()
        self._seen: str | None = None
        """The stamp this object last read or wrote (None: it has not held the lock yet)."""
        self._wrote = False

    @property
    def path(self) -> Path:
        return self.folder / ".lock"

    @property
    def stamp_file(self) -> Path:
        return self.folder / ".generation"

    @contextlib.contextmanager
    def hold(self) -> Iterator[bool]:
        """Hold the lock; yields True when another process wrote the index since this
        object last held it (the caller then reopens the index)."""
        if os.environ.get(HELD_BY_PARENT) == str(self.folder):
            yield False  # the parent holds the lock for this process and reopens after it
            return
        depth = getattr(self._depth, "value", 0)
        if depth == 0:
            self._acquire()
        self._depth.value = depth + 1
        try:
            yield depth == 0 and self._changed()
        finally:
            self._depth.value = depth
            if depth == 0:
                self._finish()

    def wrote(self) -> None:
        """Record that this holder changed the index (a new stamp is left on release)."""
        self._wrote = True

    def _acquire(self) -> None:
        from filelock import FileLock, Timeout

        private_dir(self.folder)
        if self._file_lock is None:
            self._file_lock = FileLock(str(self.path), mode=0o600)
        try:
            self._file_lock.acquire(timeout=min(QUIET_WAIT, self.timeout))
            return
        except Timeout:
            pass
        self.say(f"waiting for another icpchat process to finish with the knowledge index (at most {self.timeout:g} s)")
        try:
            self._file_lock.acquire(timeout=max(self.timeout - QUIET_WAIT, 0))
        except Timeout:
            raise KnowledgeBaseUnavailable(
                f"another icpchat process has been using the knowledge index for over {self.timeout:g} s "
                f"(lock: {self.path}); try again when it has finished"
            ) from None

    def _changed(self) -> bool:
        try:
            stamp = self.stamp_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            stamp = ""
        changed = self._seen is not None and stamp != self._seen
        self._seen = stamp
        return changed

    def _finish(self) -> None:
        try:
            if self._wrote:
                from icpchat.store.atomic import atomic_write

                self._wrote = False
                stamp = uuid.uuid4().hex
                atomic_write(self.stamp_file, stamp + "\n")
                self._seen = stamp
            make_private(self.folder)
        finally:
            self._file_lock.release()
