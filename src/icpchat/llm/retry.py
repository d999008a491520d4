"""Bounded retries with exponential backoff, and a circuit breaker, for provider calls.

Nothing here knows about any SDK: the caller supplies a ``classify`` function that turns an
exception into a :class:`Failure` (retryable or not, how long the provider asked us to wait).
Sleep and clock are injectable so the fault tests wait microseconds, not seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TypeVar

T = TypeVar("T")
UNUSABLE = frozenset({"bad_output", "empty_stream"})
"""Failure kinds where the provider answered, but with nothing we can use."""


@dataclass(frozen=True)
class Failure:
    """One failed attempt, in words a founder can read."""

    kind: str
    """timeout, unreachable, rate_limited, server_error, rejected, bad_output, empty_stream, error."""
    detail: str
    retryable: bool
    retry_after: float | None = None
    """Seconds the provider asked us to wait (Retry-After), when it said."""
    provider_down: bool = False
    """True when the provider itself is unusable (not just this one reply): opens the breaker."""


class StepFailed(Exception):
    """Every attempt of one step failed; ``failures`` lists them in order."""

    def __init__(self, failures: list[Failure]) -> None:
        self.failures = failures
        last = failures[-1]
        super().__init__(f"{last.kind}: {last.detail} (after {len(failures)} attempt(s))")

    @property
    def last(self) -> Failure:
        return self.failures[-1]


@dataclass
class RetryPolicy:
    retries: int = 2
    """Attempts after the first one."""
    base: float = 0.5
    """First backoff in seconds; doubled after each failed attempt."""
    cap: float = 8.0
    """Longest backoff between two attempts."""
    retry_after_cap: float = 20.0
    """Longest wait we accept from a Retry-After header; longer asks are shortened to this."""
    output_retries: int = 1
    """Retries after an unusable reply (bad output, empty stream): a model asked the same thing
    at temperature 0 mostly repeats itself, so more would only cost time and tokens."""
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int, failure: Failure) -> float:
        if failure.retry_after is not None:
            return max(0.0, min(failure.retry_after, self.retry_after_cap))
        return min(self.base * (2**attempt), self.cap)

    def run(self, call: Callable[[], T], classify: Callable[[BaseException], Failure]) -> T:
        """``call()`` until it succeeds, a failure is not retryable, or the retries run out."""
        failures: list[Failure] = []
        for attempt in range(self.retries + 1):
            try:
                return call()
            except Exception as exc:
                failure = classify(exc)
                failures.append(failure)
                unusable = sum(1 for f in failures if f.kind in UNUSABLE)
                if not failure.retryable or attempt == self.retries or unusable > self.output_retries:
                    raise StepFailed(failures) from exc
                self.sleep(self.delay(attempt, failure))
        raise AssertionError("unreachable")  # pragma: no cover


def parse_retry_after(headers: object, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    millis = get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now())
    except (TypeError, ValueError, IndexError):
        return None


@dataclass
class Breaker:
    """After a step fails because the provider is down, skip it for ``cooldown`` seconds.

    A dead server would otherwise cost every answer a full round of retries and timeouts.
    """

    cooldown: float = 60.0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    open_until: float | None = None
    reason: str | None = None

    def is_open(self) -> bool:
        if self.open_until is None:
            return False
        if self.clock() >= self.open_until:
            self.open_until = None  # half-open: the next step tries the provider again
            return False
        return True

    def trip(self, reason: str) -> None:
        self.open_until = self.clock() + self.cooldown
        self.reason = reason

    def reset(self) -> None:
        self.open_until = None
        self.reason = None
