"""Loopback stand-ins for services unreachable from here, speaking their real protocols over HTTP:
Claude's Messages API (JSON and SSE) and Stripe's API (form-encoded requests, JSON answers)."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

USAGE = {
    "input_tokens": 120,
    "output_tokens": 30,
    "cache_creation_input_tokens": 5,
    "cache_read_input_tokens": 10,
}


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeService:
    server: ThreadingHTTPServer
    seen: list[Seen] = field(default_factory=list)
    status: int = 200  # set to e.g. 529 to answer Claude's overloaded error

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _start(handler_cls: type[BaseHTTPRequestHandler]) -> FakeService:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
    service = FakeService(server=server)
    server.service = service  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return service


class _Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    @property
    def service(self) -> FakeService:
        return self.server.service  # type: ignore[attr-defined,no-any-return]

    def _record(self) -> bytes:
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length) if length else b""
        self.service.seen.append(
            Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        return body

    def _json(self, status: int, obj: Any) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_fake_1")
        self.end_headers()
        self.wfile.write(data)


class _Claude(_Base):
    def do_POST(self) -> None:
        body = json.loads(self._record() or b"{}")
        if self.path != "/v1/messages":
            self._json(404, {"type": "error", "error": {"type": "not_found_error", "message": "not found"}})
            return
        if self.service.status != 200:
            self._json(
                self.service.status,
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            )
            return
        message = {
            "id": "msg_fake_1",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-test"),
            "content": [{"type": "text", "text": "Réponse de test."}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": dict(USAGE),
        }
        if not body.get("stream"):
            self._json(200, message)
            return
        start = {**message, "content": [], "stop_reason": None, "usage": {**USAGE, "output_tokens": 1}}
        events = [
            ("message_start", {"type": "message_start", "message": start}),
            ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
            ("ping", {"type": "ping"}),
            ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Réponse "}}),
            ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "de test."}}),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": USAGE["output_tokens"]}}),
            ("message_stop", {"type": "message_stop"}),
        ]  # fmt: skip
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for name, payload in events:
            chunk = f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode()
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.flush()
            time.sleep(0.002)
        self.wfile.write(b"0\r\n\r\n")


class _Stripe(_Base):
    def do_POST(self) -> None:
        form = urllib.parse.parse_qs(self._record().decode())
        if self.path == "/v1/checkout/sessions":
            sid = f"cs_test_{len(self.service.seen)}"
            self._json(
                200,
                {
                    "id": sid,
                    "object": "checkout.session",
                    "mode": form.get("mode", [""])[0],
                    "client_reference_id": form.get("client_reference_id", [None])[0],
                    "url": f"https://checkout.stripe.com/c/pay/{sid}",
                },
            )
            return
        self._json(404, {"error": {"type": "invalid_request_error", "message": "No such route"}})

    def do_DELETE(self) -> None:
        self._record()
        if self.path.startswith("/v1/subscriptions/"):
            sub = self.path.rsplit("/", 1)[1]
            self._json(200, {"id": sub, "object": "subscription", "status": "canceled"})
            return
        self._json(404, {"error": {"type": "invalid_request_error", "message": "No such route"}})


def start_claude() -> FakeService:
    return _start(_Claude)


def start_stripe() -> FakeService:
    return _start(_Stripe)


def stripe_form(seen: Seen) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(seen.body.decode())
