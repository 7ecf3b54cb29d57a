"""The benchmark's ceiling: a bare WSGI app that hands the query straight to pyoxigraph.

No protocol checks, no negotiation, no evaluator processes, no time limit: what
the engine and a WSGI server can do at best. Served by the same HTTP server as
the service (granian, one process, the same thread count) or, for comparison
with the usual pure-Python setup, by waitress:

    python bench/ceiling_app.py STORE_DIR PORT granian|waitress
"""

from __future__ import annotations

import sys
from functools import partial
from urllib.parse import parse_qs

import pyoxigraph as ox

THREADS = 8  # the service's threads with its default settings (4 slots + 2 reserve + 2)


def make_app(data_dir: str):
    store = ox.Store.read_only(data_dir)

    def app(environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", "")).get("query", [""])[0]
        answer = store.query(query, use_default_graph_as_union=True)
        body = answer.serialize(format=ox.QueryResultsFormat.JSON)
        start_response("200 OK", [("Content-Type", "application/sparql-results+json")])
        return [body]

    return app


def serve(data_dir: str, port: int, server: str) -> None:
    if server == "granian":
        from granian import Granian
        from granian.constants import HTTPModes, Interfaces
        from granian.log import LogLevels

        Granian(
            "ceiling",
            port=port,
            interface=Interfaces.WSGI,
            http=HTTPModes.http1,
            blocking_threads=THREADS,
            log_level=LogLevels.error,
        ).serve(target_loader=partial(make_app, data_dir), wrap_loader=False)
    else:
        import logging

        import waitress

        logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # depth warnings are expected under load
        waitress.serve(make_app(data_dir), host="127.0.0.1", port=port, threads=THREADS, ident="ceiling")


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "granian")
