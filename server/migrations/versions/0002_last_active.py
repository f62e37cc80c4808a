"""accounts.last_active_at: the retention clock of accounts that never subscribed

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=True))
    # Existing accounts: their last session use, else their creation.
    op.execute(
        "UPDATE accounts SET last_active_at = COALESCE("
        "(SELECT MAX(sessions.last_used_at) FROM sessions WHERE sessions.account_id = accounts.id),"
        " accounts.created_at)"
    )
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("last_active_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("last_active_at")
