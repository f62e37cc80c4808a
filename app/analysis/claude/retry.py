"""Retries of Claude calls on 429/529/5xx and network faults, with a status the UI can show.

The SDK's own retries are off (max_retries=0 in the client factory) so that every wait is
announced to the user ("Claude surchargé, nouvelle tentative dans 20 s") and can be cancelled.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

import anthropic

from app.domain.errors import UserError
from app.domain.progress import CancelToken
from app.domain.retry import RetryPolicy, call_with_retries

log = logging.getLogger(__name__)

T = TypeVar("T")
StatusFn = Callable[[str], None]

MAX_ATTEMPTS = 5
MAX_WAIT_S = 120.0


class ClaudeUnavailable(UserError):
    """Claude could not be reached after the retries (or refused the request for good)."""


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


# Tests patch this to keep waits tiny; cancellation is checked between short naps.
sleep: Callable[[float], None] = _sleep


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's `retry-after-ms` / `retry-after` (seconds) when it gave one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) / scale)
        except ValueError:
            continue
    return None


STREAM_ERRORS = {
    "overloaded_error": "Claude surchargé",
    "rate_limit_error": "Limite de débit de Claude atteinte",
    "api_error": "Erreur temporaire du service Claude",
}


def _error_type(exc: BaseException) -> str | None:
    body = getattr(exc, "body", None)
    error = body.get("error") if isinstance(body, dict) else None
    kind = error.get("type") if isinstance(error, dict) else None
    return kind if isinstance(kind, str) else None


def classify(exc: BaseException) -> str | None:
    """A French reason when the error is worth retrying, None when it is final."""
    if isinstance(exc, anthropic.RateLimitError):
        return "Limite de débit de Claude atteinte"
    # An `error` event in the middle of a stream arrives with the stream's 200 status.
    kind = _error_type(exc)
    if kind in STREAM_ERRORS:
        return STREAM_ERRORS[kind]
    if isinstance(exc, anthropic.APIStatusError):
        if exc.status_code == 529:
            return "Claude surchargé"
        if exc.status_code >= 500 or exc.status_code == 408:
            return "Erreur temporaire du service Claude"
        return None
    if isinstance(exc, anthropic.APITimeoutError):
        return "Claude ne répond pas"
    if isinstance(exc, anthropic.APIConnectionError):
        return "Connexion à Claude interrompue"
    return None


def backoff_seconds(attempt: int, exc: BaseException) -> float:
    """The server's retry-after when given, else exponential backoff with jitter (2, 4, 8… s)."""
    hinted = retry_after_seconds(exc)
    if hinted is not None:
        return min(hinted, MAX_WAIT_S)
    base = min(2.0 ** (attempt + 1), 60.0)
    return base * (0.75 + random.random() / 2)


def server_message(exc: BaseException) -> str | None:
    """The French message of the Maître AO proxy ({"error": {"code", "message"}}), if any."""
    body = getattr(exc, "body", None)
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and "code" in error and isinstance(error.get("message"), str):
        return str(error["message"])
    return None


def final_message(exc: BaseException) -> str:
    """French message for an error that ends the Claude call."""
    proxy = server_message(exc)
    if proxy:
        return proxy
    reason = classify(exc)
    if reason:
        return f"{reason} : abandon après plusieurs tentatives."
    if isinstance(exc, anthropic.AuthenticationError):
        return "Clé API Claude refusée (401). Vérifiez la clé avec « maitre-ao config set-api-key »."
    if isinstance(exc, anthropic.PermissionDeniedError):
        return "Accès à Claude refusé (403) : compte ou abonnement sans droit d'analyse."
    if isinstance(exc, anthropic.NotFoundError):
        return "Modèle ou service Claude introuvable (404) : vérifiez le nom du modèle dans les réglages."
    if isinstance(exc, anthropic.BadRequestError):
        return "Requête refusée par Claude (400)."
    if isinstance(exc, anthropic.APIStatusError):
        return f"Claude a répondu par une erreur ({exc.status_code})."
    return "Erreur de Claude."


def status_text(reason: str, wait: float) -> str:
    """What the UI shows while waiting: "Claude surchargé, nouvelle tentative dans 20 s"."""
    when = f"dans {round(wait)} s" if wait >= 1 else "immédiate"
    return f"{reason}, nouvelle tentative {when}"


def wait_with_cancel(seconds: float, cancel: CancelToken | None) -> None:
    remaining = seconds
    while remaining > 0:
        if cancel is not None:
            cancel.raise_if_cancelled()
        step = min(0.25, remaining)
        sleep(step)
        remaining -= step
    if cancel is not None:
        cancel.raise_if_cancelled()


def with_retries(
    call: Callable[[], T],
    *,
    on_status: StatusFn | None = None,
    cancel: CancelToken | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> T:
    """Run `call`, retrying transient failures; raise ClaudeUnavailable when it gives up."""

    def attempt() -> T:
        if cancel is not None:
            cancel.raise_if_cancelled()
        return call()

    def transient(exc: BaseException) -> bool:
        if not isinstance(exc, anthropic.APIError) or classify(exc) is None:
            return False
        hinted = retry_after_seconds(exc)
        return hinted is None or hinted <= MAX_WAIT_S  # a longer wait is a quota, not a hiccup

    def delay(number: int, exc: BaseException | None, _result: T | None) -> float:
        assert exc is not None
        return backoff_seconds(number, exc)

    def announce(_number: int, wait: float, exc: BaseException | None, _result: T | None) -> None:
        assert exc is not None
        log.info("claude transient error %s, retry in %.1f s", type(exc).__name__, wait)
        if on_status is not None:
            on_status(status_text(classify(exc) or "", wait))

    policy = RetryPolicy[T](
        max_attempts=max_attempts,
        delay=delay,
        retry_error=transient,
        sleep=lambda seconds: wait_with_cancel(seconds, cancel),
        on_retry=announce,
    )
    try:
        return call_with_retries(attempt, policy)
    except anthropic.APIError as exc:
        log.warning("claude call failed (%s)", type(exc).__name__)
        raise ClaudeUnavailable(final_message(exc)) from exc
