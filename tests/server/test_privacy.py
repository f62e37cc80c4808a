"""Privacy rights: access, rectification, export, erasure, restriction, objection, policy acknowledgement,
and account scoping of every account endpoint."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import Engine, func, select

from server.config import Settings
from server.models import (
    Account,
    AuthSession,
    BillingRecord,
    ConnectionLog,
    OutboxEmail,
    SyncRecord,
    UsageStat,
    utcnow,
)
from tests.server.conftest import Api, User
from tests.server.fakes import FakeService


def _push(api: Api, user: User, data: dict[str, object], rtype: str = "reference") -> str:
    rid = str(uuid.uuid4())
    r = api.post(
        "/v1/sync/push",
        headers=user.sync,
        json={"idempotency_key": uuid.uuid4().hex, "changes": [{"type": rtype, "id": rid, "data": data}]},
    )
    assert r.status_code == 200, r.text
    return rid


def _mail_token(engine: Engine, to: str, kind: str) -> str:
    with engine.connect() as conn:
        body = (
            conn.execute(
                select(OutboxEmail.body)
                .where(OutboxEmail.to_address == to, OutboxEmail.kind == kind)
                .order_by(OutboxEmail.id.desc())
            )
            .scalars()
            .first()
        )
    assert body is not None, f"no {kind} e-mail to {to}"
    return str(body).split("#", 1)[1].split()[0]


def test_rectification(api: Api, engine: Engine) -> None:
    user = api.signup()
    new = f"nouvelle-{uuid.uuid4().hex[:8]}@exemple.fr"
    r = api.patch("/v1/me", headers=user.auth, json={"first_name": "Camille-Anne", "email": new.upper()})
    assert r.status_code == 200
    # Names at once; the login e-mail once confirmed from the new mailbox.
    assert r.json()["first_name"] == "Camille-Anne" and r.json()["email"] == user.email
    confirmed = api.post(
        "/v1/accounts/email-confirmation", json={"token": _mail_token(engine, new, "email_change_confirm")}
    )
    assert confirmed.status_code == 200 and confirmed.json()["email"] == new
    assert api.get("/v1/me", headers=user.auth).json()["last_name"] == "Durand"
    api.login(new)
    assert api.post("/v1/accounts/email-confirmation", json={"token": "mao_ec_faux"}).status_code == 400
    assert api.patch("/v1/me", headers=user.auth, json={"first_name": "  "}).status_code == 422
    assert api.patch("/v1/me", headers=user.auth, json={"role": "admin"}).status_code == 422


def test_email_change_answers_the_same_whether_the_address_exists(api: Api, engine: Engine) -> None:
    taken_by, asker = api.signup(), api.signup()
    free = f"libre-{uuid.uuid4().hex[:8]}@exemple.fr"
    to_taken = api.patch("/v1/me", headers=asker.auth, json={"email": taken_by.email})
    to_free = api.patch("/v1/me", headers=asker.auth, json={"email": free})
    assert to_taken.status_code == to_free.status_code == 200
    assert to_taken.json() == to_free.json()
    # The owner of the taken address is told; nothing moves.
    with engine.connect() as conn:
        kinds = (
            conn.execute(select(OutboxEmail.kind).where(OutboxEmail.to_address == taken_by.email))
            .scalars()
            .all()
        )
        emails = (
            conn.execute(select(Account.email).where(Account.id.in_([taken_by.id, asker.id]))).scalars().all()
        )
    assert kinds == ["email_change_existing"]
    assert sorted(emails) == sorted([taken_by.email, asker.email])


def _age_session(engine: Engine, user: User, minutes: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            AuthSession.__table__.update()
            .where(AuthSession.id == user.session_id)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        )


def test_erasure_and_email_change_need_a_recent_password_login(api: Api, engine: Engine) -> None:
    user = api.signup()
    _age_session(engine, user, 11)  # a token stolen, or just left open, an hour ago
    refused = api.delete("/v1/me", headers=user.auth)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "reauthentication_required"
    assert "reconnectez-vous" in refused.json()["error"]["message"]
    moved = api.patch("/v1/me", headers=user.auth, json={"email": "pirate@exemple.fr"})
    assert moved.status_code == 403
    # Refreshing the tokens does not make the session fresh: only the password does.
    r = api.post("/v1/sessions/refresh", json={"refresh_token": user.refresh})
    assert r.status_code == 200
    refreshed = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert api.delete("/v1/me", headers=refreshed).status_code == 403
    # Names are corrected without it; the account is intact.
    assert api.patch("/v1/me", headers=refreshed, json={"first_name": "Camille"}).status_code == 200
    assert api.get("/v1/me", headers=refreshed).json()["email"] == user.email
    # A new login with the password allows both.
    fresh = api.login(user.email)
    assert (
        api.patch(
            "/v1/me", headers=fresh.auth, json={"email": f"c-{uuid.uuid4().hex[:8]}@exemple.fr"}
        ).status_code
        == 200
    )
    assert api.delete("/v1/me", headers=fresh.auth).status_code == 204


def test_export_holds_everything_about_the_account(api: Api) -> None:
    user = api.signup()
    rid = _push(api, user, {"titre": "Réhabilitation du groupe scolaire"})
    r = api.get("/v1/me/export", headers=user.auth)
    assert r.status_code == 200
    export = r.json()
    assert export["account"]["email"] == user.email
    assert "$2b$" not in r.text  # the hash itself is not handed out
    assert [(s["id"], s["data"]) for s in export["sync_records"]] == [
        (rid, {"titre": "Réhabilitation du groupe scolaire"})
    ]
    events = [e["event"] for e in export["connection_log"]]
    assert events[:2] == ["signup", "login"]
    assert all(e["ip"].startswith("10.") for e in export["connection_log"])
    assert export["sessions"][0]["id"] == user.session_id
    assert export["usage_statistics"][0]["feature"] == "sync_push"


def test_erasure_removes_the_person_and_keeps_billing_detached(
    api: Api, engine: Engine, settings: Settings, stripe_fake: FakeService
) -> None:
    user = api.signup()
    _push(api, user, {"nom": "Dupont"}, "staff")
    with engine.begin() as conn:
        conn.execute(
            Account.__table__.update()
            .where(Account.id == user.id)
            .values(
                subscription_status="active", stripe_subscription_id="sub_erase_1", stripe_customer_id="cus_1"
            )
        )
        conn.execute(
            BillingRecord.__table__.insert().values(
                account_id=user.id,
                kind="invoice",
                stripe_object_id="in_erase_1",
                amount_cents=4900,
                currency="eur",
            )
        )
    before = len(stripe_fake.seen)
    assert api.delete("/v1/me", headers=user.auth).status_code == 204
    # The subscription was cancelled at Stripe so the erased person is no longer charged.
    assert [(s.method, s.path) for s in stripe_fake.seen[before:]] == [
        ("DELETE", "/v1/subscriptions/sub_erase_1")
    ]
    assert api.get("/v1/me", headers=user.auth).status_code == 401
    assert api.post("/v1/sessions", json={"email": user.email, "password": user.password}).status_code == 401
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(Account.id == user.id)).scalar_one() == 0
        assert conn.execute(select(func.count()).where(SyncRecord.account_id == user.id)).scalar_one() == 0
        assert conn.execute(select(func.count()).where(ConnectionLog.account_id == user.id)).scalar_one() == 0
        kept = conn.execute(select(BillingRecord).where(BillingRecord.stripe_object_id == "in_erase_1")).one()
    assert kept.account_id is None and kept.amount_cents == 4900
    # The same e-mail can open a new, empty account.
    again = api.signup(user.email)
    assert api.get("/v1/sync/changes", headers=again.sync).json()["records"] == []


def test_restriction_stops_sync_and_analysis_but_not_rights(api: Api) -> None:
    user = api.signup()
    rid = _push(api, user, {"nom": "Qualibat"}, "certification")
    r = api.put("/v1/me/restriction", headers=user.auth, json={"active": True})
    assert r.status_code == 200 and r.json()["restricted"] is True
    for response in (
        api.get("/v1/sync/changes", headers=user.sync),
        api.post(
            "/v1/sync/push",
            headers=user.sync,
            json={
                "idempotency_key": "restricted-1",
                "changes": [{"type": "staff", "id": str(uuid.uuid4()), "data": {}}],
            },
        ),
        api.post(
            "/v1/analysis/v1/messages",
            headers=user.auth,
            json={
                "model": "claude-haiku-4-5",
                "max_tokens": 10,
                "messages": [{"role": "user", "content": "Bonjour"}],
            },
        ),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "processing_restricted"
        assert "limité à votre demande" in response.json()["error"]["message"]
    # The data is kept and still exportable; lifting the restriction resumes sync.
    assert api.get("/v1/me/export", headers=user.auth).json()["sync_records"][0]["id"] == rid
    api.put("/v1/me/restriction", headers=user.auth, json={"active": False})
    assert api.get("/v1/sync/changes", headers=user.sync).status_code == 200


def test_objection_stops_usage_statistics(api: Api, engine: Engine) -> None:
    user = api.signup()
    _push(api, user, {"a": 1})

    def stats() -> int:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(UsageStat.account_id == user.id)).scalar_one())

    assert stats() == 1
    assert api.put("/v1/me/objection", headers=user.auth, json={"active": True}).json()["objected"] is True
    assert stats() == 0
    _push(api, user, {"a": 2})
    assert stats() == 0


def test_policy_version_and_acknowledgement(api: Api, settings: Settings) -> None:
    user = api.signup()
    policy = api.get("/v1/policy").json()
    assert policy["version"] == settings.privacy_policy_version
    me = api.get("/v1/me", headers=user.auth).json()
    assert me["policy"]["up_to_date"] is False
    old = api.post("/v1/me/policy-acknowledgement", headers=user.auth, json={"version": "2020-01-01"})
    assert old.status_code == 409 and "plus en vigueur" in old.json()["error"]["message"]
    ack = api.post("/v1/me/policy-acknowledgement", headers=user.auth, json={"version": policy["version"]})
    assert ack.json()["policy"]["up_to_date"] is True
    assert ack.json()["policy"]["acknowledged_version"] == policy["version"]


def test_every_account_endpoint_is_scoped_to_the_caller(api: Api) -> None:
    alice, bob = api.signup(), api.signup()
    marker = f"secret-{uuid.uuid4().hex}"
    _push(api, alice, {"note": marker}, "proposal")
    api.patch("/v1/me", headers=alice.auth, json={"last_name": marker[:30]})
    for path in ("/v1/me", "/v1/me/export", "/v1/sessions", "/v1/me/usage", "/v1/sync/changes"):
        r = api.get(path, headers=bob.sync)
        assert r.status_code == 200, path
        assert marker[:30] not in r.text and alice.email not in r.text and alice.id not in r.text, path
    # Bob cannot revoke Alice's session, nor learn whether it exists.
    assert api.delete(f"/v1/sessions/{alice.session_id}", headers=bob.auth).status_code == 404
    assert api.get("/v1/me", headers=alice.auth).status_code == 200
    # Bob's erasure leaves Alice whole.
    assert api.delete("/v1/me", headers=bob.auth).status_code == 204
    assert marker in api.get("/v1/me/export", headers=alice.auth).text


def test_a_new_policy_version_is_announced_with_its_changes_and_acknowledged_again(
    api: Api, settings: Settings, engine: Engine
) -> None:
    import dataclasses

    from tests.server.conftest import make_client

    user = api.signup()
    current = api.get("/v1/policy").json()
    assert set(current) == {"version", "url", "changes"}
    assert (
        api.post(
            "/v1/me/policy-acknowledgement", headers=user.auth, json={"version": current["version"]}
        ).status_code
        == 200
    )
    # The operator publishes a new version (environment), with what changed.
    newer = dataclasses.replace(
        settings,
        privacy_policy_version="2027-01-15",
        privacy_policy_changes=("Les analyses par Claude sont transférées aux États-Unis (Anthropic).",),
    )
    client = make_client(newer, engine)
    policy = client.get("/v1/policy").json()
    assert policy["version"] == "2027-01-15" and policy["changes"][0].startswith("Les analyses")
    me = client.get("/v1/me", headers=user.auth).json()["policy"]
    assert me["up_to_date"] is False and me["acknowledged_version"] == current["version"]
    # Acknowledging the old version again is refused; the new one is recorded.
    assert (
        client.post(
            "/v1/me/policy-acknowledgement", headers=user.auth, json={"version": current["version"]}
        ).status_code
        == 409
    )
    ack = client.post("/v1/me/policy-acknowledgement", headers=user.auth, json={"version": "2027-01-15"})
    assert ack.status_code == 200 and ack.json()["policy"]["up_to_date"] is True
    assert client.post("/v1/me/policy-acknowledgement", json={"version": "2027-01-15"}).status_code == 401
