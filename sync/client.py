"""HTTP client of the account API (httpx): sign-up, login, refresh, logout, erasure, pull and push.

- HTTPS is required, except to a loopback address (a local server for development and tests);
  certificates are always verified; every request has timeouts.
- Transient failures (connection refused or dropped, timeouts, 429/500/502/503/504) are retried with
  exponential backoff and jitter. Every retried request is safe to repeat: reads, and pushes, which
  carry an idempotency key (the server answers a repeated batch with its first answer).
- A 401 on an authenticated request refreshes the session once (new tokens saved through `Tokens`) and
  repeats the request; a second 401 means the user must log in again.
- Sync requests carry the protocol version; a 426 means this application is too old.

Errors are `SyncError`s with a French message (the app shows them as they are). Secrets are never logged.
`transport` lets tests put a fault-injecting wrapper at the network edge.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from app.domain.retry import RetryPolicy, call_with_retries
from local_store import keychain
from sync.protocol import (
    ERROR_CURSOR_EXPIRED,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    PULL_PATH,
    PUSH_PATH,
    ConflictBody,
    PullPage,
    PushBatch,
    PushResult,
)

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=10.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 30.0


class SyncError(Exception):
    """A failure of the account API or of the way to it, with a French message for the user."""

    def __init__(self, message: str, *, status: int = 0, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class InsecureServerUrl(SyncError):
    pass


class Offline(SyncError):
    """The server could not be reached (after the retries): edits stay queued."""


class CertificateRefused(SyncError):
    """The server's TLS certificate did not verify (self-signed, expired, wrong host, interception)."""


class AuthRequired(SyncError):
    pass


class UpdateRequired(SyncError):
    pass


class CursorExpired(SyncError):
    pass


class PushConflict(SyncError):
    def __init__(self, body: ConflictBody) -> None:
        super().__init__(body.error.message, status=409, code=body.error.code)
        self.body = body


NOT_LOGGED_IN = (
    "Vous n'êtes pas connecté à votre compte Maître AO : maitre-ao login --server URL --email ADRESSE"
)
SESSION_EXPIRED = "Votre session a expiré ou a été révoquée : reconnectez-vous (maitre-ao login)."
CERTIFICATE_REFUSED = (
    "Connexion refusée : certificat du serveur refusé (non reconnu, expiré ou établi pour une autre "
    "adresse). Vérifiez l'adresse du serveur ; un proxy d'entreprise qui inspecte le trafic peut aussi "
    "en être la cause. Rien n'a été envoyé."
)
UPDATE_REQUIRED = (
    "Cette version de Maître AO ne peut plus synchroniser avec le serveur : mettez à jour l'application."
)


def check_server_url(url: str) -> str:
    """The base URL without a trailing slash; HTTPS unless the host is a loopback address."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        raise InsecureServerUrl(f"Adresse du serveur invalide : « {url} » (attendu : https://…).")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise InsecureServerUrl(
            "La connexion au serveur doit être chiffrée : utilisez une adresse https:// "
            "(http:// n'est accepté que pour un serveur sur cet ordinateur)."
        )
    return url.strip().rstrip("/")


def _certificate_problem(exc: BaseException) -> bool:
    """True when a transport error comes from a TLS certificate that did not verify."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Tokens(Protocol):
    """Where the session's access and refresh tokens live (the OS keychain in the app)."""

    def load(self) -> tuple[str | None, str | None]: ...
    def save(self, access: str, refresh: str) -> None: ...
    def clear(self) -> None: ...


@dataclass
class MemoryTokens:
    access: str | None = None
    refresh: str | None = None

    def load(self) -> tuple[str | None, str | None]:
        return self.access, self.refresh

    def save(self, access: str, refresh: str) -> None:
        self.access, self.refresh = access, refresh

    def clear(self) -> None:
        self.access = self.refresh = None


@dataclass(frozen=True)
class KeychainTokens:
    """Tokens in the OS keychain, one pair per store (two stores on one machine never share a session)."""

    scope: str  # e.g. keychain.store_key_name(store.path)

    @property
    def _names(self) -> tuple[str, str]:
        return f"session-token-{self.scope}", f"refresh-token-{self.scope}"

    def load(self) -> tuple[str | None, str | None]:
        access, refresh = self._names
        return keychain.get_secret(access), keychain.get_secret(refresh)

    def save(self, access: str, refresh: str) -> None:
        access_name, refresh_name = self._names
        keychain.set_secret_verified(access_name, access)
        keychain.set_secret_verified(refresh_name, refresh)

    def clear(self) -> None:
        for name in self._names:
            keychain.delete_secret(name)


@dataclass
class Traffic:
    """Bytes on the wire (request and status lines, headers and bodies) and request count."""

    sent: int = 0
    received: int = 0
    requests: int = 0

    def add(self, request: httpx.Request, response: httpx.Response | None) -> None:
        self.requests += 1
        self.sent += len(f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n") + _headers_size(
            request.headers
        )
        self.sent += len(request.content)
        if response is not None:
            self.received += 17 + _headers_size(response.headers) + len(response.content)


def _headers_size(headers: httpx.Headers) -> int:
    return sum(len(k) + len(v) + 4 for k, v in headers.raw) + 2


@dataclass
class AccountClient:
    base_url: str
    tokens: Tokens = field(default_factory=MemoryTokens)
    transport: httpx.BaseTransport | None = None
    retries: int = 4
    backoff_seconds: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    device: str = "Maître AO (ordinateur)"
    traffic: Traffic = field(default_factory=Traffic)
    _http: httpx.Client | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = check_server_url(self.base_url)

    # --- plumbing ---------------------------------------------------------------------------------------
    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(
                base_url=self.base_url,
                transport=self.transport,
                verify=True,
                timeout=TIMEOUT,
                follow_redirects=False,  # a redirect could leave HTTPS or the server
                headers={"User-Agent": "maitre-ao-desktop"},
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> AccountClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        if response is not None and "retry-after" in response.headers:
            try:
                return min(float(response.headers["retry-after"]), MAX_RETRY_AFTER_SECONDS)
            except ValueError:
                pass
        base = self.backoff_seconds * (2**attempt)
        return base + random.uniform(0, base / 2)

    def _send_with_retries(self, request: httpx.Request, *, retry_statuses: bool = True) -> httpx.Response:
        def send() -> httpx.Response:
            try:
                response = self.http.send(request)
                response.read()
            except httpx.TransportError as exc:
                self.traffic.add(request, None)
                if _certificate_problem(exc):
                    # Retrying will not make the certificate valid; it is not "unreachable" either.
                    log.warning("account API certificate refused")
                    raise CertificateRefused(CERTIFICATE_REFUSED) from None
                raise
            self.traffic.add(request, response)
            return response

        def announce(_n: int, delay: float, _e: BaseException | None, _r: httpx.Response | None) -> None:
            log.info("retrying %s %s in %.2fs", request.method, request.url.path, delay)

        policy = RetryPolicy[httpx.Response](
            max_attempts=self.retries + 1,
            delay=lambda attempt, _error, response: self._delay(attempt, response),
            retry_error=lambda exc: isinstance(exc, httpx.TransportError),
            retry_result=lambda response: retry_statuses and response.status_code in RETRY_STATUSES,
            sleep=self.sleep,
            on_retry=announce,
        )
        try:
            return call_with_retries(send, policy)
        except httpx.TransportError as exc:
            log.info("account API unreachable after %d attempts: %s", self.retries + 1, type(exc).__name__)
            raise Offline(
                "Le serveur Maître AO est injoignable. Vos modifications restent enregistrées sur "
                "cet ordinateur et partiront à la prochaine synchronisation."
            ) from None

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
        protocol: bool = False,
        retry_statuses: bool = True,
    ) -> httpx.Response:
        refreshed = False
        while True:
            headers: dict[str, str] = {}
            if protocol:
                headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
            if auth:
                access, _ = self.tokens.load()
                if not access:
                    raise AuthRequired(NOT_LOGGED_IN)
                headers["Authorization"] = f"Bearer {access}"
            request = self.http.build_request(method, path, json=json, params=params, headers=headers)
            response = self._send_with_retries(request, retry_statuses=retry_statuses)
            if response.status_code == 401 and auth and not refreshed:
                refreshed = True
                self._refresh()
                continue
            if response.status_code == 401 and auth:
                raise AuthRequired(SESSION_EXPIRED, status=401)
            if response.status_code == 426:
                raise UpdateRequired(UPDATE_REQUIRED, status=426)
            return response

    def _refresh(self) -> None:
        _, refresh = self.tokens.load()
        if not refresh:
            raise AuthRequired(SESSION_EXPIRED, status=401)
        response = self._request("POST", "/v1/sessions/refresh", json={"refresh_token": refresh}, auth=False)
        if response.status_code != 200:
            raise AuthRequired(SESSION_EXPIRED, status=response.status_code)
        body = response.json()
        self.tokens.save(body["access_token"], body["refresh_token"])
        log.info("session refreshed")

    @staticmethod
    def _fail(response: httpx.Response) -> SyncError:
        code, message = "", ""
        try:
            error = response.json().get("error", {})
            code, message = str(error.get("code", "")), str(error.get("message", ""))
        except ValueError:
            pass
        return SyncError(
            message or f"Le serveur a répondu par une erreur ({response.status_code}).",
            status=response.status_code,
            code=code,
        )

    def _ok(self, response: httpx.Response, *expected: int) -> httpx.Response:
        if response.status_code not in (expected or (200,)):
            raise self._fail(response)
        return response

    # --- accounts --------------------------------------------------------------------------------------
    def sign_up(self, email: str, password: str, first_name: str, last_name: str) -> dict[str, Any]:
        body = {"email": email, "password": password, "first_name": first_name, "last_name": last_name}
        result: dict[str, Any] = self._ok(
            self._request("POST", "/v1/accounts", json=body, auth=False), 201
        ).json()
        return result

    def login(self, email: str, password: str) -> dict[str, Any]:
        """Open a session; the tokens go to `tokens` (the keychain), never to the caller's logs."""
        response = self._request(
            "POST",
            "/v1/sessions",
            json={"email": email, "password": password, "device": self.device},
            auth=False,
            retry_statuses=False,  # a throttled login (429) is told to the user, not hammered
        )
        if response.status_code == 401:
            raise AuthRequired("Adresse e-mail ou mot de passe incorrect.", status=401)
        body: dict[str, Any] = self._ok(response).json()
        self.tokens.save(body["access_token"], body["refresh_token"])
        return {k: v for k, v in body.items() if not k.endswith("_token")}

    def logout(self) -> None:
        """Revoke the session on the server (best effort when offline) and forget the tokens."""
        try:
            access, _ = self.tokens.load()
            if access:
                self._request("DELETE", "/v1/sessions/current")
        except (Offline, AuthRequired):
            pass
        finally:
            self.tokens.clear()

    def me(self) -> dict[str, Any]:
        result: dict[str, Any] = self._ok(self._request("GET", "/v1/me")).json()
        return result

    def policy(self) -> dict[str, Any]:
        """The privacy policy in force: {"version", "url"} (and "changes" when the server says them)."""
        result: dict[str, Any] = self._ok(self._request("GET", "/v1/policy", auth=False)).json()
        return result

    def acknowledge_policy(self, version: str) -> dict[str, Any]:
        """Record that the user was shown `version`; returns the account (GET /v1/me's shape)."""
        result: dict[str, Any] = self._ok(
            self._request("POST", "/v1/me/policy-acknowledgement", json={"version": version})
        ).json()
        return result

    def delete_account(self) -> None:
        """GDPR erasure of the account and of everything synced."""
        self._ok(self._request("DELETE", "/v1/me"), 204)
        self.tokens.clear()

    # --- sync ------------------------------------------------------------------------------------------
    def pull(self, cursor: str | None, limit: int) -> PullPage:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = self._request("GET", PULL_PATH, params=params, protocol=True)
        if response.status_code == 410:
            raise CursorExpired(self._fail(response).message, status=410, code=ERROR_CURSOR_EXPIRED)
        return PullPage.model_validate_json(self._ok(response).content)

    def push(self, batch: PushBatch) -> PushResult:
        response = self._request("POST", PUSH_PATH, json=batch.model_dump(mode="json"), protocol=True)
        if response.status_code == 409:
            try:
                raise PushConflict(ConflictBody.model_validate_json(response.content))
            except ValidationError:
                raise self._fail(response) from None
        return PushResult.model_validate_json(self._ok(response).content)
