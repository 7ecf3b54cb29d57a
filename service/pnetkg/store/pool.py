"""The embedded store, evaluated in a pool of processes that can be stopped.

pyoxigraph cannot cancel a running query, so the web process never evaluates
one itself: every call of the Store interface goes to an evaluator process
(evaluator.py) over a socket. A query that passes its time limit is stopped by
killing its evaluator, which is replaced in the background; every other client
keeps being served by the other evaluators and the web process never blocks.

Admission: ``slots`` evaluators run queries under the full time limit; when
they are all taken, a small reserve lane with a one-second limit keeps quick
queries answered while runaway ones hold the slots. When every evaluator is
taken, a call waits briefly only if one of them started its call recently (it
is likely a quick query about to finish); when all have been busy for a while,
the call is refused at once (Busy) rather than queued. An evaluation running
for more than half a second drops to the lowest CPU priority, so runaways do
not slow the quick ones down.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import cast

from rdflib.term import Node

from .base import Busy, QueryTimeout, Row, Store, StoreError
from .evaluator import FRAME, MAX_ANSWER, send

log = logging.getLogger("pnetkg.pool")

ADMISSION_WAIT = 0.25  # seconds a call may wait for a free evaluator before it is refused
SLOW = 0.5  # seconds after which an evaluation runs at the lowest CPU priority
RESERVE = 2  # evaluators in the reserve lane
RESERVE_LIMIT = 1.0  # the time limit in the reserve lane
START_TIMEOUT = 120  # seconds an evaluator may take to open the store


class _Overrun(Exception):
    pass


class _Evaluator:
    def __init__(self, process: subprocess.Popen, sock: socket.socket, full: bool):
        self.process, self.sock, self.full = process, sock, full
        self.lowered = False
        self.busy_since = 0.0  # when its current call started (0: idle)


class EvaluatorPool:
    def __init__(
        self,
        data_dir: Path,
        slots: int,
        limit: float,
        reserve: int = RESERVE,
        offline: bool = False,
        max_answer: int = MAX_ANSWER,
    ):
        self.data_dir, self.limit, self.offline, self.max_answer = Path(data_dir), limit, offline, max_answer
        self.reserve_limit = min(RESERVE_LIMIT, limit)
        self._cond = threading.Condition()
        self._idle: list[_Evaluator] = []
        self._busy: set[_Evaluator] = set()
        self._closed = False
        starting = [self._start(full) for full in [True] * slots + [False] * reserve]
        for evaluator in starting:
            try:
                self._await_ready(evaluator)
            except StoreError as exc:  # once more: a store that cannot be opened fails the second time too
                log.warning("%s; starting another", exc)
                self._await_ready(self._start(evaluator.full))

    # ------------------------------------------------------------ calls
    def call(self, method: str, *args: object) -> object:
        """``method(*args)`` of the store, evaluated within the time limit of the lane it gets."""
        evaluator = self._acquire()
        limit = self.limit if evaluator.full else self.reserve_limit
        try:
            evaluator.sock.settimeout(limit)
            send(evaluator.sock, (method, args))
            status, value = self._receive(evaluator, limit)
        except _Overrun:
            self._discard(evaluator)
            suffix = "" if evaluator.full else " (every worker was busy: quick queries only)"
            raise QueryTimeout(f"the query was stopped after the time limit of {limit:g} s{suffix}") from None
        except (EOFError, OSError, pickle.UnpicklingError):
            self._discard(evaluator)
            raise StoreError("the process evaluating the query ended without an answer (it is replaced)") from None
        except BaseException:  # anything else leaves the exchange half done: the evaluator cannot be reused
            self._discard(evaluator)
            raise
        self._release(evaluator)
        if status == "error" and isinstance(value, BaseException):
            raise value
        return value

    def _receive(self, evaluator: _Evaluator, limit: float, slow: float = SLOW) -> tuple[str, object]:
        started = time.monotonic()
        deadline, slow_at = started + limit, started + slow
        (n,) = FRAME.unpack(self._read(evaluator, FRAME.size, deadline, slow_at))
        if n > self.max_answer + 4096:  # the evaluator bounds its answers: this one is not speaking the protocol
            raise EOFError
        return pickle.loads(self._read(evaluator, n, deadline, slow_at))

    def _read(self, evaluator: _Evaluator, n: int, deadline: float, slow_at: float) -> bytes:
        buf = bytearray(n)
        view, got = memoryview(buf), 0
        while got < n:
            now = time.monotonic()
            if now >= deadline:
                raise _Overrun
            if not evaluator.lowered and now >= slow_at:
                self._lower_priority(evaluator)
            wake = deadline if evaluator.lowered else min(deadline, slow_at)
            evaluator.sock.settimeout(max(wake - now, 0.001))
            try:
                k = evaluator.sock.recv_into(view[got:])
            except TimeoutError:
                continue
            if not k:
                raise EOFError
            got += k
        return bytes(buf)

    # ------------------------------------------------------------ admission
    def _acquire(self) -> _Evaluator:
        give_up = time.monotonic() + ADMISSION_WAIT
        with self._cond:
            while True:
                if self._idle:
                    best = max(self._idle, key=lambda e: e.full)  # a full slot before a reserve one
                    self._idle.remove(best)
                    self._busy.add(best)
                    best.busy_since = time.monotonic()
                    return best
                now = time.monotonic()
                # worth waiting for only if some evaluator is on a call that may be a quick one
                recent = any(now - e.busy_since < ADMISSION_WAIT for e in self._busy) or not self._busy
                if now >= give_up or not recent or self._closed:
                    raise Busy("every query worker is busy; retry in a few seconds")
                self._cond.wait(give_up - now)

    def _release(self, evaluator: _Evaluator) -> None:
        if evaluator.lowered:
            try:
                os.setpriority(os.PRIO_PROCESS, evaluator.process.pid, 0)
                evaluator.lowered = False
            except OSError:  # without the right to raise a priority, a fresh evaluator takes its place
                self._discard(evaluator)
                return
        with self._cond:
            self._busy.discard(evaluator)
            evaluator.busy_since = 0.0
            self._idle.append(evaluator)
            self._cond.notify()

    def _lower_priority(self, evaluator: _Evaluator) -> None:
        evaluator.lowered = True
        try:
            os.setpriority(os.PRIO_PROCESS, evaluator.process.pid, 19)
        except OSError:
            pass  # it has ended: the read that follows says so

    # ------------------------------------------------------------ processes
    def _start(self, full: bool) -> _Evaluator:
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "pnetkg.store.evaluator", str(self.data_dir), str(theirs.fileno())]
        command += ["--max-answer", str(self.max_answer)]
        process = subprocess.Popen(
            command + (["--offline"] if self.offline else []), pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL
        )
        theirs.close()
        return _Evaluator(process, ours, full)

    def _await_ready(self, evaluator: _Evaluator) -> None:
        started = time.monotonic()
        try:
            status, value = self._receive(evaluator, START_TIMEOUT, slow=START_TIMEOUT)
        except (_Overrun, EOFError, OSError, pickle.UnpicklingError):
            try:
                code = evaluator.process.wait(1)  # a closed socket usually means it has ended: how?
            except subprocess.TimeoutExpired:
                code = None
            status, value = "error", "it did not answer" if code is None else f"it ended with status {code}"
        if status != "ok":
            self._kill(evaluator)
            raise StoreError(f"a query evaluator could not open the store: {value}")
        log.debug("evaluator %s ready in %.2f s", evaluator.process.pid, time.monotonic() - started)
        with self._cond:
            self._idle.append(evaluator)
            self._cond.notify()

    def _discard(self, evaluator: _Evaluator) -> None:
        """End an evaluator and start its replacement in the background."""
        with self._cond:
            self._busy.discard(evaluator)
        self._kill(evaluator)
        if not self._closed:
            threading.Thread(target=self._replace, args=(evaluator.full,), daemon=True).start()

    def _replace(self, full: bool) -> None:
        while not self._closed:
            try:
                self._await_ready(self._start(full))
                return
            except (StoreError, OSError) as exc:
                log.error("replacing a query evaluator failed (%s); retrying", exc)
                time.sleep(1)

    @staticmethod
    def _kill(evaluator: _Evaluator) -> None:
        evaluator.process.kill()
        evaluator.process.wait()
        evaluator.sock.close()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for evaluator in idle:
            self._kill(evaluator)


class PooledStore(Store):
    """The Store interface of the embedded store, each call evaluated by the pool."""

    name = "embedded"

    def __init__(self, pool: EvaluatorPool):
        self.pool = pool

    def select(self, sparql: str) -> list[Row]:
        return cast("list[Row]", self.pool.call("select", sparql))

    def ask(self, sparql: str) -> bool:
        return cast("bool", self.pool.call("ask", sparql))

    def triples(self, sparql: str) -> list[tuple[Node, Node, Node]]:
        return cast("list[tuple[Node, Node, Node]]", self.pool.call("triples", sparql))

    def serialize(
        self,
        sparql: str,
        media_type: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> bytes:
        return cast("bytes", self.pool.call("serialize", sparql, media_type, default_graphs, named_graphs, base_iri))

    def update(self, sparql: str) -> None:
        self.pool.call("update", sparql)

    def replace_all(self, nquads: Path) -> int:
        return cast("int", self.pool.call("replace_all", nquads))

    def graph_sizes(self) -> dict[str, int]:
        return cast("dict[str, int]", self.pool.call("graph_sizes"))

    def is_empty(self) -> bool:
        return cast("bool", self.pool.call("is_empty"))

    def close(self) -> None:
        self.pool.close()
