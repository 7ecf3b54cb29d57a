"""Open the store the settings ask for."""

from __future__ import annotations

from ..config import Settings
from .base import Store, StoreError


def open_store(settings: Settings, serving: bool = False, offline: bool = False) -> Store:
    """The store; for ``serving`` clients' queries, the embedded one behind a pool of stoppable evaluators."""
    if settings.backend == "embedded":
        if serving:
            from .pool import EvaluatorPool, PooledStore

            pool = EvaluatorPool(settings.data_dir, settings.workers, settings.query_timeout, offline=offline)
            return PooledStore(pool)
        from .embedded import EmbeddedStore

        return EmbeddedStore(settings.data_dir)
    if settings.backend == "remote":
        from .remote import RemoteStore

        if not settings.endpoint:
            raise StoreError("the remote backend needs an endpoint URL (--endpoint or PNETKG_ENDPOINT)")
        # the server must give up before our own time limit does, so that its slowness is
        # reported as such (504) rather than as our time limit (503)
        timeout = settings.query_timeout * 0.8
        return RemoteStore(
            settings.endpoint, settings.update_endpoint, settings.user, settings.password, timeout, settings.auth
        )
    raise StoreError(f"unknown backend {settings.backend!r} (embedded or remote)")
