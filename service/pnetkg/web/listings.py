"""What the list, source and patient-case pages show: one query per table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef

from ..store.base import Store, integer
from .description import PREFIXES, RESULT_FIELDS, RESULT_VARS, _iri, label_of, result_records


@dataclass(frozen=True)
class EntityList:
    slug: str
    title: str
    classes: tuple[str, ...]  # ontology class names; members of their subclasses count too
    blurb: str


LISTS = {
    item.slug: item
    for item in (
        EntityList("tumour-types", "Tumour types", ("TumourType",), "Pancreatic and other neuroendocrine tumours."),
        EntityList("drugs", "Drugs and regimens", ("Drug", "Regimen"), "Agents and combinations, with their classes."),
        EntityList(
            "targets",
            "Molecular targets",
            ("Protein", "ProteinComplex", "ProteinFamily", "Pathway"),
            "Proteins, complexes, families and pathways that drugs act on.",
        ),
        EntityList("trials", "Clinical trials", ("ClinicalTrial",), "Trials and studies, with their arms and results."),
        EntityList("genes", "Genes", ("Gene",), "Genes altered in or predisposing to pNET."),
        EntityList("hormones", "Hormones and biomarkers", ("Hormone", "Biomarker"), "Secreted and measured markers."),
    )
}


def entities_of(store: Store, classes: tuple[str, ...]) -> list[dict]:
    """Members of the classes (asserted or inferred, subclasses included), with type and definition."""
    values = " ".join(f"pnet:{c}" for c in classes)
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?x ?label ?type ?typeLabel ?definition ?phase WHERE {{
          VALUES ?top {{ {values} }}
          GRAPH graph:entities {{ ?x a ?type ; rdfs:label ?label }}
          ?type rdfs:subClassOf* ?top .
          OPTIONAL {{ ?type rdfs:label ?typeLabel }}
          OPTIONAL {{ ?x skos:definition ?definition }}
          OPTIONAL {{ ?x pnet:phase ?phase }}
        }} ORDER BY LCASE(STR(?label))"""
    )
    out, seen = [], set()
    for r in rows:
        if str(r["x"]) in seen:
            continue
        seen.add(str(r["x"]))
        out.append({k: str(v) for k, v in r.items()})
    return out


def class_label(store: Store, name: str) -> str | None:
    rows = store.select(PREFIXES + f"SELECT ?l WHERE {{ pnet:{name} rdfs:label ?l }}")
    if rows:
        return str(rows[0]["l"])
    return name if store.ask(PREFIXES + f"ASK {{ pnet:{name} a ?k }}") else None


def type_counts(store: Store) -> list[dict]:
    rows = store.select(
        PREFIXES
        + """
        SELECT ?type ?label (COUNT(DISTINCT ?x) AS ?n) WHERE {
          GRAPH graph:entities { ?x a ?type }
          FILTER(STRSTARTS(STR(?type), STR(pnet:)))
          OPTIONAL { ?type rdfs:label ?label }
        } GROUP BY ?type ?label ORDER BY DESC(?n) ?label"""
    )
    return [{"type": str(r["type"]), "name": str(r["type"]).rsplit("#", 1)[-1],
             "label": str(r.get("label") or r["type"]), "n": integer(r["n"])} for r in rows]  # fmt: skip


def list_counts(store: Store) -> dict[str, int]:
    """How many entities each list page shows, in one query."""
    values = " ".join(f'("{slug}" pnet:{c})' for slug, item in LISTS.items() for c in item.classes)
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?slug (COUNT(DISTINCT ?x) AS ?n) WHERE {{
          VALUES (?slug ?top) {{ {values} }}
          GRAPH graph:entities {{ ?x a ?type }} ?type rdfs:subClassOf* ?top .
        }} GROUP BY ?slug"""
    )
    return {str(r["slug"]): integer(r["n"]) for r in rows}


def sources(store: Store) -> list[dict]:
    """The source documents with how many claims, results and cases each gives (counted separately)."""
    rows = store.select(
        PREFIXES
        + """
        SELECT ?s ?label ?citation ?kind ?summary ?claims ?results ?cases WHERE {
          ?s a pnet:SourceDocument ; rdfs:label ?label ; pnet:sourceKind ?kind .
          OPTIONAL { ?s dcterms:bibliographicCitation ?citation }
          OPTIONAL { ?s dcterms:description ?summary }
          OPTIONAL { SELECT ?s (COUNT(?c) AS ?claims) WHERE { ?c a pnet:Claim ; pnet:fromSource ?s } GROUP BY ?s }
          OPTIONAL { SELECT ?s (COUNT(?r) AS ?results) WHERE { ?r a pnet:Result ; pnet:fromSource ?s } GROUP BY ?s }
          OPTIONAL { SELECT ?s (COUNT(?p) AS ?cases) WHERE { ?p a pnet:PatientCase ; pnet:fromSource ?s } GROUP BY ?s }
        } ORDER BY ?s"""
    )
    out, seen = [], set()
    for r in rows:
        if str(r["s"]) in seen:
            continue
        seen.add(str(r["s"]))
        record = {"claims": "0", "results": "0", "cases": "0"} | {k: str(v) for k, v in r.items()}
        out.append(record | {"id": str(r["s"]).rsplit("/", 1)[-1]})
    return out


def cases(store: Store) -> list[dict]:
    rows = store.select(
        PREFIXES
        + """
        SELECT ?c ?label ?age ?sex ?diagnosis ?dlabel ?source ?slabel (COUNT(DISTINCT ?e) AS ?episodes) WHERE {
          ?c a pnet:PatientCase ; rdfs:label ?label ; pnet:fromSource ?source .
          OPTIONAL { ?source rdfs:label ?slabel }
          OPTIONAL { ?c pnet:age ?age } OPTIONAL { ?c pnet:sex ?sex }
          OPTIONAL { ?c pnet:diagnosis ?diagnosis OPTIONAL { ?diagnosis rdfs:label ?dlabel } }
          OPTIONAL { ?c pnet:hasEpisode ?e }
        } GROUP BY ?c ?label ?age ?sex ?diagnosis ?dlabel ?source ?slabel ORDER BY ?c"""
    )
    return [{k: str(v) for k, v in r.items()} for r in rows]


# ------------------------------------------------------------------ one source document
def source_claims(store: Store, iri: URIRef) -> dict[str, list[dict]]:
    """Every claim taken from the source, grouped by predicate label."""
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?claim ?s ?slabel ?p ?plabel ?o ?olabel ?quote ?conflict ?negated ?hedged ?cites ?citeslabel WHERE {{
          ?claim a pnet:Claim ; pnet:fromSource {_iri(iri)} ; rdf:subject ?s ; rdf:predicate ?p ;
                 rdf:object ?o ; pnet:quote ?quote .
          OPTIONAL {{ ?s rdfs:label ?slabel }} OPTIONAL {{ ?p rdfs:label ?plabel }} OPTIONAL {{ ?o rdfs:label ?olabel }}
          OPTIONAL {{ ?claim pnet:hasConflict/pnet:conflictNote ?conflict }}
          OPTIONAL {{ ?claim pnet:negated ?negated }} OPTIONAL {{ ?claim pnet:hedged ?hedged }}
          OPTIONAL {{ ?claim pnet:citesStudy ?cites OPTIONAL {{ ?cites rdfs:label ?citeslabel }} }}
        }} ORDER BY ?claim"""
    )
    groups: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for r in rows:
        if str(r["claim"]) in seen:
            continue
        seen.add(str(r["claim"]))
        record: dict[str, object] = {k: str(v) for k, v in r.items()}
        record["object_is_iri"] = isinstance(r["o"], URIRef)
        record["slabel"] = record.get("slabel") or label_of(r["s"], {})
        record["olabel"] = record.get("olabel") or (label_of(r["o"], {}) if record["object_is_iri"] else str(r["o"]))
        record["id"] = str(r["claim"]).rsplit("/", 1)[-1]
        groups[str(r.get("plabel") or label_of(r["p"], {}))].append(record)
    return dict(sorted(groups.items()))


def source_results(store: Store, iri: URIRef) -> list[dict]:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT {RESULT_VARS} WHERE {{
          ?r a pnet:Result ; pnet:fromSource {_iri(iri)} ; pnet:quote ?quote ; pnet:fromSource ?source ;
             pnet:endpoint ?endpoint .
          {RESULT_FIELDS}
        }} ORDER BY ?r"""
    )
    return result_records(rows)


# ------------------------------------------------------------------ one patient case
@dataclass
class Episode:
    iri: str
    order: int
    when: str
    quote: str
    note: str | None
    dose: str | None
    trial: tuple[str, str] | None
    interventions: list[tuple[str, str]]
    outcomes: list[dict]


def case_summary(store: Store, iri: URIRef) -> dict:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?label ?age ?sex ?diagnosis ?dlabel ?quote ?source ?slabel WHERE {{
          {_iri(iri)} a pnet:PatientCase ; rdfs:label ?label ; pnet:quote ?quote ; pnet:fromSource ?source .
          OPTIONAL {{ ?source rdfs:label ?slabel }}
          OPTIONAL {{ {_iri(iri)} pnet:age ?age }} OPTIONAL {{ {_iri(iri)} pnet:sex ?sex }}
          OPTIONAL {{ {_iri(iri)} pnet:diagnosis ?diagnosis OPTIONAL {{ ?diagnosis rdfs:label ?dlabel }} }}
        }} LIMIT 1"""
    )
    return {k: str(v) for k, v in rows[0].items()} if rows else {}


def case_features(store: Store, iri: URIRef) -> list[dict]:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?f ?name ?value ?unit ?note ?when ?uln ?quote ?entity ?elabel WHERE {{
          {_iri(iri)} pnet:hasFeature ?f . ?f pnet:featureName ?name ; pnet:quote ?quote .
          OPTIONAL {{ ?f pnet:value ?value }} OPTIONAL {{ ?f pnet:unit ?unit }} OPTIONAL {{ ?f pnet:note ?note }}
          OPTIONAL {{ ?f pnet:when ?when }} OPTIONAL {{ ?f pnet:upperLimitOfNormal ?uln }}
          OPTIONAL {{ ?f pnet:event ?entity OPTIONAL {{ ?entity rdfs:label ?elabel }} }}
        }} ORDER BY ?f"""
    )
    return [{k: str(v) for k, v in r.items()} for r in rows]


def case_episodes(store: Store, iri: URIRef) -> list[Episode]:
    """The treatment course in order, each episode with its interventions and outcomes (two queries)."""
    me = _iri(iri)
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?e ?order ?when ?quote ?note ?dose ?trial ?tlabel ?i ?ilabel WHERE {{
          {me} pnet:hasEpisode ?e . ?e pnet:order ?order ; pnet:quote ?quote .
          OPTIONAL {{ ?e pnet:when ?when }} OPTIONAL {{ ?e pnet:note ?note }} OPTIONAL {{ ?e pnet:dose ?dose }}
          OPTIONAL {{ ?e pnet:inTrial ?trial OPTIONAL {{ ?trial rdfs:label ?tlabel }} }}
          OPTIONAL {{ ?e pnet:intervention ?i OPTIONAL {{ ?i rdfs:label ?ilabel }} }}
        }} ORDER BY ?order ?ilabel"""
    )
    episodes: dict[str, Episode] = {}
    for r in rows:
        key = str(r["e"])
        if key not in episodes:
            trial = (str(r["trial"]), str(r.get("tlabel") or label_of(r["trial"], {}))) if r.get("trial") else None
            episodes[key] = Episode(
                key, int(str(r["order"])), str(r.get("when") or ""), str(r["quote"]),
                str(r["note"]) if r.get("note") else None, str(r["dose"]) if r.get("dose") else None,
                trial, [], [],
            )  # fmt: skip
        if r.get("i"):
            item = (str(r["i"]), str(r.get("ilabel") or label_of(r["i"], {})))
            if item not in episodes[key].interventions:
                episodes[key].interventions.append(item)
    for r in store.select(
        PREFIXES
        + f"""
        SELECT ?e ?o ?kind ?event ?elabel ?grade ?note WHERE {{
          {me} pnet:hasEpisode ?e . ?e pnet:hasOutcome ?o . ?o pnet:outcomeKind ?kind .
          OPTIONAL {{ ?o pnet:event ?event OPTIONAL {{ ?event rdfs:label ?elabel }} }}
          OPTIONAL {{ ?o pnet:grade ?grade }} OPTIONAL {{ ?o pnet:note ?note }}
        }} ORDER BY ?o"""
    ):
        episode = episodes.get(str(r["e"]))
        if episode is not None and not any(o["iri"] == str(r["o"]) for o in episode.outcomes):
            episode.outcomes.append({k: str(v) for k, v in r.items()} | {"iri": str(r["o"])})
    return sorted(episodes.values(), key=lambda e: e.order)


CLAIM_SORTS = {"level": "?level ?slabel ?plabel", "subject": "?slabel ?plabel ?level", "source": "?source ?level"}


def claims_by_level(store: Store, level: int | None, sort: str) -> list[dict]:
    """Every claim with its evidence level and design; ``level`` keeps one level only (1..5)."""
    keep = f"FILTER(?level = {int(level)})" if level is not None else ""
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?claim ?level ?dlabel ?s ?slabel ?plabel ?o ?olabel ?quote ?source WHERE {{
          ?claim a pnet:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pnet:quote ?quote ;
                 pnet:fromSource ?source ; pnet:evidenceLevel ?level ; pnet:studyDesign ?d .
          {keep}
          OPTIONAL {{ ?d rdfs:label ?dlabel }} OPTIONAL {{ ?s rdfs:label ?slabel }}
          OPTIONAL {{ ?p rdfs:label ?plabel }} OPTIONAL {{ ?o rdfs:label ?olabel }}
        }} ORDER BY {CLAIM_SORTS[sort]} ?claim"""
    )
    return [{k: (str(v) if v is not None else None) for k, v in r.items()} for r in rows]
