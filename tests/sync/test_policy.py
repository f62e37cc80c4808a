"""The policy decides what leaves the machine: only listed fields, never DCE data, opt-outs respected."""

from __future__ import annotations

from app.domain.profile import AdminDocKind, AdminDocument, CompanyProfile
from local_store import repo_consultations, repo_profile, repo_proposals, repo_sync
from local_store.store import Store
from sync import policy


def _outbox(store: Store) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for rec in repo_sync.outbox(store.read(), policy.SPECS):
        found.setdefault(rec.spec.table, []).append(rec.data)
    return found


def test_only_consultation_metadata_leaves(store: Store) -> None:
    with store.transaction() as tx:
        cid = repo_consultations.create(tx, title="Réfection de voirie", source_name="DCE_voirie_2026.zip")
        repo_consultations.update_metadata(
            tx,
            cid,
            buyer="Commune de Coupvray",
            reference="2026-VOI-03",
            deadline="2026-12-15T12:00:00+01:00",
        )
        repo_consultations.save_analysis(tx, cid, "offline", {"object": "texte de l'analyse"})
    out = _outbox(store)
    assert out["consultations"] == [
        {
            "title": "Réfection de voirie",
            "buyer": "Commune de Coupvray",
            "deadline": "2026-12-15T12:00:00+01:00",
            "status": "a_analyser",
            "sync_sections": False,
        }
    ]
    # No table of DCE content has a spec: there is no way for it to be sent.
    assert not policy.NEVER_SYNCED & set(policy.BY_TABLE)


def test_sections_wait_for_the_consultation_switch_and_opt_outs_stay(store: Store) -> None:
    with store.transaction() as tx:
        cid = repo_consultations.create(tx, title="Gymnase", source_name=None)
    proposal = repo_proposals.get_or_create_proposal(store, cid)
    repo_proposals.save_outline(store, proposal.uuid, [repo_proposals.NewSection("Méthodologie", 1)])
    assert set(_outbox(store)) == {"consultations"}
    assert repo_sync.count_held_back(store.read(), policy.SPECS) == 2
    with store.transaction() as tx:
        repo_sync.set_sync_sections(tx, cid, True)
    assert set(_outbox(store)) == {"consultations", "proposals", "sections"}
    with store.transaction() as tx:
        repo_sync.set_opt_out(tx, policy.BY_TABLE["consultations"], cid, True)
    assert _outbox(store) == {}


def test_administrative_documents_travel_without_their_file(store: Store) -> None:
    profile = CompanyProfile(
        raison_sociale="Durand SARL",
        siret="73282932000074",
        documents_administratifs=[
            AdminDocument(kind=AdminDocKind("kbis"), label="Extrait K-bis", expires_on="2027-01-31")
        ],
    )
    repo_profile.save_profile(store, profile)
    [doc] = _outbox(store)["admin_documents"]
    assert doc["label"] == "Extrait K-bis" and "blob_sha256" not in doc and doc[policy.POSITION_KEY] == 0
