"""The chat's two background threads, both daemons so that quitting never waits for them.

:class:`SerialThread` runs every call into the conversation, one at a time and in order: the
session is only ever touched from that thread. :class:`LatestOnly` runs knowledge lookups for
the side panel: a lookup waiting to start is dropped when a newer one arrives (the founder has
moved on), so lookups never queue up behind a slow first index build.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


def _run(future: Future[Any], fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(fn(*args))
    except BaseException as exc:  # handed to whoever awaits the future
        future.set_exception(exc)


class SerialThread:
    """One daemon thread running submitted calls in order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        if self._closed:
            future.cancel()
            return future
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()
        self._queue.put((future, fn, args))
        return future

    def _loop(self) -> None:
        while (item := self._queue.get()) is not None:
            _run(*item)

    def close(self) -> None:
        """Take no more calls; the one running finishes on its own (nobody waits for it)."""
        self._closed = True
        self._queue.put(None)


class LatestOnly:
    """One daemon thread running the newest submitted call; older waiting calls are cancelled."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._cond = threading.Condition()
        self._pending: tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        with self._cond:
            if self._closed:
                future.cancel()
                return future
            if self._pending is not None:
                self._pending[0].cancel()  # stale: the founder has moved on
            self._pending = (future, fn, args)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify()
        return future

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                item, self._pending = self._pending, None
            assert item is not None
            _run(*item)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            if self._pending is not None:
                self._pending[0].cancel()
                self._pending = None
            self._cond.notify()
