"""The service's own processes: one log format, and guards so they end with their parent and never connect out.

A process the service starts (the web process under granian, a query
evaluator under the web process) must not outlive the one that started it,
even when that one is killed with SIGKILL and cannot clean up: it would keep
the port or the store open and answer with nobody in charge of it.

The web process only answers the connections it accepts and talks to its query
evaluators over local sockets; nothing in it or them should ever connect out.
An audit hook refuses, and logs, any attempt made from Python (rdflib fetching
a URL, a stray client). SERVICE calls that pyoxigraph makes itself are not
seen by Python: the query checks refuse those before evaluation unless the
endpoint is on the allow-list.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time

_BLOCKED = {"socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"}
log = logging.getLogger("pnetkg.processes")


def configure_logging(level: int = logging.INFO) -> None:
    """One log format for every process of the service (the command, the web process, the evaluators)."""
    logging.basicConfig(level=level, format="[%(asctime)s] %(name)s %(levelname)s: %(message)s", datefmt="%H:%M:%S")


def end_with_parent(check_every: float = 0.5) -> None:
    """Exit this process as soon as its parent is gone (checked from a daemon thread)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(check_every)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _refuse(event: str, args: tuple) -> None:
    if event in _BLOCKED:
        if event == "socket.connect" and getattr(args[0], "family", None) == socket.AF_UNIX:
            return  # a local socket, not the network
        log.warning("blocked an outbound network call from a query worker: %s %r", event, args[:2])
        raise PermissionError(f"query workers make no network calls ({event})")


def forbid_outbound_network() -> None:
    """Install the hook in this process (audit hooks cannot be removed: call it in a worker only)."""
    sys.addaudithook(_refuse)
