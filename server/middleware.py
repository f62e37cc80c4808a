"""ASGI middlewares: security headers on every answer, request size limits, HTTPS behind the router."""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import ApiError

log = logging.getLogger("maitre_ao.server")
# Request bodies are bounded in depth as well as in size: JSON parsers and encoders recurse, and a
# record nested a thousand levels deep must be a 422, not a 500. 32 levels is far above any real body.
MAX_JSON_DEPTH = 32
_NOT_STRUCTURAL = bytes(c for c in range(256) if c not in b'[]{}"')
_STRINGS = re.compile(rb'"[^"]*"')

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `body` (JSON text, possibly malformed) nests arrays/objects deeper than `limit`.

    Linear, without parsing: escaped backslashes and quotes are dropped, then every byte but brackets
    and quotes, then strings; what is left is the bracket structure. Bodies with few brackets (nearly
    all of them) are answered by two counts.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    reduced = body.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURAL)
    reduced = _STRINGS.sub(b"", reduced)
    if reduced.count(b"[") + reduced.count(b"{") <= limit:
        return False
    depth = 0
    for byte in reduced:
        if byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


class BoundedRoute(APIRoute):
    """Routes whose request body is checked for depth before FastAPI (or the handler) parses it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            # Read once: the body is cached on the request, FastAPI and the handler reuse it.
            if request.method in ("POST", "PUT", "PATCH", "DELETE") and json_depth_exceeds(
                await request.body()
            ):
                raise ApiError(
                    422,
                    "invalid_input",
                    f"Données invalides (requête) : imbrication trop profonde (au plus {MAX_JSON_DEPTH} niveaux).",
                )
            return await handler(request)

        return bounded


class SecurityHeaders:
    """Outermost: the security headers on every answer, and the catch-all for unexpected exceptions.

    An unexpected exception becomes the French 500 (with the security headers) and one log line with its
    type only. It never reaches Starlette's error middleware or uvicorn, whose error log would print its
    message and traceback, and those can hold request data. (One middleware for both: each ASGI layer
    costs CPU on every sync request.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception as exc:
            log.error("unhandled %s on %s %s", type(exc).__name__, scope.get("method"), scope.get("path"))
            if not started:
                await _send_error(
                    send, 500, "internal_error", "Erreur interne du serveur. Réessayez plus tard."
                )


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses bodies over the limit (413) from Content-Length, or while a chunked body streams in."""

    def __init__(
        self, app: ASGIApp, default_limit: int, large_limit: int, large_prefixes: tuple[str, ...]
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.large_limit = large_limit
        self.large_prefixes = large_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.large_limit if path.startswith(self.large_prefixes) else self.default_limit
        message = f"Requête trop volumineuse (maximum {limit // 1024} Kio)."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, 400, "bad_request", "En-tête Content-Length invalide.")
                    return
                if declared > limit:
                    await _send_error(send, 413, "payload_too_large", message)
                    return
        received = 0
        too_large = False
        replaced = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _TooLarge
            return msg

        async def guarded_send(msg: Message) -> None:
            # The app may turn the interrupted read into its own error: answer 413 instead.
            nonlocal replaced
            if too_large:
                if msg["type"] == "http.response.start" and not replaced:
                    replaced = True
                    await _send_error(send, 413, "payload_too_large", message)
                return
            await send(msg)

        with contextlib.suppress(_TooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if too_large and not replaced:
            await _send_error(send, 413, "payload_too_large", message)


class RequireHttps:
    """In production the PaaS router terminates TLS and says so in X-Forwarded-Proto: refuse plain http."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers: dict[bytes, bytes] = dict(scope.get("headers", []))
            proto = headers.get(b"x-forwarded-proto", b"").split(b",")[0].strip().lower()
            if proto == b"http" and scope.get("path") != "/health":
                await _send_error(
                    send, 403, "https_required", "Connexion non chiffrée refusée : utilisez https://."
                )
                return
        await self.app(scope, receive, send)


def client_ip(scope_headers: Any, peer: str | None, trust_proxy: bool) -> str:
    """The client's address; behind the router, the last X-Forwarded-For hop is the one it added."""
    if trust_proxy:
        forwarded = scope_headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64] or "inconnue"
    return (peer or "inconnue")[:64]
