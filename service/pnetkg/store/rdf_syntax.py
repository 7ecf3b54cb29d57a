"""RDF syntax the protocol layers need checked or parsed, done with the store's own parser.

The SPARQL and page layers reach pyoxigraph only through the store layer: an
IRI is checked against the full grammar a store will apply, and a graph sent
by a client is parsed here and handed back as N-Triples, which is also the
syntax of SPARQL 1.1 terms, ready for an update.
"""

from __future__ import annotations

import pyoxigraph as ox

from .base import StoreError

#: the media types a graph may be written in; N-Quads and TriG name graphs, which a graph cannot hold
GRAPH_BODY_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class RdfSyntaxError(StoreError):
    """A graph sent by a client does not parse, or holds what this store cannot keep."""


def valid_iri(text: str) -> bool:
    """Whether the text passes the full IRI grammar: percent-escapes, ports, code points a store would refuse."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def graph_ntriples(body: bytes, media_type: str, base: str | None) -> str:
    """The triples of a graph in one of GRAPH_BODY_FORMATS, as N-Triples; RdfSyntaxError when it is none."""
    fmt = GRAPH_BODY_FORMATS[media_type]
    try:
        # a body may not name graphs (N-Triples and Turtle cannot anyway); its blank nodes get fresh names
        quads = list(ox.parse(body, fmt, base_iri=base, without_named_graphs=True, rename_blank_nodes=True))
    except (SyntaxError, ValueError) as exc:
        raise RdfSyntaxError(f"the body is not valid {media_type}: {exc}") from None
    lines = []
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.Triple) or (isinstance(term, ox.Literal) and term.direction is not None):
                triple = str(q.triple)[:200]
                raise RdfSyntaxError(f"RDF 1.2 triple terms and base directions cannot be stored here (in {triple})")
        lines.append(f"{q.subject} {q.predicate} {q.object} .\n")
    return "".join(lines)
