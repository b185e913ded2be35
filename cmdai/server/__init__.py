"""The warm server: one model kept loaded in a background process, reached over a Unix socket.

A one-shot ``cmdai`` spends most of its time importing llama.cpp and outlines and loading the
model. ``cmdai serve`` does that once; later ``cmdai`` processes send their generation requests
to it. The seam is the ``Backend`` protocol: the server process owns one real backend (built by
``create_backend``), and the client's ``ServerBackend`` implements the same protocol, so prompt
building, parsing, checks and the safety gate stay in the client's ``Engine``, on the same path
as a one-shot run. The client side imports neither llama_cpp nor outlines, nor, when the
server runs the same gate code (``gate_identity``), the gate: ``ServerGate`` asks the server,
which has it loaded, for the verdict.

The parts, each with one job:

- ``protocol``: the wire protocol (framing, requests and generations on the wire, errors and
  the exceptions they become), and the timings both ends agree on.
- ``paths``: where the server lives (the private runtime directory, its socket, lock and log),
  the peer check and the one-server lock.
- ``servable``: what a server serves (servable backends, the identity of a model's settings).
- ``daemon``: the server process (``Server``, ``run_server``).
- ``client``: reaching, starting and stopping a server, and ``ServerBackend``.

Dependencies point one way: ``daemon`` and ``client`` use ``paths``, ``servable`` and
``protocol``; ``paths`` uses ``protocol``; ``daemon`` and ``client`` never import each other,
and no part imports from the package (``cmdai.server``) itself. This module only re-exports
what the rest of cmdai uses, each name imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmdai.lazy import exports

if TYPE_CHECKING:
    from cmdai.server.client import connect, ensure_server, server_status, stop_server
    from cmdai.server.daemon import run_server
    from cmdai.server.protocol import DEFAULT_IDLE_TIMEOUT_S
    from cmdai.server.servable import identity

# A client never loads the server's own module (``daemon``), nor a server the client's.
__getattr__ = exports(
    __name__,
    {
        "cmdai.server.client": ("connect", "ensure_server", "server_status", "stop_server"),
        "cmdai.server.daemon": ("run_server",),
        "cmdai.server.protocol": ("DEFAULT_IDLE_TIMEOUT_S",),
        "cmdai.server.servable": ("identity",),
    },
)

__all__ = [
    "DEFAULT_IDLE_TIMEOUT_S",
    "connect",
    "ensure_server",
    "identity",
    "run_server",
    "server_status",
    "stop_server",
]
