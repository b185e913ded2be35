"""A local stand-in for the Hugging Face hub, speaking the protocol huggingface_hub uses.

What huggingface_hub 2.x relies on (read from ``file_download.py`` and ``utils/_http.py``):

- ``HEAD {endpoint}/{repo}/resolve/{revision}/{file}`` (sent with ``Accept-Encoding:
  identity``, redirects followed only on the same origin) must carry ``X-Repo-Commit`` and an
  ETag; for LFS files the hub answers ``302`` to a CDN on another host, and the metadata is on
  that redirect: ``X-Linked-Etag`` (the file's sha256), ``X-Linked-Size``, ``Location``.
- ``GET`` on the location streams the bytes; ``Range: bytes=N-`` is answered ``206 Partial
  Content`` with ``Content-Range``. A connection dropped mid-body is retried with a Range
  request (``http_get``).
- Errors: ``404`` with ``X-Error-Code: RepoNotFound`` / ``EntryNotFound`` become
  ``RepositoryNotFoundError`` / ``RemoteEntryNotFoundError``.

Two servers on 127.0.0.1 (the hub and its "CDN", different ports, so the redirect crosses
origins as the real one does). Nothing else is contacted.
"""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"
_RESOLVE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<file>.+)$")
_CDN = re.compile(r"^/cdn/(?P<sha>[0-9a-f]{64})$")


@dataclass
class HubState:
    """What the fake hub serves and what it saw."""

    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    redirect: bool = True
    drop_after: int | None = None  # the next GET body stops after this many bytes (once)
    announced_sha: str | None = None  # a lie for the X-Linked-Etag (None: the true sha256)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    cdn_url: str = ""

    def add(self, repo: str, filename: str, data: bytes) -> None:
        self.files[(repo, filename)] = data

    def blob(self, sha: str) -> bytes | None:
        for data in self.files.values():
            if hashlib.sha256(data).hexdigest() == sha:
                return data
        return None


def _handler(state: HubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_HEAD(self) -> None:
            self._serve(body=False)

        def do_GET(self) -> None:
            self._serve(body=True)

        def _serve(self, body: bool) -> None:
            state.requests.append((self.command, self.path, self.headers.get("Range")))
            if m := _CDN.match(self.path):
                data = state.blob(m["sha"])
                if data is None:
                    return self._empty(404)
                return self._bytes(data, body)
            m = _RESOLVE.match(self.path)
            if m is None or not any(repo == m["repo"] for repo, _ in state.files):
                return self._empty(404, {"X-Error-Code": "RepoNotFound"})
            data = state.files.get((m["repo"], m["file"]))
            if data is None:
                return self._empty(404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT})
            sha = hashlib.sha256(data).hexdigest()
            meta = {
                "X-Repo-Commit": COMMIT,
                "X-Linked-Etag": f'"{state.announced_sha or sha}"',
                "X-Linked-Size": str(len(data)),
                "ETag": '"' + hashlib.sha1(data).hexdigest() + '"',  # the git blob id, roughly
            }
            if state.redirect:
                return self._empty(302, {**meta, "Location": f"{state.cdn_url}/cdn/{sha}"})
            return self._bytes(data, body, meta)

        def _empty(self, status: int, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _bytes(self, data: bytes, body: bool, headers: dict[str, str] | None = None) -> None:
            start = 0
            rng = self.headers.get("Range")
            if rng and (m := re.fullmatch(r"bytes=(\d+)-", rng)):
                start = int(m[1])
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            if not body:
                return
            chunk = data[start:]
            if state.drop_after is not None and start < state.drop_after:
                chunk = data[start : state.drop_after]
                state.drop_after = None
                self.wfile.write(chunk)
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(chunk)

    return Handler


@contextmanager
def serve_hub(state: HubState) -> Iterator[str]:
    """Run the fake hub and CDN on 127.0.0.1; yields the hub endpoint URL."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _handler(state)) for _ in range(2)]
    hub, cdn = servers
    state.cdn_url = f"http://127.0.0.1:{cdn.server_address[1]}"
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    try:
        yield f"http://127.0.0.1:{hub.server_address[1]}"
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for "server down")."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
