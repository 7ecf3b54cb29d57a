"""The store: one small interface, an embedded backend and a remote SPARQL server backend."""

from .base import QueryKind, Store, StoreError, query_kind
from .factory import open_store

__all__ = ["QueryKind", "Store", "StoreError", "open_store", "query_kind"]
