"""A small loopback HTTP server that speaks Claude's Messages API, scripted per test.

The `anthropic` SDK uses httpx2, which respx cannot intercept: tests point the real SDK at this
server (ANTHROPIC_BASE_URL or base_url). It answers:
- POST /v1/messages: plain JSON or an SSE stream (when the body says "stream": true);
- POST /v1/messages/count_tokens;
- scripted faults: 429 with retry-after, 529, 500, a stream cut halfway, an `error` event in a
  stream, malformed JSON, a slow answer or stream.
Usage is accounted like the real API: input tokens from the request size (ceil(chars / 4) of the
text sent), a prompt cache keyed by the prefix up to each `cache_control` block (per model, at least
MIN_CACHE_TOKENS): the longest cached prefix is read, the rest up to the last breakpoint written.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MIN_CACHE_TOKENS = 1024
CHARS_PER_TOKEN = 4


def count_text_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass
class Reply:
    """One scripted answer to a /v1/messages call."""

    kind: str = "text"  # text, error
    text: str = ""
    status: int = 200
    error_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: int = 8  # stream: number of text deltas
    cut_after: int | None = None  # stream: close the connection after this many deltas
    error_after: int | None = None  # stream: send an overloaded_error event after this many deltas
    delay: float = 0.0  # stream: seconds between deltas
    stop_reason: str = "end_turn"
    payload: dict[str, Any] | None = None  # error: a body other than the API's (e.g. our proxy's)

    @classmethod
    def json_text(cls, text: str) -> Reply:
        return cls(text=text)

    @classmethod
    def structured(cls, data: dict[str, Any]) -> Reply:
        return cls(text=json.dumps(data, ensure_ascii=False))

    @classmethod
    def malformed(cls) -> Reply:
        return cls(text='{"buyer": {"value": "Ville", "source": {"file": "RC.pdf"')

    @classmethod
    def error(cls, status: int, retry_after: str | None = None) -> Reply:
        types = {
            429: "rate_limit_error",
            529: "overloaded_error",
            500: "api_error",
            401: "authentication_error",
        }
        headers = {"retry-after": retry_after} if retry_after is not None else {}
        return cls(kind="error", status=status, error_type=types.get(status, "api_error"), headers=headers)


@dataclass
class Seen:
    path: str  # the endpoint ("/v1/messages", "/v1/messages/count_tokens")
    headers: dict[str, str]
    body: dict[str, Any]
    usage: dict[str, int] | None = None
    raw_path: str = ""  # as requested, e.g. "/v1/analysis/v1/messages" through a base URL prefix


def _texts(value: Any) -> list[str]:
    """Every text the request carries (what the model would read)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_texts(item))
        return out
    if isinstance(value, dict):
        if "text" in value and isinstance(value["text"], str):
            return [value["text"]]
        if "content" in value:
            return _texts(value["content"])
    return []


def _blocks(body: dict[str, Any]) -> list[dict[str, Any]]:
    """System then message content as a flat list of blocks (strings become text blocks)."""
    out: list[dict[str, Any]] = []
    system = body.get("system")
    if isinstance(system, str):
        out.append({"type": "text", "text": system})
    elif isinstance(system, list):
        out.extend(system)
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            out.append({"type": "text", "text": content, "role": message.get("role")})
        else:
            out.extend({**b, "role": message.get("role")} for b in content)
    return out


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-stream (cancel, timeout) is expected here."""


class FakeClaude:
    def __init__(self, chars_per_token: float = CHARS_PER_TOKEN) -> None:
        self.chars_per_token = chars_per_token  # lower: a denser tokenizer than our estimate assumes
        self.script: deque[Reply | Callable[[dict[str, Any]], Reply]] = deque()
        self.default: Callable[[dict[str, Any]], Reply] = lambda body: Reply.json_text("Bonjour.")
        self.count_tokens_status = 200
        self.seen: list[Seen] = []
        self._cache: set[str] = set()
        self._lock = threading.Lock()
        handler = _make_handler(self)
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeClaude:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeClaude:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- scripting ---------------------------------------------------------------------------
    def push(self, *replies: Reply | Callable[[dict[str, Any]], Reply]) -> None:
        self.script.extend(replies)

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            item = self.script.popleft() if self.script else self.default
        return item(body) if callable(item) else item

    @property
    def message_calls(self) -> list[Seen]:
        return [s for s in self.seen if s.path == "/v1/messages"]

    # --- accounting ----------------------------------------------------------------------------
    def count(self, text: str) -> int:
        return math.ceil(len(text) / self.chars_per_token)

    def input_tokens(self, body: dict[str, Any]) -> int:
        total = sum(self.count(t) for t in _texts(body.get("system")))
        total += sum(self.count(t) for t in _texts(body.get("messages", [])))
        fmt = (body.get("output_config") or {}).get("format")
        if fmt:
            total += self.count(json.dumps(fmt))
        return total

    def usage_for(self, body: dict[str, Any], output_text: str) -> dict[str, int]:
        total = self.input_tokens(body)
        blocks = _blocks(body)
        marks = [i for i, b in enumerate(blocks) if b.get("cache_control")]
        write = read = 0
        if marks:
            # Like the API: the longest cached prefix ending at a breakpoint is read, the rest up to
            # the last breakpoint is written; a prefix under MIN_CACHE_TOKENS is not cached.
            def key(end: int) -> str:
                texts = [b.get("text") for b in blocks[: end + 1]]
                return hashlib.sha256(json.dumps([body.get("model"), texts]).encode()).hexdigest()

            def tokens(end: int) -> int:
                return sum(self.count(b.get("text", "")) for b in blocks[: end + 1])

            with self._lock:
                hits = [m for m in marks if key(m) in self._cache]
                read = tokens(hits[-1]) if hits else 0
                last = tokens(marks[-1])
                if last >= MIN_CACHE_TOKENS:
                    write = last - read
                    for m in marks:
                        if tokens(m) >= MIN_CACHE_TOKENS:
                            self._cache.add(key(m))
        return {
            "input_tokens": total - write - read,
            "output_tokens": max(1, self.count(output_text)),
            "cache_creation_input_tokens": write,
            "cache_read_input_tokens": read,
        }


def _make_handler(fake: FakeClaude) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send_json(
            self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(raw)))
            self.send_header("request-id", "req_fake")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(raw)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            path = self.path.split("?", 1)[0]
            seen = Seen(path, {k.lower(): v for k, v in self.headers.items()}, body, raw_path=path)
            fake.seen.append(seen)
            if path.endswith("/v1/messages/count_tokens"):
                if fake.count_tokens_status != 200:
                    self._send_json(
                        fake.count_tokens_status,
                        {"type": "error", "error": {"type": "not_found_error", "message": "no"}},
                    )
                    return
                self._send_json(200, {"input_tokens": fake.input_tokens(body)})
                return
            if not path.endswith("/v1/messages"):
                self._send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": path}})
                return
            seen.path = "/v1/messages"
            reply = fake.next_reply(body)
            if reply.kind == "error":
                self._send_json(
                    reply.status,
                    reply.payload
                    or {"type": "error", "error": {"type": reply.error_type, "message": "scripted"}},
                    reply.headers,
                )
                return
            usage = fake.usage_for(body, reply.text)
            seen.usage = usage
            if reply.delay and not body.get("stream"):
                time.sleep(reply.delay)  # a slow answer (client timeouts)
            if body.get("stream"):
                self._stream(body, reply, usage)
            else:
                self._send_json(200, _message(body, reply.text, usage, reply.stop_reason))

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _event(self, name: str, data: dict[str, Any]) -> None:
            self._chunk(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())

        def _stream(self, body: dict[str, Any], reply: Reply, usage: dict[str, int]) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("transfer-encoding", "chunked")
            self.send_header("request-id", "req_fake")
            self.end_headers()
            start = _message(body, "", {**usage, "output_tokens": 1}, None)
            self._event("message_start", {"type": "message_start", "message": start})
            self._event(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            )
            pieces = _split(reply.text, reply.chunks)
            for i, piece in enumerate(pieces):
                if reply.cut_after is not None and i >= reply.cut_after:
                    # Drop the connection mid-body: no terminating chunk, no message_stop.
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if reply.error_after is not None and i >= reply.error_after:
                    error = {"type": "overloaded_error", "message": "Overloaded"}
                    self._event("error", {"type": "error", "error": error})
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                    return
                if reply.delay:
                    time.sleep(reply.delay)
                self._event(
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": 0,
                        "delta": {"type": "text_delta", "text": piece},
                    },
                )
            self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
            self._event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
                    "usage": {"output_tokens": usage["output_tokens"]},
                },
            )
            self._event("message_stop", {"type": "message_stop"})
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler


def _split(text: str, n: int) -> list[str]:
    if not text:
        return []
    size = max(1, math.ceil(len(text) / max(1, n)))
    return [text[i : i + size] for i in range(0, len(text), size)]


def _message(body: dict[str, Any], text: str, usage: dict[str, int], stop: str | None) -> dict[str, Any]:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "claude-fake"),
        "content": [{"type": "text", "text": text}] if text or stop else [],
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": usage,
    }
