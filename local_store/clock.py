"""The one clock of the store's rows (updated_at, created_at…): UTC ISO 8601 with microseconds.

Microseconds keep two edits made within the same millisecond in order (what an edit's updated_at
must show), and ISO strings of one precision sort as the times they name.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
