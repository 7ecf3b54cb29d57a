"""Entity pages over real HTTP: content negotiation, evidence, 404s, escaping."""

from __future__ import annotations

import requests
from rdflib import Graph, URIRef

EVEROLIMUS = "https://w3id.org/pnet-kg/entity/everolimus"


def test_home_page_says_what_the_graph_holds(server):
    r = requests.get(server + "/")
    assert r.status_code == 200
    assert "claims with quotes" in r.text and "Sources" in r.text


def test_entity_page_shows_label_types_evidence_and_links(server):
    r = requests.get(server + "/entity/everolimus", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["Vary"] == "Accept"
    assert "<h1>everolimus</h1>" in r.text
    assert "mTOR inhibitor (inferred)" in r.text
    assert "<blockquote" in r.text and "/source/s00" in r.text
    assert "CHEBI:68478" in r.text


def test_entity_as_turtle_and_json_ld(server):
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        r = requests.get(server + "/entity/everolimus", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        g = Graph().parse(data=r.text, format=fmt)
        assert (URIRef(EVEROLIMUS), None, None) in g


def test_unknown_entity_is_a_404_page_offering_search(server):
    r = requests.get(server + "/entity/no-such-thing", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert 'role="search"' in r.text and "Traceback" not in r.text


def test_search_by_synonym(server):
    r = requests.get(server + "/search", params={"q": "RAD001"})
    assert r.status_code == 200 and "/entity/everolimus" in r.text


def test_hostile_search_text_is_escaped_and_harmless(server):
    hostile = '<script>alert(1)</script>" } } ; DROP ALL #'
    r = requests.get(server + "/search", params={"q": hostile})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text
