"""Gather what the graph says about one resource, for its page (through the Store interface).

A page costs a fixed handful of queries, whatever the entity: its own triples,
the triples pointing at it, the claims behind both, its mappings, its results
and the class tree; nothing is asked per statement.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from ..store.base import Store, integer
from ..terms import iris
from ..terms.prefixes import VOCABULARIES, sparql_preamble

PREFIXES = sparql_preamble()
SKOS = "http://www.w3.org/2004/02/skos/core#"
PNET = str(iris.PNET)
#: record types whose links to an entity are shown in their own tables, not as statements
_RECORD_TYPES = ("Result", "Mapping", "ClaimGroup")


@dataclass
class Statement:
    predicate: Node
    predicate_label: str
    other: Node
    other_label: str
    graph: str
    claims: list[dict] = field(default_factory=list)
    asserted: bool = True  # False: only claimed (in conflict or negated), not part of the graph


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
    class_chain: list[tuple[str, str]] = field(default_factory=list)  # most general first
    sparql_link: str = ""

    @property
    def type_names(self) -> set[str]:
        return {t.rsplit("#", 1)[-1] for t, _ in self.asserted_types + self.inferred_types}

    def neighbours(self, limit: int = 16) -> list[tuple[str, str, str, str]]:
        """Distinct linked resources: (iri, label, property label, 'out'|'in'), outgoing first."""
        out, seen = [], {str(self.iri)}
        for direction, groups in (("out", self.outgoing), ("in", self.incoming)):
            for plabel, statements in sorted(groups.items()):
                for st in statements:
                    if isinstance(st.other, URIRef) and str(st.other) not in seen:
                        seen.add(str(st.other))
                        out.append((str(st.other), st.other_label, plabel, direction))
        return out[:limit]


def _iri(iri: URIRef) -> str:
    text = str(iri)
    if any(c in text for c in '<>"{}|^`\\ \n'):
        raise ValueError(f"not a safe IRI: {text!r}")
    return f"<{text}>"


def exists(store: Store, iri: URIRef) -> bool:
    return store.ask(f"ASK {{ {{ {_iri(iri)} ?p ?o }} UNION {{ ?s ?p {_iri(iri)} }} }}")


_RECORD = re.compile(r"^(claim|result|case|mapping|source)/(.+)$")


def label_of(node: Node, labels: dict[str, str]) -> str:
    """A readable name for a resource without rdfs:label: claim s000-c001, case-s000 episode 3 …"""
    text = str(node)
    if text in labels:
        return labels[text]
    if text.startswith(iris.BASE):
        m = _RECORD.match(text[len(iris.BASE) :])
        if m:
            return f"{m.group(1)} " + m.group(2).replace("/", " ")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def sparql_query_about(iri: URIRef, label: str) -> str:
    """A ready query listing every statement about the resource, for the query editor."""
    name = re.sub(r"[\r\n]+", " ", label)[:80]
    return (
        sparql_preamble("rdfs")
        + f"# Every statement about {name}: outgoing and incoming, with the graph (source) it is in\n"
        "SELECT ?direction ?property ?propertyLabel ?other ?otherLabel ?graph WHERE {\n"
        f'  {{ GRAPH ?graph {{ {_iri(iri)} ?property ?other }} BIND("out" AS ?direction) }}\n'
        f'  UNION {{ GRAPH ?graph {{ ?other ?property {_iri(iri)} }} BIND("in" AS ?direction) }}\n'
        "  OPTIONAL { ?property rdfs:label ?propertyLabel }\n"
        "  OPTIONAL { ?other rdfs:label ?otherLabel }\n"
        "}\nORDER BY ?direction ?property\nLIMIT 1000\n"
    )


def sparql_link(query: str) -> str:
    return "/sparql?query=" + quote(query, safe="")


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
    label, definition, synonyms = label_of(iri, {}), None, []
    asserted: list[tuple[str, str]] = []
    inferred: list[tuple[str, str]] = []
    literals: list[tuple[str, str]] = []
    broader: list[tuple[str, str]] = []
    outgoing: dict[str, list[Statement]] = defaultdict(list)
    seen = set()
    for r in rows:
        p, o, g = r["p"], r["o"], str(r["g"])
        key = (str(p), str(o))
        if key in seen and str(p) != str(RDF.type):
            continue
        seen.add(key)
        plabel = str(r.get("plabel") or label_of(p, {}))
        olabel = str(r.get("olabel") or label_of(o, {}))
        if str(p) == str(RDFS.label):
            label = str(o)
        elif str(p) == SKOS + "definition":
            definition = str(o)
        elif str(p) == SKOS + "altLabel":
            synonyms.append(str(o))
        elif str(p) == str(RDF.type):
            if str(o).startswith(PNET):
                (inferred if g == str(iris.INFERRED_GRAPH) else asserted).append((str(o), olabel))
        elif str(p) == SKOS + "prefLabel":
            continue
        elif str(p) == SKOS + "broader":
            broader.append((str(o), olabel))
        elif g == str(iris.MAPPINGS_GRAPH):
            continue
        elif isinstance(o, URIRef):
            outgoing[plabel].append(Statement(p, plabel, o, olabel, g))
        else:
            literals.append((plabel, str(o)))
    asserted_set = set(asserted)
    inferred = [t for t in set(inferred) if t not in asserted_set]
    incoming = _incoming(store, me)
    narrower = [
        (str(r["s"]), str(r.get("l") or label_of(r["s"], {})))
        for r in store.select(
            PREFIXES + f"SELECT ?s ?l WHERE {{ ?s skos:broader {me} OPTIONAL {{ ?s rdfs:label ?l }} }} ORDER BY ?l"
        )
    ]
    _attach_claims(store, iri, outgoing, incoming)
    return Description(
        iri,
        label,
        definition,
        sorted(set(synonyms), key=str.lower),
        sorted(asserted_set),
        sorted(inferred),
        dict(outgoing),
        dict(incoming),
        literals,
        _mappings(store, me),
        results_about(store, iri),
        sorted(set(broader), key=lambda t: t[1].lower()),
        narrower,
        class_chain(store, sorted(asserted_set)),
        sparql_link(sparql_query_about(iri, label)),
    )


def _incoming(store: Store, me: str) -> dict[str, list[Statement]]:
    incoming: dict[str, list[Statement]] = defaultdict(list)
    seen = set()
    for r in store.select(
        PREFIXES
        + f"""
        SELECT ?s ?p ?g ?slabel ?plabel WHERE {{
          GRAPH ?g {{ ?s ?p {me} }}
          FILTER(?p NOT IN (skos:broader, rdf:object, rdf:subject, pnet:mappingSubject))
          FILTER NOT EXISTS {{ ?s a ?record VALUES ?record {{ {" ".join("pnet:" + t for t in _RECORD_TYPES)} }} }}
          OPTIONAL {{ ?s rdfs:label ?slabel }} OPTIONAL {{ ?p rdfs:label ?plabel }}
        }} LIMIT 2000"""
    ):
        key = (str(r["s"]), str(r["p"]))
        if key in seen:
            continue
        seen.add(key)
        plabel = str(r.get("plabel") or label_of(r["p"], {}))
        incoming[plabel].append(
            Statement(r["p"], plabel, r["s"], str(r.get("slabel") or label_of(r["s"], {})), str(r["g"]))
        )
    for group in incoming.values():
        group.sort(key=lambda st: st.other_label.lower())
    return incoming


def _attach_claims(store: Store, iri: URIRef, outgoing: dict, incoming: dict) -> None:
    """Evidence for each statement: the claims (quote, source) that assert it.

    Claims that are negated or in conflict put no triple in the graph; they are
    shown as statements of their own, marked as not asserted.
    """
    me = _iri(iri)
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?claim ?s ?p ?o ?quote ?source ?slabel ?conflict ?cites ?citeslabel ?negated ?hedged
               ?plabel ?olabel ?sublabel ?level ?designlabel WHERE {{
          {{ ?claim rdf:subject {me} }} UNION {{ ?claim rdf:object {me} }}
          ?claim a pnet:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                 pnet:quote ?quote ; pnet:fromSource ?source .
          OPTIONAL {{ ?source rdfs:label ?slabel }}
          OPTIONAL {{ ?p rdfs:label ?plabel }} OPTIONAL {{ ?o rdfs:label ?olabel }}
          OPTIONAL {{ ?s rdfs:label ?sublabel }}
          OPTIONAL {{ ?claim pnet:hasConflict/pnet:conflictNote ?conflict }}
          OPTIONAL {{ ?claim pnet:negated ?negated }} OPTIONAL {{ ?claim pnet:hedged ?hedged }}
          OPTIONAL {{ ?claim pnet:citesStudy ?cites OPTIONAL {{ ?cites rdfs:label ?citeslabel }} }}
          OPTIONAL {{ ?claim pnet:evidenceLevel ?level }}
          OPTIONAL {{ ?claim pnet:studyDesign/rdfs:label ?designlabel }}
        }} ORDER BY ?claim"""
    )
    by_key: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    meta: dict[tuple[str, str, str], dict] = {}
    for r in rows:
        key = (str(r["s"]), str(r["p"]), str(r["o"]))
        if any(c["iri"] == str(r["claim"]) for c in by_key[key]):
            continue
        meta[key] = r
        by_key[key].append(
            {
                "iri": str(r["claim"]),
                "quote": str(r["quote"]),
                "source": str(r["source"]),
                "source_label": str(r.get("slabel") or r["source"]),
                "source_id": str(r["source"]).rsplit("/", 1)[-1],
                "conflict": r.get("conflict"),
                "negated": bool(r.get("negated")),
                "hedged": bool(r.get("hedged")),
                "cites": r.get("cites"),
                "cites_label": r.get("citeslabel"),
                "level": integer(r["level"]) if r.get("level") is not None else None,  # CEBM 2011, compile/evidence.py
                "design": str(r["designlabel"]) if r.get("designlabel") is not None else None,
            }
        )
    subject = str(iri)
    used = set()
    for direction, groups in (("out", outgoing), ("in", incoming)):
        for group in groups.values():
            for st in group:
                key = (subject, str(st.predicate), str(st.other)) if direction == "out" else (
                    str(st.other), str(st.predicate), subject)  # fmt: skip
                st.claims = by_key.get(key, [])
                if st.claims:
                    used.add(key)
    for key, claims in by_key.items():
        if key in used:
            continue
        r = meta[key]
        plabel = str(r.get("plabel") or label_of(r["p"], {}))
        if key[0] == subject:
            other, olabel, groups = r["o"], r.get("olabel"), outgoing
        else:
            other, olabel, groups = r["s"], r.get("sublabel"), incoming
        text = str(olabel) if olabel else (str(other) if isinstance(other, Literal) else label_of(other, {}))
        asserted = not any(c["negated"] or c["conflict"] for c in claims)
        groups[plabel].append(Statement(r["p"], plabel, other, text, "", claims, asserted))


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


RESULT_FIELDS = """
          OPTIONAL { ?r pnet:unit ?unit }
          OPTIONAL { ?r pnet:value ?value } OPTIONAL { ?r pnet:valueText ?valueText }
          OPTIONAL { ?r pnet:valueLow ?valueLow } OPTIONAL { ?r pnet:valueHigh ?valueHigh }
          OPTIONAL { ?endpoint rdfs:label ?elabel }
          OPTIONAL { ?r pnet:ciLower ?lo } OPTIONAL { ?r pnet:ciUpper ?hi }
          OPTIONAL { ?r pnet:pValue ?p } OPTIONAL { ?r pnet:patients ?n } OPTIONAL { ?r pnet:grade ?grade }
          OPTIONAL { ?r pnet:arm ?arm OPTIONAL { ?arm rdfs:label ?alabel } }
          OPTIONAL { ?r pnet:comparator ?comparator OPTIONAL { ?comparator rdfs:label ?clabel } }
          OPTIONAL { ?r pnet:trial ?trial OPTIONAL { ?trial rdfs:label ?tlabel }
                     OPTIONAL { ?trial pnet:studyDesign ?design . ?design rdfs:label ?dlabel ;
                                pnet:evidenceLevel ?dlevel } }
          OPTIONAL { ?r pnet:event ?event OPTIONAL { ?event rdfs:label ?evlabel } }
          OPTIONAL { ?r pnet:hasConflict/pnet:conflictNote ?conflict }
          OPTIONAL { ?r pnet:note ?note }
"""
RESULT_VARS = (
    "?r ?value ?valueText ?valueLow ?valueHigh ?unit ?lo ?hi ?p ?n ?grade ?quote ?source ?endpoint ?elabel"
    " ?arm ?alabel ?comparator ?clabel ?trial ?tlabel ?dlabel ?dlevel ?event ?evlabel ?conflict ?note"
)


def results_about(store: Store, iri: URIRef) -> list[dict]:
    """Results that name the resource, or whose arm gives it (alone or in a regimen)."""
    me = _iri(iri)
    rows = store.select(
        PREFIXES
        + f"""
        SELECT {RESULT_VARS} WHERE {{
          {{ ?r ?link {me} }} UNION {{ ?r pnet:arm/pnet:armIntervention {me} }}
          UNION {{ ?r pnet:arm/pnet:armIntervention/pnet:hasComponent {me} }}
          ?r a pnet:Result ; pnet:quote ?quote ; pnet:fromSource ?source ; pnet:endpoint ?endpoint .
          {RESULT_FIELDS}
        }} ORDER BY ?tlabel ?elabel ?alabel ?r"""
    )
    return result_records(rows)


def result_records(rows: list) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        if str(r["r"]) in seen:
            continue
        seen.add(str(r["r"]))
        record = {k: (str(v) if v is not None else None) for k, v in r.items()}
        record["source_id"] = str(r["source"]).rsplit("/", 1)[-1]
        out.append(record)
    return out


def class_chain(store: Store, types: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ontology classes above the first asserted type, most general first, the type last."""
    if not types:
        return []
    rows = store.select(
        PREFIXES
        + """
        SELECT ?c ?sup ?label WHERE { GRAPH graph:ontology {
          ?c rdfs:subClassOf ?sup FILTER(isIRI(?sup) && STRSTARTS(STR(?sup), STR(pnet:)))
          OPTIONAL { ?sup rdfs:label ?label } } }"""
    )
    parent = {str(r["c"]): (str(r["sup"]), str(r.get("label") or label_of(r["sup"], {}))) for r in rows}
    current, name = types[0]
    chain = [(current, name)]
    while current in parent and len(chain) < 12:
        current, name = parent[current]
        chain.append((current, name))
    return list(reversed(chain))
