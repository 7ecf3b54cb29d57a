"""The label/synonym/identifier index behind search and autocomplete (SQLite FTS5)."""

from .index import SearchHit, SearchIndex, normalise

__all__ = ["SearchHit", "SearchIndex", "normalise"]
