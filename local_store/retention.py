"""Retention, as the privacy policy promises: DCE pieces go 30 days after their analysis.

The clock starts at the analysis, or at the import for a DCE never analysed (an import never
analysed, or interrupted, is not kept forever). A consultation past the retention period, whose
pieces the user did not ask to keep, loses its pieces' files (blobs) and extracted texts; the consultation, its analysis and
the list of piece names stay. Blobs and extractions that no piece or administrative document uses
any more are removed too. Deleted pages are overwritten (secure_delete) and the WAL is checkpointed,
so the content does not linger in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from local_store.store import Connection, Store

# The retention clock of a consultation's pieces: its analysis, else its import.
CLOCK = "coalesce(c.analyzed_at, c.created_at)"
_DUE = f"""
SELECT c.uuid, c.title, {CLOCK} AS since,
       count(p.id) AS pieces, coalesce(sum(p.size), 0) AS bytes
FROM consultations c JOIN pieces p ON p.consultation_uuid = c.uuid AND p.sha256 IS NOT NULL
WHERE c.keep_pieces = 0 AND julianday({CLOCK}) <= julianday(?)
GROUP BY c.uuid ORDER BY since
"""
_ANY_DUE = f"""
SELECT 1 FROM consultations c
WHERE c.keep_pieces = 0 AND julianday({CLOCK}) <= julianday(?)
  AND EXISTS (SELECT 1 FROM pieces p WHERE p.consultation_uuid = c.uuid AND p.sha256 IS NOT NULL)
LIMIT 1
"""
# The earliest moment a piece still held becomes due (what a backup made now holds).
_NEXT_DUE = f"""
SELECT min({CLOCK}) FROM consultations c
WHERE c.keep_pieces = 0
  AND EXISTS (SELECT 1 FROM pieces p WHERE p.consultation_uuid = c.uuid AND p.sha256 IS NOT NULL)
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
    analyzed_at: str  # when the retention clock started: the analysis, else the import
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
            DueConsultation(r["uuid"], r["title"], r["since"], int(r["pieces"]), int(r["bytes"]))
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
    if store.read().execute(_ANY_DUE, (cutoff,)).fetchone() is None:
        return PurgeReport(cutoff=cutoff)  # the common case, on every store open: one indexed query
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


def expiry_of_held_pieces(conn: Connection, *, days: int) -> datetime | None:
    """When the DCE pieces held now start to be past retention (None: no piece held)."""
    row = conn.execute(_NEXT_DUE).fetchone()
    if row is None or row[0] is None:
        return None
    since = datetime.fromisoformat(str(row[0]))
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since + timedelta(days=days)
