"""One prefix map for external identifiers, taken from the Bioregistry.

Curated files write CURIEs with the prefixes below (``CHEBI:68478``); the graph
uses the Bioregistry's canonical URI for each, and the web links to it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import bioregistry
import curies

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
