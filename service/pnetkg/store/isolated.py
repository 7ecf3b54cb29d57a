"""Evaluate queries in worker processes that can be killed at a deadline.

pyoxigraph cannot cancel a running query from Python (an alarm does not
interrupt it), and a pathological query can crash the process. So the
service never evaluates a query in its own process: each call goes to an idle
worker process over a pipe; a worker that misses the deadline is killed and
replaced, and a worker that dies is replaced. When every worker is busy a new
call is refused at once rather than queued without bound.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .base import QuerySyntaxError, Row, Store, StoreError

_CONTEXT = mp.get_context("spawn")  # never fork a threaded server


class QueryTimeout(StoreError):
    """A query ran past the time limit and was stopped."""

    def __init__(self, limit: float):
        super().__init__(f"the query was stopped after the time limit of {limit:g} s")
        self.limit = limit


class Busy(StoreError):
    """Every worker is evaluating a query; try again shortly."""

    retry_after = 2


def _serve(conn: Connection, data_dir: str, memory_limit: int) -> None:
    """The worker: open the store read-only and answer calls until the pipe closes."""
    import resource

    from .embedded import EmbeddedStore

    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    store = EmbeddedStore(Path(data_dir))
    while True:
        try:
            method, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", getattr(store, method)(*args)))
        except QuerySyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except MemoryError:
            conn.send(("error", "the query needed more memory than a worker may use"))
        except Exception as exc:  # noqa: BLE001 - reported to the caller as a StoreError
            conn.send(("error", str(exc)))


class _Worker:
    def __init__(self, data_dir: Path, memory_limit: int):
        self.conn, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, str(data_dir), memory_limit), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class IsolatedStore(Store):
    """An embedded store whose queries run in killable worker processes."""

    name = "embedded (isolated workers)"

    def __init__(
        self,
        inner: Store,
        data_dir: Path,
        workers: int = 4,
        timeout: float = 30.0,
        memory_limit: int = 2 << 30,
        wait: float = 0.25,
    ):
        self.inner, self.data_dir = inner, Path(data_dir)
        self.timeout, self.wait, self.memory_limit = timeout, wait, memory_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(workers):
            self._idle.put(_Worker(self.data_dir, memory_limit))

    def _call(self, method: str, *args: Any) -> Any:
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise Busy("every query worker is busy; retry in a few seconds") from None
        try:
            worker.conn.send((method, args))
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                raise QueryTimeout(self.timeout)
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise StoreError("the query stopped its worker process; it has been replaced") from None
        self._idle.put(worker)
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "error":
            raise StoreError(payload)
        return payload

    def _replace(self, worker: _Worker) -> None:
        """Kill the worker and start a new one in the background (a spawn takes about a second)."""
        worker.kill()

        def start() -> None:
            self._idle.put(_Worker(self.data_dir, self.memory_limit))

        threading.Thread(target=start, daemon=True).start()

    def select(self, sparql: str) -> list[Row]:
        return self._call("select", sparql)

    def ask(self, sparql: str) -> bool:
        return self._call("ask", sparql)

    def triples(self, sparql: str):  # type: ignore[no-untyped-def]
        return self._call("triples", sparql)

    def serialize(
        self,
        sparql: str,
        media_type: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> bytes:
        return self._call("serialize", sparql, media_type, default_graphs, named_graphs, base_iri)

    def graph_sizes(self) -> dict[str, int]:
        return self._call("graph_sizes")

    def replace_all(self, nquads: Path) -> int:
        return self.inner.replace_all(nquads)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return
