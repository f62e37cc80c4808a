"""The one retry loop (Claude calls and the account API): which failures are transient, how long to
wait, and what to say while waiting are the caller's; the loop itself is written once here."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def _never(_result: object) -> bool:
    return False


@dataclass(frozen=True)
class RetryPolicy(Generic[T]):
    max_attempts: int  # calls in all (1 = no retry)
    # Seconds to wait before the next call: attempt number (0 for the first), then the error or result.
    delay: Callable[[int, BaseException | None, T | None], float]
    retry_error: Callable[[BaseException], bool]  # True: a transient failure, worth another call
    retry_result: Callable[[T], bool] = _never  # True: a transient answer (HTTP 503, say)
    sleep: Callable[[float], None] = time.sleep  # tests nap briefly; callers may check cancellation
    # Told before each wait: attempt number, seconds, the error or result that caused it.
    on_retry: Callable[[int, float, BaseException | None, T | None], None] | None = None


def call_with_retries(call: Callable[[], T], policy: RetryPolicy[T]) -> T:
    """Call until success, a final failure (raised as is) or the last attempt (its error raised, or
    its result returned)."""
    attempt = 0
    while True:
        error: BaseException | None = None
        result: T | None = None
        last = attempt + 1 >= policy.max_attempts
        try:
            result = call()
        except Exception as exc:
            if last or not policy.retry_error(exc):
                raise
            error = exc
        else:
            if last or not policy.retry_result(result):
                return result
        wait = policy.delay(attempt, error, result)
        if policy.on_retry is not None:
            policy.on_retry(attempt, wait, error, result)
        policy.sleep(wait)
        attempt += 1
