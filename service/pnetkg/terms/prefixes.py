"""Prefixes: the namespaces the graph is written and queried with, and the external vocabularies.

Curated files write external identifiers as CURIEs with the prefixes of
``VOCABULARIES`` (``CHEBI:68478``); the graph uses the Bioregistry's canonical
URI for each, and the web links to it. Queries written by the service itself
start with ``sparql_preamble()``.

>>> sparql_preamble("pnet").strip()
'PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import bioregistry
import curies
from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace
from rdflib.namespace import DCTERMS, PROV, SKOS

from .iris import ENTITY, GRAPH_BASE, PNET

BIBO = Namespace("http://purl.org/ontology/bibo/")
# the prefixes the dumps are written with, and the service's own queries use
BINDINGS: dict[str, Namespace] = {
    "pnet": PNET,
    "e": ENTITY,
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "owl": Namespace(str(OWL)),
    "bibo": BIBO,
}
_QUERY_NAMESPACES: dict[str, Namespace] = {
    **BINDINGS,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "graph": Namespace(GRAPH_BASE),  # the named graphs: GRAPH graph:entities
}


def sparql_preamble(*names: str) -> str:
    """PREFIX lines for the names given (all the service's own prefixes when none are)."""
    chosen = names or tuple(_QUERY_NAMESPACES)
    return "".join(f"PREFIX {n}: <{_QUERY_NAMESPACES[n]}>\n" for n in chosen)


@lru_cache(maxsize=4)
def graph_prefixes(ontology: Path) -> dict[str, str]:
    """Every prefix a query on the graph may use: the ontology's, the dumps' and the vocabularies'.

    One list for the query editor, so a vocabulary added to the build is offered there without
    being typed again; sorted by prefix, cached and shared, so not to be changed by callers.
    """
    declared = Graph(bind_namespaces="none").parse(ontology, format="turtle")
    # the ontology's empty prefix is its own namespace, which queries write as pnet: (in BINDINGS)
    found = {prefix: str(ns) for prefix, ns in declared.namespaces() if prefix}
    found.update((prefix, str(ns)) for prefix, ns in BINDINGS.items())
    found.update(sparql_prefixes())
    return dict(sorted(found.items()))


# curated prefix -> Bioregistry prefix, and the vocabulary's name for people
VOCABULARIES: dict[str, tuple[str, str]] = {
    "CHEBI": ("chebi", "ChEBI"),
    "DRUGBANK": ("drugbank", "DrugBank"),
    "CHEMBL.COMPOUND": ("chembl.compound", "ChEMBL"),
    "MESH": ("mesh", "MeSH"),
    "NCIT": ("ncit", "NCI Thesaurus"),
    "HGNC": ("hgnc", "HGNC"),
    "NCBIGENE": ("ncbigene", "NCBI Gene"),
    "UNIPROT": ("uniprot", "UniProt"),
    "MONDO": ("mondo", "MONDO"),
    "HP": ("hp", "Human Phenotype Ontology"),
    "MAXO": ("maxo", "Medical Action Ontology"),
    "DOID": ("doid", "Disease Ontology"),
    "CLINICALTRIALS": ("clinicaltrials", "ClinicalTrials.gov"),
    "DOI": ("doi", "DOI"),
    "PUBMED": ("pubmed", "PubMed"),
}
# The Bioregistry's default for PubMed is its own redirect; the MIRIAM
# (identifiers.org) provider of the same registry names PubMed itself.
_PROVIDER_PRIORITY = {"pubmed": ["miriam"]}


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    records = []
    for prefix, (norm, _) in VOCABULARIES.items():
        priority = _PROVIDER_PRIORITY.get(norm)
        uri_prefix = (
            bioregistry.get_uri_prefix(norm, priority=priority) if priority else bioregistry.get_uri_prefix(norm)
        )
        if uri_prefix is None:  # the Bioregistry has every vocabulary above; a new one must be there too
            raise LookupError(f"the Bioregistry gives no URI prefix for {norm}")
        records.append(curies.Record(prefix=prefix, uri_prefix=uri_prefix))
    return curies.Converter(records)


def sparql_prefixes() -> dict[str, str]:
    """The vocabularies as SPARQL prefixes: the Bioregistry's own (lower-case) prefix -> the graph's URI prefix."""
    uri_prefixes = converter().prefix_map
    return {norm: uri_prefixes[prefix] for prefix, (norm, _) in VOCABULARIES.items()}


def split(curie: str) -> tuple[str, str]:
    prefix, _, local = curie.partition(":")
    return prefix, local


def check_curie(curie: str) -> str | None:
    """None when the CURIE is well-formed, else what is wrong with it."""
    prefix, local = split(curie)
    if prefix not in VOCABULARIES:
        return f"unknown prefix {prefix!r} (known: {', '.join(VOCABULARIES)})"
    norm, name = VOCABULARIES[prefix]
    pattern = bioregistry.get_pattern(norm)
    if pattern and not re.match(pattern, local):
        return f"{local!r} does not match the {name} identifier pattern {pattern}"
    return None


def expand(curie: str) -> str:
    return converter().expand(curie, strict=True)


def vocabulary_name(curie: str) -> str:
    return VOCABULARIES[split(curie)[0]][1]
