"""/sparql/graph over real HTTP: the SPARQL 1.1 Graph Store HTTP Protocol.

Every graph read is checked against a COUNT of the same graph through /sparql. While the service
is read-only, writes are refused and change nothing; with the administrator's token they are
applied (on a service of their own, over a copy of the data), and hostile bodies are refused.
The W3C manifests for the protocol run in test_w3c_protocol.py.
"""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pnetkg.store.remote import RemoteStore
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from .conftest import ADMIN_TOKEN, start_service

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
    assert r.status_code in (200, 400, 403, 404, 405, 406), f"{r.status_code}: {r.text[:300]}"
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
    if method == "PATCH":  # not in the protocol, token or not
        assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD, OPTIONS" and "PATCH" in r.text
    else:  # as /sparql refuses SPARQL Update while read-only
        assert r.status_code == 403 and "read-only" in r.text, r.text
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


# ------------------------------------------------------------ writes, with the administrator's token
TOKEN = ADMIN_TOKEN
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
NEW = "http://example.org/gsp/new"
PERSON = b"""@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://example.org/alice> a foaf:Person ; foaf:name "Alice" ; foaf:knows [ foaf:name "Bob" ] .
"""
RDFXML = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:foaf="http://xmlns.com/foaf/0.1/">
  <rdf:Description rdf:about="http://example.org/carol"><foaf:name>Carol</foaf:name></rdf:Description>
</rdf:RDF>
"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&i;</ex:p></rdf:Description>
</rdf:RDF>
"""


def sizes(server: str) -> list[dict]:
    return select(server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")


def write(server: str, method: str, params, body=None, ctype: str = "text/turtle", token=ADMIN):
    headers = {**token, **({"Content-Type": ctype} if body is not None else {})}
    return requests.request(method, server + GSP, params=params, data=body, headers=headers, timeout=60)


def turtle(data: bytes) -> Graph:
    return Graph().parse(data=data, format="turtle")


@pytest.fixture
def clean(admin_server):
    """The administrator's service as it was loaded: what a test writes is removed after it."""
    before = sizes(admin_server)
    yield admin_server
    for name in {b["g"]["value"] for b in sizes(admin_server)} - {b["g"]["value"] for b in before}:
        assert write(admin_server, "DELETE", {"graph": name}).status_code == 204
    write(admin_server, "DELETE", "default")
    assert sizes(admin_server) == before


def test_writes_without_the_token_are_refused_and_nothing_changes(clean):
    before = sizes(clean)
    for token in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": "Basic " + TOKEN},
    ):
        for method in ("PUT", "POST", "DELETE"):
            for target in ({"graph": S001}, {"graph": NEW}, "default", None):
                r = write(clean, method, target, PERSON, token=token)
                assert r.status_code == 403, (token, method, target, r.status_code)
                assert "administrator's token" in r.text
    assert sizes(clean) == before
    assert requests.get(clean + GSP, params={"graph": NEW}).status_code == 404


def test_put_get_post_delete(clean):
    r = write(clean, "PUT", {"graph": NEW}, PERSON)
    assert r.status_code == 201, r.text
    assert isomorphic(fetch(clean, {"graph": NEW}), turtle(PERSON))
    jane = b'<http://example.org/jane> <http://xmlns.com/foaf/0.1/name> "Jane" .\n'
    r = write(clean, "PUT", {"graph": NEW}, jane, "application/n-triples")
    assert r.status_code == 204 and r.content == b""
    assert isomorphic(fetch(clean, {"graph": NEW}), turtle(jane))  # replaced, not merged
    r = write(clean, "POST", {"graph": NEW}, PERSON, "text/turtle; charset=utf-8")
    assert r.status_code == 204
    assert isomorphic(fetch(clean, {"graph": NEW}), turtle(jane + PERSON))  # merged
    r = write(clean, "POST", {"graph": NEW + "/2"}, RDFXML, "application/rdf+xml")
    assert r.status_code == 201
    assert [str(o) for o in fetch(clean, {"graph": NEW + "/2"}).objects()] == ["Carol"]
    assert write(clean, "DELETE", {"graph": NEW}).status_code == 204
    assert requests.get(clean + GSP, params={"graph": NEW}).status_code == 404
    assert write(clean, "DELETE", {"graph": NEW}).status_code == 404
    assert requests.get(clean + GSP, params={"graph": NEW + "/2"}).status_code == 200  # only the one named


def test_a_write_to_an_existing_graph_of_the_data(clean):
    before = fetch(clean, {"graph": S001}, "application/n-triples")
    extra = b"<http://example.org/x> <http://example.org/y> <http://example.org/z> .\n"
    assert write(clean, "POST", {"graph": S001}, extra, "application/n-triples").status_code == 204
    after = fetch(clean, {"graph": S001}, "application/n-triples")
    assert len(after) == len(before) + 1
    again = before.serialize(format="nt").encode()
    assert write(clean, "PUT", {"graph": S001}, again, "application/n-triples").status_code == 204
    assert isomorphic(fetch(clean, {"graph": S001}, "application/n-triples"), before)


def test_blank_nodes_are_fresh_at_each_write(clean):
    body = b"_:x <http://example.org/p> _:x .\n"
    for name in (NEW, NEW + "/2"):
        assert write(clean, "POST", {"graph": name}, body).status_code == 201
    assert write(clean, "POST", {"graph": NEW}, body).status_code == 204
    # three writes, three blank nodes, each still pointing at itself
    rows = select(clean, "SELECT DISTINCT ?b WHERE { GRAPH ?g { ?b <http://example.org/p> ?b } }")
    assert len(rows) == 3 and all(r["b"]["type"] == "bnode" for r in rows)


def test_multipart_form_data_is_merged(clean):
    boundary = "a6fe4cd636164618814be9f8d3d1a0de"
    parts = [("a.ttl", "text/turtle; charset=utf-8", PERSON), ("b.rdf", "application/rdf+xml", RDFXML)]
    head = '--{b}\r\nContent-Disposition: form-data; name="{n}"; filename="{n}"\r\nContent-Type: {t}\r\n\r\n'
    body = b"".join(head.format(b=boundary, n=n, t=t).encode() + data + b"\r\n" for n, t, data in parts)
    body += f"--{boundary}--\r\n".encode()
    r = write(clean, "PUT", {"graph": NEW}, body, f"multipart/form-data; boundary={boundary}")
    assert r.status_code == 201, r.text
    assert len(fetch(clean, {"graph": NEW})) == len(turtle(PERSON)) + 1
    bad = body.replace(b"Content-Type: application/rdf+xml", b"Content-Type: application/json")
    r = write(clean, "POST", {"graph": NEW}, bad, f"multipart/form-data; boundary={boundary}")
    assert r.status_code == 415 and "b.rdf" in r.text


def test_post_to_the_store_creates_a_graph_with_a_new_name(clean):
    names = set()
    for _ in range(2):
        r = write(clean, "POST", None, PERSON)
        assert r.status_code == 201, r.text
        location = r.headers["Location"]
        assert location.startswith("https://w3id.org/pnet-kg/graph/posted/") and location not in names
        names.add(location)
        assert isomorphic(fetch(clean, {"graph": location}), turtle(PERSON))
    assert write(clean, "POST", None, b"").status_code == 400  # no triples, no graph to name


def test_writes_to_the_default_graph(clean):
    """?default writes go to the store's own default graph; a GET of ?default returns the union with it."""
    before = sizes(clean)
    union = fetch(clean, "default", "application/n-triples")
    assert write(clean, "PUT", "default", PERSON).status_code == 204  # the default graph always exists
    assert isomorphic(fetch(clean, "default", "application/n-triples"), union + turtle(PERSON))
    assert count(clean, "GRAPH ?g { <http://example.org/alice> ?p ?o }") == 0  # in no named graph
    assert count(clean, "<http://example.org/alice> ?p ?o") == 3
    assert write(clean, "POST", "default", RDFXML, "application/rdf+xml").status_code == 204
    assert write(clean, "PUT", "default", RDFXML, "application/rdf+xml").status_code == 204
    assert count(clean, "<http://example.org/alice> ?p ?o") == 0
    assert count(clean, "<http://example.org/carol> ?p ?o") == 1
    assert write(clean, "DELETE", "default").status_code == 204
    assert count(clean, "<http://example.org/carol> ?p ?o") == 0
    assert sizes(clean) == before  # the named graphs are untouched
    # relative IRIs need a base: a named graph's IRI is its base, the default graph has none
    r = write(clean, "PUT", "default", b"<a> <b> <c> .")
    assert r.status_code == 400 and "absolute IRI" in r.text
    assert write(clean, "PUT", {"graph": NEW}, b"<a> <b> <c> .").status_code == 201
    assert (
        select(clean, f"SELECT ?s WHERE {{ GRAPH <{NEW}> {{ ?s ?p ?o }} }}")[0]["s"]["value"]
        == "http://example.org/gsp/a"
    )


def test_patch_and_options_with_a_token(admin_server):
    allow = "GET, HEAD, OPTIONS, PUT, POST, DELETE"
    assert requests.options(admin_server + GSP).headers["Allow"] == allow
    r = write(admin_server, "PATCH", {"graph": NEW}, b"", "application/sparql-update")
    assert r.status_code == 405 and r.headers["Allow"] == allow


@pytest.mark.parametrize(
    "ctype, body, status, says",
    [
        ("text/turtle", b"<http://example.org/a> <http://example.org/b> ", 400, "line 1"),
        ("text/turtle", b"@prefix x: <http://e/> . x:a x:b x:c ; x:d .", 400, "not valid text/turtle"),
        ("application/n-triples", b'<http://e/a> <http://e/b> "x"@en--ltr .', 400, "base directions"),
        (
            "text/turtle",
            b"<http://e/a> <http://e/b> <<( <http://e/a> <http://e/b> <http://e/c> )>> .",
            400,
            "triple terms",
        ),
        ("text/turtle", b'<http://e/a> <http://e/b> "\xff" .', 400, "not valid UTF-8"),
        ("text/turtle; charset=latin-1", b"<http://e/a> <http://e/b> <http://e/c> .", 415, "UTF-8"),
        ("application/n-quads", b"<http://e/a> <http://e/b> <http://e/c> <http://e/g> .", 415, "text/turtle"),
        ("application/trig", b"<http://e/g> { <http://e/a> <http://e/b> <http://e/c> }", 415, "text/turtle"),
        ("application/ld+json", b'{"@id": "http://e/a"}', 415, "application/rdf+xml"),
        ("application/x-www-form-urlencoded", b"a=b", 415, "text/turtle"),
        ("", b"<http://e/a> <http://e/b> <http://e/c> .", 415, "no content type"),
        ("application/rdf+xml", BOMB, 400, "DOCTYPE"),
        ("application/rdf+xml", BOMB.replace(b"<!DOCTYPE", b"<!doctype"), 400, "DOCTYPE"),
        (
            "application/rdf+xml",
            RDFXML.replace(b"<rdf:RDF", b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><rdf:RDF'),
            400,
            "DOCTYPE",
        ),
        ("application/rdf+xml", RDFXML.replace(b"Carol", b"&ext;"), 400, "not valid application/rdf+xml"),
        ("application/rdf+xml", RDFXML.replace(b"Carol", b"Ca\x00rol"), 400, "NUL byte"),
        (
            "text/turtle",
            b"<http://e/a> <http://e/b> " + b"[ <http://e/p> " * 20000 + b"1" + b" ]" * 20000 + b" .",
            201,
            "",
        ),
    ],
)
def test_hostile_and_malformed_bodies_change_nothing(clean, ctype, body, status, says):
    """A body that is not a graph this service can store is refused at once; the store is as it was."""
    import time

    assert write(clean, "PUT", {"graph": S001 + "-x"}, PERSON).status_code == 201
    before = sizes(clean)
    for method in ("PUT", "POST"):
        started = time.monotonic()
        r = write(clean, method, {"graph": S001 + "-x"}, body, ctype)
        assert time.monotonic() - started < 10
        if status == 201:  # deep nesting is no danger to the Turtle parser: the write is made
            assert r.status_code in (201, 204), r.text
            write(clean, "PUT", {"graph": S001 + "-x"}, PERSON)
            continue
        assert r.status_code == status, r.text
        assert says in r.text and "Traceback" not in r.text
        assert sizes(clean) == before
    assert requests.get(clean + "/").status_code == 200  # the service is still up


def test_a_body_over_the_limit_is_413(clean):
    """Over 1 MiB, with a Content-Length or streamed without one (then a cut body could look whole)."""
    before = sizes(clean)
    lines = [b'<http://example.org/a> <http://example.org/b> "%d' % i + b"x" * 1000 + b'" .\n' for i in range(1100)]
    boundary = "b0undary"
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="g"; filename="g.nt"\r\n'
    part += "Content-Type: application/n-triples\r\n\r\n"
    multipart = [part.encode(), *lines, f"\r\n--{boundary}--\r\n".encode()]
    for ctype, body in (("application/n-triples", lines), (f"multipart/form-data; boundary={boundary}", multipart)):
        for method in ("PUT", "POST"):
            r = write(clean, method, {"graph": NEW}, b"".join(body), ctype)
            assert r.status_code == 413, r.text
            r = write(clean, method, {"graph": NEW}, iter(body), ctype)  # chunked
            assert r.status_code == 413, r.text
    assert sizes(clean) == before


@pytest.fixture
def admin_service_over(store, admin_server, tmp_path):
    """A service with the administrator's token over each backend."""
    if not isinstance(store, RemoteStore):
        yield admin_server
        return
    options = ["--backend", "remote", "--endpoint", store.query_url, "--update-endpoint", store.update_url]
    process, base = start_service(tmp_path / "data", *options, "--admin-token", TOKEN)
    yield base
    process.terminate()
    process.wait(10)


def test_every_backend_takes_writes(store, admin_service_over):
    base, name = admin_service_over, "http://example.org/gsp/backend"
    before = store.graph_sizes()
    assert write(base, "PUT", {"graph": name}, PERSON).status_code == 201
    assert isomorphic(fetch(base, {"graph": name}), turtle(PERSON))
    assert write(base, "PUT", {"graph": name}, PERSON).status_code == 204
    assert write(base, "POST", {"graph": name}, RDFXML, "application/rdf+xml").status_code == 204
    assert isomorphic(fetch(base, {"graph": name}), turtle(PERSON) + Graph().parse(data=RDFXML, format="xml"))
    assert write(base, "DELETE", {"graph": name}).status_code == 204
    assert requests.get(base + GSP, params={"graph": name}).status_code == 404
    assert store.graph_sizes() == before
