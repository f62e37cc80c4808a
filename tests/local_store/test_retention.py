"""Retention: DCE pieces go 30 days after analysis unless kept; dry run shows and changes nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from local_store import keychain
from local_store.retention import purge
from local_store.store import Connection, Store, create_store

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _consultation(conn: Connection, uuid: str, analyzed_days_ago: int | None, *, keep: bool = False) -> None:
    analyzed = (
        (NOW - timedelta(days=analyzed_days_ago)).isoformat() if analyzed_days_ago is not None else None
    )
    conn.execute(
        "INSERT INTO consultations(uuid, title, created_at, analyzed_at, keep_pieces, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (uuid, f"Marché {uuid}", NOW.isoformat(), analyzed, int(keep), NOW.isoformat()),
    )


def _piece(conn: Connection, consultation: str, name: str, content: bytes, text: str) -> str:
    sha = hashlib.sha256(content).hexdigest()
    conn.execute(
        "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES (?, ?, ?)", (sha, len(content), content)
    )
    if conn.execute("SELECT 1 FROM extractions WHERE sha256 = ?", (sha,)).fetchone() is None:
        conn.execute(
            "INSERT INTO extractions(sha256, format, page_count, extracted_at) VALUES (?, 'pdf', 1, ?)",
            (sha, NOW.isoformat()),
        )
        conn.execute("INSERT INTO page_texts(sha256, page, text) VALUES (?, 1, ?)", (sha, text))
    conn.execute(
        "INSERT INTO pieces(consultation_uuid, path, kind, sha256, size, imported_at) VALUES (?, ?, 'RC', ?, ?, ?)",
        (consultation, name, sha, len(content), NOW.isoformat()),
    )
    return sha


def _fill(store: Store) -> dict[str, str]:
    with store.transaction() as conn:
        _consultation(conn, "old", 40)
        _consultation(conn, "recent", 10)
        _consultation(conn, "kept", 90, keep=True)
        _consultation(conn, "never", None)
        return {
            "old_only": _piece(conn, "old", "RC.pdf", b"old rc", "zanzibar reglement ancien"),
            "shared": _piece(conn, "old", "CCAP.pdf", b"shared ccap", "clauses partagees"),
            "recent": _piece(conn, "recent", "CCAP.pdf", b"shared ccap", "clauses partagees"),
            "kept": _piece(conn, "kept", "RC.pdf", b"kept rc", "document conserve"),
            "never": _piece(conn, "never", "RC.pdf", b"never rc", "jamais analyse"),
        }


def _state(store: Store) -> tuple[int, int, int, int]:
    conn = store.read()
    return tuple(  # type: ignore[return-value]
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("blobs", "extractions", "page_texts", "pieces")
    )


def test_dry_run_then_purge(store: Store) -> None:
    shas = _fill(store)
    before = _state(store)

    report = purge(store, days=30, now=NOW, dry_run=True)
    assert [c.uuid for c in report.consultations] == ["old"]
    assert report.consultations[0].pieces == 2
    assert (report.blobs, report.extractions) == (1, 1)  # the shared CCAP is still used by "recent"
    assert not report.applied
    assert _state(store) == before

    done = purge(store, days=30, now=NOW)
    assert done.applied and [c.uuid for c in done.consultations] == ["old"]
    conn = store.read()
    blobs = {r[0] for r in conn.execute("SELECT sha256 FROM blobs")}
    assert shas["old_only"] not in blobs
    assert {shas["shared"], shas["kept"], shas["never"]} <= blobs
    assert (
        conn.execute("SELECT count(*) FROM page_texts WHERE sha256 = ?", (shas["old_only"],)).fetchone()[0]
        == 0
    )
    # The full-text index forgets the purged text too.
    assert conn.execute("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'zanzibar'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'conserve'").fetchone()[0] == 1
    # The consultation and its list of pieces stay, marked as purged.
    old = conn.execute("SELECT pieces_purged_at FROM consultations WHERE uuid='old'").fetchone()
    assert old["pieces_purged_at"] is not None
    assert (
        conn.execute(
            "SELECT count(*) FROM pieces WHERE consultation_uuid='old' AND sha256 IS NULL"
        ).fetchone()[0]
        == 2
    )
    assert store.integrity_errors() == []

    again = purge(store, days=30, now=NOW, dry_run=True)
    assert again.empty


def _decrypted_pages(path: Path, key: bytes) -> bytes:
    """Every page of the file decrypted with the raw key, free pages included (SQLCipher 4 layout:
    AES-256-CBC, 4096-byte pages, 80 reserved bytes per page = IV (16) + HMAC (64), salt first on page 1)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    data = path.read_bytes()
    out = bytearray()
    for offset in range(0, len(data), PAGE):
        page = data[offset : offset + PAGE]
        start = 16 if offset == 0 else 0
        iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += decryptor.update(page[start : PAGE - RESERVE]) + decryptor.finalize()
    return bytes(out)


PAGE, RESERVE = 4096, 80


def _purge_marker(store: Store, marker: bytes, *, secure: bool) -> bytes:
    with store.transaction() as conn:
        _consultation(conn, "old", 45)
        _piece(conn, "old", "RC.pdf", marker, "le mot zanzibarconfidentiel est dans la page")
    if secure:
        purge(store, days=30, now=NOW)
    else:  # the same deletions without secure_delete: the control case
        store.read().execute("PRAGMA secure_delete = OFF")
        with store.transaction() as conn:
            conn.execute("UPDATE pieces SET sha256 = NULL")
            conn.execute("DELETE FROM extractions")
            conn.execute("DELETE FROM blobs")
        store.checkpoint()
    store.close()
    key = bytes.fromhex(keychain.get_secret(keychain.store_key_name(store.path)) or "")
    return _decrypted_pages(store.path, key)


def test_purged_content_is_gone_from_the_file(store: Store) -> None:
    """secure_delete + checkpoint: the purged file is not left in the store's free pages."""
    marker = b"CONTENU-CONFIDENTIEL-" * 100
    pages = _purge_marker(store, marker, secure=True)
    assert b"CREATE TABLE consultations" in pages  # the decryption itself works
    assert marker[:42] not in pages
    assert b"zanzibarconfidentiel" not in pages  # neither the page text nor its full-text index terms


def test_without_secure_delete_the_bytes_would_remain(tmp_path: Path) -> None:
    """Control for the test above: plain deletion leaves the content in free pages."""
    store, _ = create_store(tmp_path / "control.db")
    pages = _purge_marker(store, b"CONTENU-CONFIDENTIEL-" * 100, secure=False)
    assert b"CONTENU-CONFIDENTIEL-" * 2 in pages
    assert b"zanzibarconfidentiel" in pages
