"""HTTP for the remote backends: JSON requests, NDJSON streams, retries and one error mapping.

Standard library only (``http.client``; no proxy support), imported only when a remote backend
is used. Two timeouts: connecting gets at most ``CONNECT_TIMEOUT_S`` (a down host should fail
fast), and every read then waits up to ``timeout_s`` (a slow model may think for a while before
its first byte).

Retried, with exponential backoff: a connection that is refused, reset or closed before any
response arrived (a server restarting or not listening yet). Not retried: timeouts, unknown
hosts, TLS failures, HTTP error statuses, and answers cut off midway; those are reported at once.

Every failure becomes a ``cmdai.errors`` model error with a hint. The API key travels only in the
Authorization header: it is never logged, and text from the server is scrubbed of it before it
reaches a message.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cmdai import __version__
from cmdai.errors import (
    BackendAuthError,
    BackendError,
    BackendTimeoutError,
    BackendUnreachableError,
)

if TYPE_CHECKING:
    from cmdai.settings import Settings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
MAX_ERROR_BODY = 64 * 1024
"""Bytes of an error response read for its message."""
MAX_BODY = 16 * 1024 * 1024
"""A JSON answer larger than this is refused (a chat answer is a few kB)."""


class ServerError(BackendError):
    """The server answered with an HTTP error status (other than 401/403).

    Attributes:
        status: The HTTP status code.
        server_message: The error message the server gave (scrubbed, shortened), may be empty.
    """

    def __init__(self, message: str, *, status: int, server_message: str, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.server_message = server_message


class HttpClient:
    """A small JSON-over-HTTP client bound to one server's base URL."""

    @classmethod
    def from_settings(
        cls, settings: Settings, *, default_url: str, server: str, **options: Any
    ) -> HttpClient:
        """A client for ``base_url`` (else ``default_url``), key, ``timeout_s``, ``retries``."""
        return cls(
            settings.base_url or default_url,
            server=server,
            api_key=settings.resolve_api_key(),
            timeout_s=settings.timeout_s,
            retries=settings.retries,
            **options,
        )

    def __init__(
        self,
        base_url: str,
        *,
        server: str,
        api_key: str | None,
        timeout_s: float,
        retries: int,
        backoff_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Prepare a client (nothing is contacted yet).

        Args:
            base_url: ``http(s)://host[:port][/path]``; request paths are appended to it.
            server: What the server is, for messages ("the Ollama server").
            api_key: Sent as ``Authorization: Bearer ...`` when set.
            timeout_s: Seconds each read may wait for the server.
            retries: How many times a failed connection is retried.
            backoff_s: The first retry's delay; it doubles for each further one.
            sleep: How to wait between retries.
        """
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.server = server
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._api_key = api_key
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"HttpClient({self.base_url!r})"

    @property
    def has_api_key(self) -> bool:
        """True when requests carry an API key."""
        return bool(self._api_key)

    def url(self, path: str) -> str:
        """The full URL of ``path`` (for messages; holds no credentials)."""
        return self.base_url + path

    def get_json(self, path: str) -> Any:
        """GET ``path`` and return its JSON body."""
        return self._json(self._send("GET", path, None), path)

    def post_json(self, path: str, body: dict[str, Any]) -> Any:
        """POST ``body`` as JSON to ``path`` and return the JSON answer."""
        return self._json(self._send("POST", path, body), path)

    def post_ndjson(self, path: str, body: dict[str, Any]) -> Generator[dict[str, Any], None, None]:
        """POST ``body`` and yield each JSON object of a newline-delimited JSON stream.

        The caller decides whether the stream was complete (for Ollama: a ``"done": true`` line);
        a connection cut mid-line or mid-chunk raises ``BackendError``.
        """
        conn, response = self._send("POST", path, body, stream=True)

        def read_line() -> bytes:
            try:
                line = response.readline(MAX_BODY)
            except http.client.IncompleteRead:  # a chunked stream stopped mid-chunk
                raise self._cut_off(path) from None
            except TimeoutError:
                raise self._timed_out(path) from None
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                raise self._cut_off(path, exc) from None
            if not line and response.length:  # fewer bytes than its Content-Length
                raise self._cut_off(path)
            return line

        try:
            while line := read_line():
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except ValueError:
                    # A last line without its newline: cut off mid-line, unless the answer
                    # really ended there (then it simply is not JSON). Reading on tells which.
                    if not line.endswith(b"\n") and read_line():
                        raise self._cut_off(path) from None
                    raise self._not_json(path, response, line) from None
                if not isinstance(doc, dict):
                    raise self._not_json(path, response, line)
                yield doc
        finally:
            conn.close()

    # -- sending -----------------------------------------------------------------------------

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, *, stream: bool = False
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        """Send one request (retrying failed connections) and return the 2xx response."""
        payload = None if body is None else json.dumps(body).encode("utf-8")
        headers = {
            "Accept": "application/x-ndjson" if stream else "application/json",
            "User-Agent": f"cmdai/{__version__}",
        }
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        attempt = 0
        while True:
            started = time.perf_counter()
            conn = self._connection()
            try:
                try:
                    conn.connect()
                except TimeoutError:
                    raise BackendUnreachableError(
                        f"{self.server} at {self.base_url} did not accept a connection within "
                        f"{self._connect_timeout:g} s",
                        hint=self._unreachable_hint(),
                    ) from None
                if conn.sock is not None:
                    conn.sock.settimeout(self.timeout_s)
                conn.request(method, self._prefix + path, body=payload, headers=headers)
                response = conn.getresponse()
            except socket.gaierror as exc:
                conn.close()
                raise BackendUnreachableError(
                    f"cannot resolve the host of {self.base_url}: {exc.strerror or exc}",
                    hint="Check the host name in base_url (--base-url / CMDAI_BASE_URL).",
                ) from None
            except ssl.SSLError as exc:
                conn.close()
                raise BackendUnreachableError(
                    f"TLS with {self.base_url} failed: {exc.reason or exc}",
                    hint="Check the server's certificate, or use http:// for a local server.",
                ) from None
            except TimeoutError:
                conn.close()
                raise self._timed_out(path) from None
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                # Refused, reset, or closed before any response: nothing was answered, retry.
                conn.close()
                if attempt >= self.retries:
                    answered = isinstance(exc, (ConnectionResetError, http.client.HTTPException))
                    what = "got no answer from" if answered else "cannot connect to"
                    raise BackendUnreachableError(
                        f"{what} {self.server} at {self.base_url}: {_reason(exc)}"
                        + (f" (tried {attempt + 1} times)" if attempt else ""),
                        hint=self._unreachable_hint(),
                    ) from None
                delay = self.backoff_s * 2**attempt
                log.info(
                    "%s %s failed (%s); retrying in %.1f s", method, self.url(path), exc, delay
                )
                attempt += 1
                self._sleep(delay)
                continue
            except BaseException:
                conn.close()
                raise
            log.debug(
                "%s %s -> %d in %.3f s",
                method,
                self.url(path),
                response.status,
                time.perf_counter() - started,
            )
            if response.status >= 400:
                try:
                    raise self._status_error(path, response)
                finally:
                    conn.close()
            return conn, response

    @property
    def _connect_timeout(self) -> float:
        return min(CONNECT_TIMEOUT_S, self.timeout_s)

    def _connection(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(
                self._host,
                self._port,
                timeout=self._connect_timeout,
                context=ssl.create_default_context(),
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self._connect_timeout)

    # -- reading -----------------------------------------------------------------------------

    def _json(
        self, sent: tuple[http.client.HTTPConnection, http.client.HTTPResponse], path: str
    ) -> Any:
        conn, response = sent
        try:
            data = self._read(path, response, MAX_BODY)
        finally:
            conn.close()
        try:
            return json.loads(data)
        except ValueError:
            raise self._not_json(path, response, data) from None

    def _read(self, path: str, response: http.client.HTTPResponse, limit: int) -> bytes:
        too_large = BackendError(
            f"the answer from {self.url(path)} is larger than {limit // 1024} kB",
            hint="Check that base_url points at the model server's API.",
        )
        if response.length is not None and response.length > limit:
            raise too_large
        try:
            # With a Content-Length, read() raises IncompleteRead when the body falls short
            # (read(n) would silently return less); chunked bodies raise it either way.
            data = response.read() if response.length is not None else response.read(limit + 1)
        except http.client.IncompleteRead as exc:
            raise self._cut_off(path, received=len(exc.partial)) from None
        except TimeoutError:
            raise self._timed_out(path) from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise self._cut_off(path, exc) from None
        if len(data) > limit:
            raise too_large
        return data

    # -- errors ------------------------------------------------------------------------------

    def scrub(self, text: str, limit: int = 300) -> str:
        """Server text made safe for a message: the API key removed, one line, shortened."""
        if self._api_key:
            text = text.replace(self._api_key, "***")
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def _status_error(self, path: str, response: http.client.HTTPResponse) -> BackendError:
        status = response.status
        try:
            body = response.read(MAX_ERROR_BODY)
        except (http.client.HTTPException, OSError):
            body = b""
        message = self.scrub(_error_message(body))
        said = f": {message}" if message else ""
        where = f"{self.server} ({self.url(path)})"
        if status in (401, 403):
            if self._api_key:
                hint = (
                    "The server refused the API key: check api_key (CMDAI_API_KEY or the "
                    "config file) or the variable named by api_key_env."
                )
            else:
                hint = (
                    "The server wants an API key: set CMDAI_API_KEY, put api_key in the config "
                    "file, or name the variable holding it with api_key_env."
                )
            return BackendAuthError(f"{where} refused the request: HTTP {status}{said}", hint=hint)
        if status >= 500:
            hint = "The server failed: see its log. Run cmdai doctor to check the setup."
        elif status == 404:
            hint = "Check base_url (--base-url / CMDAI_BASE_URL) and remote_model."
        else:
            hint = "Run cmdai doctor to check the backend settings."
        return ServerError(
            f"{where} answered HTTP {status} {response.reason}{said}",
            status=status,
            server_message=message,
            hint=hint,
        )

    def _not_json(self, path: str, response: http.client.HTTPResponse, data: bytes) -> BackendError:
        kind = response.getheader("Content-Type") or "no content type"
        sample = self.scrub(data.decode("utf-8", "replace"), limit=80)
        return BackendError(
            f"{self.server} ({self.url(path)}) did not answer with JSON ({kind}): {sample!r}",
            hint="Check that base_url points at the model server's API "
            "(an OpenAI-compatible server's usually ends in /v1).",
        )

    def _cut_off(
        self, path: str, exc: BaseException | None = None, *, received: int | None = None
    ) -> BackendError:
        detail = f" after {received} bytes" if received is not None else ""
        if exc is not None:
            detail += f" ({_reason(exc)})"
        return BackendError(
            f"the answer from {self.server} ({self.url(path)}) was cut off{detail}",
            hint="The server closed the connection mid-answer: see its log (it may have "
            "crashed or run out of memory), then try again.",
        )

    def _timed_out(self, path: str) -> BackendTimeoutError:
        return BackendTimeoutError(
            f"{self.server} ({self.url(path)}) did not answer within {self.timeout_s:g} s",
            hint="The model may be loading or too slow for this machine: raise timeout_s "
            "(CMDAI_TIMEOUT_S), or check the server's load.",
        )

    def _unreachable_hint(self) -> str:
        return (
            f"Is {self.server} running and listening at {self.base_url}? Start it, or set "
            "base_url (--base-url / CMDAI_BASE_URL)."
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


def _error_message(body: bytes) -> str:
    """The message in an error body, else the body's text.

    OpenAI puts it in ``error.message``, Ollama in ``error``, vLLM in ``message``, FastAPI
    (llama-cpp-python's server) in ``detail``.
    """
    text = body.decode("utf-8", "replace").strip()
    try:
        doc = json.loads(text)
    except ValueError:
        return text
    if isinstance(doc, dict):
        error = doc.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
        if isinstance(doc.get("message"), str):
            return str(doc["message"])
        detail = doc.get("detail")
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list):  # FastAPI validation errors
            return "; ".join(
                f"{'.'.join(str(p) for p in d.get('loc', ()))}: {d.get('msg', '')}"
                for d in detail
                if isinstance(d, dict)
            )
    return text
