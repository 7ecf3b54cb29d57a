"""The /sparql endpoint over real HTTP: methods, formats, negotiation, errors, clients."""

from __future__ import annotations

import csv
import io
import re
from xml.etree import ElementTree

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

MTOR_INHIBITORS = """PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?drug ?label WHERE { ?drug a pnet:MTORInhibitor ; rdfs:label ?label } ORDER BY ?label"""
CONSTRUCT = """PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>
CONSTRUCT { ?d pnet:inhibits ?t } WHERE { ?d pnet:inhibits ?t } LIMIT 20"""


def labels_from_json(body: dict) -> set[str]:
    return {b["label"]["value"] for b in body["results"]["bindings"]}


def test_get_select_as_json(server):
    r = requests.get(
        server + "/sparql", params={"query": MTOR_INHIBITORS}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    assert {"everolimus", "temsirolimus", "sirolimus"} <= labels_from_json(r.json())


def test_post_form_and_direct_post_give_the_same_answer(server):
    form = requests.post(
        server + "/sparql", data={"query": MTOR_INHIBITORS}, headers={"Accept": "application/sparql-results+json"}
    )
    direct = requests.post(
        server + "/sparql",
        data=MTOR_INHIBITORS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert form.status_code == direct.status_code == 200
    assert labels_from_json(form.json()) == labels_from_json(direct.json())


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(server, accept, media):
    r = requests.get(server + "/sparql", params={"query": MTOR_INHIBITORS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == media
    if media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert "everolimus" in {row["label"] for row in rows}
    elif media == "application/sparql-results+xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        literals = {e.text for e in ElementTree.fromstring(r.content).iter(ns + "literal")}
        assert "everolimus" in literals
    elif media == "text/tab-separated-values":
        assert '"everolimus"' in r.text


@pytest.mark.parametrize(
    "fmt, media, rdflib_format",
    [
        ("turtle", "text/turtle", "turtle"),
        ("ntriples", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdfxml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(server, fmt, media, rdflib_format):
    by_param = requests.get(server + "/sparql", params={"query": CONSTRUCT, "format": fmt})
    by_accept = requests.get(server + "/sparql", params={"query": CONSTRUCT}, headers={"Accept": media})
    for r in (by_param, by_accept):
        assert r.status_code == 200
        assert r.headers["Content-Type"].split(";")[0] == media
        assert len(Graph().parse(data=r.text, format=rdflib_format)) > 0


def test_ask(server):
    r = requests.get(
        server + "/sparql",
        params={"query": "ASK { <https://w3id.org/pnet-kg/entity/everolimus> ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.json()["boolean"] is True


def test_named_graph_parameters_restrict_the_dataset(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/pnet-kg/ontology#Claim> }"
    only_s001 = requests.get(
        server + "/sparql",
        params={"query": query, "default-graph-uri": "https://w3id.org/pnet-kg/graph/s001"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    everything = requests.get(
        server + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    ).json()
    n1 = int(only_s001["results"]["bindings"][0]["n"]["value"])
    n = int(everything["results"]["bindings"][0]["n"]["value"])
    assert 0 < n1 < n


def test_not_acceptable_is_406(server):
    r = requests.get(server + "/sparql", params={"query": MTOR_INHIBITORS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = requests.get(server + "/sparql", params={"query": MTOR_INHIBITORS, "format": "turtle"})
    assert r.status_code == 406


def test_malformed_query_is_400_with_line_and_column(server):
    r = requests.get(server + "/sparql", params={"query": "SELECT ?x WHERE {\n ?x ?y }"})
    assert r.status_code == 400
    assert "line 2" in r.text.lower() or "2:" in r.text
    assert "Traceback" not in r.text


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "DROP ALL"}},
        {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    ],
)
def test_updates_are_refused_and_nothing_changes(server, request_kwargs):
    r = requests.post(server + "/sparql", **request_kwargs)
    assert r.status_code == 403
    assert "read-only" in r.text
    after = requests.get(
        server + "/sparql", params={"query": MTOR_INHIBITORS}, headers={"Accept": "application/sparql-results+json"}
    )
    assert "everolimus" in labels_from_json(after.json())


def test_bad_requests_are_4xx_not_5xx(server):
    cases = [
        requests.get(server + "/sparql", params={"query": MTOR_INHIBITORS, "format": "bogus"}),
        requests.get(server + "/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]),
        requests.post(server + "/sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"}),
        requests.post(server + "/sparql", data=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}),
        requests.get(server + "/sparql", params={"query": "DROP ALL"}),
        requests.get(server + "/sparql", params={"query": ""}),
        requests.post(
            server + "/sparql", data=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/sparql-query"}
        ),
    ]
    assert [r.status_code // 100 for r in cases] == [4] * len(cases)


@pytest.mark.parametrize(
    "iri", ["relative/graph", "http://a.example/g\n", "http://a.example/%zz", "http://a.example:port/"]
)
def test_dataset_iris_must_be_absolute_and_well_formed(server, iri):
    r = requests.get(server + "/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": iri})
    assert r.status_code == 400
    assert "absolute IRI" in r.text


def test_service_description_for_machines_and_form_for_browsers(server):
    sd = requests.get(server + "/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200
    g = Graph().parse(data=sd.text, format="turtle")
    assert any("sparql-service-description#Service" in str(o) for o in g.objects())
    page = requests.get(server + "/sparql", headers={"Accept": "text/html"})
    assert page.headers["Content-Type"].startswith("text/html") and "<textarea" in page.text


def test_cors_headers(server):
    r = requests.options(
        server + "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


def test_sparqlwrapper_client(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(MTOR_INHIBITORS)
    client.setReturnFormat(JSON)
    assert "everolimus" in labels_from_json(client.query().convert())


def test_rdflib_sparqlstore_client(server):
    g = Graph(SPARQLStore(server + "/sparql", returnFormat="json"))
    labels = {str(row.label) for row in g.query(MTOR_INHIBITORS)}
    assert "everolimus" in labels


def test_void_description_lists_graphs_linksets_and_dumps(server):
    r = requests.get(server + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    void = "http://rdfs.org/ns/void#"
    linksets = set(g.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(void + "Linkset")))
    assert len(linksets) >= 10
    graphs = {str(o) for o in g.objects(None, URIRef("http://purl.org/dc/terms/identifier"))}
    assert "https://w3id.org/pnet-kg/graph/s000" in graphs
    assert any("download/pnet-kg.nq" in str(o) for o in g.objects(None, URIRef(void + "dataDump")))
    sd = requests.get(server + "/sparql", headers={"Accept": "text/turtle"}).text
    assert "/.well-known/void" in sd


def test_prefixes_route_lists_the_graphs_namespaces(server):
    """The editor's prefix list: the build's own map, covering every vocabulary the graph links to."""
    r = requests.get(server + "/sparql/prefixes.json")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    listed = r.json()
    assert listed["pnet"] == "https://w3id.org/pnet-kg/ontology#"
    assert listed["e"] == "https://w3id.org/pnet-kg/entity/"
    assert listed["chebi"] == "http://purl.obolibrary.org/obo/CHEBI_"
    assert {"rdf", "rdfs", "owl", "skos", "prov", "dcterms", "obo", "mesh", "ncit", "hgnc", "ncbigene"} <= set(listed)
    # every prefix the example queries declare is offered, with the same namespace
    for example in requests.get(server + "/sparql/examples.json").json():
        for prefix, iri in re.findall(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", example["query"], re.IGNORECASE):
            assert listed.get(prefix) == iri, (example["name"], prefix)
    # and every external identifier the graph maps to has its vocabulary's prefix
    # (obo: would cover CHEBI_, MONDO_ and the rest, so it is left out here)
    query = "PREFIX pnet: <https://w3id.org/pnet-kg/ontology#> SELECT DISTINCT ?t WHERE { ?m pnet:mappingTarget ?t }"
    answer = requests.get(
        server + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    targets = [b["t"]["value"] for b in answer.json()["results"]["bindings"]]
    vocabularies = [ns for prefix, ns in listed.items() if prefix != "obo"]
    assert targets
    assert [t for t in targets if not any(t.startswith(ns) for ns in vocabularies)] == []
    # as does every property and class the graph uses
    query = "SELECT DISTINCT ?t WHERE { GRAPH ?g { { ?s ?t ?o } UNION { ?s a ?t } } }"
    answer = requests.get(server + "/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    terms = answer.text.splitlines()[1:]
    assert terms
    assert [t for t in terms if not any(t.startswith(ns) for ns in listed.values())] == []


@pytest.mark.parametrize("path", ["/sparql", "/entity/everolimus", "/search"])
def test_a_method_not_allowed_names_the_allowed_ones(server, path):
    r = requests.put(server + path, data="x")
    assert r.status_code == 405
    allowed = {m.strip() for m in r.headers["Allow"].split(",")}
    assert "GET" in allowed and "PUT" not in allowed
