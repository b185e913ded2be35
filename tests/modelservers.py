"""Local stand-ins for model servers, speaking their documented HTTP protocols on 127.0.0.1.

``ollama``: Ollama's native API as its docs/api.md documents it:

- ``GET /api/version`` -> ``{"version": "0.5.7"}``; ``GET /api/tags`` -> ``{"models": [{"name",
  "model", "modified_at", "size", "digest", "details"}]}``; ``POST /api/show {"model"}`` ->
  ``{"details", "model_info", "capabilities"}``, 404 for an unknown model.
- ``POST /api/chat {"model", "messages", "format", "options", "stream"}``: streamed by default as
  newline-delimited JSON (``application/x-ndjson``, chunked): pieces ``{"model", "created_at",
  "message": {"role": "assistant", "content"}, "done": false}``, then ``{"done": true,
  "done_reason": "stop"|"length", "total_duration", "load_duration", "prompt_eval_count",
  "prompt_eval_duration", "eval_count", "eval_duration"}`` (durations in ns); one object with
  ``"stream": false``. ``format`` is ``"json"`` or a JSON schema; ``options.num_predict`` caps
  the pieces (then ``done_reason`` is ``length``).
- Errors are ``{"error": "..."}`` with a status: 400 for a bad request, 404 ``model "x" not
  found, try pulling it first``; a failure after the stream began is an ``{"error"}`` line.

``openai``: an OpenAI-compatible server as vLLM runs one: ``GET /v1/models`` -> ``{"object":
"list", "data": [{"id", "object": "model", "owned_by"}]}``; ``POST /v1/chat/completions`` ->
``{"id", "object": "chat.completion", "created", "model", "choices": [{"index", "message":
{"role", "content"}, "finish_reason"}], "usage": {"prompt_tokens", "completion_tokens",
"total_tokens"}}``; ``response_format`` of type ``json_schema`` (``json_schema.schema``) or
``json_object``; errors ``{"object": "error", "message", "type", "param", "code"}`` (vLLM), and
401 ``{"error": {"message", "type", "code"}}`` (OpenAI) when a key is required.

Both answer from a queue of scripted texts (one piece per 4 characters stands in for a token)
and record every request. ``Fault``s, queued, apply to the next request whose path they match:
a status and body, a delay, a connection closed before answering, a body or stream cut off.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_ANSWER = json.dumps(
    {"kind": "command", "command": "pwd", "explanation": "Prints the working directory."}
)


@dataclass
class Fault:
    """Something to do instead of (or on the way to) a normal answer.

    Attributes:
        on: Only requests whose path ends with this (None: any request).
        status: With ``body``: answer this status.
        body: Answer these bytes instead of the normal answer.
        content_type: The body's content type.
        delay_s: Wait this long before answering.
        close: Close the connection without answering at all.
        cut_after: Send this many pieces (Ollama) or bytes (OpenAI) of the answer, then close.
        error_line: Ollama: after the pieces, an ``{"error": ...}`` line ends the stream.
    """

    on: str | None = None
    status: int = 200
    body: bytes | None = None
    content_type: str = "application/json"
    delay_s: float = 0.0
    close: bool = False
    cut_after: int | None = None
    error_line: str | None = None


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class ServerState:
    """What a stand-in serves and what it saw."""

    models: list[str] = field(default_factory=lambda: ["qwen2.5-coder:1.5b"])
    answers: deque[str] = field(default_factory=deque)
    faults: list[Fault] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    api_key: str | None = None
    # openai: the response_format types it takes (vLLM: both).
    formats: tuple[str, ...] = ("json_schema", "json_object")
    # openai: how it refuses another type: 400 (vLLM), or 500 as llama-cpp-python's server.
    format_refusal: int = 400
    # ollama: whether format may be a JSON schema (Ollama 0.5+), else only "json".
    schema_format: bool = True
    capabilities: list[str] | None = field(default_factory=lambda: ["completion"])
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enqueue(self, *texts: str) -> None:
        self.answers.extend(texts)

    def fault(self, **kwargs: Any) -> Fault:
        fault = Fault(**kwargs)
        self.faults.append(fault)
        return fault

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for i, fault in enumerate(self.faults):
                if fault.on is None or path.endswith(fault.on):
                    return self.faults.pop(i)
        return None

    def next_answer(self) -> str:
        with self.lock:
            return self.answers.popleft() if self.answers else DEFAULT_ANSWER

    def chats(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(("/api/chat", "/chat/completions"))]


def _pieces(text: str) -> list[str]:
    return [text[i : i + 4] for i in range(0, len(text), 4)] or [""]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: ServerState
    kind: str

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._dispatch(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self._dispatch(body)

    # -- plumbing ----------------------------------------------------------------------------

    def _dispatch(self, body: Any) -> None:
        state = self.state
        state.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
        fault = state.take_fault(self.path)
        if fault is not None and fault.delay_s:
            time.sleep(fault.delay_s)
        if fault is not None and fault.close:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None and fault.body is not None:
            return self._send(fault.status, fault.body, fault.content_type)
        if self.kind == "ollama":
            self._ollama(body, fault)
        else:
            self._openai(body, fault)

    def _send(self, status: int, data: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, doc: Any) -> None:
        self._send(status, json.dumps(doc).encode())

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _cut(self) -> None:
        """Drop the connection mid-answer (no final chunk, no more bytes)."""
        self.wfile.flush()
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    # -- Ollama ------------------------------------------------------------------------------

    def _ollama(self, body: Any, fault: Fault | None) -> None:
        state = self.state
        if state.api_key and self.headers.get("Authorization") != f"Bearer {state.api_key}":
            return self._json(401, {"error": "unauthorized"})
        if self.command == "GET" and self.path == "/api/version":
            return self._json(200, {"version": "0.5.7"})
        if self.command == "GET" and self.path == "/api/tags":
            return self._json(200, {"models": [_tag(name) for name in state.models]})
        if self.command == "POST" and self.path == "/api/show":
            name = self._ollama_model(body)
            if name is None:
                return None
            doc: dict[str, Any] = {
                "details": {
                    "family": "qwen2",
                    "parameter_size": "1.5B",
                    "quantization_level": "Q4_K_M",
                },
                "model_info": {"general.architecture": "qwen2"},
            }
            if state.capabilities is not None:
                doc["capabilities"] = state.capabilities
            return self._json(200, doc)
        if self.command == "POST" and self.path == "/api/chat":
            return self._ollama_chat(body, fault)
        return self._send(404, b"404 page not found", "text/plain")

    def _ollama_model(self, body: Any) -> str | None:
        if not isinstance(body, dict):
            self._json(400, {"error": "invalid request body"})
            return None
        name = body.get("model")
        if not name:
            self._json(400, {"error": "model is required"})
            return None
        wanted = {name, name if ":" in name else name + ":latest"}
        if not wanted & set(self.state.models):
            self._json(404, {"error": f'model "{name}" not found, try pulling it first'})
            return None
        return str(name)

    def _ollama_chat(self, body: Any, fault: Fault | None) -> None:
        name = self._ollama_model(body)
        if name is None:
            return
        fmt = body.get("format")
        if isinstance(fmt, dict) and not self.state.schema_format:
            return self._json(400, {"error": 'invalid format: expected "json" or a JSON schema'})
        options = body.get("options") or {}
        pieces = _pieces(self.state.next_answer())
        reason = "stop"
        limit = options.get("num_predict")
        if isinstance(limit, int) and 0 <= limit < len(pieces):
            pieces, reason = pieces[:limit], "length"
        prompt_tokens = sum(len(m.get("content", "")) // 4 for m in body.get("messages", []))
        final = {
            "model": name,
            "created_at": "2024-12-06T00:46:58.265747Z",
            "message": {"role": "assistant", "content": ""},
            "done_reason": reason,
            "done": True,
            "total_duration": 2_254_970_291,
            "load_duration": 574_751_416,
            "prompt_eval_count": prompt_tokens,
            "prompt_eval_duration": 1_502_000_000,
            "eval_count": len(pieces),
            "eval_duration": 175_000_000,
        }
        if body.get("stream") is False:
            final["message"]["content"] = "".join(pieces)
            return self._json(200, final)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i, piece in enumerate(pieces):
            if fault is not None and fault.cut_after is not None and i >= fault.cut_after:
                return self._cut()
            part = {
                "model": name,
                "created_at": "2024-12-06T00:46:58.1Z",
                "message": {"role": "assistant", "content": piece},
                "done": False,
            }
            self._chunk(json.dumps(part).encode() + b"\n")
        if fault is not None and fault.cut_after is not None:
            return self._cut()
        if fault is not None and fault.error_line is not None:
            self._chunk(json.dumps({"error": fault.error_line}).encode() + b"\n")
        else:
            self._chunk(json.dumps(final).encode() + b"\n")
        self._chunk(b"")

    # -- OpenAI-compatible -------------------------------------------------------------------

    def _openai(self, body: Any, fault: Fault | None) -> None:
        state = self.state
        if state.api_key and self.headers.get("Authorization") != f"Bearer {state.api_key}":
            given = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            return self._json(
                401,
                {
                    "error": {
                        # Echoes the key it was given, as some servers do, to test scrubbing.
                        "message": f"Incorrect API key provided: {given}",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                },
            )
        if self.command == "GET" and self.path == "/v1/models":
            data = [{"id": m, "object": "model", "owned_by": "vllm"} for m in state.models]
            return self._json(200, {"object": "list", "data": data})
        if self.command == "POST" and self.path == "/v1/chat/completions":
            return self._openai_chat(body, fault)
        return self._json(404, {"detail": "Not Found"})

    def _vllm_error(self, status: int, message: str, kind: str) -> None:
        self._json(
            status,
            {"object": "error", "message": message, "type": kind, "param": None, "code": status},
        )

    def _openai_chat(self, body: Any, fault: Fault | None) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return self._vllm_error(400, "messages is required", "BadRequestError")
        model = body.get("model")
        if model not in self.state.models:
            return self._vllm_error(404, f"The model `{model}` does not exist.", "NotFoundError")
        form = body.get("response_format")
        if isinstance(form, dict) and form.get("type") not in self.state.formats:
            if self.state.format_refusal == 500:  # llama-cpp-python's server, verbatim but path
                message = (
                    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', "
                    "'response_format', 'type'), 'msg': \"Input should be 'text' or "
                    "'json_object'\", 'input': 'json_schema'}"
                )
                return self._json(
                    500, {"error": {"message": message, "type": "internal_server_error"}}
                )
            return self._vllm_error(
                400,
                f"response_format type {form.get('type')!r} is not supported",
                "BadRequestError",
            )
        pieces = _pieces(self.state.next_answer())
        finish = "stop"
        limit = body.get("max_tokens")
        if isinstance(limit, int) and limit < len(pieces):
            pieces, finish = pieces[:limit], "length"
        prompt_tokens = sum(len(m.get("content", "")) // 4 for m in body["messages"])
        doc = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1733446018,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "".join(pieces)},
                    "finish_reason": finish,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": len(pieces),
                "total_tokens": prompt_tokens + len(pieces),
            },
        }
        data = json.dumps(doc).encode()
        if fault is not None and fault.cut_after is not None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: fault.cut_after])
            return self._cut()
        self._send(200, data)


def _tag(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "model": name,
        "modified_at": "2024-12-06T00:46:58.265747Z",
        "size": 986_061_892,
        "digest": "6d3abb8d2d537ce68ae3a0ab3f1f2c49ab7a1c8a14f4a62b1b4d58c1a5fd8e4a",
        "details": {
            "format": "gguf",
            "family": "qwen2",
            "parameter_size": "1.5B",
            "quantization_level": "Q4_K_M",
        },
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a timeout test) leaves a broken pipe here: expected, quiet.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(kind: str, state: ServerState) -> Iterator[str]:
    """Run the ``kind`` ("ollama" or "openai") stand-in on 127.0.0.1; yields its base URL."""
    handler = type("Handler", (_Handler,), {"state": state, "kind": kind})
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield f"http://127.0.0.1:{port}" + ("/v1" if kind == "openai" else "")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A port nothing listens on (bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
