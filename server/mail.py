"""E-mails to the account's owner, queued in `outbox_emails` (a mail job sends them; no SMTP here).

Queued in the caller's transaction: an e-mail exists only if what it tells happened. Bodies are French;
nothing of them is ever logged.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import OutboxEmail, utcnow

SIGNATURE = "\n\n— Maître AO (Lumina Systèmes)\nCe message est envoyé automatiquement ; n'y répondez pas."


def queue(s: Session, *, account_id: str | None, to: str, kind: str, subject: str, body: str) -> None:
    s.add(
        OutboxEmail(
            account_id=account_id, to_address=to, kind=kind, subject=subject[:200], body=body + SIGNATURE
        )
    )


def sent_recently(s: Session, account_id: str, kind: str, within: timedelta) -> bool:
    return (
        s.execute(
            select(OutboxEmail.id).where(
                OutboxEmail.account_id == account_id,
                OutboxEmail.kind == kind,
                OutboxEmail.created_at > utcnow() - within,
            )
        ).first()
        is not None
    )
