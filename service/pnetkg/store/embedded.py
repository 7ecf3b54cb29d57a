"""The embedded backend: pyoxigraph on-disk stores in a data directory.

Layout: ``DATA/stores/<name>/`` holds complete stores; ``DATA/current`` is a
symlink to the one being served. A load builds a new store beside the
current one and, only once it is complete and checked, swaps the symlink
(an atomic rename). Readers open the current store read-only and notice a
swap at their next query, so a failed or killed load changes nothing they see
and queries are answered while a load runs.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .base import QuerySyntaxError, Row, Store, StoreError, integer

CURRENT = "current"
STORES = "stores"

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term {term!r}")


class EmbeddedStore(Store):
    name = "embedded"

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / STORES).mkdir(exist_ok=True)
        self._target: str | None = None
        self._store: ox.Store | None = None

    # ------------------------------------------------------------ reading
    def _current(self) -> ox.Store:
        """The served store, reopened when a load has swapped it."""
        link = self.data_dir / CURRENT
        try:
            target = os.readlink(link)
        except FileNotFoundError:
            target = None
        except OSError as exc:
            raise StoreError(f"cannot read {link}: {exc}") from None
        if target != self._target or self._store is None:
            self._store = ox.Store.read_only(str(self.data_dir / target)) if target else ox.Store()
            self._target = target
        return self._store

    def _query(
        self,
        sparql: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> object:
        store = self._current()
        try:
            if default_graphs or named_graphs:
                # a dataset given by the protocol is exactly the graphs named, nothing else
                return store.query(
                    sparql,
                    base_iri=base_iri,
                    default_graph=[ox.NamedNode(g) for g in default_graphs or []],
                    named_graphs=[ox.NamedNode(g) for g in named_graphs or []],
                )
            return store.query(sparql, base_iri=base_iri, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QuerySyntaxError(_with_position(str(exc))) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"query failed: {exc}") from None

    def select(self, sparql: str) -> list[Row]:
        solutions = self._query(sparql)
        if not isinstance(solutions, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        names = [v.value for v in solutions.variables]
        return [{n: to_rdflib(t) for n, t in zip(names, s, strict=True) if t is not None} for s in solutions]

    def ask(self, sparql: str) -> bool:
        answer = self._query(sparql)
        if not isinstance(answer, ox.QueryBoolean):
            raise StoreError("not an ASK query")
        return bool(answer)

    def triples(self, sparql: str) -> list[tuple[Node, Node, Node]]:
        answer = self._query(sparql)
        if not isinstance(answer, ox.QueryTriples):
            raise StoreError("not a CONSTRUCT or DESCRIBE query")
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in answer]

    def serialize(
        self,
        sparql: str,
        media_type: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> bytes:
        answer = self._query(sparql, default_graphs, named_graphs, base_iri)
        if isinstance(answer, ox.QueryTriples):
            rdf_format = _RDF_FORMATS.get(media_type)
            if rdf_format is None:
                raise StoreError(f"{media_type} is not an RDF format")
            return ox.serialize(answer, format=rdf_format) or b""
        results_format = _RESULT_FORMATS.get(media_type)
        if results_format is None or not isinstance(answer, (ox.QuerySolutions, ox.QueryBoolean)):
            raise StoreError(f"{media_type} is not a SPARQL results format")
        return answer.serialize(format=results_format) or b""

    def is_empty(self) -> bool:
        # without opening the store: a server must not start RocksDB's threads before it forks
        return not (self.data_dir / CURRENT).is_symlink()

    def graph_sizes(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {str(r["g"]): integer(r["n"]) for r in rows}

    # ------------------------------------------------------------ loading
    def replace_all(self, nquads: Path) -> int:
        def fill(fresh: ox.Store) -> None:
            try:
                fresh.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
            except (SyntaxError, ValueError, OSError) as exc:
                raise StoreError(f"cannot load {nquads}: {exc}") from None
            loaded, expected = len(fresh), _count_lines(nquads)
            if loaded == 0 or loaded > expected:
                raise StoreError(f"load of {nquads} gave {loaded} quads, expected up to {expected}")

        return self._publish(fill)

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update to a copy of the served store, then serve the copy (readers never see half)."""

        def fill(fresh: ox.Store) -> None:
            fresh.bulk_extend(self._current().quads_for_pattern(None, None, None, None))
            try:
                fresh.update(sparql)
            except SyntaxError as exc:
                raise QuerySyntaxError(_with_position(str(exc))) from None
            except (ValueError, OSError, RuntimeError) as exc:
                raise StoreError(f"update failed: {exc}") from None

        self._publish(fill)

    def _publish(self, fill: Callable[[ox.Store], None]) -> int:
        """Build a new store beside the served one with ``fill``, then swap it in; one writer at a time."""
        stores = self.data_dir / STORES
        with open(self.data_dir / ".write.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # loads and updates from any process, one after another
            name = time.strftime("%Y%m%dT%H%M%S") + f"-{uuid.uuid4().hex[:8]}"
            staging = stores / f"{name}.loading"
            try:
                fresh = ox.Store(str(staging))
                fill(fresh)
                fresh.flush()
                size = len(fresh)
                del fresh
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            os.rename(staging, stores / name)
            link = self.data_dir / CURRENT
            previous = Path(os.readlink(link)).name if link.is_symlink() else None
            _swap_symlink(link, f"{STORES}/{name}")
            self._prune(keep={name, previous})
        return size

    def _prune(self, keep: set[str | None]) -> None:
        """Remove stores no reader should still hold: all but the current and the one before."""
        for path in (self.data_dir / STORES).iterdir():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def close(self) -> None:
        self._store = None
        self._target = None


def _with_position(message: str) -> str:
    """pyoxigraph says "error at 12:39: ..."; say line and column in words."""
    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)", message, re.S)
    return f"line {m.group(1)}, column {m.group(2)}: {m.group(3)}" if m else message


def _swap_symlink(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}.{os.getpid()}")
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip() and not line.startswith(b"#"))
