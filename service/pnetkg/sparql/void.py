"""The VoID description of the dataset: graphs, sizes, vocabularies, link sets, licence, dumps."""

from __future__ import annotations

from urllib.parse import quote

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, XSD

from ..store.base import Store, integer
from ..terms import iris
from ..terms.prefixes import VOCABULARIES, converter, sparql_preamble

VOID = Namespace("http://rdfs.org/ns/void#")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
_LINKS = (
    sparql_preamble("pnet", "dcterms")
    + """
SELECT ?prefix ?predicate (COUNT(?m) AS ?n) WHERE {
  ?m a pnet:Mapping ; dcterms:identifier ?id ; pnet:mappingPredicate ?predicate .
  BIND(STRBEFORE(STR(?id), ":") AS ?prefix)
} GROUP BY ?prefix ?predicate"""
)


def void_description(store: Store, base: str) -> Graph:
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    dataset = URIRef(base + "/.well-known/void#pnet-kg")
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add(
        (dataset, DCTERMS.title, Literal("pnet-kg: a knowledge graph of pancreatic neuroendocrine tumours", lang="en"))
    )
    g.add((dataset, DCTERMS.license, LICENSE))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(base + "/sparql")))
    g.add((dataset, VOID.uriSpace, Literal(str(iris.ENTITY))))
    g.add((dataset, VOID.dataDump, URIRef(base + "/download/pnet-kg.nq")))
    g.add((dataset, VOID.dataDump, URIRef(base + "/download/pnet-kg.ttl")))
    g.add((dataset, FOAF.homepage, URIRef(base + "/")))
    for vocabulary in (
        iris.PNET,
        "http://www.w3.org/2004/02/skos/core#",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/ns/prov#",
    ):
        g.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
    sizes = store.graph_sizes()
    g.add((dataset, VOID.triples, Literal(sum(sizes.values()), datatype=XSD.integer)))
    for name, count in sorted(sizes.items()):
        subset = URIRef(base + "/.well-known/void#graph-" + name.rsplit("/", 1)[-1])
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, DCTERMS.identifier, URIRef(name)))
        g.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))
        # the graph alone, from the Graph Store Protocol's read side (sparql/graph_store.py)
        g.add((subset, VOID.dataDump, URIRef(f"{base}/sparql/graph?graph={quote(name, safe='')}")))
    targets = converter()
    for row in store.select(_LINKS):
        prefix, predicate = str(row["prefix"]), row["predicate"]
        if prefix not in VOCABULARIES:
            continue
        name = VOCABULARIES[prefix][1]
        linkset = URIRef(f"{base}/.well-known/void#links-{prefix.lower()}-{str(predicate).rsplit('#', 1)[-1]}")
        g.add((dataset, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.linkPredicate, URIRef(str(predicate))))
        g.add((linkset, VOID.triples, Literal(integer(row["n"]), datatype=XSD.integer)))
        g.add((linkset, VOID.subjectsTarget, dataset))
        g.add((linkset, DCTERMS.title, Literal(f"links to {name}", lang="en")))
        g.add((linkset, VOID.objectsTarget, URIRef(targets.prefix_map[prefix])))
    return g
