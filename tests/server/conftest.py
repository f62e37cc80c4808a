"""Server test set-up: migrated databases (SQLite file and a fresh PostgreSQL database per run), an app
per test, and helpers to sign up and log in. Every client gets its own forwarded IP so the per-IP
throttling of one test never spills into another."""

from __future__ import annotations

import dataclasses
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from server.app import create_app
from server.config import Settings
from server.db import make_engine
from server.migrate import upgrade
from tests.server.ci_postgres import in_ci
from tests.server.fakes import FakeService, start_claude, start_stripe

# Overridable for other set-ups; the tests skip cleanly when it does not answer.
PG_ADMIN = os.environ.get("MAITRE_AO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "mot-de-passe-solide-42"
WEBHOOK_SECRET = "whsec_test_secret_for_maitre_ao"
TEST_BCRYPT_ROUNDS = "4"  # speed only; the default (12) is checked in test_accounts


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def require_postgres() -> None:
    """Skip when PostgreSQL does not answer, except in CI (CI=true), where it is a failure: the
    PostgreSQL tests (convergence, throttling, quotas) must always run there."""
    if postgres_reachable():
        return
    message = f"PostgreSQL is not reachable at {PG_ADMIN}"
    if in_ci():
        pytest.fail(f"CI=true: {message}; PostgreSQL tests may not skip in CI", pytrace=False)
    pytest.skip(message)


def create_pg_database() -> tuple[str, str]:
    """A fresh, empty database; returns (name, SQLAlchemy URL)."""
    name = f"maitreao_test_{secrets.token_hex(6)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    server = PG_ADMIN.split("://", 1)[1].rsplit("/", 1)[0]
    return name, f"postgresql+psycopg://{server}/{name}"


def drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = "sqlite:///" + str(tmp_path_factory.mktemp("server-db") / "server.db")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    require_postgres()
    name, url = create_pg_database()
    try:
        upgrade(url)
        yield url
    finally:
        drop_pg_database(name)


_ENGINES: dict[str, Engine] = {}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def engine(database_url: str) -> Engine:
    if database_url not in _ENGINES:
        _ENGINES[database_url] = make_engine(database_url)
    return _ENGINES[database_url]


@pytest.fixture(scope="session")
def claude() -> Iterator[FakeService]:
    service = start_claude()
    yield service
    service.close()


@pytest.fixture(scope="session")
def stripe_fake() -> Iterator[FakeService]:
    service = start_stripe()
    yield service
    service.close()


@pytest.fixture
def settings(
    database_url: str, monkeypatch: pytest.MonkeyPatch, claude: FakeService, stripe_fake: FakeService
) -> Settings:
    monkeypatch.setenv("MAITRE_AO_BCRYPT_ROUNDS", TEST_BCRYPT_ROUNDS)
    claude.status = 200
    return dataclasses.replace(
        Settings.from_env(),
        database_url=database_url,
        trust_proxy_headers=True,
        anthropic_api_key="sk-ant-server-key-test",
        anthropic_upstream_url=claude.url,
        stripe_api_key="sk_test_fake",
        stripe_api_base=stripe_fake.url,
        stripe_webhook_secret=WEBHOOK_SECRET,
    )


def random_ip() -> str:
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


@dataclass
class User:
    email: str
    password: str
    id: str
    access: str
    refresh: str
    session_id: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}

    @property
    def sync(self) -> dict[str, str]:
        return {**self.auth, "Maitre-AO-Protocol": "1"}


class Api:
    """A test client (own IP) plus helpers for the common steps."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def signup(self, email: str | None = None, password: str = PASSWORD) -> User:
        email = email or f"user-{uuid.uuid4().hex[:12]}@exemple.fr"
        r = self.client.post(
            "/v1/accounts",
            json={"email": email, "password": password, "first_name": "Camille", "last_name": "Durand"},
        )
        assert r.status_code == 201, r.text
        account_id = r.json()["id"]
        return self.login(email, password, account_id)

    def login(self, email: str, password: str = PASSWORD, account_id: str = "") -> User:
        r = self.client.post("/v1/sessions", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        body = r.json()
        return User(
            email, password, account_id, body["access_token"], body["refresh_token"], body["session_id"]
        )


def make_client(settings: Settings, engine: Engine, ip: str | None = None) -> TestClient:
    return TestClient(
        create_app(settings, engine),
        headers={"X-Forwarded-For": ip or random_ip()},
        raise_server_exceptions=False,
    )


@pytest.fixture
def api(settings: Settings, engine: Engine) -> Iterator[Api]:
    with make_client(settings, engine) as client:
        yield Api(client)


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


class LiveServer:
    """The app served by uvicorn on a loopback port, in a thread (for real HTTP clients such as SDKs)."""

    def __init__(self, app: Any) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        import time

        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    # The SDK talks straight to uvicorn: no router in front, so no forwarded IP to trust.
    server = LiveServer(create_app(dataclasses.replace(settings, trust_proxy_headers=False), engine))
    yield server
    server.stop()


def run_server_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`maitre-ao-server ARGS` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
