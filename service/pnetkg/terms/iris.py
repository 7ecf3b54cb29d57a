"""The IRIs of the graph: one place, so every layer mints and reads them the same way.

>>> str(entity("everolimus"))
'https://w3id.org/pnet-kg/entity/everolimus'
>>> shorten(PNET.Drug), shorten(claim("s000-c001")), shorten("http://purl.obolibrary.org/obo/X")
('Drug', 'claim/s000-c001', 'http://purl.obolibrary.org/obo/X')
"""

from __future__ import annotations

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/pnet-kg/"
PNET = Namespace(BASE + "ontology#")
ENTITY = Namespace(BASE + "entity/")
ONTOLOGY_IRI = URIRef(BASE + "ontology")
GRAPH_BASE = BASE + "graph/"
STAGING_BASE = BASE + "staging/"  # graphs a remote load fills before it moves them into place


def entity(id: str) -> URIRef:
    return ENTITY[id]


def source(id: str) -> URIRef:
    return URIRef(f"{BASE}source/{id}")


def claim(id: str) -> URIRef:
    return URIRef(f"{BASE}claim/{id}")


def result(id: str) -> URIRef:
    return URIRef(f"{BASE}result/{id}")


def case(id: str, *parts: object) -> URIRef:
    return URIRef(f"{BASE}case/{id}" + "".join(f"/{p}" for p in parts))


def mapping(entity_id: str, curie: str) -> URIRef:
    return URIRef(f"{BASE}mapping/{entity_id}/{curie.replace(':', '_')}")


def graph(name: str) -> URIRef:
    return URIRef(GRAPH_BASE + name)


ONTOLOGY_GRAPH = graph("ontology")
ENTITIES_GRAPH = graph("entities")
MAPPINGS_GRAPH = graph("mappings")
INFERRED_GRAPH = graph("inferred")
EVIDENCE_GRAPH = graph("evidence")


def shorten(iri: object) -> str:
    """The graph's own IRIs as people read them: an entity's id, a term's name, a record's path."""
    text = str(iri)
    for prefix in (str(ENTITY), str(PNET), BASE):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text
