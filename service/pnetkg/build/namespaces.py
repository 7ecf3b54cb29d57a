"""Every prefix a query on the graph may use, taken from what the build itself uses.

The ontology's declarations, the prefixes the dumps are written with and the
external vocabularies of the identifier map: one list for the query editor, so
a vocabulary added to the build is offered there without being typed again.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from .prefixes import sparql_prefixes
from .rdf import BINDINGS


@lru_cache(maxsize=4)
def graph_prefixes(ontology: Path) -> dict[str, str]:
    """prefix -> namespace IRI, sorted by prefix; cached and shared, so not to be changed by callers."""
    declared = Graph(bind_namespaces="none").parse(ontology, format="turtle")
    # the ontology's empty prefix is its own namespace, which queries write as pnet: (in BINDINGS)
    found = {prefix: str(ns) for prefix, ns in declared.namespaces() if prefix}
    found.update((prefix, str(ns)) for prefix, ns in BINDINGS.items())
    found.update(sparql_prefixes())
    return dict(sorted(found.items()))
