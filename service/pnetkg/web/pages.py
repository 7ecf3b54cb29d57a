"""Browse pages: home, lists, one page per resource (with content negotiation), search."""

from __future__ import annotations

import re
from itertools import groupby

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState
from rdflib import URIRef

from ..build import iris
from ..search import SearchIndex
from ..sparql.negotiation import FORMAT_NAMES, RDF_TYPES, parse_accept
from ..store.base import StoreError
from . import figures, records
from .describe import PREFIXES, describe, exists, sparql_link

bp = Blueprint("pages", __name__)

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9-]+)*$")
_CLASS = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_KINDS = ("entity", "source", "claim", "result", "case", "graph", "mapping")
SEARCH = "pnetkg.search"


@bp.record_once
def _create_search_index(state: BlueprintSetupState) -> None:
    """The search index is built with the app, from the store, and rebuilt when the store changes."""
    index = SearchIndex(state.app.config["STORE"])
    state.app.extensions[SEARCH] = index
    try:
        index.ensure_fresh()
    except StoreError as exc:  # a remote store may be down at start: build at the first search
        state.app.logger.warning("search index not built yet: %s", exc)


def _store():
    return current_app.config["STORE"]


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


@bp.route("/")
def home() -> str:
    store = _store()
    counts = records.type_counts(store)
    kinds = store.select(
        PREFIXES
        + """
        SELECT ?type (COUNT(DISTINCT ?x) AS ?n) WHERE {
          VALUES ?type { pnet:Claim pnet:Result pnet:PatientCase pnet:Episode pnet:Mapping }
          ?x a ?type } GROUP BY ?type"""
    )
    return render_template(
        "home.html",
        counts=counts,
        records={str(r["type"]).rsplit("#")[-1]: int(r["n"]) for r in kinds},
        lists=records.LISTS,
        list_counts=records.list_counts(store),
        sources=records.sources(store),
        cases=records.cases(store),
    )


# ------------------------------------------------------------------ lists
@bp.route("/list/<slug>")
def entity_list(slug: str) -> str:
    store = _store()
    if slug == "sources":
        return render_template("list_sources.html", sources=records.sources(store))
    if slug == "cases":
        return render_template("list_cases.html", cases=records.cases(store))
    item = records.LISTS.get(slug)
    if item is None:
        abort(404, description=f"There is no list {slug!r}; lists: {', '.join([*records.LISTS, 'sources', 'cases'])}.")
    rows = records.entities_of(store, item.classes)
    return render_template("list.html", title=item.title, blurb=item.blurb, groups=_by_type(rows), total=len(rows))


@bp.route("/claims")
def claims() -> str:
    """Every claim with its evidence level: filter by ?level=1..5, sort by level, subject or source."""
    level_arg, sort = request.args.get("level", ""), request.args.get("sort", "level")
    if level_arg and level_arg not in ("1", "2", "3", "4", "5"):
        abort(400, description="level is one of 1, 2, 3, 4, 5")
    if sort not in records.CLAIM_SORTS:
        abort(400, description=f"sort is one of {', '.join(records.CLAIM_SORTS)}")
    level = int(level_arg) if level_arg else None
    rows = records.claims_by_level(_store(), level, sort)
    return render_template("list_claims.html", rows=rows, level=level, sort=sort, sorts=list(records.CLAIM_SORTS))


@bp.route("/types/<name>")
def type_list(name: str) -> str:
    store = _store()
    label = records.class_label(store, name) if _CLASS.match(name) else None
    if label is None:
        abort(404, description=f"The ontology has no class {name!r}.")
    rows = records.entities_of(store, (name,))
    blurb = f"Every entity of the class {label} or one of its subclasses."
    return render_template("list.html", title=label[:1].upper() + label[1:], blurb=blurb, groups=_by_type(rows),
                           total=len(rows), class_iri=f"{iris.PNET}{name}")  # fmt: skip


def _by_type(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    rows = sorted(rows, key=lambda r: (r.get("typeLabel", ""), r["label"].lower()))
    return [(t, list(group)) for t, group in groupby(rows, key=lambda r: r.get("typeLabel", ""))]


# ------------------------------------------------------------------ one resource
@bp.route("/<kind>/<path:rid>")
def resource(kind: str, rid: str) -> Response:
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
    if kind == "source" and "/" not in rid:
        return _html(_source_page(store, iri))
    if kind == "case" and "/" not in rid:
        return _html(_case_page(store, iri))
    d = describe(store, iri)
    forest = figures.forest_plot(d.results, d.label) if d.type_names & _FOREST_TYPES else None
    page = render_template(
        "resource.html",
        d=d,
        kind=kind,
        rid=rid,
        forest=forest,
        neighbourhood=figures.neighbourhood(d.label, d.neighbours()),
    )
    return _html(page)


#: entities whose page shows a forest plot of the ratios reported for them
_FOREST_TYPES = {
    "ClinicalTrial", "TrialArm", "Endpoint", "Drug", "SmallMoleculeDrug", "MonoclonalAntibody",
    "Radiopharmaceutical", "Regimen", "DrugClass", "MTORInhibitor", "AngiogenesisInhibitor",
}  # fmt: skip


def _source_page(store, iri: URIRef) -> str:
    d = describe(store, iri)
    claims = records.source_claims(store, iri)
    return render_template(
        "source.html",
        d=d,
        claims=claims,
        n_claims=sum(len(v) for v in claims.values()),
        results=records.source_results(store, iri),
        cases=[c for c in records.cases(store) if c["source"] == str(iri)],
        source=next((s for s in records.sources(store) if s["s"] == str(iri)), {}),
    )


def _case_page(store, iri: URIRef) -> str:
    summary = records.case_summary(store, iri)
    episodes = records.case_episodes(store, iri)
    label = summary.get("label", str(iri))
    query = (
        "PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"# The treatment course of {label}: episodes in order, interventions and outcomes\n"
        "SELECT ?order ?when ?intervention ?interventionLabel ?outcome ?note WHERE {\n"
        f"  <{iri}> pnet:hasEpisode ?e . ?e pnet:order ?order .\n"
        "  OPTIONAL { ?e pnet:when ?when }\n"
        "  OPTIONAL { ?e pnet:intervention ?intervention . ?intervention rdfs:label ?interventionLabel }\n"
        "  OPTIONAL { ?e pnet:hasOutcome ?o . ?o pnet:outcomeKind ?outcome OPTIONAL { ?o pnet:note ?note } }\n"
        "} ORDER BY ?order\n"
    )
    return render_template(
        "case.html",
        iri=str(iri),
        case=summary,
        features=records.case_features(store, iri),
        episodes=episodes,
        timeline=figures.timeline(episodes, label),
        sparql_link=sparql_link(query),
    )


def _rdf_media() -> str | None:
    """An RDF media type when the client prefers one to HTML, else None."""
    fmt = request.args.get("format")
    if fmt:
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


# ------------------------------------------------------------------ search
def _index() -> SearchIndex:
    return current_app.extensions[SEARCH]


@bp.route("/search")
def search() -> str:
    text = request.args.get("q", "").strip()[:200]
    hits = _index().search(text, limit=200) if text else []
    groups = [(t, list(g)) for t, g in groupby(sorted(hits, key=lambda h: h.type_label), key=lambda h: h.type_label)]
    groups.sort(key=lambda pair: min(hits.index(h) for h in pair[1]))  # the group of the best hit first
    return render_template("search.html", q=text, groups=groups, total=len(hits))


@bp.route("/search/suggest")
def suggest() -> Response:
    """As-you-type suggestions: [{label, type, matched, url}], best first."""
    text = request.args.get("q", "").strip()[:100]
    hits = _index().search(text, limit=12) if text else []
    response = jsonify(
        {
            "query": text,
            "suggestions": [
                {
                    "label": h.label,
                    "type": h.type_label,
                    "matched": h.matched,
                    "field": h.field,
                    "iri": h.iri,
                    "url": _local(h.iri),
                }  # fmt: skip
                for h in hits
            ],
        }
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


def _local(iri: str) -> str:
    return "/" + iri[len(iris.BASE) :] if iri.startswith(iris.BASE) else iri
