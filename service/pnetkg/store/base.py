"""The Store interface everything above the store layer uses.

Terms cross the interface as rdflib terms (URIRef, Literal, BNode), so the
web and SPARQL layers never see pyoxigraph or SPARQLWrapper objects.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from enum import Enum
from pathlib import Path

from rdflib.term import Node


class StoreError(Exception):
    """The store cannot do what was asked (bad data, unreachable server, failed load)."""


class QuerySyntaxError(StoreError):
    """The query does not parse; the message carries the parser's line and column."""


class UpstreamError(StoreError):
    """A remote server failed, timed out, or sent a partial answer: never passed on as a result."""

    def __init__(self, message: str, status: int = 502):
        super().__init__(message)
        self.status = status


class QueryTimeout(StoreError):
    """A query ran past its time limit and was stopped."""


class AnswerTooLarge(StoreError):
    """The answer is larger than the service hands out: the query should ask for less."""


class Busy(StoreError):
    """Every query evaluator is taken: the client should retry shortly."""

    retry_after = 2  # seconds


class QueryKind(str, Enum):
    SELECT = "select"
    ASK = "ask"
    CONSTRUCT = "construct"
    DESCRIBE = "describe"


_PROLOGUE = re.compile(r"""(?:\s+|\#[^\n]*\n?|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*""", re.I)
_KIND = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def query_kind(sparql: str) -> QueryKind | None:
    """The form of a query, read after its prologue; None when it is not a query form."""
    prologue = _PROLOGUE.match(sparql)  # always matches: every part of it is optional
    m = _KIND.match(sparql, prologue.end() if prologue else 0)
    return QueryKind(m.group(1).lower()) if m else None


Row = dict[str, Node]


def integer(term: Node) -> int:
    """A count or number of a result row as an int (a literal's lexical form)."""
    return int(str(term))


class Store(ABC):
    """Run queries on the graph and replace it atomically."""

    #: the backend name shown by ``pnet-kg stats`` and the service description
    name: str = "store"

    @abstractmethod
    def select(self, sparql: str) -> list[Row]:
        """Rows of a SELECT query, each a mapping from variable name to term (unbound left out)."""

    @abstractmethod
    def ask(self, sparql: str) -> bool:
        """The answer of an ASK query."""

    @abstractmethod
    def triples(self, sparql: str) -> list[tuple[Node, Node, Node]]:
        """The triples of a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def serialize(
        self,
        sparql: str,
        media_type: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> bytes:
        """The answer of any query form, serialised in a W3C format the caller chose.

        The dataset is the union of all graphs unless default or named graphs are given;
        ``base_iri`` resolves relative IRIs of the query (the protocol's service base).
        """

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Apply a SPARQL 1.1 Update (administrators only: the web layer checks the token)."""

    @abstractmethod
    def replace_all(self, nquads: Path) -> int:
        """Replace the whole dataset by the N-Quads file, atomically for readers; returns quads loaded."""

    @abstractmethod
    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""

    def is_empty(self) -> bool:
        return not self.graph_sizes()

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release files or connections."""
