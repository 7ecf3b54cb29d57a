"""The hot path: a plain GET of a SPARQL query for results, answered without Flask.

Most traffic to a SPARQL endpoint is scripts sending ``GET /sparql?query=...``.
This middleware answers exactly that request with the same checks, negotiation
and headers as the Flask view (sparql/endpoint.py), at a fraction of the cost
per request. Anything else, and any request the protocol checks refuse, goes
to the Flask app, which answers it the usual way; a query the store fails on
(syntax, time limit, busy) is answered here exactly as the Flask handlers would.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Callable, Iterable
from urllib.parse import parse_qs

from ..sparql.endpoint import CORS_HEADERS, MAX_URL_QUERY, base_iri, choose_format, content_type
from ..sparql.guard import Limits, check_query
from ..store.base import Store, StoreError, query_kind
from .failures import describe_failure

_OK = "200 OK"


class FastQueries:
    def __init__(self, app: Callable, store: Store, limits: Limits, security_headers: list[tuple[str, str]]):
        self.app, self.store, self.limits = app, store, limits
        self.headers = [("Vary", "Accept"), *CORS_HEADERS, *security_headers]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        answer = self._answer(environ) if environ.get("REQUEST_METHOD") == "GET" else None
        if answer is None:
            return self.app(environ, start_response)
        status, media, body, extra = answer
        headers = [("Content-Type", content_type(media)), ("Content-Length", str(len(body))), *self.headers, *extra]
        start_response(status, headers)
        return [body]

    def _answer(self, environ: dict) -> tuple[str, str, bytes, list[tuple[str, str]]] | None:
        """(status, media type, body, headers) of a plain query; None for anything the full path should see."""
        if environ.get("PATH_INFO") not in ("/sparql", "/sparql/") or environ.get("CONTENT_LENGTH"):
            return None
        qs = environ.get("QUERY_STRING", "")
        if not qs or len(qs) > MAX_URL_QUERY:
            return None
        params = parse_qs(qs, keep_blank_values=True)
        queries = params.get("query")
        if set(params) != {"query"} or queries is None or len(queries) != 1:
            return None
        accept = environ.get("HTTP_ACCEPT")
        if accept and "html" in accept:  # a browser: the full path opens the editor
            return None
        query = queries[0]
        try:
            check_query(query, self.limits)
            kind = query_kind(query)
            if kind is None:
                return None
            media = choose_format(kind, accept)
        except Exception:  # noqa: BLE001 - the full path answers every refusal, with its status and message
            return None
        try:
            return _OK, media, self.store.serialize(query, media, None, None, base_iri(environ)), []
        except StoreError as exc:
            status, title, extra = describe_failure(exc)
            return f"{status} {HTTPStatus(status).phrase}", "text/plain", f"{title}: {exc}\n".encode(), extra
