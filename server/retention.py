"""Retention rules of the privacy policy (§8), run by `maitre-ao-server purge` (daily in deployment)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from server.config import Settings
from server.db import rowcount
from server.models import (
    Account,
    AuthSession,
    BillingRecord,
    ConnectionLog,
    EmailChange,
    LoginUnlock,
    OutboxEmail,
    PushReceipt,
    SyncRecord,
    ThrottleCounter,
    WebhookEvent,
    utcnow,
)
from server.periods import LIVE_STATUSES, calendar_cutoff
from server.routes.me import erase_account

log = logging.getLogger("maitre_ao.server")


@dataclass
class PurgeReport:
    connection_logs: int = 0
    accounts: int = 0
    billing_records: int = 0
    sessions: int = 0
    tombstones: int = 0
    receipts: int = 0
    throttle_counters: int = 0
    webhook_events: int = 0
    links: int = 0
    emails: int = 0

    def lines(self) -> list[str]:
        return [f"{name}: {value}" for name, value in self.__dict__.items()]


def purge(s: Session, settings: Settings, now: datetime | None = None) -> PurgeReport:
    now = now or utcnow()
    report = PurgeReport()

    def older(days: int) -> datetime:
        return now - timedelta(days=days)

    # Accounts: 3 calendar years after the later of the last login (or token refresh) and the
    # cancellation; never while a subscription runs, never while processing is restricted (GDPR art. 18).
    cutoff = calendar_cutoff(now, years=settings.account_retention_years)
    stale = (
        s.execute(
            select(Account.id).where(
                Account.subscription_status.not_in(LIVE_STATUSES),
                Account.restricted.is_(False),
                Account.last_active_at < cutoff,
                Account.cancelled_at.is_(None) | (Account.cancelled_at < cutoff),
            )
        )
        .scalars()
        .all()
    )
    for account_id in stale:
        erase_account(s, account_id)
    report.accounts = len(stale)
    # Connection logs: 12 calendar months.
    report.connection_logs = rowcount(
        s.execute(
            delete(ConnectionLog).where(
                ConnectionLog.at < calendar_cutoff(now, months=settings.connection_log_months)
            )
        )
    )
    # Billing records: 10 calendar years (they were detached from the person when the account went).
    report.billing_records = rowcount(
        s.execute(
            delete(BillingRecord).where(
                BillingRecord.created_at < calendar_cutoff(now, years=settings.billing_retention_years)
            )
        )
    )
    # Sessions that can no longer be used.
    report.sessions = rowcount(
        s.execute(
            delete(AuthSession).where(
                (AuthSession.refresh_expires_at < now)
                | (AuthSession.revoked_at.is_not(None) & (AuthSession.revoked_at < older(1)))
            )
        )
    )
    report.tombstones = _compact_tombstones(s, older(settings.tombstone_days))
    report.receipts = rowcount(
        s.execute(delete(PushReceipt).where(PushReceipt.created_at < older(settings.idempotency_days)))
    )
    report.throttle_counters = rowcount(
        s.execute(
            delete(ThrottleCounter).where(
                ThrottleCounter.last_at < older(2),
                ThrottleCounter.blocked_until.is_(None) | (ThrottleCounter.blocked_until < now),
            )
        )
    )
    report.webhook_events = rowcount(
        s.execute(delete(WebhookEvent).where(WebhookEvent.received_at < older(90)))
    )
    # Links and e-mails: unlock and confirmation links once expired, queued e-mails after 7 days.
    report.links = rowcount(s.execute(delete(LoginUnlock).where(LoginUnlock.expires_at < now))) + rowcount(
        s.execute(delete(EmailChange).where(EmailChange.expires_at < now))
    )
    report.emails = rowcount(s.execute(delete(OutboxEmail).where(OutboxEmail.created_at < older(7))))
    log.info("purge done: %s", ", ".join(report.lines()))
    return report


def _compact_tombstones(s: Session, before: datetime) -> int:
    """Drop old tombstones; cursors older than the highest dropped revision then expire (full compare)."""
    floors = s.execute(
        select(SyncRecord.account_id, func.max(SyncRecord.revision))
        .where(SyncRecord.deleted.is_(True), SyncRecord.updated_at < before)
        .group_by(SyncRecord.account_id)
    ).all()
    removed = 0
    for account_id, floor in floors:
        s.execute(
            update(Account)
            .where(Account.id == account_id, Account.sync_floor < floor)
            .values(sync_floor=floor)
        )
        removed += rowcount(
            s.execute(
                delete(SyncRecord).where(
                    SyncRecord.account_id == account_id,
                    SyncRecord.deleted.is_(True),
                    SyncRecord.revision <= floor,
                )
            )
        )
    return removed
