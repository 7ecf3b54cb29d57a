"""Serve the app with gunicorn: pre-forked worker processes, one request at a time each.

Each worker builds its own app and opens its own read-only store, so a query
that runs past the time limit (see deadline.py) or crashes the engine ends
only its own process, which gunicorn replaces.
"""

from __future__ import annotations

import resource
from typing import Any, Callable

from gunicorn.app.base import BaseApplication

from .deadline import Admission, Deadline
from .sandbox import forbid_outbound_network

MEMORY_LIMIT = 4 << 30  # bytes of address space a worker may use


class _Server(BaseApplication):
    def __init__(self, make_app: Callable[[], Any], options: dict[str, Any]):
        self.make_app, self.options = make_app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.make_app()


def _limit_memory(server: Any, worker: Any) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


RESERVE = 2  # workers for quick queries while every slot holds a long one


def run(make_app: Callable[[], Any], host: str, port: int, slots: int, limit: float, offline: bool = False) -> None:
    """Serve ``make_app()``: ``slots`` full evaluations, a reserve lane, and a spare worker to refuse more."""
    admission = Admission(slots, RESERVE)

    def app_factory() -> Any:
        if offline:
            forbid_outbound_network()
        app = make_app()
        try:  # open the store now, not in the first request a new worker serves
            app.config["STORE"].ask("ASK {}")
        except Exception:  # noqa: BLE001 - a store that is down is reported by the requests themselves
            pass
        return Deadline(app, limit, admission)

    def child_exit(server: Any, worker: Any) -> None:
        admission.leave(worker.pid)  # a worker that died mid-request gives its slot back

    options = {
        "bind": f"{host}:{port}",
        "workers": slots + RESERVE + 2,  # two spares accept and refuse while every lane is taken
        "worker_class": "sync",
        "timeout": int(limit) + 15,  # gunicorn's own backstop, after the watchdog's answer
        "graceful_timeout": 5,
        "keepalive": 2,
        "limit_request_line": 8190,  # gunicorn's maximum; longer lines get its own 414
        "post_fork": _limit_memory,
        "child_exit": child_exit,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "pnet-kg",
    }
    _Server(app_factory, options).run()
