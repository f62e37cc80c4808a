"""Issue 18: throttle counters (row-locked), unlock links, e-mail outbox, e-mail change confirmations,
used refresh tokens (reuse detection), proxy reservations and per-plan model / max_tokens caps;
e-mails normalised (NFC).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PLAN_CAPS = {
    "decouverte": ("claude-haiku-4-5,claude-sonnet-4-5,claude-sonnet-4-6", 8192),
    "pro": ("claude-haiku-4-5,claude-sonnet-4-5,claude-sonnet-4-6,claude-opus-4-5", 32000),
    "equipe": ("claude-haiku-4-5,claude-sonnet-4-5,claude-sonnet-4-6,claude-opus-4-5", 32000),
}


def _normalise(email: str) -> str:
    local, _, domain = unicodedata.normalize("NFC", email.strip()).rpartition("@")
    return f"{local.lower()}@{domain.casefold()}" if local else email


def upgrade() -> None:
    op.drop_index("ix_throttle_events_key_at", table_name="throttle_events")
    op.drop_table("throttle_events")
    op.create_table(
        "throttle_counters",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttle_counters")),
    )
    op.create_index(op.f("ix_throttle_counters_last_at"), "throttle_counters", ["last_at"])
    op.create_table(
        "login_unlocks",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_login_unlocks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_login_unlocks")),
    )
    op.create_index(op.f("ix_login_unlocks_account_id"), "login_unlocks", ["account_id"])
    op.create_index(op.f("ix_login_unlocks_expires_at"), "login_unlocks", ["expires_at"])
    op.create_table(
        "email_changes",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("new_email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_email_changes_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_email_changes")),
    )
    op.create_index(op.f("ix_email_changes_account_id"), "email_changes", ["account_id"])
    op.create_index(op.f("ix_email_changes_expires_at"), "email_changes", ["expires_at"])
    op.create_table(
        "outbox_emails",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_outbox_emails_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_emails")),
    )
    op.create_index(op.f("ix_outbox_emails_account_id"), "outbox_emails", ["account_id"])
    op.create_index(op.f("ix_outbox_emails_created_at"), "outbox_emails", ["created_at"])
    op.create_table(
        "used_refresh_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_used_refresh_tokens_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_used_refresh_tokens")),
    )
    op.create_index(op.f("ix_used_refresh_tokens_session_id"), "used_refresh_tokens", ["session_id"])
    with op.batch_alter_table("usage_months") as batch:
        batch.add_column(sa.Column("reserved_tokens", sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("plans") as batch:
        batch.add_column(
            sa.Column("allowed_models", sa.String(length=500), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("max_output_tokens", sa.Integer(), nullable=False, server_default="8192"))
    with op.batch_alter_table("usage_months") as batch:
        batch.alter_column("reserved_tokens", server_default=None)
    with op.batch_alter_table("plans") as batch:
        batch.alter_column("allowed_models", server_default=None)
        batch.alter_column("max_output_tokens", server_default=None)
    plans = sa.table(
        "plans",
        sa.column("code", sa.String),
        sa.column("allowed_models", sa.String),
        sa.column("max_output_tokens", sa.Integer),
    )
    for code, (models, cap) in PLAN_CAPS.items():
        op.execute(
            plans.update().where(plans.c.code == code).values(allowed_models=models, max_output_tokens=cap)
        )
    # E-mails: NFC, domain case-folded (an address already taken in its normalised form is left as it is).
    conn = op.get_bind()
    accounts = sa.table("accounts", sa.column("id", sa.String), sa.column("email", sa.String))
    rows = conn.execute(sa.select(accounts.c.id, accounts.c.email)).all()
    taken = {email for _, email in rows}
    for account_id, email in rows:
        normal = _normalise(email)
        if normal != email and normal not in taken:
            conn.execute(accounts.update().where(accounts.c.id == account_id).values(email=normal))
            taken.add(normal)


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("max_output_tokens")
        batch.drop_column("allowed_models")
    with op.batch_alter_table("usage_months") as batch:
        batch.drop_column("reserved_tokens")
    for table, indexes in (
        ("used_refresh_tokens", ["session_id"]),
        ("outbox_emails", ["account_id", "created_at"]),
        ("email_changes", ["account_id", "expires_at"]),
        ("login_unlocks", ["account_id", "expires_at"]),
        ("throttle_counters", ["last_at"]),
    ):
        for column in indexes:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
    op.create_table(
        "throttle_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_events")),
    )
    op.create_index("ix_throttle_events_key_at", "throttle_events", ["key", "at"])
