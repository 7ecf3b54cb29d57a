"""The fast tier: the SPARQL protocol and content negotiation in process, on a small graph.

Flask's test client calls the application exactly as the server would (the
same create_app, blueprints and error handlers), without starting a server;
the real-server tests (test_sparql_endpoint.py, test_pages.py) keep what needs
one: keep-alive, the evaluator pool, the time limit, the fast path.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/pnet-kg/ontology#Claim> } LIMIT 2"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
DESCRIBE = "DESCRIBE <https://w3id.org/pnet-kg/entity/everolimus>"


def _get(client, query: str, accept: str | None = None, **params: str):
    extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    headers = {"Accept": accept} if accept else {}
    return client.get(f"/sparql?query={quote(query)}{extra}", headers=headers)


# (query, Accept header, media type answered): the negotiation table
NEGOTIATION = [
    (SELECT, None, "application/sparql-results+json"),
    (SELECT, "*/*", "application/sparql-results+json"),
    (SELECT, "application/sparql-results+xml", "application/sparql-results+xml"),
    (SELECT, "text/csv", "text/csv"),
    (SELECT, "text/tab-separated-values", "text/tab-separated-values"),
    (SELECT, "application/json", "application/sparql-results+json"),
    (SELECT, "text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    (SELECT, "text/csv;q=0.9, application/sparql-results+xml;q=0.1", "text/csv"),
    (SELECT, "text/turtle;q=0, text/*", "text/csv"),
    (ASK, "application/sparql-results+xml", "application/sparql-results+xml"),
    (CONSTRUCT, None, "text/turtle"),
    (CONSTRUCT, "application/n-triples", "application/n-triples"),
    (CONSTRUCT, "application/ld+json", "application/ld+json"),
    (CONSTRUCT, "application/rdf+xml", "application/rdf+xml"),
    (CONSTRUCT, "text/plain", "application/n-triples"),
    (DESCRIBE, "application/x-turtle", "text/turtle"),
]


@pytest.mark.parametrize(("query", "accept", "media"), NEGOTIATION)
def test_the_answer_comes_in_the_format_the_accept_header_prefers(client, query, accept, media):
    r = _get(client, query, accept)
    assert r.status_code == 200, r.text
    assert r.mimetype == media
    assert r.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("query", "accept"),
    [(SELECT, "text/turtle"), (CONSTRUCT, "application/sparql-results+json"), (ASK, "image/png")],
)
def test_no_acceptable_format_is_a_406_naming_what_is_offered(client, query, accept):
    r = _get(client, query, accept)
    assert r.status_code == 406
    assert "offered:" in r.text


@pytest.mark.parametrize(
    ("query", "name", "media"),
    [
        (SELECT, "csv", "text/csv"),
        (SELECT, "json", "application/sparql-results+json"),
        (CONSTRUCT, "nt", "application/n-triples"),
    ],
)
def test_format_parameter_wins_over_accept(client, query, name, media):
    assert _get(client, query, "application/sparql-results+xml", format=name).mimetype == media


def test_get_post_form_and_direct_post_give_the_same_rows(client):
    by_get = json.loads(_get(client, SELECT).data)
    by_form = json.loads(client.post("/sparql", data={"query": SELECT}).data)
    by_body = json.loads(
        client.post("/sparql", data=SELECT.encode(), headers={"Content-Type": "application/sparql-query"}).data
    )
    assert by_get == by_form == by_body
    assert len(by_get["results"]["bindings"]) == 2


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("SELECT ?s WHERE { ?s ?p }", 400, "line 1"),
        ("", 400, "empty"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", 403, "read-only"),
    ],
)
def test_a_bad_query_is_a_clear_400(client, query, status, says):
    r = _get(client, query)
    assert r.status_code == status
    assert says in r.text


def test_an_update_without_the_token_is_refused_and_changes_nothing(client, small_store):
    before = small_store.graph_sizes()
    r = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403
    assert small_store.graph_sizes() == before


def test_an_unsupported_content_type_is_a_415(client):
    r = client.post("/sparql", data=b"{}", headers={"Content-Type": "application/json"})
    assert r.status_code == 415


@pytest.mark.parametrize(
    ("accept", "media"),
    [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"), ("text/html", "text/html")],
)
def test_an_entity_iri_dereferences_by_accept(client, accept, media):
    r = client.get("/entity/everolimus", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == media
    assert b"everolimus" in r.data


def test_an_unknown_entity_is_a_404(client):
    assert client.get("/entity/no-such-thing", headers={"Accept": "text/html"}).status_code == 404
