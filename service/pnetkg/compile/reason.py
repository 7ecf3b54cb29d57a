"""Run the OWL reasoner (HermiT, through owlready2) over the entities and their relations.

The reasoner checks that the graph is consistent with the ontology (disjoint
classes catch curation mistakes) and classifies entities under the defined
classes (a drug a source says inhibits mTOR becomes an :MTORInhibitor). Only
the entity layer is reasoned over: claims, results and cases are records, not
OWL individuals of interest, and leaving them out keeps HermiT fast.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph, URIRef

from ..terms import iris

PNET = str(iris.PNET)
ENTITY = str(iris.ENTITY)


class ReasonerError(Exception):
    """The ontology and the data together are inconsistent, or the reasoner failed."""


def reasoning_input(ds: Dataset) -> Graph:
    """Ontology + entity descriptions + relations between entities from every source graph."""
    g = Graph()
    g += ds.graph(iris.ONTOLOGY_GRAPH)
    object_properties = set(g.subjects(RDF.type, OWL.ObjectProperty))
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        if ctx == iris.ONTOLOGY_GRAPH or ctx == iris.MAPPINGS_GRAPH:
            continue
        if not str(s).startswith(ENTITY):
            continue
        if p == RDF.type and str(o).startswith(PNET):
            g.add((s, p, o))
            g.add((s, RDF.type, OWL.NamedIndividual))
        elif p in object_properties and isinstance(o, URIRef) and str(o).startswith(ENTITY):
            g.add((s, p, o))
    return g


def infer_types(ds: Dataset) -> Graph:
    """The rdf:type triples the reasoner adds to what was asserted; raises ReasonerError."""
    import owlready2

    data = reasoning_input(ds)
    asserted = {(s, o) for s, o in data.subject_objects(RDF.type)}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reasoning-input.owl"
        data.serialize(path, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            raise ReasonerError("inconsistent ontology: " + _explain(data)) from None
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerError(f"the reasoner failed: {str(exc).splitlines()[-1]}") from None
        inferred = Graph()
        for individual in world.individuals():
            subject = URIRef(individual.iri)
            if not str(subject).startswith(ENTITY):
                continue
            for cls in individual.is_a:
                iri = getattr(cls, "iri", None)
                if iri and iri.startswith(PNET) and (subject, URIRef(iri)) not in asserted:
                    inferred.add((subject, RDF.type, URIRef(iri)))
    return inferred


def _explain(data: Graph) -> str:
    """Name individuals whose types are declared disjoint: the usual curation mistake."""
    rows = data.query(
        """
        SELECT DISTINCT ?x ?sa ?sb WHERE {
          ?x a ?a , ?b . ?a rdfs:subClassOf* ?sa . ?b rdfs:subClassOf* ?sb .
          { ?sa owl:disjointWith ?sb } UNION
          { ?d a owl:AllDisjointClasses ; owl:members ?l .
            ?l rdf:rest*/rdf:first ?sa . ?l rdf:rest*/rdf:first ?sb . FILTER(?sa != ?sb) }
        } LIMIT 5""",
        initNs={"owl": OWL, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
    )
    short = iris.shorten
    found = [f"{short(x)} is both {short(a)} and {short(b)}, which are disjoint" for x, a, b in rows][:3]  # type: ignore[misc]  # rdflib types a SELECT's rows as a union with ASK's bool
    return "; ".join(found) or "no entity with disjoint asserted types; an inferred type clashes"
