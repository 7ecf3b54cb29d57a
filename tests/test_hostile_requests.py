"""Hostile and malformed requests: never a 5xx (but a named time limit), a dropped connection or a call out."""

from __future__ import annotations

import random
import socket
import threading

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pnetkg.config import REPOSITORY

from .conftest import start_service
from .servers import free_port

VALID = [p.read_text(encoding="utf-8") for p in sorted((REPOSITORY / "queries").glob("cq*.rq"))]


def malformed_queries(n: int = 300) -> list[str]:
    """Truncations, bad escapes, unbalanced brackets, stray bytes, NULs — derived from the real queries."""
    rng = random.Random(20261123)
    out = []
    for _ in range(n):
        q = rng.choice(VALID)
        kind = rng.randrange(6)
        if kind == 0:
            out.append(q[: rng.randrange(1, len(q))])
        elif kind == 1:
            i = rng.randrange(len(q))
            out.append(q[:i] + '"\\q' + q[i:])
        elif kind == 2:
            out.append(q + "}" * rng.randrange(1, 5))
        elif kind == 3:
            out.append(q.replace("{", "", 1))
        elif kind == 4:
            i = rng.randrange(len(q))
            out.append(q[:i] + "\x00" + q[i:])
        else:
            i = rng.randrange(len(q))
            out.append(q[:i] + "\udcff" + q[i:])
    return out


def send_three_ways(base: str, query: str) -> list[requests.Response]:
    body = query.encode("utf-8", "surrogateescape")
    return [
        requests.get(base + "/sparql", params={"query": body}, timeout=30),
        requests.post(base + "/sparql", data={"query": body}, timeout=30),
        requests.post(base + "/sparql", data=body, headers={"Content-Type": "application/sparql-query"}, timeout=30),
    ]


def test_malformed_queries_get_4xx_with_line_and_column(server):
    statuses = []
    for query in malformed_queries():
        for r in send_three_ways(server, query):
            statuses.append(r.status_code)
            assert r.status_code < 500, f"{r.status_code} for {query[:120]!r}: {r.text[:200]}"
            if r.status_code == 400 and "not valid SPARQL" in r.text:
                assert "line" in r.text and "column" in r.text
    assert statuses.count(400) > len(statuses) / 2  # most of them really are malformed
    assert requests.get(server + "/sparql", params={"query": "ASK {}"}).status_code == 200


METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
CTYPES = st.sampled_from(
    [
        "application/sparql-query",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/sparql-update",
        "multipart/form-data",
        "",
        "application/json",
        "application/sparql-query; charset=latin-1",
        "application/x-www-form-urlencoded; charset=utf-16",
    ]
)
ACCEPTS = st.sampled_from(
    [
        "*/*",
        "text/csv",
        "application/sparql-results+json;q=0",
        "image/png",
        "",
        "text/turtle",
        "application/sparql-results+xml;q=0.5, text/tab-separated-values",
        "a/b/c;;q=x",
    ]
)
NESTED = st.integers(0, 100_000).map(lambda n: "SELECT * WHERE " + "{" * n + "}" * n)
GARBAGE = st.binary(max_size=512).map(lambda b: b.decode("latin-1"))
QUERIES = st.one_of(
    st.sampled_from(VALID), NESTED, GARBAGE, st.text(max_size=300), st.sampled_from(malformed_queries(50))
)


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    method=METHODS,
    ctype=CTYPES,
    accept=ACCEPTS,
    query=QUERIES,
    extra=st.dictionaries(
        st.sampled_from(["query", "format", "default-graph-uri", "named-graph-uri", "x"]),
        st.text(max_size=50),
        max_size=3,
    ),
    repeat=st.integers(1, 3),
)
def test_fuzzed_requests_never_get_a_5xx(server, method, ctype, accept, query, extra, repeat):
    """2,000 examples x 5 requests = 10,000 requests."""
    data = query.encode("utf-8", "surrogateescape")
    params = [("query", data)] * repeat + [(k, v.encode("utf-8", "surrogateescape")) for k, v in extra.items()]
    attempts = [
        dict(method=method, url=server + "/sparql", params=params[:3], headers={"Accept": accept}),
        dict(method=method, url=server + "/sparql", data=data, headers={"Content-Type": ctype, "Accept": accept}),
        dict(method="POST", url=server + "/sparql", data=params, headers={"Accept": accept}),
        dict(method="GET", url=server + "/sparql", params={"query": data, "format": extra.get("format", "")}),
        dict(method="POST", url=server + "/sparql", data=data, headers={"Content-Type": "application/sparql-query"}),
    ]
    for kwargs in attempts:
        r = requests.request(timeout=60, **kwargs)  # a dropped connection raises and fails the test
        named_limit = r.status_code == 503 and ("time limit" in r.text or "busy" in r.text)
        assert r.status_code < 500 or named_limit, f"{r.status_code}: {r.text[:300]} for {kwargs!r:.300}"


class Canary:
    """A TCP listener on loopback that counts every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture(scope="module")
def canary():
    c = Canary()
    yield c
    c.sock.close()


def ssrf_targets(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}/sparql",
        f"http://[::1]:{port}/sparql",
        f"http://2130706433:{port}/sparql",
        f"http://localhost.:{port}/sparql",
        "file:///etc/hostname",
    ]


def test_no_request_reaches_a_canary_or_reads_a_file(server, canary):
    hostname = socket.gethostname()
    for target in ssrf_targets(canary.port):
        queries = [
            f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }} LIMIT 1",
            f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
        ]
        responses = [requests.post(server + "/sparql", data={"query": q}) for q in queries]
        responses += [
            requests.get(
                server + "/sparql",
                params={
                    "query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                    "default-graph-uri": target,
                    "named-graph-uri": target,
                },
            ),
            requests.post(server + "/sparql", data={"update": f"LOAD <{target}>"}),
            requests.post(
                server + "/sparql",
                data=f"LOAD <{target}>".encode(),
                headers={"Content-Type": "application/sparql-update"},
            ),
            requests.post(server + "/sparql", data={"query": f"LOAD <{target}>"}),
        ]
        for r in responses:
            assert r.status_code < 500
            if hostname:
                assert hostname not in r.text or hostname in server
    assert canary.connections == 0


@pytest.mark.slow
def test_an_allow_listed_endpoint_is_reached(served_data, tmp_path):
    from .servers import start_oxigraph

    remote = start_oxigraph(tmp_path)
    try:
        requests.post(
            remote.update_url,
            data="INSERT DATA { <http://x/a> <http://x/b> 'from the remote' }",
            headers={"Content-Type": "application/sparql-update"},
        ).raise_for_status()
        process, base = start_service(served_data, "--service-allow", remote.query_url, "--query-timeout", "10")
        try:
            q = f"SELECT ?o WHERE {{ SERVICE <{remote.query_url}> {{ <http://x/a> <http://x/b> ?o }} }}"
            r = requests.post(
                base + "/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"}
            )
            assert r.status_code == 200
            assert r.json()["results"]["bindings"][0]["o"]["value"] == "from the remote"
            other = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
            assert requests.post(base + "/sparql", data={"query": other}).status_code == 403
        finally:
            process.terminate()
            process.wait(10)
    finally:
        remote.stop()
