"""How a store failure is told to the client: status, title and extra headers, in one place.

Used by the Flask error handlers (app.py) and the Flask-free fast path (fast.py),
so both answer a failed query the same way.
"""

from __future__ import annotations

from ..store.base import AnswerTooLarge, Busy, QuerySyntaxError, QueryTimeout, StoreError, UpstreamError


def describe_failure(exc: StoreError) -> tuple[int, str, list[tuple[str, str]]]:
    if isinstance(exc, QuerySyntaxError):
        return 400, "The query is not valid SPARQL", []
    if isinstance(exc, AnswerTooLarge):
        return 400, "The answer is too large", []
    if isinstance(exc, QueryTimeout):
        return 503, "Query time limit", []
    if isinstance(exc, Busy):
        return 503, "Busy", [("Retry-After", str(exc.retry_after))]
    if isinstance(exc, UpstreamError):
        return exc.status, "The SPARQL server behind this service failed", []
    return 503, "The store could not answer", []
