"""Login throttling under attack (issue 18): atomic under parallel guesses, growing delays, and the owner
never locked out (per-(e-mail, IP) limits, a known device, or the e-mailed unlock link)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from server.app import create_app
from server.config import Settings
from server.models import OutboxEmail
from server.routes import accounts
from tests.server.conftest import PASSWORD, Api, LiveServer, User, make_client, random_ip

WRONG = "mauvais-mot-de-passe"


@pytest.fixture
def served(settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    """uvicorn on loopback, trusting X-Forwarded-For so each test picks its client addresses."""
    server = LiveServer(create_app(dataclasses.replace(settings, trust_proxy_headers=True), engine))
    yield server
    server.stop()


@pytest.fixture
def evaluated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password actually checked; each check takes 50 ms, as bcrypt at cost 12 roughly does."""
    seen: list[str] = []
    lock = threading.Lock()
    real = accounts.check_password

    def counting(password: str, password_hash: str | None, rounds: int) -> bool:
        with lock:
            seen.append(password)
        time.sleep(0.05)
        return real(password, password_hash, rounds)

    monkeypatch.setattr(accounts, "check_password", counting)
    return seen


def _login(client: Api | Any, email: str, password: str, ip: str, **extra: Any) -> httpx.Response:
    response: httpx.Response = client.post(
        "/v1/sessions", json={"email": email, "password": password, **extra}, headers={"X-Forwarded-For": ip}
    )
    return response


@pytest.mark.timeout(120)
def test_fifty_parallel_wrong_guesses_evaluate_at_most_the_limit(
    api: Api, served: LiveServer, settings: Settings, evaluated: list[str]
) -> None:
    user = api.signup()
    evaluated.clear()
    ip = random_ip()

    def guess(_n: int) -> int:
        with httpx.Client(base_url=served.url, timeout=60) as client:
            return _login(client, user.email, WRONG, ip).status_code

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(guess, range(50)))
    assert len(evaluated) <= settings.login_max_per_email, len(evaluated)
    assert statuses.count(401) == len(evaluated)
    assert statuses.count(429) == 50 - len(evaluated)


def test_the_owner_is_not_locked_out_by_guesses_from_elsewhere(
    api: Api, settings: Settings, evaluated: list[str]
) -> None:
    user = api.signup()
    attacker = random_ip()
    for _ in range(settings.login_max_per_email):
        assert _login(api, user.email, WRONG, attacker).status_code == 401
    # The attacker's address is held back, even with the right password…
    blocked = _login(api, user.email, PASSWORD, attacker)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "Réessayez dans" in blocked.json()["error"]["message"]
    # …but the owner, from their own address, logs in.
    assert _login(api, user.email, PASSWORD, random_ip()).status_code == 200


def test_delays_grow_after_each_block(api: Api, settings: Settings, engine: Engine) -> None:
    from server.models import ThrottleCounter, utcnow

    user = api.signup()
    ip = random_ip()
    for _ in range(settings.login_max_per_email):
        _login(api, user.email, WRONG, ip)
    first = int(_login(api, user.email, WRONG, ip).headers["retry-after"])
    # The block is over: one more wrong guess blocks again, for twice as long.
    with engine.begin() as conn:
        conn.execute(ThrottleCounter.__table__.update().values(blocked_until=utcnow()))
    assert _login(api, user.email, WRONG, ip).status_code == 401
    second = _login(api, user.email, WRONG, ip)
    assert second.status_code == 429
    assert int(second.headers["retry-after"]) >= 2 * first - 2


def _exhaust_the_address(api: Api, email: str, settings: Settings) -> None:
    """Guesses from many addresses, until the e-mail itself is held back everywhere."""
    for _ in range(settings.login_max_per_email_global // settings.login_max_per_email + 2):
        ip = random_ip()
        for _ in range(settings.login_max_per_email):
            _login(api, email, WRONG, ip)


def test_a_known_device_logs_in_while_the_address_is_under_attack(api: Api, settings: Settings) -> None:
    user: User = api.signup()
    _exhaust_the_address(api, user.email, settings)
    assert _login(api, user.email, PASSWORD, random_ip()).status_code == 429
    # The desktop that already holds an unexpired refresh token of this account is let through.
    known = _login(api, user.email, PASSWORD, random_ip(), refresh_token=user.refresh)
    assert known.status_code == 200, known.text
    # A refresh token of another account proves nothing.
    other = api.signup()
    assert _login(api, user.email, PASSWORD, random_ip(), refresh_token=other.refresh).status_code == 429


def test_the_unlock_link_sent_by_e_mail_lets_the_owner_in(
    api: Api, settings: Settings, engine: Engine
) -> None:
    user = api.signup()
    _exhaust_the_address(api, user.email, settings)
    assert _login(api, user.email, PASSWORD, random_ip()).status_code == 429
    with engine.connect() as conn:
        mails = conn.execute(
            select(OutboxEmail).where(
                OutboxEmail.to_address == user.email, OutboxEmail.kind == "login_unlock"
            )
        ).all()
    assert len(mails) == 1, "one unlock e-mail, not one per guess"
    token = mails[0].body.split("#", 1)[1].split()[0]
    assert "déverrouiller" in mails[0].body.lower()
    bad = _login(api, user.email, PASSWORD, random_ip(), unlock_token="mao_ul_faux")
    assert bad.status_code == 429
    ok = _login(api, user.email, PASSWORD, random_ip(), unlock_token=token)
    assert ok.status_code == 200, ok.text
    # Single use.
    assert _login(api, user.email, PASSWORD, random_ip(), unlock_token=token).status_code == 429


def test_unknown_addresses_get_no_e_mail_and_the_same_answers(
    api: Api, settings: Settings, engine: Engine
) -> None:
    user = api.signup()
    ip_a, ip_b = random_ip(), random_ip()
    answers_known = [_login(api, user.email, WRONG, ip_a) for _ in range(settings.login_max_per_email + 1)]
    answers_unknown = [
        _login(api, "personne-ici@exemple.fr", WRONG, ip_b) for _ in range(settings.login_max_per_email + 1)
    ]
    assert [r.status_code for r in answers_known] == [r.status_code for r in answers_unknown]
    assert answers_known[-1].json() == answers_unknown[-1].json()
    with engine.connect() as conn:
        assert not conn.execute(
            select(OutboxEmail.id).where(OutboxEmail.to_address == "personne-ici@exemple.fr")
        ).all()


def test_per_ip_limit_still_holds_across_e_mails(settings: Settings, engine: Engine) -> None:
    ip = random_ip()
    client = make_client(settings, engine, ip)
    statuses = [
        _login(client, f"inconnu-{n}@exemple.fr", WRONG, ip).status_code
        for n in range(settings.login_max_per_ip + 1)
    ]
    assert statuses[:-1] == [401] * settings.login_max_per_ip and statuses[-1] == 429
