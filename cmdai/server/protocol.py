"""The warm server's wire protocol: message framing, requests, answers and errors on the wire.

Wire protocol (version ``PROTOCOL``): one request per connection over an AF_UNIX stream socket,
each message one line of JSON. The client sends ``{"protocol": 1, "op": ..., ...}``; the server
answers with blank lines as heartbeats while a request waits or runs (so a client can tell a
slow generation from a dead server), then one line ``{"protocol": 1, "ok": true, "result": ...}``
or ``{"protocol": 1, "ok": false, "error": {"type", "kind", "message", "hint"}}``.

Both ends import this module; it imports neither of them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
from collections.abc import Mapping
from typing import Any

from cmdai import errors
from cmdai.backends.base import Generation, GenerationRequest, Message
from cmdai.errors import BackendError, CmdaiError

PROTOCOL = 1
"""Version of the wire protocol; a server and a client that differ do not talk."""

DEFAULT_IDLE_TIMEOUT_S = 900.0
"""A server with no request for this long exits (15 minutes; 0 means never)."""

SILENCE_TIMEOUT_S = 15.0
"""A client gives up on a server that sends nothing, not even a heartbeat, for this long."""

HEARTBEAT_S = 1.0

_MAX_MESSAGE_BYTES = 8 * 1024 * 1024


class ServerError(BackendError):
    """The warm server could not be used for a request."""

    kind = "server"


class ServerBusyError(ServerError):
    """The warm server's queue is full."""

    kind = "server_busy"


class ServerRunningError(CmdaiError):
    """A server is already running (or starting) for this user."""

    kind = "server_running"


# -- wire format -------------------------------------------------------------------------------


def _encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=True, separators=(",", ":")).encode() + b"\n"


class _Reader:
    """Reads newline-delimited JSON messages from a socket, skipping heartbeat blank lines."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = b""

    def message(self) -> dict[str, Any] | None:
        """The next message; None at end of stream.

        Raises:
            ValueError: not a JSON object, or too long.
            OSError: the socket failed (``TimeoutError`` on silence).
        """
        while True:
            line, sep, rest = self._buffer.partition(b"\n")
            if sep:
                self._buffer = rest
                if not line.strip():
                    continue  # a heartbeat
                doc = json.loads(line)
                if not isinstance(doc, dict):
                    raise ValueError("a message must be a JSON object")
                return doc
            if len(self._buffer) > _MAX_MESSAGE_BYTES:
                raise ValueError("message too long")
            chunk = self._sock.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk


def request_to_wire(request: GenerationRequest) -> dict[str, Any]:
    """A generation request as JSON-ready data."""
    return dataclasses.asdict(request)


def request_from_wire(data: Any) -> GenerationRequest:
    """Rebuild a request sent by a client, checking every field's type.

    Raises:
        ValueError: a missing or mistyped field.
    """
    if not isinstance(data, dict):
        raise ValueError("request must be an object")
    raw_messages = data.get("messages")
    if not isinstance(raw_messages, list) or not raw_messages:
        raise ValueError("messages must be a non-empty list")
    messages = []
    for item in raw_messages:
        if not (
            isinstance(item, dict)
            and item.get("role") in ("system", "user", "assistant")
            and isinstance(item.get("content"), str)
        ):
            raise ValueError("each message needs a role and a text content")
        messages.append(Message(item["role"], item["content"]))
    schema = data.get("json_schema")
    ints = {k: data.get(k) for k in ("max_tokens", "seed", "stable_prefix")}
    floats = {k: data.get(k) for k in ("temperature", "repeat_penalty")}
    if schema is not None and not isinstance(schema, str):
        raise ValueError("json_schema must be text or null")
    if any(type(v) is not int for v in ints.values()):
        raise ValueError("max_tokens, seed and stable_prefix must be integers")
    if any(type(v) not in (int, float) for v in floats.values()):
        raise ValueError("temperature and repeat_penalty must be numbers")
    prefill = data.get("prefill", "")
    stop = data.get("stop", [])
    if not isinstance(prefill, str):
        raise ValueError("prefill must be text")
    if not isinstance(stop, list) or not all(isinstance(x, str) and x for x in stop):
        raise ValueError("stop must be a list of non-empty strings")
    marker = data.get("decline_marker", "")
    threshold = data.get("decline_threshold", 0.5)
    if not isinstance(marker, str) or type(threshold) not in (int, float):
        raise ValueError("decline_marker must be text and decline_threshold a number")
    return GenerationRequest(
        messages=tuple(messages),
        json_schema=schema,
        max_tokens=int(ints["max_tokens"]),  # type: ignore[arg-type]
        temperature=float(floats["temperature"]),  # type: ignore[arg-type]
        seed=int(ints["seed"]),  # type: ignore[arg-type]
        stable_prefix=int(ints["stable_prefix"]),  # type: ignore[arg-type]
        repeat_penalty=float(floats["repeat_penalty"]),  # type: ignore[arg-type]
        prefill=prefill,
        stop=tuple(stop),
        decline_marker=marker,
        decline_threshold=float(threshold),
    )


def generation_from_wire(data: Any) -> Generation:
    """Rebuild a generation sent by the server.

    Raises:
        ValueError: a missing or mistyped field.
    """
    if not isinstance(data, dict):
        raise ValueError("generation must be an object")
    try:
        return Generation(
            text=str(data["text"]),
            prompt_tokens=int(data["prompt_tokens"]),
            completion_tokens=int(data["completion_tokens"]),
            load_s=float(data["load_s"]),
            generate_s=float(data["generate_s"]),
            constrained=bool(data["constrained"]),
            cached_tokens=int(data.get("cached_tokens", 0)),
            truncated=bool(data.get("truncated", False)),
            prefix=str(data.get("prefix", "")),
            stopped=bool(data.get("stopped", False)),
            decline_p=None if data.get("decline_p") is None else float(data["decline_p"]),
            token_logprobs=tuple(float(x) for x in data.get("token_logprobs", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"bad generation: {exc}") from exc


def _error(
    kind: str, message: str, hint: str = "", type_name: str = "ServerError"
) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "ok": False,
        "error": {"type": type_name, "kind": kind, "message": message, "hint": hint},
    }


def _error_from_exception(exc: CmdaiError) -> dict[str, Any]:
    return _error(exc.kind, exc.message, exc.hint, type(exc).__name__)


def _exception_from_error(error: Mapping[str, Any]) -> CmdaiError:
    """The client-side exception for a server's error (its class when cmdai knows it)."""
    message = str(error.get("message") or "the warm server failed")
    hint = str(error.get("hint") or "")
    kind = str(error.get("kind") or "server")
    if kind == "server_busy":
        return ServerBusyError(message, hint=hint)
    cls = getattr(errors, str(error.get("type")), None)
    if isinstance(cls, type) and issubclass(cls, CmdaiError) and cls is not errors.CmdaiError:
        with contextlib.suppress(TypeError):  # a class needing more than message and hint
            return cls(message, hint=hint)
    exc = ServerError(message, hint=hint)
    exc.kind = kind
    return exc
