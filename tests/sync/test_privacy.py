"""What reaches the server: consultation metadata yes, DCE text never; mémoire sections only when the
user turned sync on for that consultation; opted-out records never. Checked by reading every text
column of every table of the server's PostgreSQL database."""

from __future__ import annotations

import re

import psycopg
import pytest

from app.services import consultations
from local_store import repo_library, repo_proposals, repo_sync
from sync import policy
from tests.conftest import EXAMPLE_DIR
from tests.sync.conftest import Account, LiveServer, new_device

pytestmark = pytest.mark.postgres

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def server_text(database_url: str) -> str:
    """Every text value stored in the server database (all tables, all text columns), with JSON decoded."""
    import json

    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    values: list[str] = []
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(%s)",
            (list(TEXT_TYPES),),
        ).fetchall()
        assert columns
        for table, column in columns:
            for (value,) in conn.execute(f'SELECT "{column}"::text FROM "{table}"'):
                if value is None:
                    continue
                values.append(value)
                try:
                    decoded = json.loads(value)
                except ValueError:
                    continue
                values.append(json.dumps(decoded, ensure_ascii=False))
                values.extend(_strings(decoded))
    return _norm("\n".join(values))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def pg_live(pg_server: LiveServer) -> LiveServer:
    return pg_server


def test_dce_text_never_reaches_the_server(
    tmp_path: pytest.TempPathFactory, pg_live: LiveServer, pg_sync_url: str
) -> None:
    from tests.sync.conftest import new_account

    account: Account = new_account(pg_live)
    a = new_device(tmp_path, "a", pg_live, account)  # type: ignore[arg-type]
    b = new_device(tmp_path, "b", pg_live, account)  # type: ignore[arg-type]
    try:
        imported = consultations.import_dce(a.store, [EXAMPLE_DIR / "dce.zip"], workers=1)
        row = consultations.get_consultation(a.store, imported.consultation_uuid)
        # A mémoire for it, with a section whose text must stay here while sync is off for it.
        proposal = repo_proposals.get_or_create_proposal(a.store, row.uuid)
        [section] = repo_proposals.save_outline(
            a.store, proposal.uuid, [repo_proposals.NewSection("Méthodologie", 1)]
        )
        repo_proposals.save_section_body(
            a.store, section.uuid, "Texte confidentiel du mémoire 7Q2X.", "manual"
        )
        private = repo_library.add_block(a.store, "Tarifs internes", "Marge cible 31 % ZK9W.")
        with a.store.transaction() as tx:
            repo_sync.set_opt_out(tx, policy.BY_TABLE["library_blocks"], private.uuid, True)
        summary = a.sync()
        assert summary.held_back >= 2  # type: ignore[attr-defined]

        pages = [str(r[0]) for r in a.store.read().execute("SELECT text FROM page_texts WHERE text != ''")]
        assert len(pages) >= 5
        metadata = _norm(" ".join(str(v) for v in (row.title, row.buyer, row.deadline) if v))
        phrases = {
            _norm(line)
            for page in pages
            for line in page.splitlines()
            if len(_norm(line)) >= 30 and _norm(line) not in metadata
        }
        assert len(phrases) >= 20
        stored = server_text(pg_sync_url)
        # The search does find what is meant to be there: the consultation's metadata.
        assert _norm(row.title) in stored
        if row.buyer:
            assert _norm(row.buyer) in stored
        leaked = sorted(p for p in phrases if p in stored)
        assert leaked == []
        assert "7Q2X" not in stored and "ZK9W" not in stored

        b.sync()
        on_b = consultations.get_consultation(b.store, row.uuid)
        assert (on_b.title, on_b.buyer, on_b.deadline, on_b.status) == (
            row.title,
            row.buyer,
            row.deadline,
            row.status,
        )
        assert on_b.pieces == 0
        assert b.store.read().execute("SELECT count(*) FROM page_texts").fetchone()[0] == 0

        # The user turns mémoire sync on for this consultation: its sections go, the DCE still does not.
        with a.store.transaction() as tx:
            assert repo_sync.set_sync_sections(tx, row.uuid, True)
        a.sync()
        stored = server_text(pg_sync_url)
        assert "Texte confidentiel du mémoire 7Q2X." in stored
        assert sorted(p for p in phrases if p in stored) == []
        assert "ZK9W" not in stored
        b.sync()
        [on_b_section] = repo_proposals.list_sections(b.store, proposal.uuid)
        assert on_b_section.body == "Texte confidentiel du mémoire 7Q2X."
    finally:
        for device in (a, b):
            device.client.close()
            device.store.close()
