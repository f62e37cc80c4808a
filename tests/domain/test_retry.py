"""The one retry loop: transient errors and answers are retried, the last attempt decides."""

from __future__ import annotations

import pytest

from app.domain.retry import RetryPolicy, call_with_retries


def test_transient_errors_then_success_and_the_waits_are_announced() -> None:
    calls: list[int] = []
    waits: list[float] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("down")
        return "ok"

    policy = RetryPolicy[str](
        max_attempts=5,
        delay=lambda n, _e, _r: float(n + 1),
        retry_error=lambda e: isinstance(e, ConnectionError),
        sleep=waits.append,
    )
    assert call_with_retries(flaky, policy) == "ok"
    assert waits == [1.0, 2.0]


def test_final_errors_are_not_retried_and_the_last_attempt_is_returned_or_raised() -> None:
    def refused() -> int:
        raise PermissionError("no")

    policy = RetryPolicy[int](
        max_attempts=3, delay=lambda *_: 0.0, retry_error=lambda e: isinstance(e, ConnectionError)
    )
    with pytest.raises(PermissionError):
        call_with_retries(refused, policy)

    answers = iter([503, 503, 503, 200])
    busy = RetryPolicy[int](
        max_attempts=3,
        delay=lambda *_: 0.0,
        retry_error=lambda _e: False,
        retry_result=lambda status: status == 503,
        sleep=lambda _s: None,
    )
    assert call_with_retries(lambda: next(answers), busy) == 503  # the third answer, as it was
