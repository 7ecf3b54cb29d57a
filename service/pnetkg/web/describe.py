"""Gather what the graph says about one resource, for its page (through the Store interface)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

from ..build import iris
from ..build.prefixes import VOCABULARIES
from ..store.base import Store

PREFIXES = """
PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@dataclass
class Statement:
    predicate: Node
    predicate_label: str
    other: Node
    other_label: str
    graph: str
    claims: list[dict] = field(default_factory=list)


@dataclass
class Description:
    iri: URIRef
    label: str
    definition: str | None
    synonyms: list[str]
    asserted_types: list[tuple[str, str]]
    inferred_types: list[tuple[str, str]]
    outgoing: dict[str, list[Statement]]
    incoming: dict[str, list[Statement]]
    literals: list[tuple[str, str]]
    mappings: list[dict]
    results: list[dict]
    broader: list[tuple[str, str]]
    narrower: list[tuple[str, str]]


def _iri(iri: URIRef) -> str:
    text = str(iri)
    if any(c in text for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not a safe IRI: {text!r}")
    return f"<{text}>"


def exists(store: Store, iri: URIRef) -> bool:
    return store.ask(f"ASK {{ {{ {_iri(iri)} ?p ?o }} UNION {{ ?s ?p {_iri(iri)} }} }}")


def label_of(node: Node, labels: dict[str, str]) -> str:
    text = str(node)
    if text in labels:
        return labels[text]
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def describe(store: Store, iri: URIRef) -> Description:
    me = _iri(iri)
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?p ?o ?g ?olabel ?plabel WHERE {{
          GRAPH ?g {{ {me} ?p ?o }}
          OPTIONAL {{ ?o rdfs:label ?olabel }} OPTIONAL {{ ?p rdfs:label ?plabel }}
        }}"""
    )
    label, definition, synonyms = str(iri).rsplit("/", 1)[-1], None, []
    asserted, inferred, literals, broader = [], [], [], []
    outgoing: dict[str, list[Statement]] = defaultdict(list)
    seen = set()
    for r in rows:
        p, o, g = r["p"], r["o"], str(r["g"])
        key = (str(p), str(o), g)
        if key in seen:
            continue
        seen.add(key)
        plabel = str(r.get("plabel") or label_of(p, {}))
        olabel = str(r.get("olabel") or label_of(o, {}))
        if str(p) == str(iris.RDFS_LABEL):
            label = str(o)
        elif str(p) == "http://www.w3.org/2004/02/skos/core#definition":
            definition = str(o)
        elif str(p) == "http://www.w3.org/2004/02/skos/core#altLabel":
            synonyms.append(str(o))
        elif str(p) == str(iris.RDF_TYPE):
            if str(o).startswith(str(iris.PNET)):
                (inferred if g == str(iris.INFERRED_GRAPH) else asserted).append((str(o), olabel))
        elif str(p) == "http://www.w3.org/2004/02/skos/core#prefLabel":
            continue
        elif str(p) == "http://www.w3.org/2004/02/skos/core#broader":
            broader.append((str(o), olabel))
        elif g == str(iris.MAPPINGS_GRAPH):
            continue
        elif isinstance(o, URIRef):
            outgoing[plabel].append(Statement(p, plabel, o, olabel, g))
        else:
            literals.append((plabel, str(o)))
    incoming: dict[str, list[Statement]] = defaultdict(list)
    for r in store.select(
        PREFIXES
        + f"""
        SELECT ?s ?p ?g ?slabel ?plabel WHERE {{
          GRAPH ?g {{ ?s ?p {me} }} FILTER(?p != skos:broader && ?p != rdf:object && ?p != rdf:subject)
          OPTIONAL {{ ?s rdfs:label ?slabel }} OPTIONAL {{ ?p rdfs:label ?plabel }}
        }} LIMIT 2000"""
    ):
        plabel = str(r.get("plabel") or label_of(r["p"], {}))
        incoming[plabel].append(
            Statement(r["p"], plabel, r["s"], str(r.get("slabel") or label_of(r["s"], {})), str(r["g"]))
        )
    narrower = [
        (str(r["s"]), str(r.get("l") or label_of(r["s"], {})))
        for r in store.select(
            PREFIXES + f"SELECT ?s ?l WHERE {{ ?s skos:broader {me} OPTIONAL {{ ?s rdfs:label ?l }} }}"
        )
    ]
    _attach_claims(store, me, outgoing, incoming)
    return Description(
        iri,
        label,
        definition,
        synonyms,
        sorted(set(asserted)),
        sorted(set(inferred)),
        dict(outgoing),
        dict(incoming),
        literals,
        _mappings(store, me),
        _results(store, me),
        broader,
        narrower,
    )


def _attach_claims(store: Store, me: str, outgoing: dict, incoming: dict) -> None:
    """Evidence for each statement: the claims (quote, source) that assert it."""
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?claim ?s ?p ?o ?quote ?source ?slabel ?conflict ?cites ?citeslabel WHERE {{
          ?claim a pnet:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                 pnet:quote ?quote ; pnet:fromSource ?source .
          FILTER(?s = {me} || ?o = {me})
          OPTIONAL {{ ?source rdfs:label ?slabel }}
          OPTIONAL {{ ?claim pnet:hasConflict/pnet:conflictNote ?conflict }}
          OPTIONAL {{ ?claim pnet:citesStudy ?cites OPTIONAL {{ ?cites rdfs:label ?citeslabel }} }}
        }}"""
    )
    by_key: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in rows:
        by_key[(str(r["s"]), str(r["p"]), str(r["o"]))].append(
            {
                "iri": str(r["claim"]),
                "quote": str(r["quote"]),
                "source": str(r["source"]),
                "source_label": str(r.get("slabel") or r["source"]),
                "conflict": r.get("conflict"),
                "cites": r.get("cites"),
                "cites_label": r.get("citeslabel"),
            }
        )
    subject = me[1:-1]
    for group in outgoing.values():
        for st in group:
            st.claims = by_key.get((subject, str(st.predicate), str(st.other)), [])
    for group in incoming.values():
        for st in group:
            st.claims = by_key.get((str(st.other), str(st.predicate), subject), [])


def _mappings(store: Store, me: str) -> list[dict]:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?curie ?target ?pred ?why WHERE {{
          ?m pnet:mappingSubject {me} ; dcterms:identifier ?curie ; pnet:mappingTarget ?target ;
             pnet:mappingPredicate ?pred ; pnet:justification ?why }} ORDER BY ?curie"""
    )
    out = []
    for r in rows:
        prefix = str(r["curie"]).split(":", 1)[0]
        out.append(
            {
                "curie": str(r["curie"]),
                "url": str(r["target"]),
                "vocabulary": VOCABULARIES.get(prefix, (prefix, prefix))[1],
                "match": str(r["pred"]).rsplit("#", 1)[-1],
                "justification": str(r["why"]),
            }
        )
    return out


def _results(store: Store, me: str) -> list[dict]:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?r ?value ?valueText ?unit ?lo ?hi ?p ?n ?quote ?source ?endpoint ?elabel ?arm ?alabel
               ?trial ?tlabel ?event ?evlabel WHERE {{
          ?r a pnet:Result ; pnet:quote ?quote ; pnet:fromSource ?source ; pnet:endpoint ?endpoint .
          OPTIONAL {{ ?r pnet:unit ?unit }}
          {{ ?r ?link {me} }}
          OPTIONAL {{ ?r pnet:value ?value }} OPTIONAL {{ ?r pnet:valueText ?valueText }}
          OPTIONAL {{ ?endpoint rdfs:label ?elabel }}
          OPTIONAL {{ ?r pnet:ciLower ?lo }} OPTIONAL {{ ?r pnet:ciUpper ?hi }}
          OPTIONAL {{ ?r pnet:pValue ?p }} OPTIONAL {{ ?r pnet:patients ?n }}
          OPTIONAL {{ ?r pnet:arm ?arm OPTIONAL {{ ?arm rdfs:label ?alabel }} }}
          OPTIONAL {{ ?r pnet:trial ?trial OPTIONAL {{ ?trial rdfs:label ?tlabel }} }}
          OPTIONAL {{ ?r pnet:event ?event OPTIONAL {{ ?event rdfs:label ?evlabel }} }}
        }} ORDER BY ?trial ?endpoint ?arm"""
    )
    seen, out = set(), []
    for r in rows:
        if str(r["r"]) in seen:
            continue
        seen.add(str(r["r"]))
        out.append({k: (str(v) if v is not None else None) for k, v in r.items()})
    return out
