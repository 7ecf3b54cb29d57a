"""The IRIs of the graph: one place, so every layer mints them the same way."""

from __future__ import annotations

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/pnet-kg/"
PNET = Namespace(BASE + "ontology#")
ENTITY = Namespace(BASE + "entity/")
ONTOLOGY_IRI = URIRef(BASE + "ontology")


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
    return URIRef(f"{BASE}graph/{name}")


ONTOLOGY_GRAPH = graph("ontology")
ENTITIES_GRAPH = graph("entities")
MAPPINGS_GRAPH = graph("mappings")
INFERRED_GRAPH = graph("inferred")

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
