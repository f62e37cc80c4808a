"""Retention periods counted in calendar dates (privacy policy §8), shared by the purge and the export."""

from __future__ import annotations

from datetime import UTC, date, datetime

from server.config import Settings
from server.models import Account

# A running subscription keeps the account (privacy policy §8: "for the duration of your subscription").
# Every other Stripe status (past_due, unpaid, paused, incomplete, incomplete_expired, canceled) and
# "none" (never subscribed) runs the 3-year clock from the later of the last login and the cancellation.
LIVE_STATUSES = ("active", "trialing")


def shift_date(day: date, *, years: int = 0, months: int = 0) -> date:
    """`day` moved by whole years and months; a day that does not exist in the target month (Feb 29 in
    a common year, Mar 31 → Feb) becomes the 1st of the next month."""
    total = day.year * 12 + (day.month - 1) + years * 12 + months
    year, month0 = divmod(total, 12)
    try:
        return date(year, month0 + 1, day.day)
    except ValueError:
        return date(year + (month0 == 11), (month0 + 1) % 12 + 1, 1)


def calendar_cutoff(now: datetime, *, years: int = 0, months: int = 0) -> datetime:
    """Midnight (UTC) of today's date moved back by whole years and months: what is dated before it has
    been kept for the full period, counted in calendar dates (leap days included). A period that began
    on Feb 29 ends on Feb 28 of a common year, and the row goes on Mar 1."""
    day = shift_date(now.astimezone(UTC).date(), years=-years, months=-months)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def account_purge_not_before(account: Account, settings: Settings) -> date | None:
    """The first day (UTC) the daily purge may erase the account, or None while it is kept whatever the
    time: a running subscription, or restricted processing (GDPR art. 18)."""
    if account.restricted or account.subscription_status in LIVE_STATUSES:
        return None
    anchor = max(account.last_active_at, account.cancelled_at or account.last_active_at)
    after = date.fromordinal(anchor.astimezone(UTC).date().toordinal() + 1)
    return shift_date(after, years=settings.account_retention_years)
