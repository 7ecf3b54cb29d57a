"""The benchmark's ceiling: a bare WSGI app that hands the query straight to pyoxigraph.

No protocol checks, no negotiation, no worker processes, no time limit: what the
engine and the WSGI server can do at best. Run under the same server (waitress)
and thread count as the service.
"""

from __future__ import annotations

import sys
from urllib.parse import parse_qs

import pyoxigraph as ox
import waitress


def make_app(data_dir: str):
    store = ox.Store.read_only(data_dir)

    def app(environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", "")).get("query", [""])[0]
        answer = store.query(query, use_default_graph_as_union=True)
        body = answer.serialize(format=ox.QueryResultsFormat.JSON)
        start_response("200 OK", [("Content-Type", "application/sparql-results+json")])
        return [body]

    return app


if __name__ == "__main__":
    import logging

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # depth warnings are expected under load
    waitress.serve(make_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), threads=8, ident="ceiling")
