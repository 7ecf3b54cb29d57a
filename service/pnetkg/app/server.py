"""Serve the app with granian: HTTP/1.1 with keep-alive in Rust, the app in a few Python threads.

The web process never evaluates a client's query itself: on the embedded store
every evaluation runs in a pool of processes that are stopped at the time limit
(store/pool.py), and a remote server is asked with a client-side timeout. So no
thread here waits longer than the time limit, and a handful of threads serve
everyone. Granian replaces the web process if it ever dies.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels

from ..config import Settings
from ..processes import end_with_parent, forbid_outbound_network
from ..store.factory import open_store
from ..store.pool import RESERVE

# one thread beyond the evaluators, to refuse at once when every evaluator is taken; more would only
# wait for evaluators, and threads waiting on each other in one process cost throughput (measured)
EXTRA_THREADS = 1


def _load_app(settings: Settings, offline: bool) -> Any:
    """Runs in the web process granian starts: the store (and its evaluators), then the app."""
    from . import create_app

    end_with_parent()  # granian's main process killed with SIGKILL: this one must not serve on alone
    if offline:
        forbid_outbound_network()
    return create_app(settings, open_store(settings, serving=True, offline=offline))


def run(settings: Settings, offline: bool = False) -> None:
    server = Granian(
        "pnetkg",  # only a name: the app comes from _load_app
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,
        workers=1,
        blocking_threads=settings.workers + RESERVE + EXTRA_THREADS,
        respawn_failed_workers=True,
        respawn_interval=0.5,
        workers_kill_timeout=5,  # a stop waits this long for requests in flight, then ends the web process
        log_level=LogLevels.error,
        process_name=None,
    )
    server.serve(target_loader=partial(_load_app, settings, offline), wrap_loader=False)
