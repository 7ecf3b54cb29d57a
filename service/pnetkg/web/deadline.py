"""Time limits and admission for requests served by pre-forked worker processes.

pyoxigraph cannot cancel a running query, but it releases the GIL while it
evaluates. So each worker process runs a watchdog thread: when the request it
is serving passes the time limit, the watchdog writes a complete 503 answer
naming the limit to the client's socket and ends the process; the server
(gunicorn) starts a fresh one. A worker serves one request at a time, so no
other client is affected.

Admission: slots shared by all workers (created before they fork) cap the
requests under evaluation at the full limit; a small reserve lane with a
one-second limit keeps quick queries answered while long ones hold every slot;
beyond that the spare worker refuses at once with 503 and Retry-After rather
than letting requests queue without bound. A request running for more than half
a second drops to the lowest CPU priority, so runaway queries do not slow the
quick ones down.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from typing import Any, Callable, Iterable

RETRY_AFTER = 2
_CHECK_EVERY = 0.05
_SLOW = 0.5  # seconds after which a request runs at the lowest CPU priority


def _lower_priority(thread_id: int) -> None:
    # on Linux a priority belongs to a thread: lower the one evaluating the query, not the watchdog
    if os.getpriority(os.PRIO_PROCESS, thread_id) < 19:
        os.setpriority(os.PRIO_PROCESS, thread_id, 19)


def _restore_priority() -> None:
    try:
        if os.getpriority(os.PRIO_PROCESS, 0) != 0:
            os.setpriority(os.PRIO_PROCESS, 0, 0)
    except PermissionError:
        pass  # without the right to raise priority the worker stays nice; it still serves


def _plain(status: str, text: str, extra: list[tuple[str, str]] | None = None) -> tuple[str, list, bytes]:
    body = (text + "\n").encode("utf-8")
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    return status, headers + (extra or []), body


class Admission:
    """How many requests may be evaluated at once, across every worker process.

    ``slots`` requests run under the full time limit; when they are all taken, a few more
    run in a reserve lane under a short limit, so that quick queries are still answered
    while runaway ones hold the slots (a runaway in the reserve lane is stopped within a
    second). A slot holds the pid of the worker using it, so the slot of a worker that
    died in the middle of a request (crash, kill) is given back by the server.
    """

    def __init__(self, slots: int, reserve: int = 2):
        self._pids = multiprocessing.Array("i", slots + reserve)
        self.slots = slots

    def enter(self, wait: float = 0.05) -> bool | None:
        """True for a full slot, False for a reserve one, None when none frees up in ``wait`` seconds."""
        give_up = time.monotonic() + wait
        while True:
            with self._pids.get_lock():
                for i, pid in enumerate(self._pids):
                    if pid == 0:
                        self._pids[i] = os.getpid()
                        return i < self.slots
            if time.monotonic() >= give_up:
                return None
            time.sleep(0.002)

    def leave(self, pid: int | None = None) -> None:
        pid = pid or os.getpid()
        with self._pids.get_lock():
            for i, occupant in enumerate(self._pids):
                if occupant == pid:
                    self._pids[i] = 0


class Deadline:
    """WSGI middleware: admission, and a watchdog that answers 503 at the time limit."""

    def __init__(self, app: Callable, limit: float, admission: Admission | None = None, reserve_limit: float = 1.0):
        self.app, self.limit, self.admission = app, limit, admission
        self.reserve_limit = min(reserve_limit, limit)
        self._current: tuple[float, Any, float, int] | None = None
        self._lock = threading.Lock()
        self._watchdog: threading.Thread | None = None
        self._pid = 0

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self._pid != os.getpid():  # a new worker process: its own watchdog
            self._pid = os.getpid()
            self._watchdog = threading.Thread(target=self._watch, daemon=True)
            self._watchdog.start()
        full = self.admission.enter() if self.admission else True
        if full is None:
            status, headers, body = _plain(
                "503 Service Unavailable",
                "Busy: every query worker is busy; retry in a few seconds",
                [("Retry-After", str(RETRY_AFTER))],
            )
            start_response(status, headers)
            return [body]
        limit = self.limit if full else self.reserve_limit
        with self._lock:
            self._current = (time.monotonic() + limit, environ.get("gunicorn.socket"), limit, threading.get_native_id())
        try:
            # the whole answer is produced inside the deadline, so that a late one is never half-sent
            return [b"".join(self.app(environ, start_response))]
        finally:
            with self._lock:
                self._current = None
            if self.admission:
                self.admission.leave()
            _restore_priority()

    def _watch(self) -> None:
        while True:
            time.sleep(_CHECK_EVERY)
            with self._lock:
                current = self._current
            if current is None:
                continue
            deadline, sock, limit, thread_id = current
            if time.monotonic() > deadline - limit + _SLOW:
                _lower_priority(thread_id)  # a long query yields the CPU to quick ones
            if time.monotonic() < deadline:
                continue
            if sock is not None:
                status, headers, body = _plain(
                    "503 Service Unavailable",
                    f"Query time limit: the query was stopped after the time limit of {limit:g} s"
                    + ("" if limit == self.limit else " (every worker was busy: quick queries only)"),
                )
                head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
                try:
                    sock.sendall((head + "Connection: close\r\n\r\n").encode("latin-1") + body)
                except OSError:
                    pass
            if self.admission:
                self.admission.leave()
            os._exit(75)  # EX_TEMPFAIL: gunicorn starts a fresh worker (3 and 4 would halt it)
