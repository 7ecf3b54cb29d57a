"""Browse pages: home, one page per resource (with content negotiation), search."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, render_template, request
from rdflib import Literal, URIRef

from ..build import iris
from ..sparql.negotiation import RDF_TYPES, parse_accept
from .describe import PREFIXES, describe, exists

bp = Blueprint("pages", __name__)

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9-]+)*$")
_KINDS = ("entity", "source", "claim", "result", "case", "graph", "mapping")


def _store():
    return current_app.config["STORE"]


@bp.route("/")
def home() -> str:
    store = _store()
    counts = store.select(
        PREFIXES
        + """
        SELECT ?type ?label (COUNT(DISTINCT ?x) AS ?n) WHERE {
          GRAPH <https://w3id.org/pnet-kg/graph/entities> { ?x a ?type }
          FILTER(?type != <http://www.w3.org/2002/07/owl#NamedIndividual>)
          OPTIONAL { ?type rdfs:label ?label }
        } GROUP BY ?type ?label ORDER BY DESC(?n)"""
    )
    records = store.select(
        PREFIXES
        + """
        SELECT ?type (COUNT(DISTINCT ?x) AS ?n) WHERE {
          VALUES ?type { pnet:Claim pnet:Result pnet:PatientCase pnet:Episode pnet:Mapping }
          ?x a ?type } GROUP BY ?type"""
    )
    sources = store.select(
        PREFIXES
        + """
        SELECT ?s ?label ?citation ?kind (COUNT(?c) AS ?claims) WHERE {
          ?s a pnet:SourceDocument ; rdfs:label ?label ; pnet:sourceKind ?kind .
          OPTIONAL { ?s dcterms:bibliographicCitation ?citation }
          OPTIONAL { ?c a pnet:Claim ; pnet:fromSource ?s }
        } GROUP BY ?s ?label ?citation ?kind ORDER BY ?s"""
    )
    return render_template(
        "home.html",
        counts=counts,
        records={str(r["type"]).rsplit("#")[-1]: int(r["n"]) for r in records},
        sources=sources,
    )


@bp.route("/<kind>/<path:rid>")
def resource(kind: str, rid: str) -> Response | str:
    if kind not in _KINDS or not _ID.match(rid):
        abort(404, description=f"There is no page /{kind}/{rid}.")
    iri = URIRef(f"{iris.BASE}{kind}/{rid}")
    store = _store()
    if not exists(store, iri):
        abort(404, description=f"Nothing in the graph is called {iri}.")
    media = _rdf_media()
    if media:
        query = f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"
        body = store.serialize(query, media)
        return Response(body, content_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})
    page = render_template("resource.html", d=describe(store, iri), kind=kind, rid=rid)
    return Response(page, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def _rdf_media() -> str | None:
    """An RDF media type when the client prefers one to HTML, else None."""
    fmt = request.args.get("format")
    if fmt:
        from ..sparql.negotiation import FORMAT_NAMES

        media = FORMAT_NAMES.get(fmt.lower())
        if media in RDF_TYPES:
            return media
        abort(400, description=f"unknown format {fmt!r} (turtle, jsonld, ntriples, rdfxml)")
    for media, q in parse_accept(request.headers.get("Accept")):
        if q <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            return None
        if media in RDF_TYPES:
            return media
    return None


@bp.route("/search")
def search() -> str:
    text = request.args.get("q", "").strip()[:200]
    rows = []
    if text:
        needle = sparql_string(text.lower())
        rows = _store().select(
            PREFIXES
            + f"""
            SELECT DISTINCT ?x ?label ?type WHERE {{
              GRAPH <https://w3id.org/pnet-kg/graph/entities> {{
                ?x rdfs:label ?label ; a ?type . OPTIONAL {{ ?x skos:altLabel ?alt }} }}
              FILTER(?type != <http://www.w3.org/2002/07/owl#NamedIndividual>)
              FILTER(CONTAINS(LCASE(STR(?label)), {needle}) || CONTAINS(LCASE(STR(?alt)), {needle}))
            }} ORDER BY STRLEN(STR(?label)) LIMIT 100"""
        )
    return render_template("search.html", q=text, rows=rows)


def sparql_string(text: str) -> str:
    """A SPARQL string literal for untrusted text (rdflib escapes quotes, backslashes, newlines)."""
    return Literal(text).n3()
