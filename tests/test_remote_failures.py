"""A remote server's failures and partial answers become clear errors, never results."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from pnetkg.store.base import QuerySyntaxError, UpstreamError
from pnetkg.store.remote import RemoteStore

from .conftest import start_service

ROWS = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://x/1"}}]}}'


class Misbehaving(BaseHTTPRequestHandler):
    """Answers like a SPARQL server that hit a limit or broke, chosen by the path."""

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode = self.path.strip("/")
        if mode == "virtuoso-partial":
            self._send(200, ROWS, {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"})
        elif mode == "partial-content":
            self._send(206, ROWS)
        elif mode == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(ROWS)))
            self.end_headers()
            self.wfile.write(ROWS[:20])
            self.wfile.flush()
            self.connection.close()
        elif mode == "server-error":
            self._send(500, b"Internal error")
        elif mode == "bad-query":
            self._send(400, b"Parse error at line 1, column 9")
        elif mode == "slow":
            time.sleep(3)
            self._send(200, ROWS)
        else:
            self._send(200, ROWS)

    def _send(self, status, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def fake():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_well_behaved_answer_passes(fake):
    assert RemoteStore(fake + "/ok").select("SELECT ?s WHERE { ?s ?p ?o }")[0]["s"].endswith("/1")


@pytest.mark.parametrize(
    "mode, status",
    [
        ("virtuoso-partial", 502),
        ("partial-content", 502),
        ("truncated", 502),
        ("server-error", 503),
        ("slow", 504),
    ],
)
def test_partial_or_failed_answers_raise(fake, mode, status):
    store = RemoteStore(f"{fake}/{mode}", timeout=1)
    with pytest.raises(UpstreamError) as err:
        store.serialize("SELECT ?s WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert err.value.status == status


def test_a_refused_query_is_a_syntax_error_with_the_servers_message(fake):
    with pytest.raises(QuerySyntaxError, match="line 1, column 9"):
        RemoteStore(fake + "/bad-query").select("SELECT WHERE")


@pytest.mark.parametrize("mode, status", [("virtuoso-partial", 502), ("truncated", 502), ("slow", 504)])
def test_the_endpoint_turns_them_into_5xx_errors_not_results(fake, tmp_path, mode, status):
    process, base = start_service(
        tmp_path, "--backend", "remote", "--endpoint", f"{fake}/{mode}", "--query-timeout", "1"
    )
    try:
        r = requests.get(
            base + "/sparql",
            params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert r.status_code == status
        assert "bindings" not in r.text
    finally:
        process.terminate()
        process.wait(10)
