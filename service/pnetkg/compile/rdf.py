"""Turn a validated Curation into an RDF dataset with one named graph per source.

Graphs: the ontology; ``entities`` (curated descriptions); ``mappings``
(curated links to external vocabularies); one per source document (its claims
as direct triples *and* as reified :Claim records with the quote, its results
and patient cases). A claim flagged as conflicting or negated is kept only as a
reified record: the source said it, but the graph does not assert it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from ..curation.model import Claim, Curation, Entity, PatientCase, Result, Source
from ..curation.vocabulary import LITERAL_PREDICATE, camel
from ..terms import iris
from ..terms.prefixes import BIBO, BINDINGS, expand

PNET = iris.PNET
MATCH = {
    "exact": SKOS.exactMatch,
    "close": SKOS.closeMatch,
    "broad": SKOS.broadMatch,
    "narrow": SKOS.narrowMatch,
    "related": SKOS.relatedMatch,
}


def to_dataset(curation: Curation, ontology: Path) -> Dataset:
    """The whole graph, ready for checks and loading."""
    ds = Dataset()
    _bind(ds)
    ds.graph(iris.ONTOLOGY_GRAPH).parse(ontology, format="turtle")
    entities = ds.graph(iris.ENTITIES_GRAPH)
    mappings = ds.graph(iris.MAPPINGS_GRAPH)
    for e in curation.entities.values():
        _entity(entities, e)
        _mappings(mappings, e)
    for s in curation.sources.values():
        _source(ds.graph(iris.graph(s.id)), s)
    for c in curation.claims:
        _claim(ds.graph(iris.graph(c.source)), c)
    for r in curation.results:
        _result(ds.graph(iris.graph(r.source)), r)
    for p in curation.cases:
        _case(ds.graph(iris.graph(p.source)), p)
    return ds


def _bind(ds: Dataset) -> None:
    for prefix, ns in BINDINGS.items():
        ds.bind(prefix, ns)


def _e(id: str) -> URIRef:
    return iris.entity(id)


def _text(value: str) -> Literal:
    return Literal(value, lang="en")


def _entity(g: Graph, e: Entity) -> None:
    s = _e(e.id)
    g.add((s, RDF.type, PNET[e.type]))
    g.add((s, RDF.type, OWL.NamedIndividual))
    g.add((s, RDFS.label, _text(e.label)))
    g.add((s, SKOS.prefLabel, _text(e.label)))
    for syn in e.synonyms:
        g.add((s, SKOS.altLabel, _text(syn)))
    if e.definition:
        g.add((s, SKOS.definition, _text(e.definition)))
    for b in e.broader:
        g.add((s, SKOS.broader, _e(b)))
    for d in e.extra.get("components", []):
        g.add((s, PNET.hasComponent, _e(d)))
    for p in e.extra.get("encodes", []):
        g.add((s, PNET.encodes, _e(p)))
    for a in e.extra.get("arms", []):
        g.add((s, PNET.hasArm, _e(a)))
        g.add((_e(a), PNET.armOf, s))
    for i in e.extra.get("interventions", []):
        g.add((s, PNET.armIntervention, _e(i)))
    if "trial" in e.extra:
        g.add((s, PNET.armOf, _e(e.extra["trial"])))
        g.add((_e(e.extra["trial"]), PNET.hasArm, s))
    for p in e.extra.get("population", []):
        g.add((s, PNET.population, _e(p)))
    for key in ("phase", "design"):
        if key in e.extra:
            g.add((s, PNET[key], Literal(str(e.extra[key]))))
    for pub in e.extra.get("publications", []) or []:
        _publication(g, s, pub)


def _publication(g: Graph, trial: URIRef, pub: dict) -> None:
    doi, pmid = pub.get("doi"), pub.get("pmid")
    node = URIRef(expand(f"DOI:{doi}")) if doi else URIRef(expand(f"PUBMED:{pmid}")) if pmid else None
    if node is None:
        return
    g.add((trial, DCTERMS.isReferencedBy, node))
    g.add((node, RDF.type, BIBO.AcademicArticle))
    if pub.get("citation"):
        g.add((node, DCTERMS.bibliographicCitation, Literal(pub["citation"])))
    if doi:
        g.add((node, BIBO.doi, Literal(str(doi))))
    if pmid:
        g.add((node, BIBO.pmid, Literal(str(pmid))))


def _mappings(g: Graph, e: Entity) -> None:
    for x in e.xrefs:
        target = URIRef(expand(x.curie))
        g.add((_e(e.id), MATCH[x.match], target))
        m = iris.mapping(e.id, x.curie)
        g.add((m, RDF.type, PNET.Mapping))
        g.add((m, PNET.mappingSubject, _e(e.id)))
        g.add((m, PNET.mappingPredicate, MATCH[x.match]))
        g.add((m, PNET.mappingTarget, target))
        g.add((m, DCTERMS.identifier, Literal(x.curie)))
        g.add((m, PNET.justification, Literal(x.justification)))
        g.add((m, PNET.curated, Literal(True)))


def _source(g: Graph, s: Source) -> None:
    node = iris.source(s.id)
    g.add((node, RDF.type, PNET.SourceDocument))
    g.add((node, RDFS.label, _text(s.label)))
    g.add((node, DCTERMS.identifier, Literal(s.id)))
    g.add((node, PNET.fileName, Literal(s.file)))
    g.add((node, PNET.sourceKind, Literal(s.kind)))
    g.add((node, DCTERMS.description, _text(s.summary)))
    if s.citation:
        g.add((node, DCTERMS.bibliographicCitation, Literal(s.citation)))


def _evidence(g: Graph, node: URIRef, source: str, quote: str) -> None:
    g.add((node, PNET.quote, Literal(quote)))
    g.add((node, PNET.fromSource, iris.source(source)))
    g.add((node, PROV.wasDerivedFrom, iris.source(source)))


def _claim(g: Graph, c: Claim) -> None:
    node = iris.claim(c.id)
    predicate = PNET[camel(c.predicate)]
    obj = Literal(c.value) if c.predicate == LITERAL_PREDICATE else _e(c.object or "")
    g.add((node, RDF.type, PNET.Claim))
    g.add((node, RDF.subject, _e(c.subject)))
    g.add((node, RDF.predicate, predicate))
    g.add((node, RDF.object, obj))
    _evidence(g, node, c.source, c.quote)
    q = c.qualifiers
    if q.get("endpoint"):
        g.add((node, PNET.qualifierEndpoint, _e(q["endpoint"])))
    if q.get("population"):
        g.add((node, PNET.qualifierPopulation, _e(q["population"])))
    if q.get("mechanism"):
        g.add((node, PNET.mechanism, Literal(str(q["mechanism"]))))
    for flag in ("negated", "hedged"):
        if q.get(flag):
            g.add((node, PNET[flag], Literal(True)))
    if c.cites:
        g.add((node, PNET.citesStudy, _e(c.cites)))
    if c.conflict:
        _conflict(g, node, c.conflict)
    if not c.conflict and not q.get("negated"):
        g.add((_e(c.subject), predicate, obj))


def _decimal(x: float) -> Literal:
    return Literal(repr(x) if x != int(x) else f"{int(x)}.0", datatype=XSD.decimal)


def _put(g: Graph, node: URIRef, predicate: URIRef, value: object, term: Callable[[Any], Node] = Literal) -> None:
    """Add the triple when the curated field has a value (0 counts; None and "" do not)."""
    if value is not None and value != "":
        g.add((node, predicate, term(value)))


def _integer(x: int) -> Literal:
    return Literal(x, datatype=XSD.integer)


def _result(g: Graph, r: Result) -> None:
    node = iris.result(r.id)
    g.add((node, RDF.type, PNET.Result))
    _evidence(g, node, r.source, r.quote)
    for i in r.interventions:
        g.add((node, PNET.intervention, _e(i)))
    for key in ("trial", "arm", "comparator", "endpoint", "event", "population"):
        _put(g, node, PNET[key], getattr(r, key), _e)
    if isinstance(r.value, str):
        g.add((node, PNET.valueText, Literal(r.value)))
    else:
        _put(g, node, PNET.value, r.value, _decimal)
    if r.value_low is not None and r.value_high is not None:
        g.add((node, PNET.valueLow, _decimal(r.value_low)))
        g.add((node, PNET.valueHigh, _decimal(r.value_high)))
    for event in r.events:
        g.add((node, PNET.event, _e(event)))
    _put(g, node, PNET.measures, r.marker, _e)
    _put(g, node, PNET.timepoint, r.timepoint)
    _put(g, node, PNET.unit, r.unit)
    _put(g, node, PNET.ciLower, r.ci_low, _decimal)
    _put(g, node, PNET.ciUpper, r.ci_high, _decimal)
    if r.ci_low is not None or r.ci_high is not None:
        g.add((node, PNET.ciLevel, _decimal(r.ci_level or 0.95)))
    _put(g, node, PNET.pValue, r.p_value)
    _put(g, node, PNET.patients, r.n, _integer)
    _put(g, node, PNET.grade, r.grade)
    _put(g, node, PNET.note, r.note, _text)
    if r.conflict:
        _conflict(g, node, r.conflict)


def _conflict(g: Graph, record: URIRef, note: str) -> None:
    conflict = URIRef(f"{record}/conflict")
    g.add((record, PNET.hasConflict, conflict))
    g.add((conflict, RDF.type, PNET.Conflict))
    g.add((conflict, PNET.conflictNote, _text(note)))


def _case(g: Graph, p: PatientCase) -> None:
    node = iris.case(p.id)
    g.add((node, RDF.type, PNET.PatientCase))
    g.add((node, RDFS.label, _text(f"Patient case {p.id.removeprefix('case-')}")))
    _evidence(g, node, p.source, p.quote)
    _put(g, node, PNET.age, p.age, _integer)
    _put(g, node, PNET.sex, p.sex)
    _put(g, node, PNET.diagnosis, p.diagnosis, _e)
    for i, f in enumerate(p.features, 1):
        fn = iris.case(p.id, "feature", i)
        g.add((node, PNET.hasFeature, fn))
        g.add((fn, RDF.type, PNET.CaseFeature))
        g.add((fn, PNET.featureName, Literal(f.property)))
        _evidence(g, fn, p.source, f.quote)
        numeric = isinstance(f.value, (int, float)) and not isinstance(f.value, bool)
        _put(g, fn, PNET.value, f.value, (lambda v: _decimal(float(v))) if numeric else (lambda v: Literal(str(v))))
        _put(g, fn, PNET.unit, f.unit)
        _put(g, fn, PNET.event, f.entity, _e)
        _put(g, fn, PNET.note, f.note, _text)
        _put(g, fn, PNET.upperLimitOfNormal, f.uln)
        _put(g, fn, PNET.when, f.when)
    for ep in p.episodes:
        en = iris.case(p.id, "episode", ep.order)
        g.add((node, PNET.hasEpisode, en))
        g.add((en, RDF.type, PNET.Episode))
        g.add((en, PNET.order, _integer(ep.order)))
        _evidence(g, en, p.source, ep.quote)
        _put(g, en, PNET.when, ep.when)
        for given in ep.interventions:
            g.add((en, PNET.intervention, _e(given)))
        _put(g, en, PNET.inTrial, ep.trial, _e)
        _put(g, en, PNET.note, ep.note, _text)
        _put(g, en, PNET.dose, ep.dose)
        for k, o in enumerate(ep.outcomes, 1):
            on = iris.case(p.id, "episode", ep.order, "outcome", k)
            g.add((en, PNET.hasOutcome, on))
            g.add((on, RDF.type, PNET.Outcome))
            g.add((on, PNET.outcomeKind, Literal(o.kind)))
            _put(g, on, PNET.event, o.event, _e)
            _put(g, on, PNET.grade, o.grade)
            _put(g, on, PNET.note, o.note, _text)
