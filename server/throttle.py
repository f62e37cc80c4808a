"""Login and sign-up throttling, stored in the database so every stateless process sees the same counts."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server.errors import ApiError
from server.models import ThrottleEvent, utcnow
from server.security import pseudonym


def email_key(email: str) -> str:
    return "login-email:" + pseudonym(email)


def ip_key(kind: str, ip: str) -> str:
    return f"{kind}-ip:" + pseudonym(ip)


def check(session: Session, limits: list[tuple[str, int]], window_seconds: int) -> None:
    """Raise 429 with Retry-After when any key already reached its limit within the window."""
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    for key, limit in limits:
        count, oldest = session.execute(
            select(func.count(), func.min(ThrottleEvent.at)).where(
                ThrottleEvent.key == key, ThrottleEvent.at > since
            )
        ).one()
        if count >= limit:
            wait = max(1, math.ceil((oldest + timedelta(seconds=window_seconds) - now).total_seconds()))
            minutes = max(1, math.ceil(wait / 60))
            raise ApiError(
                429,
                "too_many_attempts",
                f"Trop de tentatives. Réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
                headers={"Retry-After": str(wait)},
            )


def record(session: Session, *keys: str) -> None:
    for key in keys:
        session.add(ThrottleEvent(key=key))


def clear(session: Session, key: str) -> None:
    session.execute(delete(ThrottleEvent).where(ThrottleEvent.key == key))
