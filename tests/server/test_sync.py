"""Sync endpoints against sync/protocol.py: revisions, paging, conflicts, idempotency, tombstones."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, update

from server.config import Settings
from server.context import AppContext
from server.models import SyncRecord, utcnow
from server.retention import purge
from sync.protocol import PROTOCOL_HEADER, ConflictBody, PullPage, PushBatch, PushResult, RecordChange
from tests.server.conftest import Api, User


def push(api: Api, user: User, changes: list[dict[str, Any]], key: str | None = None) -> Any:
    body = {"idempotency_key": key or uuid.uuid4().hex, "changes": changes}
    return api.post("/v1/sync/push", headers=user.sync, json=body)


def pull_all(
    api: Api, user: User, cursor: str | None = None, limit: int = 200
) -> tuple[list[dict[str, Any]], str]:
    records: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        r = api.get("/v1/sync/changes", headers=user.sync, params=params)
        assert r.status_code == 200, r.text
        page = PullPage.model_validate(r.json())
        records += [rec.model_dump(mode="json") for rec in page.records]
        cursor = page.next_cursor
        if not page.has_more:
            return records, cursor


def test_push_then_pull_pages_in_revision_order(api: Api) -> None:
    user = api.signup()
    ids = [str(uuid.uuid4()) for _ in range(7)]
    r = push(
        api,
        user,
        [{"type": "reference", "id": i, "data": {"titre": f"Chantier {n}"}} for n, i in enumerate(ids)],
    )
    assert r.status_code == 200, r.text
    result = PushResult.model_validate(r.json())
    assert [rec.revision for rec in result.records] == list(range(1, 8))
    assert result.revision == 7
    first = api.get("/v1/sync/changes", headers=user.sync, params={"limit": 3}).json()
    assert [rec["id"] for rec in first["records"]] == ids[:3] and first["has_more"] is True
    records, cursor = pull_all(api, user, first["next_cursor"], limit=3)
    assert [rec["id"] for rec in records] == ids[3:]
    # Nothing new after the last cursor; a later change shows up, and only it.
    assert pull_all(api, user, cursor)[0] == []
    r = push(
        api, user, [{"type": "reference", "id": ids[2], "base_revision": 3, "data": {"titre": "Modifié"}}]
    )
    assert r.status_code == 200
    changed, _ = pull_all(api, user, cursor)
    assert [(c["id"], c["revision"], c["data"]) for c in changed] == [(ids[2], 8, {"titre": "Modifié"})]


def test_stale_base_is_a_409_with_the_server_copy_and_nothing_applied(api: Api) -> None:
    user = api.signup()
    rid, other = str(uuid.uuid4()), str(uuid.uuid4())
    assert push(api, user, [{"type": "staff", "id": rid, "data": {"nom": "Martin"}}]).status_code == 200
    assert (
        push(
            api, user, [{"type": "staff", "id": rid, "base_revision": 1, "data": {"nom": "Martin B."}}]
        ).status_code
        == 200
    )
    # A second device edits from revision 1: conflict, and its other change is not applied either.
    r = push(
        api,
        user,
        [
            {"type": "staff", "id": other, "data": {"nom": "Nouveau"}},
            {"type": "staff", "id": rid, "base_revision": 1, "data": {"nom": "Martin C."}},
        ],
    )
    assert r.status_code == 409
    body = ConflictBody.model_validate(r.json())
    assert body.error.code == "conflict"
    assert "fusionnez" in body.error.message
    [conflict] = body.conflicts
    assert str(conflict.id) == rid and conflict.server is not None
    assert conflict.server.revision == 2 and conflict.server.data == {"nom": "Martin B."}
    records, _ = pull_all(api, user)
    assert [r["id"] for r in records] == [rid]


def test_idempotent_retry_and_key_reuse(api: Api) -> None:
    user = api.signup()
    change = [{"type": "library_block", "id": str(uuid.uuid4()), "data": {"texte": "Notre démarche QSE"}}]
    first = push(api, user, change, key="retry-key-0001")
    again = push(api, user, change, key="retry-key-0001")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert api.get("/v1/sync/changes", headers=user.sync).json()["revision"] == 1  # applied once
    other = [{**change[0], "data": {"texte": "Autre"}}]
    reused = push(api, user, other, key="retry-key-0001")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    # Re-sending identical content with a stale base (lost answer, new key) is a no-op, not a conflict.
    same = push(api, user, change, key="retry-key-0002")
    assert same.status_code == 200
    assert same.json()["records"][0]["revision"] == 1


def test_tombstones_and_recreation(api: Api) -> None:
    user = api.signup()
    rid = str(uuid.uuid4())
    push(api, user, [{"type": "certification", "id": rid, "data": {"nom": "ISO 9001"}}])
    _, cursor = pull_all(api, user)
    r = push(api, user, [{"type": "certification", "id": rid, "base_revision": 1, "deleted": True}])
    assert r.status_code == 200
    [tomb] = pull_all(api, user, cursor)[0]
    assert tomb["deleted"] is True and tomb["data"] is None and tomb["revision"] == 2
    assert (
        push(api, user, [{"type": "certification", "id": rid, "deleted": True, "data": {"x": 1}}]).status_code
        == 422
    )
    r = push(
        api, user, [{"type": "certification", "id": rid, "base_revision": 2, "data": {"nom": "ISO 14001"}}]
    )
    assert r.status_code == 200 and r.json()["records"][0]["deleted"] is False


def test_protocol_version_checked_with_a_french_update_message(api: Api) -> None:
    user = api.signup()
    for headers in (
        {**user.auth},
        {**user.auth, PROTOCOL_HEADER: "0"},
        {**user.auth, PROTOCOL_HEADER: "abc"},
    ):
        r = api.get("/v1/sync/changes", headers=headers)
        assert r.status_code == 426
        assert r.json()["error"]["code"] == "protocol_unsupported"
        assert "mettez l'application à jour" in r.json()["error"]["message"]


def test_sync_checks_the_token_then_the_protocol_before_reading_the_body(api: Api) -> None:
    user = api.signup()
    not_a_batch = {"changes": "rien"}
    for headers, status in (
        ({PROTOCOL_HEADER: "1"}, 401),  # no token: refused before the body is looked at
        ({"Authorization": "Basic dXNlcjpwYXNz", PROTOCOL_HEADER: "1"}, 401),
        ({"Authorization": "Bearer pas-un-jeton", PROTOCOL_HEADER: "1"}, 401),
        ({**user.auth, PROTOCOL_HEADER: "0"}, 426),
        (user.sync, 422),
    ):
        r = api.post("/v1/sync/push", headers=headers, json=not_a_batch)
        assert r.status_code == status, (headers, r.text)
    assert api.get("/v1/sync/changes", headers={PROTOCOL_HEADER: "1"}).status_code == 401
    # Both operations still declare the bearer token and the protocol header in the schema.
    schema = api.get("/openapi.json").json()
    for path, method in (("/v1/sync/changes", "get"), ("/v1/sync/push", "post")):
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"HTTPBearer": []}]
        assert PROTOCOL_HEADER in [p["name"] for p in operation["parameters"] if p["in"] == "header"]


def test_bad_and_expired_cursors(api: Api, settings: Settings, engine: Engine) -> None:
    user = api.signup()
    rid, keep1, keep2 = (str(uuid.uuid4()) for _ in range(3))
    push(api, user, [{"type": "equipment", "id": i, "data": {"nom": "Nacelle"}} for i in (rid, keep1, keep2)])
    _, cursor = pull_all(api, user)
    r = api.get("/v1/sync/changes", headers=user.sync, params={"cursor": "n'importe quoi"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "cursor_invalid"
    push(api, user, [{"type": "equipment", "id": rid, "base_revision": 1, "deleted": True}])
    # The tombstone is old enough to be compacted: the cursor from before it has expired.
    with engine.begin() as conn:
        conn.execute(
            update(SyncRecord)
            .where(SyncRecord.id == rid)
            .values(updated_at=utcnow() - timedelta(days=settings.tombstone_days + 1))
        )
    ctx = AppContext(settings, engine)
    with ctx.tx() as s:
        purge(s, settings)
    r = api.get("/v1/sync/changes", headers=user.sync, params={"cursor": cursor})
    assert r.status_code == 410
    assert r.json()["error"]["code"] == "cursor_expired"
    assert "comparaison complète" in r.json()["error"]["message"]
    # The full compare (no cursor, paged below the new floor) works and no longer lists the compacted record.
    records, fresh = pull_all(api, user, limit=1)
    assert [r["id"] for r in records] == [keep1, keep2]
    assert api.get("/v1/sync/changes", headers=user.sync, params={"cursor": fresh}).status_code == 200


def test_another_account_sees_and_touches_nothing(api: Api) -> None:
    alice, bob = api.signup(), api.signup()
    rid = str(uuid.uuid4())
    push(api, alice, [{"type": "company_profile", "id": rid, "data": {"raison_sociale": "Alice BTP"}}])
    assert pull_all(api, bob)[0] == []
    # Bob writing the same id creates his own record; Alice's stays untouched.
    r = push(api, bob, [{"type": "company_profile", "id": rid, "data": {"raison_sociale": "Bob"}}])
    assert r.status_code == 200
    [alice_copy] = pull_all(api, alice)[0]
    assert alice_copy["data"] == {"raison_sociale": "Alice BTP"} and alice_copy["revision"] == 1
    [bob_copy] = pull_all(api, bob)[0]
    assert bob_copy["data"] == {"raison_sociale": "Bob"}


def test_one_record_round_trip_fits_in_a_few_kilobytes(api: Api) -> None:
    user = api.signup()
    change = RecordChange(type="section", id=uuid.uuid4(), data={"titre": "Méthodologie", "texte": "x" * 500})
    batch = PushBatch(idempotency_key="size-check-01", changes=[change])
    wire = batch.model_dump_json().encode()
    r = api.post("/v1/sync/push", headers={**user.sync, "content-type": "application/json"}, content=wire)
    assert r.status_code == 200
    pulled = api.get("/v1/sync/changes", headers=user.sync)
    assert len(wire) + len(r.content) + len(pulled.content) < 3 * 1024


def test_oversized_record_refused(api: Api) -> None:
    user = api.signup()
    r = push(api, user, [{"type": "section", "id": str(uuid.uuid4()), "data": {"texte": "é" * 200_000}}])
    assert r.status_code == 422
    assert "octets" in r.json()["error"]["message"]


def test_batch_validation(api: Api) -> None:
    user = api.signup()
    rid = str(uuid.uuid4())
    twice = push(
        api, user, [{"type": "staff", "id": rid, "data": {}}, {"type": "staff", "id": rid, "data": {}}]
    )
    assert twice.status_code == 422 and "deux fois" in twice.json()["error"]["message"]
    unknown = push(api, user, [{"type": "dce_piece", "id": rid, "data": {}}])
    assert unknown.status_code == 422  # DCE files are never synced
    assert push(api, user, [{"type": "staff", "id": rid, "data": {"n": 1}}]).status_code == 200
    other_type = push(api, user, [{"type": "reference", "id": rid, "base_revision": 1, "data": {}}])
    assert other_type.status_code == 422 and other_type.json()["error"]["code"] == "record_type_mismatch"
