"""Processes that end with their parent.

A process the service starts (the web process under granian, a query
evaluator under the web process) must not outlive the one that started it,
even when that one is killed with SIGKILL and cannot clean up: it would keep
the port or the store open and answer with nobody in charge of it.
"""

from __future__ import annotations

import os
import threading
import time


def end_with_parent(check_every: float = 0.5) -> None:
    """Exit this process as soon as its parent is gone (checked from a daemon thread)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(check_every)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
