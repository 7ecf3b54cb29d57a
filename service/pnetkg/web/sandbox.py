"""No outbound network from the processes that serve the embedded store.

The web process only answers the connections it accepts and talks to its query
evaluators over local sockets; nothing in it or them should ever connect out.
An audit hook refuses, and logs, any attempt made from Python (rdflib fetching
a URL, a stray client). SERVICE calls that pyoxigraph makes
itself are not seen by Python: the query checks refuse those before evaluation
unless the endpoint is on the allow-list.
"""

from __future__ import annotations

import logging
import socket
import sys

_BLOCKED = {"socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"}
log = logging.getLogger("pnetkg.sandbox")


def _refuse(event: str, args: tuple) -> None:
    if event in _BLOCKED:
        if event == "socket.connect" and getattr(args[0], "family", None) == socket.AF_UNIX:
            return  # a local socket, not the network
        log.warning("blocked an outbound network call from a query worker: %s %r", event, args[:2])
        raise PermissionError(f"query workers make no network calls ({event})")


def forbid_outbound_network() -> None:
    """Install the hook in this process (audit hooks cannot be removed: call it in a worker only)."""
    sys.addaudithook(_refuse)
