"""Sync test set-up: one account API server (fresh PostgreSQL database, or a SQLite file) served by
uvicorn on a loopback port (restartable), and devices = a real SQLCipher store in its own folder +
an AccountClient whose transport can inject faults at the network edge."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from local_store.store import Store, create_store
from server.app import create_app
from server.config import Settings
from server.db import make_engine
from server.migrate import upgrade
from sync.client import AccountClient, MemoryTokens
from sync.engine import SyncEngine
from tests.server.conftest import PASSWORD, create_pg_database, drop_pg_database, postgres_reachable


class FaultTransport(httpx.BaseTransport):
    """Real HTTP to the server, with faults queued by the test (the network boundary):
    - "drop_before": the connection fails before the request reaches the server;
    - "drop_after": the server handles the request (and commits) but the answer is lost;
    - "duplicate": the request reaches the server twice (a replay), the second answer is returned."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport(retries=0)
        self.faults: list[str] = []
        self.seen: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self.faults.pop(0) if self.faults else ""
        self.seen.append(fault)
        if fault == "drop_before":
            raise httpx.ConnectError("injected: connection dropped before sending", request=request)
        if fault == "duplicate":
            first = self.inner.handle_request(request)
            first.read()
            first.close()
        response = self.inner.handle_request(request)
        if fault == "drop_after":
            response.read()
            response.close()
            raise httpx.ReadError("injected: connection dropped, answer lost", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


class LiveServer:
    """The account API under uvicorn in a thread, on a fixed loopback port so it can be restarted."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings, self.engine = settings, engine
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._server: object | None = None
        self._thread: threading.Thread | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import uvicorn

        config = uvicorn.Config(
            create_app(self.settings, self.engine),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.005)
        self._server, self._thread = server, thread

    @property
    def running(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True  # type: ignore[attr-defined]
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def restart(self) -> None:
        self.stop()
        self.start()


def _settings(database_url: str) -> Settings:
    return dataclasses.replace(
        Settings.from_env(),
        database_url=database_url,
        bcrypt_rounds=4,
        trust_proxy_headers=False,
        signup_max_per_ip=100_000,
        login_max_per_ip=100_000,
    )


@pytest.fixture(scope="session")
def pg_sync_url() -> Iterator[str]:
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    name, url = create_pg_database()
    try:
        upgrade(url)
        yield url
    finally:
        drop_pg_database(name)


@pytest.fixture(scope="session")
def sqlite_sync_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = "sqlite:///" + str(tmp_path_factory.mktemp("sync-server") / "server.db")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def pg_server(pg_sync_url: str) -> Iterator[LiveServer]:
    server = LiveServer(_settings(pg_sync_url), make_engine(pg_sync_url))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_server(sqlite_sync_url: str) -> Iterator[LiveServer]:
    server = LiveServer(_settings(sqlite_sync_url), make_engine(sqlite_sync_url))
    yield server
    server.stop()


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def server(request: pytest.FixtureRequest) -> LiveServer:
    live: LiveServer = request.getfixturevalue(
        "pg_server" if request.param == "postgresql" else "sqlite_server"
    )
    return live


@dataclass
class Device:
    name: str
    store: Store
    client: AccountClient
    transport: FaultTransport

    @property
    def engine(self) -> SyncEngine:
        return SyncEngine(self.store, self.client)

    def sync(self) -> object:
        return self.engine.sync()


@dataclass
class Account:
    email: str
    password: str


def new_account(server: LiveServer) -> Account:
    import uuid

    email = f"sync-{uuid.uuid4().hex[:12]}@exemple.fr"
    with AccountClient(server.url) as client:
        client.sign_up(email, PASSWORD, "Camille", "Durand")
    return Account(email, PASSWORD)


def new_device(folder: Path, name: str, server: LiveServer, account: Account) -> Device:
    store, _ = create_store(folder / name / "maitre-ao.db")
    transport = FaultTransport()
    client = AccountClient(
        server.url, MemoryTokens(), transport=transport, retries=3, backoff_seconds=0.0, sleep=lambda _s: None
    )
    client.login(account.email, account.password)
    return Device(name, store, client, transport)


DeviceFactory = Callable[[str], Device]


@pytest.fixture
def account(server: LiveServer) -> Account:
    return new_account(server)


@pytest.fixture
def devices(tmp_path: Path, server: LiveServer, account: Account) -> Iterator[DeviceFactory]:
    made: list[Device] = []

    def make(name: str) -> Device:
        device = new_device(tmp_path, name, server, account)
        made.append(device)
        return device

    yield make
    for device in made:
        device.client.close()
        device.transport.close()
        device.store.close()
