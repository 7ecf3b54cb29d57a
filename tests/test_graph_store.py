"""/sparql/graph over real HTTP: the read side of the SPARQL 1.1 Graph Store HTTP Protocol.

Every graph is checked against a COUNT of the same graph through /sparql; writes are refused
and change nothing. The W3C manifests for the protocol run in test_w3c_protocol.py.
"""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pnetkg.store.remote import RemoteStore
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from .conftest import start_service

GSP = "/sparql/graph"
JSON = {"Accept": "application/sparql-results+json"}
PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
S001 = "https://w3id.org/pnet-kg/graph/s001"
VOID = "http://rdfs.org/ns/void#"


def select(server: str, query: str) -> list[dict]:
    r = requests.get(server + "/sparql", params={"query": query}, headers=JSON)
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def count(server: str, where: str) -> int:
    return int(select(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"]["value"])


def fetch(server: str, params, accept: str = "text/turtle") -> Graph:
    r = requests.get(server + GSP, params=params, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].split(";")[0] == accept
    assert r.headers["Vary"] == "Accept"
    return Graph().parse(data=r.content, format=PARSERS[accept])


@pytest.fixture(scope="module")
def graphs(server) -> list[str]:
    names = sorted(b["g"]["value"] for b in select(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"))
    assert S001 in names and len(names) > 3
    return names


def test_the_graphs_are_those_of_void(server, graphs):
    void = Graph().parse(data=requests.get(server + "/.well-known/void").text, format="turtle")
    assert sorted(str(o) for o in void.objects(None, URIRef("http://purl.org/dc/terms/identifier"))) == graphs
    dumps = {str(o) for o in void.objects(None, URIRef(VOID + "dataDump"))}
    for name in graphs:  # each graph's subset points at its URL here
        assert any(d.startswith(server + GSP + "?graph=") and requests.utils.unquote(d).endswith(name) for d in dumps)


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples"])
def test_every_named_graph_has_as_many_triples_as_a_count_says(server, graphs, accept):
    for name in graphs:
        got = fetch(server, {"graph": name}, accept)
        assert len(got) == count(server, f"GRAPH <{name}> {{ ?s ?p ?o }}") > 0, name


def test_the_four_formats_carry_the_same_graph(server):
    turtle = fetch(server, {"graph": S001})
    assert len(turtle) > 0
    for accept in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
        assert isomorphic(fetch(server, {"graph": S001}, accept), turtle), accept


def test_the_default_graph_is_the_union_of_the_named_graphs(server, graphs):
    union = fetch(server, "default", "application/n-triples")
    distinct = count(server, "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(union) == distinct == count(server, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert all(t in union for t in fetch(server, {"graph": S001}, "application/n-triples"))
    # "?default=" is the same request
    assert len(fetch(server, {"default": ""}, "application/n-triples")) == len(union)


@pytest.mark.parametrize(
    "accept, media",
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/turtle"),
        ("text/plain", "application/n-triples"),
        ("application/n-triples;q=0.5, application/rdf+xml", "application/rdf+xml"),
        ("application/*", "application/n-triples"),
    ],
)
def test_negotiation(server, accept, media):
    r = requests.get(server + GSP, params={"graph": S001}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    assert len(Graph().parse(data=r.content, format=PARSERS[media])) > 0


def test_the_graph_iri_may_be_written_unencoded(server):
    r = requests.get(f"{server}{GSP}?graph={S001}", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert len(Graph().parse(data=r.content, format="nt")) == count(server, f"GRAPH <{S001}> {{ ?s ?p ?o }}")


def test_head_answers_the_headers_without_a_body(server):
    r = requests.head(server + GSP, params={"graph": S001}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.content == b""
    assert r.headers["Content-Type"] == "application/n-triples"
    assert r.headers["Vary"] == "Accept"
    assert requests.head(server + GSP, params="default").status_code == 200
    assert requests.head(server + GSP, params={"graph": S001 + "-none"}).status_code == 404


@pytest.mark.parametrize("name", [S001 + "-none", "http://example.org/nothing", "urn:x:y"])
def test_a_graph_that_does_not_exist_is_404(server, name):
    r = requests.get(server + GSP, params={"graph": name})
    assert r.status_code == 404
    assert name in r.text and "Traceback" not in r.text


@pytest.mark.parametrize(
    "params, says",
    [
        ({"graph": "graph/s001"}, "absolute IRI"),
        ({"graph": ""}, "absolute IRI"),
        ({"graph": "https://w3id.org/pnet-kg/graph/s001\n"}, "absolute IRI"),
        ({"graph": "http://a.example/%zz"}, "absolute IRI"),
        ({"graph": "<https://w3id.org/pnet-kg/graph/s001>"}, "absolute IRI"),
        ({"graph": "http://x.example/> { ?s ?p ?o } } #"}, "absolute IRI"),
        ({"graph": "http://x.example/>}}INSERT{<a:b><a:b><a:b>}WHERE{<a:b"}, "absolute IRI"),
        (None, "?graph=<absolute IRI> or ?default"),
        ({"x": "y"}, "?graph=<absolute IRI> or ?default"),
        ([("graph", S001), ("default", "")], "not both"),
        ([("graph", S001), ("graph", S001)], "one graph at a time"),
        ({"default": S001}, "default takes no value"),
    ],
)
def test_a_graph_named_wrongly_is_400(server, params, says):
    r = requests.get(server + GSP, params=params)
    assert r.status_code == 400, r.text
    assert says in r.text and "Traceback" not in r.text


def test_a_long_query_string_is_414(server):
    r = requests.get(server + GSP, params={"graph": "http://example.org/" + "x" * 5000})
    assert r.status_code == 414


def test_no_acceptable_format_is_406(server):
    for accept in ("image/png", "application/sparql-results+json", "text/turtle;q=0"):
        r = requests.get(server + GSP, params={"graph": S001}, headers={"Accept": accept})
        assert r.status_code == 406, accept
        assert "text/turtle" in r.text


def test_cors_and_options(server):
    r = requests.options(
        server + GSP, headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    got = requests.get(server + GSP, params={"graph": S001})
    assert got.headers["Access-Control-Allow-Origin"] == "*"
    assert requests.get(server + GSP, params={"graph": "x"}).headers["Access-Control-Allow-Origin"] == "*"


TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    graph=st.one_of(TEXT, TEXT.map(lambda t: "http://x.example/" + t), TEXT.map(lambda t: S001 + t)),
    method=st.sampled_from(["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"]),
    accept=st.sampled_from(["", "*/*", "text/turtle", "application/ld+json", "image/png", "text/html"]),
    default=st.booleans(),
)
def test_fuzzed_graph_names_never_reach_the_store_unchecked(server, graph, method, accept, default):
    """Whatever passes the IRI check is a well-formed query: a graph or a 404, never a syntax error or a 5xx."""
    params = [("graph", graph)] + ([("default", "")] if default else [])
    r = requests.request(method, server + GSP, params=params, headers={"Accept": accept}, timeout=30)
    assert r.status_code in (200, 400, 404, 405, 406), f"{r.status_code}: {r.text[:300]}"
    assert "not valid SPARQL" not in r.text and "Traceback" not in r.text


TURTLE = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
@pytest.mark.parametrize("target", [{"graph": S001}, "default", {"graph": "http://example.org/new"}, None])
def test_writes_are_refused_and_nothing_changes(server, method, target):
    before = fetch(server, {"graph": S001}, "application/n-triples")
    sizes = select(server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    r = requests.request(
        method,
        server + GSP,
        params=target,
        data=None if method == "DELETE" else TURTLE,
        headers={"Content-Type": "text/turtle"},
    )
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert "read-only" in r.text
    assert isomorphic(fetch(server, {"graph": S001}, "application/n-triples"), before)
    assert select(server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g") == sizes
    assert requests.get(server + GSP, params={"graph": "http://example.org/new"}).status_code == 404


@pytest.fixture
def service_over(store, server, tmp_path):
    """The service over each backend: the embedded one, or a SPARQL server as a remote store."""
    if not isinstance(store, RemoteStore):
        yield server
        return
    process, base = start_service(tmp_path / "data", "--backend", "remote", "--endpoint", store.query_url)
    yield base
    process.terminate()
    process.wait(10)


def test_every_backend_serves_each_graph_whole(store, service_over):
    sizes = store.graph_sizes()
    assert S001 in sizes
    for name, size in sizes.items():
        assert len(fetch(service_over, {"graph": name}, "application/n-triples")) == size, name
    assert requests.head(service_over + GSP, params={"graph": S001}).status_code == 200
    assert requests.get(service_over + GSP, params={"graph": S001 + "-none"}).status_code == 404
    union = fetch(service_over, "default", "application/n-triples")
    distinct = store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert len(union) == int(distinct[0]["n"])
