"""Retention, as the privacy policy promises: DCE pieces go 30 days after their analysis.

A consultation whose analysis is older than the retention period, and whose pieces the user did not
ask to keep, loses its pieces' files (blobs) and extracted texts; the consultation, its analysis and
the list of piece names stay. Blobs and extractions that no piece or administrative document uses
any more are removed too. Deleted pages are overwritten (secure_delete) and the WAL is checkpointed,
so the content does not linger in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from local_store.store import Connection, Store

_DUE = """
SELECT c.uuid, c.title, c.analyzed_at,
       count(p.id) AS pieces, coalesce(sum(p.size), 0) AS bytes
FROM consultations c JOIN pieces p ON p.consultation_uuid = c.uuid AND p.sha256 IS NOT NULL
WHERE c.keep_pieces = 0 AND c.analyzed_at IS NOT NULL AND julianday(c.analyzed_at) <= julianday(?)
GROUP BY c.uuid ORDER BY c.analyzed_at
"""
_USED_SHAS = """
SELECT sha256 FROM pieces WHERE sha256 IS NOT NULL
UNION SELECT blob_sha256 FROM admin_documents WHERE blob_sha256 IS NOT NULL
UNION SELECT sha256 FROM library_images
"""
_ORPHAN_BLOBS = f"SELECT sha256, size FROM blobs WHERE sha256 NOT IN ({_USED_SHAS})"
_ORPHAN_EXTRACTIONS = f"SELECT sha256 FROM extractions WHERE sha256 NOT IN ({_USED_SHAS})"


@dataclass(frozen=True)
class DueConsultation:
    uuid: str
    title: str
    analyzed_at: str
    pieces: int
    bytes: int


@dataclass
class PurgeReport:
    cutoff: str
    consultations: list[DueConsultation] = field(default_factory=list)
    blobs: int = 0  # files removed (or that would be)
    blob_bytes: int = 0
    extractions: int = 0  # extracted texts removed (or that would be)
    applied: bool = False

    @property
    def empty(self) -> bool:
        return not self.consultations and not self.blobs and not self.extractions


def cutoff_for(now: datetime, days: int) -> str:
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return (now.astimezone(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def _plan(conn: Connection, cutoff: str) -> PurgeReport:
    report = PurgeReport(cutoff=cutoff)
    for r in conn.execute(_DUE, (cutoff,)):
        report.consultations.append(
            DueConsultation(r["uuid"], r["title"], r["analyzed_at"], int(r["pieces"]), int(r["bytes"]))
        )
    due = [c.uuid for c in report.consultations]
    # What would no longer be used once the due consultations' pieces are detached.
    still_used = f"""
        SELECT sha256 FROM pieces WHERE sha256 IS NOT NULL
            AND consultation_uuid NOT IN ({",".join("?" * len(due))})
        UNION SELECT blob_sha256 FROM admin_documents WHERE blob_sha256 IS NOT NULL
    """
    row = conn.execute(
        f"SELECT count(*), coalesce(sum(size), 0) FROM blobs WHERE sha256 NOT IN ({still_used})", due
    ).fetchone()
    report.blobs, report.blob_bytes = int(row[0]), int(row[1])
    report.extractions = int(
        conn.execute(f"SELECT count(*) FROM extractions WHERE sha256 NOT IN ({still_used})", due).fetchone()[
            0
        ]
    )
    return report


def purge(store: Store, *, days: int, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Apply (or, with dry_run, only report) the retention rule. One transaction."""
    now = now or datetime.now(UTC)
    cutoff = cutoff_for(now, days)
    if dry_run:
        return _plan(store.read(), cutoff)
    # Connections run with secure_delete on (see store.connect): freed pages are zeroed.
    with store.transaction() as tx:
        report = _plan(tx, cutoff)
        if report.empty:
            return report
        stamp = now.astimezone(UTC).isoformat(timespec="seconds")
        for c in report.consultations:
            tx.execute("UPDATE pieces SET sha256 = NULL WHERE consultation_uuid = ?", (c.uuid,))
            tx.execute("UPDATE consultations SET pieces_purged_at = ? WHERE uuid = ?", (stamp, c.uuid))
        # page_texts go with their extraction (ON DELETE CASCADE), and page_fts with them (trigger).
        tx.execute(f"DELETE FROM extractions WHERE sha256 IN ({_ORPHAN_EXTRACTIONS})")
        tx.execute(f"DELETE FROM blobs WHERE sha256 IN (SELECT sha256 FROM ({_ORPHAN_BLOBS}))")
        # FTS5 keeps deleted terms in old index segments until they are merged.
        tx.execute("INSERT INTO page_fts(page_fts) VALUES ('optimize')")
        report.applied = True
    store.checkpoint()
    return report
