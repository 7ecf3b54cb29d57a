"""Open the store the settings ask for."""

from __future__ import annotations

from ..config import Settings
from .base import Store, StoreError


def open_store(settings: Settings) -> Store:
    if settings.backend == "embedded":
        from .embedded import EmbeddedStore

        return EmbeddedStore(settings.data_dir)
    if settings.backend == "remote":
        from .remote import RemoteStore

        if not settings.endpoint:
            raise StoreError("the remote backend needs an endpoint URL (--endpoint or PNETKG_ENDPOINT)")
        return RemoteStore(
            settings.endpoint, settings.update_endpoint, settings.user, settings.password, settings.query_timeout
        )
    raise StoreError(f"unknown backend {settings.backend!r} (embedded or remote)")
