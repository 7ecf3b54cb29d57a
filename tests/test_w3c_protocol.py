"""The W3C SPARQL 1.1 Protocol and Service Description manifests, run against a running server.

Query cases must pass as the manifest says. The service is read-only, so each
update case must be refused with a 4xx at its first request and leave the
store as it was. No case may get a 5xx.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
import requests
from pnetkg.config import REPOSITORY
from pnetkg.store.embedded import EmbeddedStore
from rdflib import RDF, Graph, Namespace, URIRef

from .conftest import start_service

SUITE = REPOSITORY.parent / "shared" / "w3c-sparql-tests"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATA = "http://kasei.us/2009/09/sparql/data/"

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason="the W3C manifests are not beside the repository")


def _manifest(name: str) -> Graph:
    path = SUITE / name
    return Graph().parse(path, format="turtle", publicID=path.as_uri()) if path.is_file() else Graph()


PROTOCOL = _manifest("protocol/manifest.ttl")


def _cases(g: Graph) -> list[tuple[str, URIRef]]:
    manifest = next(g.subjects(RDF.type, MF.Manifest), None)
    entries = g.value(manifest, MF.entries) if manifest is not None else None
    return [(str(t).rsplit("#", 1)[-1], t) for t in g.items(entries)] if entries else []


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    """The service over the manifests' fixture graphs data1..data3 (data0 must not exist)."""
    data = tmp_path_factory.mktemp("w3c")
    quads = data / "fixture.nq"
    with open(quads, "w") as out:
        for n in (1, 2, 3):
            for line in (SUITE / "protocol" / f"data{n}.nt").read_text().splitlines():
                if line.strip():
                    out.write(line.rstrip().rstrip(".") + f" <{DATA}data{n}.rdf> .\n")
    EmbeddedStore(data).replace_all(quads)
    process, base = start_service(data, "--workers", "2")
    yield base
    process.terminate()
    process.wait(10)


def _requests(g: Graph, case: URIRef) -> list[URIRef]:
    action = g.value(case, MF.action)
    return list(g.items(g.value(action, HT.requests)))


def _send(g: Graph, base: str, req: URIRef) -> requests.Response:
    path = str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    headers = {}
    for h in g.items(g.value(req, HT.headers)):
        headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
    body = g.value(req, HT.body)
    data = None
    if body is not None:
        encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(g.value(body, CNT.chars)).encode(encoding.lower().replace("utf-16", "utf-16"))
    if "content-type" not in {k.lower() for k in headers} and data is not None:
        headers["Content-Type"] = ""  # the case is about a missing media type
    return requests.request(str(g.value(req, HT.methodName)), base + path, data=data, headers=headers, timeout=30)


def _is_update(g: Graph, req: URIRef) -> bool:
    body = g.value(req, HT.body)
    text = str(g.value(body, CNT.chars)) if body is not None else ""
    path = str(g.value(req, HT.absolutePath))
    ctype = " ".join(str(g.value(h, HT.fieldValue)) for h in g.items(g.value(req, HT.headers)))
    return "update=" in path or text.startswith("update=") or "sparql-update" in ctype


def _status_ok(g: Graph, resp_node, status: int) -> bool:
    expected = {str(s).rsplit("#", 1)[-1] for s in g.objects(resp_node, MF.expectedStatus)}
    return not expected or f"StatusCode{status // 100}xx" in expected


def _check_body(g: Graph, resp_node, r: requests.Response) -> None:
    ctype = r.headers.get("Content-Type", "").split(";")[0]
    fmt = g.value(resp_node, MF.expectedFormat)
    expected_bool = g.value(resp_node, MF.expectedBoolean)
    if fmt is not None and str(fmt) == "RDF":
        assert ctype in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")
        Graph().parse(
            data=r.text,
            format={
                "text/turtle": "turtle",
                "application/n-triples": "nt",
                "application/rdf+xml": "xml",
                "application/ld+json": "json-ld",
            }[ctype],
        )
    elif fmt is not None:
        assert ctype in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        )
    if expected_bool is not None:
        if ctype == "application/sparql-results+json":
            got = json.loads(r.text)["boolean"]
        else:
            node = ElementTree.fromstring(r.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
            got = node.text.strip() == "true"
        assert got is expected_bool.toPython()


def _state(base: str) -> str:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    return requests.get(base + "/sparql", params={"query": query}, headers={"Accept": "text/csv"}).text


@pytest.mark.parametrize("name, case", _cases(PROTOCOL), ids=[n for n, _ in _cases(PROTOCOL)])
def test_protocol_case(w3c_server, name, case):
    g = PROTOCOL
    reqs = _requests(g, case)
    before = _state(w3c_server)
    if any(_is_update(g, r) for r in reqs):
        r = _send(g, w3c_server, reqs[0])
        assert 400 <= r.status_code < 500, f"{name}: an update must be refused while read-only, got {r.status_code}"
        assert _state(w3c_server) == before
        return
    for req in reqs:
        r = _send(g, w3c_server, req)
        assert r.status_code < 500, f"{name}: {r.status_code} {r.text[:200]}"
        resp_node = g.value(req, HT.resp)
        assert _status_ok(g, resp_node, r.status_code), f"{name}: got {r.status_code}: {r.text[:200]}"
        if r.status_code < 300:
            _check_body(g, resp_node, r)
    assert _state(w3c_server) == before


def test_service_description_cases(w3c_server):
    """returns-rdf, has-endpoint-triple, conforms-to-schema (sd:Service with endpoint and languages)."""
    assert {n for n, _ in _cases(_manifest("service-description/manifest.ttl"))} == {
        "has-endpoint-triple",
        "returns-rdf",
        "conforms-to-schema",
    }
    for accept in ("text/turtle", "application/rdf+xml", "application/n-triples"):
        r = requests.get(w3c_server + "/sparql", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        g = Graph().parse(
            data=r.text,
            format={"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt"}[accept],
        )
        service = next(g.subjects(RDF.type, SD.Service))
        assert (service, SD.endpoint, URIRef(w3c_server + "/sparql")) in g
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g


def test_the_manifests_were_found():
    assert len(_cases(PROTOCOL)) == 34
    assert Path(SUITE / "protocol" / "data1.nt").is_file()
