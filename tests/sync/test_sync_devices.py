"""Two or three devices (real SQLCipher stores) and one account server (PostgreSQL, and SQLite)."""

from __future__ import annotations

import json

import pytest

from app.domain.profile import CompanyProfile, Reference
from local_store import repo_library, repo_profile, repo_sync
from tests.sync.conftest import DeviceFactory

PROFILE = CompanyProfile(
    raison_sociale="Bâtiments Durand SARL",
    siret="73282932000074",
    email="contact@durand.fr",
    telephone="01 02 03 04 05",
    references=[Reference(client="Mairie de Coupvray", object="Réfection de la toiture", year=2023)],
)


def test_an_edit_on_a_appears_on_b(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    block = repo_library.add_block(a.store, "Démarche qualité", "Notre plan qualité ISO 9001.", ["qualité"])
    repo_profile.save_profile(a.store, PROFILE)
    summary = a.sync()
    assert summary.total_sent == 3  # type: ignore[attr-defined]
    b.sync()
    assert repo_library.get_block(b.store, block.uuid).body == "Notre plan qualité ISO 9001."
    profile = repo_profile.load_profile(b.store)
    assert profile is not None and profile.raison_sociale == "Bâtiments Durand SARL"
    assert [r.object for r in profile.references] == ["Réfection de la toiture"]

    repo_library.update_block(a.store, block.uuid, body="Plan qualité ISO 9001, revu en 2026.")
    a.sync()
    b.sync()
    assert repo_library.get_block(b.store, block.uuid).body == "Plan qualité ISO 9001, revu en 2026."
    # Nothing left to send on either side.
    for device in (a, b):
        assert repo_sync.count_outbox(device.store.read(), device.engine.specs) == 0


def test_concurrent_text_edits_converge_with_a_conflict_copy(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    block = repo_library.add_block(a.store, "Sécurité", "Version commune.")
    a.sync()
    b.sync()
    repo_library.update_block(a.store, block.uuid, body="Version de A.")
    repo_library.update_block(b.store, block.uuid, body="Version de B.")
    a.sync()
    summary = b.sync()
    assert summary.conflicts == 1  # type: ignore[attr-defined]
    a.sync()
    # Both devices hold the same text (the server's), B's text is kept as a conflict copy.
    assert repo_library.get_block(a.store, block.uuid).body == "Version de A."
    assert repo_library.get_block(b.store, block.uuid).body == "Version de A."
    copies = repo_sync.list_conflicts(b.store)
    assert [(c.table_name, c.record_uuid, c.local_data["body"]) for c in copies] == [
        ("library_blocks", block.uuid, "Version de B.")
    ]
    assert copies[0].server_data is not None and copies[0].server_data["body"] == "Version de A."


def test_profile_fields_merge_field_by_field(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    repo_profile.save_profile(a.store, PROFILE)
    a.sync()
    b.sync()
    repo_profile.save_profile(a.store, PROFILE.model_copy(update={"email": "devis@durand.fr"}))
    repo_profile.save_profile(b.store, PROFILE.model_copy(update={"telephone": "09 87 65 43 21"}))
    a.sync()
    b.sync()
    a.sync()
    for device in (a, b):
        profile = repo_profile.load_profile(device.store)
        assert profile is not None
        assert (profile.email, profile.telephone) == ("devis@durand.fr", "09 87 65 43 21")
        assert repo_sync.list_conflicts(device.store) == []


def test_same_profile_field_changed_on_both_sides_keeps_a_copy(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    repo_profile.save_profile(a.store, PROFILE)
    a.sync()
    b.sync()
    repo_profile.save_profile(a.store, PROFILE.model_copy(update={"email": "a@durand.fr"}))
    repo_profile.save_profile(
        b.store, PROFILE.model_copy(update={"email": "b@durand.fr", "telephone": "06 00 00 00 00"})
    )
    a.sync()
    b.sync()
    a.sync()
    for device in (a, b):
        profile = repo_profile.load_profile(device.store)
        assert profile is not None
        # The server's value wins the disputed field; B's other change is merged in.
        assert (profile.email, profile.telephone) == ("a@durand.fr", "06 00 00 00 00")
    copies = repo_sync.list_conflicts(b.store)
    assert len(copies) == 1 and copies[0].local_data["email"] == "b@durand.fr"


def test_deletes_propagate(devices: DeviceFactory) -> None:
    a, b, c = devices("a"), devices("b"), devices("c")
    keep = repo_library.add_block(a.store, "Gardé", "reste")
    gone = repo_library.add_block(a.store, "Supprimé", "part")
    repo_profile.save_profile(a.store, PROFILE)
    a.sync()
    b.sync()
    repo_library.delete_block(b.store, gone.uuid)
    repo_profile.save_profile(b.store, PROFILE.model_copy(update={"references": []}))
    b.sync()
    a.sync()
    c.sync()  # a device that never saw the records
    for device in (a, b, c):
        assert [blk.uuid for blk in repo_library.list_blocks(device.store)] == [keep.uuid]
        profile = repo_profile.load_profile(device.store)
        assert profile is not None and profile.references == []


def test_an_edit_made_while_the_push_is_in_flight_stays_dirty(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    block = repo_library.add_block(a.store, "Moyens", "v1")
    inner = a.transport.inner

    class EditDuringPush:
        def handle_request(self, request):  # type: ignore[no-untyped-def]
            response = inner.handle_request(request)
            if request.url.path.endswith("/push"):
                # The user types while the server is answering.
                repo_library.update_block(a.store, block.uuid, body="v2")
            return response

    a.transport.inner = EditDuringPush()  # type: ignore[assignment]
    a.sync()
    a.transport.inner = inner
    # The acknowledgement of "v1" did not clear the newer edit: it went too, and B has it.
    row = (
        a.store.read()
        .execute("SELECT dirty, body FROM library_blocks WHERE uuid = ?", (block.uuid,))
        .fetchone()
    )
    assert (row["dirty"], row["body"]) == (0, "v2")
    b.sync()
    assert repo_library.get_block(b.store, block.uuid).body == "v2"


def test_a_lost_answer_is_retried_with_the_same_key_and_applied_once(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    repo_library.add_block(a.store, "Un", "1")
    a.transport.faults = ["drop_after"]  # the push commits on the server, its answer is lost
    summary = a.sync()
    assert summary.total_sent == 1  # type: ignore[attr-defined]
    b.sync()
    assert [blk.body for blk in repo_library.list_blocks(b.store)] == ["1"]
    # The server saw the same batch twice and applied it once: the record has a single revision.
    page = a.client.pull(None, 50)
    assert [r.revision for r in page.records] == [1]


def test_a_pending_batch_survives_a_failed_sync_and_is_sent_again(devices: DeviceFactory) -> None:
    from sync.client import Offline

    a = devices("a")
    repo_library.add_block(a.store, "Un", "1")
    a.transport.faults = ["drop_after"] * 4  # the server commits, then every answer is lost
    try:
        a.sync()
        raise AssertionError("expected Offline")
    except Offline:
        pass
    pending = repo_sync.kv_get(a.store.read(), repo_sync.PENDING_PUSH_KEY)
    assert pending is not None
    key = json.loads(pending)["idempotency_key"]
    repo_library.add_block(a.store, "Deux", "2")  # queued offline
    a.sync()
    assert repo_sync.kv_get(a.store.read(), repo_sync.PENDING_PUSH_KEY) is None
    page = a.client.pull(None, 50)
    assert sorted(r.data["body"] for r in page.records if r.data) == ["1", "2"]
    assert len(page.records) == 2 and key


def test_any_text_travels_unchanged(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    body = "Ligne 1\nLigne 2\tTab — « guillemets » 🏗️ عربى \x00 fin\r\n" + "é" * 3000
    block = repo_library.add_block(a.store, "Caractères \x0b spéciaux", body, ["tag,à"])
    a.sync()
    b.sync()
    got = repo_library.get_block(b.store, block.uuid)
    assert (got.title, got.body) == ("Caractères \x0b spéciaux", body)


def test_turning_memoire_sync_off_withdraws_it_from_the_server_but_not_from_devices(
    devices: DeviceFactory,
) -> None:
    from local_store import repo_consultations, repo_proposals

    a, b = devices("a"), devices("b")
    with a.store.transaction() as tx:
        cid = repo_consultations.create(tx, title="Gymnase", source_name=None)
        repo_sync.set_sync_sections(tx, cid, True)
    proposal = repo_proposals.get_or_create_proposal(a.store, cid)
    [section] = repo_proposals.save_outline(
        a.store, proposal.uuid, [repo_proposals.NewSection("Méthodologie", 1)]
    )
    repo_proposals.save_section_body(a.store, section.uuid, "Notre méthode en 5 phases.", "manual")
    a.sync()
    b.sync()
    assert [s.body for s in repo_proposals.list_sections(b.store, proposal.uuid)] == [
        "Notre méthode en 5 phases."
    ]

    with a.store.transaction() as tx:
        repo_sync.set_sync_sections(tx, cid, False)
    a.sync()
    b.sync()
    on_server = {str(r.id): r for r in a.client.pull(None, 100).records}
    assert on_server[section.uuid].deleted and on_server[section.uuid].data is None
    assert on_server[proposal.uuid].deleted
    assert on_server[cid].data is not None and on_server[cid].data["sync_sections"] is False
    # Both devices keep the mémoire: a withdrawal is not a deletion.
    for device in (a, b):
        assert [s.body for s in repo_proposals.list_sections(device.store, proposal.uuid)] == [
            "Notre méthode en 5 phases."
        ]
        assert repo_sync.count_outbox(device.store.read(), device.engine.specs) == 0

    # Turned on again (from B): the mémoire goes back to the server, and B's later edit reaches A.
    with b.store.transaction() as tx:
        repo_sync.set_sync_sections(tx, cid, True)
    repo_proposals.save_section_body(b.store, section.uuid, "Notre méthode en 6 phases.", "manual")
    b.sync()
    a.sync()
    on_server = {str(r.id): r for r in a.client.pull(None, 100).records}
    assert not on_server[section.uuid].deleted
    assert [s.body for s in repo_proposals.list_sections(a.store, proposal.uuid)] == [
        "Notre méthode en 6 phases."
    ]


def test_children_received_before_their_parent_wait_for_it(devices: DeviceFactory) -> None:
    from local_store import repo_consultations, repo_proposals
    from sync.engine import SyncEngine

    a = devices("a")
    with a.store.transaction() as tx:
        cid = repo_consultations.create(tx, title="Voirie", source_name=None)
        repo_sync.set_sync_sections(tx, cid, True)
    proposal = repo_proposals.get_or_create_proposal(a.store, cid)
    outline = [repo_proposals.NewSection("Organisation", 1), repo_proposals.NewSection("Planning", 1)]
    repo_proposals.save_outline(a.store, proposal.uuid, outline)
    a.sync()
    # The proposal changes after its sections: a new device receives the sections first.
    repo_proposals.get_or_create_proposal(a.store, cid, outline_source="cadre_reponse")
    a.sync()
    c = devices("c")
    SyncEngine(c.store, c.client, pull_limit=1).sync()  # one record per page
    assert [s.title for s in repo_proposals.list_sections(c.store, proposal.uuid)] == [
        "Organisation",
        "Planning",
    ]
    assert repo_sync.orphans(c.store.read()) == []


def test_a_record_over_the_size_limit_stays_here_and_the_rest_goes(devices: DeviceFactory) -> None:
    a, b = devices("a"), devices("b")
    huge = repo_library.add_block(a.store, "Annexe énorme", "x" * 300_000)
    small = repo_library.add_block(a.store, "Petit", "court")
    summary = a.sync()
    assert (summary.too_large, summary.total_sent) == (1, 1)  # type: ignore[attr-defined]
    b.sync()
    assert [blk.uuid for blk in repo_library.list_blocks(b.store)] == [small.uuid]
    assert repo_library.get_block(a.store, huge.uuid).body == "x" * 300_000


def test_a_page_and_its_cursor_are_applied_together(
    devices: DeviceFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = devices("a"), devices("b")
    for n in range(3):
        repo_library.add_block(a.store, f"Bloc {n}", f"texte {n}")
    a.sync()
    real = repo_sync.write_record
    calls = []

    def failing(*args: object, **kwargs: object) -> bool:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("crash while applying the page")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repo_sync, "write_record", failing)
    with pytest.raises(RuntimeError):
        b.sync()
    # Nothing of the page was kept, and the cursor did not move: the next sync gets it all.
    assert repo_library.list_blocks(b.store) == []
    assert repo_sync.kv_get(b.store.read(), repo_sync.CURSOR_KEY) is None
    monkeypatch.setattr(repo_sync, "write_record", real)
    b.sync()
    assert len(repo_library.list_blocks(b.store)) == 3
