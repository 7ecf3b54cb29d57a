"""Browse pages: home, lists, one page per resource (with content negotiation), search."""

from __future__ import annotations

import re
from itertools import groupby

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState
from rdflib import URIRef

from ..search import SearchIndex
from ..store.base import StoreError
from ..terms import iris
from ..terms.evidence import LEVEL_MEANING
from ..terms.media import FORMAT_NAMES, GRAPH_TYPES, parse_accept
from ..terms.prefixes import sparql_preamble
from . import figures, listings
from .description import PREFIXES, describe, exists, sparql_link

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


@bp.app_template_filter("href")
def href(iri: object) -> str:
    """A safe link for an IRI: the graph's own IRIs become local paths; only http(s) leaves the site."""
    text = str(iri or "")
    if text.startswith(iris.BASE):
        return "/" + text[len(iris.BASE) :]
    if text.lower().startswith(("https://", "http://", "mailto:")):
        return text
    return ""


@bp.record_once
def _evidence_levels(state: BlueprintSetupState) -> None:
    """The scale's meanings, for every template and the macros they import."""
    state.app.jinja_env.globals["evidence_levels"] = LEVEL_MEANING


def _store():
    return current_app.config["STORE"]


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


@bp.route("/")
def home() -> str:
    store = _store()
    counts = listings.type_counts(store)
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
        lists=listings.LISTS,
        list_counts=listings.list_counts(store),
        sources=listings.sources(store),
        cases=listings.cases(store),
    )


# ------------------------------------------------------------------ lists
@bp.route("/list/<slug>")
def entity_list(slug: str) -> str:
    store = _store()
    if slug == "sources":
        return render_template("list_sources.html", sources=listings.sources(store))
    if slug == "cases":
        return render_template("list_cases.html", cases=listings.cases(store))
    item = listings.LISTS.get(slug)
    if item is None:
        abort(404, description=f"There is no list {slug!r}; lists: {', '.join([*listings.LISTS, 'sources', 'cases'])}.")
    rows = listings.entities_of(store, item.classes)
    return render_template("list.html", title=item.title, blurb=item.blurb, groups=_by_type(rows), total=len(rows))


@bp.route("/claims")
def claims() -> str:
    """Every claim with its evidence level: filter by ?level=1..5, sort by level, subject or source."""
    level_arg, sort = request.args.get("level", ""), request.args.get("sort", "level")
    if level_arg and level_arg not in ("1", "2", "3", "4", "5"):
        abort(400, description="level is one of 1, 2, 3, 4, 5")
    if sort not in listings.CLAIM_SORTS:
        abort(400, description=f"sort is one of {', '.join(listings.CLAIM_SORTS)}")
    level = int(level_arg) if level_arg else None
    rows = listings.claims_by_level(_store(), level, sort)
    return render_template("list_claims.html", rows=rows, level=level, sort=sort, sorts=list(listings.CLAIM_SORTS))


@bp.route("/types/<name>")
def type_list(name: str) -> str:
    store = _store()
    label = listings.class_label(store, name) if _CLASS.match(name) else None
    if label is None:
        abort(404, description=f"The ontology has no class {name!r}.")
    rows = listings.entities_of(store, (name,))
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
    claims = listings.source_claims(store, iri)
    return render_template(
        "source.html",
        d=d,
        claims=claims,
        n_claims=sum(len(v) for v in claims.values()),
        results=listings.source_results(store, iri),
        cases=[c for c in listings.cases(store) if c["source"] == str(iri)],
        source=next((s for s in listings.sources(store) if s["s"] == str(iri)), {}),
    )


def _case_page(store, iri: URIRef) -> str:
    summary = listings.case_summary(store, iri)
    episodes = listings.case_episodes(store, iri)
    label = summary.get("label", str(iri))
    query = (
        sparql_preamble("pnet", "rdfs")
        + f"# The treatment course of {label}: episodes in order, interventions and outcomes\n"
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
        features=listings.case_features(store, iri),
        episodes=episodes,
        timeline=figures.timeline(episodes, label),
        sparql_link=sparql_link(query),
    )


def _rdf_media() -> str | None:
    """An RDF media type when the client prefers one to HTML, else None."""
    fmt = request.args.get("format")
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower())
        if media in GRAPH_TYPES:
            return media
        abort(400, description=f"unknown format {fmt!r} (turtle, jsonld, ntriples, rdfxml)")
    for media, q in parse_accept(request.headers.get("Accept")):
        if q <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            return None
        if media in GRAPH_TYPES:
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
