"""Sign-up, login, tokens (expiry, revocation, rotation), bcrypt cost, login throttling."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from server.config import DEFAULT_BCRYPT_ROUNDS, Settings
from server.models import Account, AuthSession, OutboxEmail, ThrottleCounter, UsedRefreshToken, utcnow
from server.security import hash_cost, hash_password, token_hash
from tests.server.conftest import PASSWORD, Api, make_client


def test_default_bcrypt_cost_is_at_least_12(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAITRE_AO_BCRYPT_ROUNDS", raising=False)
    settings = Settings.from_env()
    assert settings.bcrypt_rounds == DEFAULT_BCRYPT_ROUNDS >= 12
    assert hash_cost(hash_password("un mot de passe long", settings.bcrypt_rounds)) >= 12


def test_signup_login_me_and_stored_secrets(api: Api, engine: Engine) -> None:
    user = api.signup()
    me = api.get("/v1/me", headers=user.auth)
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["plan"]["code"] == "decouverte"
    with engine.connect() as conn:
        stored = conn.execute(select(Account.password_hash).where(Account.id == user.id)).scalar_one()
        hashes = conn.execute(
            select(AuthSession.access_hash, AuthSession.refresh_hash).where(AuthSession.id == user.session_id)
        ).one()
    assert stored.startswith("$2b$") and PASSWORD not in stored
    # Tokens are 256-bit random and only their SHA-256 is kept.
    assert hashes.access_hash == token_hash(user.access) and user.access not in hashes
    assert len(user.access.removeprefix("mao_at_")) >= 43


def test_signup_refuses_bad_input_in_french(api: Api) -> None:
    r = api.post(
        "/v1/accounts", json={"email": "x@y.fr", "password": "court", "first_name": "A", "last_name": "B"}
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"
    assert r.json()["error"]["message"] == "Données invalides (password) : au moins 12 caractère(s)."
    r = api.post(
        "/v1/accounts",
        json={"email": "pas-une-adresse", "password": PASSWORD, "first_name": "A", "last_name": "B"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "Données invalides (email) : format invalide."


def _signup_body(email: str) -> dict[str, str]:
    return {"email": email, "password": PASSWORD, "first_name": "Alex", "last_name": "Martin"}


def test_signup_answers_the_same_whether_the_address_exists_and_tells_its_owner(
    api: Api, engine: Engine
) -> None:
    """No account enumeration: the owner of a taken address gets an e-mail, the caller a normal answer."""
    user = api.signup()
    fresh = api.post("/v1/accounts", json=_signup_body(f"neuf-{uuid.uuid4().hex[:8]}@exemple.fr"))
    taken = api.post("/v1/accounts", json=_signup_body(user.email.upper()))
    assert fresh.status_code == taken.status_code == 201
    assert set(fresh.json()) == set(taken.json())
    for key in ("plan", "subscription_status", "restricted", "objected", "policy", "first_name"):
        assert fresh.json()[key] == taken.json()[key], key
    with engine.connect() as conn:
        owners = conn.execute(select(Account.id).where(Account.email == user.email)).scalars().all()
        mails = conn.execute(
            select(OutboxEmail.kind, OutboxEmail.account_id).where(OutboxEmail.to_address == user.email)
        ).all()
    assert owners == [user.id]  # no second account, the password unchanged
    assert [tuple(m) for m in mails] == [("signup_existing", user.id)]
    api.login(user.email)


def test_emails_are_normalised_before_uniqueness(api: Api, engine: Engine) -> None:
    tag = uuid.uuid4().hex[:8]
    nfc = unicodedata.normalize("NFC", f"hélène-{tag}@Exemple.FR")
    nfd = unicodedata.normalize("NFD", f"hélène-{tag}@EXEMPLE.fr")
    assert nfc != nfd
    assert api.post("/v1/accounts", json=_signup_body(nfc)).status_code == 201
    assert api.post("/v1/accounts", json=_signup_body(nfd)).status_code == 201
    with engine.connect() as conn:
        stored = conn.execute(select(Account.email).where(Account.email.like(f"%{tag}%"))).scalars().all()
    assert stored == [f"hélène-{tag}@exemple.fr"]
    # Logging in with either spelling reaches the one account.
    api.login(nfd)
    api.login(nfc.upper())


def test_refresh_token_reuse_after_rotation_revokes_the_whole_family(api: Api, engine: Engine) -> None:
    user = api.signup()
    first = api.post("/v1/sessions/refresh", json={"refresh_token": user.refresh})
    assert first.status_code == 200
    second = api.post("/v1/sessions/refresh", json={"refresh_token": first.json()["refresh_token"]})
    assert second.status_code == 200
    latest = {"Authorization": f"Bearer {second.json()['access_token']}"}
    assert api.get("/v1/me", headers=latest).status_code == 200
    # Replayed at once (a client retrying a refresh whose answer it lost): refused, the session lives.
    assert api.post("/v1/sessions/refresh", json={"refresh_token": user.refresh}).status_code == 401
    assert api.get("/v1/me", headers=latest).status_code == 200
    # The thief replays the first, already rotated token later: refused, and the family ends.
    with engine.begin() as conn:
        conn.execute(update(UsedRefreshToken).values(used_at=utcnow() - timedelta(minutes=5)))
    assert api.post("/v1/sessions/refresh", json={"refresh_token": user.refresh}).status_code == 401
    assert api.get("/v1/me", headers=latest).status_code == 401
    assert (
        api.post("/v1/sessions/refresh", json={"refresh_token": second.json()["refresh_token"]}).status_code
        == 401
    )
    # Other sessions of the account are not touched.
    other = api.login(user.email)
    assert api.get("/v1/me", headers=other.auth).status_code == 200


def test_wrong_password_and_unknown_email_look_the_same(api: Api) -> None:
    user = api.signup()
    bad = api.post("/v1/sessions", json={"email": user.email, "password": "mauvais-mot-de-passe"})
    unknown = api.post(
        "/v1/sessions", json={"email": "personne@exemple.fr", "password": "mauvais-mot-de-passe"}
    )
    assert bad.status_code == unknown.status_code == 401
    assert bad.json() == unknown.json()
    assert "incorrect" in bad.json()["error"]["message"]


def test_missing_garbage_expired_and_revoked_tokens_are_refused(api: Api, engine: Engine) -> None:
    user = api.signup()
    assert api.get("/v1/me").status_code == 401
    assert api.get("/v1/me", headers={"Authorization": "Bearer mao_at_nimportequoi"}).status_code == 401
    assert api.get("/v1/me", headers={"Authorization": f"Bearer {user.refresh}"}).status_code == 401
    with engine.begin() as conn:
        conn.execute(
            update(AuthSession)
            .where(AuthSession.id == user.session_id)
            .values(access_expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = api.get("/v1/me", headers=user.auth)
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"] == "Bearer"
    # The refresh token still works and gives a new pair; the old access token stays dead.
    r = api.post("/v1/sessions/refresh", json={"refresh_token": user.refresh})
    assert r.status_code == 200
    new_access = r.json()["access_token"]
    assert api.get("/v1/me", headers={"Authorization": f"Bearer {new_access}"}).status_code == 200
    # Logout revokes the session.
    assert (
        api.delete("/v1/sessions/current", headers={"Authorization": f"Bearer {new_access}"}).status_code
        == 204
    )
    assert api.get("/v1/me", headers={"Authorization": f"Bearer {new_access}"}).status_code == 401
    assert (
        api.post("/v1/sessions/refresh", json={"refresh_token": r.json()["refresh_token"]}).status_code == 401
    )
    # Rotation: the refresh token already used cannot be used again (reuse: see the family test).
    assert api.post("/v1/sessions/refresh", json={"refresh_token": user.refresh}).status_code == 401


def test_list_and_revoke_sessions(api: Api) -> None:
    first = api.signup()
    second = api.login(first.email)
    listed = api.get("/v1/sessions", headers=first.auth).json()
    assert {s["id"] for s in listed} == {first.session_id, second.session_id}
    assert [s["current"] for s in listed if s["id"] == first.session_id] == [True]
    assert api.delete(f"/v1/sessions/{second.session_id}", headers=first.auth).status_code == 204
    assert api.get("/v1/me", headers=second.auth).status_code == 401
    assert api.get("/v1/me", headers=first.auth).status_code == 200


def test_password_change_revokes_other_sessions(api: Api) -> None:
    user = api.signup()
    other = api.login(user.email)
    r = api.post(
        "/v1/me/password",
        headers=user.auth,
        json={"current_password": "faux", "new_password": "nouveau-mot-de-passe-1"},
    )
    assert r.status_code == 403
    r = api.post(
        "/v1/me/password",
        headers=user.auth,
        json={"current_password": PASSWORD, "new_password": "nouveau-mot-de-passe-1"},
    )
    assert r.status_code == 204
    assert api.get("/v1/me", headers=other.auth).status_code == 401
    assert api.get("/v1/me", headers=user.auth).status_code == 200
    api.login(user.email, "nouveau-mot-de-passe-1")


def test_login_throttled_per_email_with_retry_after(api: Api, settings: Settings) -> None:
    user = api.signup()
    for _ in range(settings.login_max_per_email):
        assert (
            api.post(
                "/v1/sessions", json={"email": user.email, "password": "mauvais-mot-de-passe"}
            ).status_code
            == 401
        )
    # Even the right password is refused while the e-mail is throttled.
    r = api.post("/v1/sessions", json={"email": user.email, "password": PASSWORD})
    assert r.status_code == 429
    assert 0 < int(r.headers["retry-after"]) <= settings.login_window_seconds
    assert "Réessayez dans" in r.json()["error"]["message"]


def test_login_throttled_per_ip_across_stateless_processes(settings: Settings, engine: Engine) -> None:
    """Two app instances (two processes behind the router) share the counts through the database."""
    ip = "10.250.1.2"
    first, second = make_client(settings, engine, ip), make_client(settings, engine, ip)
    for n in range(settings.login_max_per_ip):
        client = first if n % 2 else second
        r = client.post(
            "/v1/sessions", json={"email": f"inconnu-{n}@exemple.fr", "password": "mauvais-mot-de-passe"}
        )
        assert r.status_code == 401
    r = first.post("/v1/sessions", json={"email": "encore@exemple.fr", "password": "mauvais-mot-de-passe"})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    # Another address is not affected.
    other = make_client(settings, engine, "10.250.9.9")
    assert (
        other.post(
            "/v1/sessions", json={"email": "x@exemple.fr", "password": "mauvais-mot-de-passe"}
        ).status_code
        == 401
    )
    with engine.connect() as conn:
        keys = conn.execute(select(ThrottleCounter.key)).scalars().all()
    assert not any("@" in k or ip in k for k in keys)  # no raw e-mail or IP in the throttle table


def test_openapi_schema_lists_the_fixed_paths(api: Api) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in (
        "/v1/accounts",
        "/v1/sessions",
        "/v1/me",
        "/v1/me/export",
        "/v1/sync/changes",
        "/v1/sync/push",
    ):
        assert path in paths
    assert {"get", "patch", "delete"} <= set(paths["/v1/me"])


def test_plan_caps_active_sessions_by_revoking_the_oldest(api: Api) -> None:
    first = api.signup()  # the free plan allows 3 sessions
    others = [api.login(first.email) for _ in range(3)]
    assert api.get("/v1/me", headers=first.auth).status_code == 401
    assert all(api.get("/v1/me", headers=o.auth).status_code == 200 for o in others)
    assert len(api.get("/v1/sessions", headers=others[-1].auth).json()) == 3


def test_migration_0003_normalises_stored_emails(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from server.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0002")
    nfd = unicodedata.normalize("NFD", "élodie@Exemple.FR")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (id, email, password_hash, first_name, last_name, created_at, updated_at,"
                " plan_code, subscription_status, restricted, objected, sync_revision, sync_floor, last_active_at)"
                " VALUES ('a1', :email, 'x', 'A', 'B', '2026-01-01', '2026-01-01', 'decouverte', 'none', 0, 0, 0, 0,"
                " '2026-01-01')"
            ),
            {"email": nfd},
        )
    upgrade(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT email FROM accounts")).scalar_one() == "élodie@exemple.fr"
        caps = dict(conn.execute(text("SELECT code, max_output_tokens FROM plans")).all())
    assert caps == {"decouverte": 8192, "pro": 32000, "equipe": 32000}
    engine.dispose()
