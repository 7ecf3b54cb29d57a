"""Choose a result format from the Accept header (with q-values) or a format= parameter."""

from __future__ import annotations

from ..store.base import QueryKind

RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
RDF_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}
# Aliases clients send for the same formats.
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


def offered(kind: QueryKind) -> list[str]:
    return RDF_TYPES if kind in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE) else RESULT_TYPES


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


def choose(kind: QueryKind, accept: str | None, format_name: str | None = None) -> str:
    types = offered(kind)
    if format_name:
        media = FORMAT_NAMES.get(format_name.lower(), ALIASES.get(format_name.lower(), format_name.lower()))
        if media in types:
            return media
        raise NotAcceptable(
            f"format {format_name!r} cannot carry a {kind.value.upper()} answer (use one of: {', '.join(types)})"
        )
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        media = ALIASES.get(media, media)
        if media == "*/*":
            return types[0]
        if media.endswith("/*"):
            match = [t for t in types if t.startswith(media[:-1])]
            if match:
                return match[0]
        elif media in types:
            return media
    raise NotAcceptable(
        f"none of the accepted types can carry a {kind.value.upper()} answer (offered: {', '.join(types)})"
    )
