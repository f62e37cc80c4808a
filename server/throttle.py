"""Login and sign-up throttling, stored in the database so every stateless process sees the same counts.

Each key (a hashed e-mail, IP, e-mail + IP, or device) has one row in `throttle_counters`. An attempt is
*reserved* before the password is checked, in one transaction that holds the key's row lock (PostgreSQL:
the upsert locks the row until COMMIT; SQLite: the upsert takes the database write lock, so writers are
serialised): fifty parallel guesses are counted one after the other and at most the limit is evaluated.

A key that reaches its limit is blocked for `base_delay`; after that block, every further attempt that
reaches the key blocks it again for twice as long (capped at `max_delay`). A key left alone for the
window forgets everything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.db import dialect_name
from server.errors import ApiError
from server.models import ThrottleCounter, utcnow
from server.security import pseudonym

_COLUMNS = (
    ThrottleCounter.attempts,
    ThrottleCounter.strikes,
    ThrottleCounter.last_at,
    ThrottleCounter.blocked_until,
)


def email_key(email: str) -> str:
    """Every attempt on this e-mail, from anywhere (a distributed guessing attack)."""
    return "login-email:" + pseudonym(email)


def email_ip_key(email: str, ip: str) -> str:
    """Attempts on this e-mail from this address: the owner elsewhere is not affected."""
    return f"login-email-ip:{pseudonym(email)[:20]}:{pseudonym(ip)[:20]}"


def ip_key(kind: str, ip: str) -> str:
    return f"{kind}-ip:" + pseudonym(ip)


def proof_key(kind: str, proof_hash: str) -> str:
    """Attempts made with one known-device token or one unlock link."""
    return f"login-{kind}:{proof_hash[:40]}"


@dataclass(frozen=True)
class Limit:
    key: str
    attempts: int


@dataclass(frozen=True)
class Delays:
    window_seconds: int
    base_seconds: int
    max_seconds: int

    def block(self, strikes: int) -> timedelta:
        return timedelta(seconds=min(self.max_seconds, self.base_seconds * 2 ** min(strikes - 1, 30)))


def too_many(wait: timedelta) -> ApiError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    minutes = max(1, math.ceil(seconds / 60))
    return ApiError(
        429,
        "too_many_attempts",
        f"Trop de tentatives. Réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
        headers={"Retry-After": str(seconds)},
    )


def _lock(s: Session, key: str, now: datetime) -> tuple[int, int, datetime, datetime | None]:
    """The key's counters, its row created if needed and locked until the end of the transaction."""
    insert = postgresql.insert if dialect_name(s) == "postgresql" else sqlite.insert
    stmt = insert(ThrottleCounter).values(key=key, attempts=0, strikes=0, last_at=now, blocked_until=None)
    locking = stmt.on_conflict_do_update(index_elements=["key"], set_={"key": stmt.excluded.key})
    row = s.execute(locking.returning(*_COLUMNS)).one()
    return int(row.attempts), int(row.strikes), row.last_at, row.blocked_until


def reserve(s: Session, limits: list[Limit], delays: Delays) -> list[str]:
    """Count one attempt on every key, or raise 429 (nothing counted) when one of them is blocked.

    Returns the keys this attempt blocked (it is still evaluated: it was within the limit).
    """
    now = utcnow()
    window = timedelta(seconds=delays.window_seconds)
    states: list[tuple[Limit, int, int]] = []
    blocked: list[datetime] = []
    for limit in sorted(limits, key=lambda item: item.key):  # one lock order: no deadlock
        attempts, strikes, last_at, blocked_until = _lock(s, limit.key, now)
        if blocked_until is not None and blocked_until > now:
            blocked.append(blocked_until)
        elif now - max(last_at, blocked_until or last_at) > window:
            attempts = strikes = 0  # left alone long enough: forgotten
        states.append((limit, attempts, strikes))
    if blocked:
        raise too_many(max(blocked) - now)
    newly_blocked: list[str] = []
    for limit, attempts, strikes in states:
        attempts += 1
        until = None
        # Before any block, the limit; after one, a single attempt per block.
        if attempts >= (limit.attempts if strikes == 0 else 1):
            strikes += 1
            until = now + delays.block(strikes)
            attempts = 0
            newly_blocked.append(limit.key)
        s.execute(
            update(ThrottleCounter)
            .where(ThrottleCounter.key == limit.key)
            .values(attempts=attempts, strikes=strikes, last_at=now, blocked_until=until)
        )
    return newly_blocked


def clear(s: Session, *keys: str) -> None:
    s.execute(delete(ThrottleCounter).where(ThrottleCounter.key.in_(keys)))


def refund(s: Session, key: str) -> None:
    """Give back the attempt a successful login used (a shared office address is not penalised)."""
    s.execute(
        update(ThrottleCounter)
        .where(ThrottleCounter.key == key, ThrottleCounter.attempts > 0)
        .values(attempts=ThrottleCounter.attempts - 1)
    )
