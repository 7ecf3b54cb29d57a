"""Media types: the one table of formats the service reads and writes, and choosing one by Accept.

>>> choose(GRAPH_TYPES, "text/html;q=0.5, application/rdf+xml")
'application/rdf+xml'
>>> FORMAT_NAMES["ttl"], RDFLIB_NAMES["application/ld+json"]
('text/turtle', 'json-ld')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    media_type: str
    names: tuple[str, ...]  # format= values and CLI names, the first one canonical
    answers: str  # "results" (SELECT, ASK), "graph" (CONSTRUCT, DESCRIBE, pages) or "dataset" (dumps)
    w3c: str  # the local name in http://www.w3.org/ns/formats/
    rdflib: str | None = None  # rdflib's serializer name


FORMATS = (
    Format("application/sparql-results+json", ("json",), "results", "SPARQL_Results_JSON"),
    Format("application/sparql-results+xml", ("xml",), "results", "SPARQL_Results_XML"),
    Format("text/csv", ("csv",), "results", "SPARQL_Results_CSV"),
    Format("text/tab-separated-values", ("tsv",), "results", "SPARQL_Results_TSV"),
    Format("text/turtle", ("turtle", "ttl"), "graph", "Turtle", "turtle"),
    Format("application/n-triples", ("ntriples", "nt"), "graph", "N-Triples", "nt"),
    Format("application/ld+json", ("jsonld", "json-ld"), "graph", "JSON-LD", "json-ld"),
    Format("application/rdf+xml", ("rdfxml", "rdf"), "graph", "RDF_XML", "xml"),
    Format("application/n-quads", ("nquads", "nq"), "dataset", "N-Quads", "nquads"),
    Format("application/trig", ("trig",), "dataset", "TriG", "trig"),
)
RESULT_TYPES = [f.media_type for f in FORMATS if f.answers == "results"]
GRAPH_TYPES = [f.media_type for f in FORMATS if f.answers == "graph"]
FORMAT_NAMES = {name: f.media_type for f in FORMATS if f.answers != "dataset" for name in f.names}
CLI_FORMATS = {f.names[0]: f.media_type for f in FORMATS if f.answers != "dataset"}
RDFLIB_NAMES = {f.media_type: f.rdflib for f in FORMATS if f.rdflib}
W3C_NAMES = {f.media_type: f.w3c for f in FORMATS}
# Other names clients send for the same formats.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json-ld": "application/ld+json",
}


class NotAcceptable(Exception):
    """No format the client accepts can carry this kind of answer."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first; an absent header accepts anything."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, -position))
    ranges.sort(key=lambda r: (r[1], _specificity(r[0]), r[2]), reverse=True)
    return [(m, q) for m, q, _ in ranges]


def _specificity(media: str) -> int:
    return 0 if media == "*/*" else 1 if media.endswith("/*") else 2


def choose(offered: list[str], accept: str | None, format_name: str | None = None, what: str = "answer") -> str:
    """The offered media type the client prefers (``format=`` wins over Accept); NotAcceptable if none."""
    if format_name:
        media = FORMAT_NAMES.get(format_name.lower(), ALIASES.get(format_name.lower(), format_name.lower()))
        if media in offered:
            return media
        raise NotAcceptable(f"format {format_name!r} cannot carry {what} (use one of: {', '.join(offered)})")
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        media = ALIASES.get(media, media)
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            match = [t for t in offered if t.startswith(media[:-1])]
            if match:
                return match[0]
        elif media in offered:
            return media
    raise NotAcceptable(f"none of the accepted types can carry {what} (offered: {', '.join(offered)})")
