"""The remote backend: any SPARQL 1.1 server (tested with Oxigraph server and Virtuoso).

Queries go through SPARQLWrapper. A load inserts the new dataset into staging
graphs with SPARQL 1.1 Update, checks their sizes, then moves them over the
served graphs in one update request, so readers see the old graph or the new.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
from pathlib import Path
from urllib.error import HTTPError, URLError

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, QueryBadFormed, SPARQLWrapperException

from ..terms.iris import GRAPH_BASE, STAGING_BASE
from .base import QuerySyntaxError, Row, Store, StoreError, UpstreamError, integer

STAGING = STAGING_BASE
_BATCH = 250  # Virtuoso compiles an update to SQL and caps its length


class RemoteStore(Store):
    name = "remote"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        auth: str = "basic",
    ):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.user, self.password, self.timeout, self.auth = user, password, timeout, auth

    def _client(self, url: str) -> SPARQLWrapper:
        client = SPARQLWrapper(url)
        client.timeout = self.timeout  # type: ignore[assignment]  # setTimeout() would round it down to whole seconds
        if self.user:
            client.setHTTPAuth(self.auth.upper())
            client.setCredentials(self.user, self.password or "")
        return client

    def _raw(
        self, sparql: str, accept: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> tuple[bytes, dict[str, str]]:
        client = self._client(self.query_url)
        client.setQuery(sparql)
        client.setMethod(POST)
        # a form POST: Virtuoso 7.2 does not answer a query POSTed as application/sparql-query
        client.setRequestMethod(URLENCODED)
        for g in default_graphs or []:
            client.addDefaultGraph(g)
        for g in named_graphs or []:
            client.addNamedGraph(g)
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", accept)
        try:
            response = client.query().response
            body = response.read()
            headers = {k.lower(): v for k, v in response.headers.items()}
            status = response.status
        except HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            if exc.code == 400:
                raise QuerySyntaxError(f"{self.query_url}: {detail}") from None
            raise UpstreamError(
                f"{self.query_url} answered {exc.code}: {detail}", 502 if exc.code < 500 else 503
            ) from None
        except QueryBadFormed as exc:
            detail = str(exc).split("Response:", 1)[-1].strip()[:300]
            raise QuerySyntaxError(f"{self.query_url}: {detail}") from None
        except EndPointInternalError:
            raise UpstreamError(f"{self.query_url} failed with a server error", 503) from None
        except http.client.IncompleteRead:
            raise UpstreamError(f"{self.query_url} sent a truncated answer") from None
        except (TimeoutError, socket.timeout):
            raise UpstreamError(f"{self.query_url} did not answer within {self.timeout:g} s", 504) from None
        except (URLError, OSError, http.client.HTTPException, SPARQLWrapperException) as exc:
            if "timed out" in str(exc):
                raise UpstreamError(f"{self.query_url} did not answer within {self.timeout:g} s", 504) from None
            raise UpstreamError(f"{self.query_url}: {str(exc)[:300]}", 503) from None
        if status == 206:
            raise UpstreamError(f"{self.query_url} sent a partial answer (206)")
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) != len(body):
            raise UpstreamError(f"{self.query_url} sent {len(body)} of {length} bytes")
        if headers.get("x-sql-state") or headers.get("x-exec-milliseconds") and headers.get("x-sql-message"):
            # Virtuoso returns 200 with a partial answer when its own time limit is hit
            raise UpstreamError(
                f"{self.query_url} stopped the query early "
                f"({headers.get('x-sql-state')}: {headers.get('x-sql-message', '')})"
            )
        return body, headers

    def select(self, sparql: str) -> list[Row]:
        body, _ = self._raw(sparql, "application/sparql-results+json")
        data = _json(body, self.query_url)
        return [{k: _term(v) for k, v in b.items()} for b in data["results"]["bindings"]]

    def ask(self, sparql: str) -> bool:
        body, _ = self._raw(sparql, "application/sparql-results+json")
        return bool(_json(body, self.query_url)["boolean"])

    def triples(self, sparql: str) -> list[tuple[Node, Node, Node]]:
        body, _ = self._raw(sparql, "application/n-triples")
        return list(Graph().parse(data=body.decode("utf-8"), format="nt"))

    def serialize(
        self,
        sparql: str,
        media_type: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> bytes:
        if base_iri and not re.match(r"\s*BASE\b", sparql, re.I):
            sparql = f"BASE <{base_iri}>\n{sparql}"
        return self._raw(sparql, media_type, default_graphs, named_graphs)[0]

    def graph_sizes(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        if any("g" not in r or "n" not in r for r in rows):
            raise UpstreamError(f"{self.query_url} answered a count of graphs without the graphs and counts")
        return {str(r["g"]): integer(r["n"]) for r in rows if str(r["g"]).startswith(GRAPH_BASE)}

    def update(self, sparql: str) -> None:
        client = self._client(self.update_url)
        client.setMethod(POST)
        client.setRequestMethod("postdirectly")
        client.setQuery(sparql)
        try:
            client.query().response.read()
        except HTTPError as exc:
            raise StoreError(f"{self.update_url} refused an update: {exc.code} {exc.read()[:300]!r}") from None
        except (URLError, OSError, SPARQLWrapperException) as exc:
            raise StoreError(f"{self.update_url}: {str(exc)[:300]}") from None

    def replace_all(self, nquads: Path) -> int:
        ds = Dataset()
        try:
            ds.parse(nquads, format="nquads")
        except Exception as exc:  # rdflib raises many parser types; all mean "bad file"
            raise StoreError(f"cannot read {nquads}: {exc}") from None
        graphs = {str(g.identifier): g for g in ds.graphs() if len(g)}
        staged = {name: STAGING + name.rsplit("/", 1)[-1] for name in graphs}
        self.update(" ; ".join(f"DROP SILENT GRAPH <{s}>" for s in staged.values()))
        for name, graph in graphs.items():
            for chunk in _chunks(graph):
                body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in chunk)
                # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in DATA
                self.update(f"INSERT {{ GRAPH <{staged[name]}> {{\n{body}\n}} }} WHERE {{}}")
        for name, graph in graphs.items():
            got = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{staged[name]}> {{ ?s ?p ?o }} }}")
            if integer(got[0]["n"]) != len(graph):
                raise StoreError(f"staging graph {name} has {got[0]['n']} triples, expected {len(graph)}")
        old = set(self.graph_sizes()) - set(graphs)
        moves = [f"MOVE SILENT GRAPH <{staged[n]}> TO GRAPH <{n}>" for n in graphs]
        self.update(" ; ".join(moves + [f"DROP SILENT GRAPH <{g}>" for g in old]))
        return sum(len(g) for g in graphs.values())


def _chunks(graph: Graph) -> list[list[tuple[Node, Node, Node]]]:
    """Batches of triples small enough for any server; triples joined by blank nodes stay together."""
    components: dict[Node, list[tuple[Node, Node, Node]]] = {}
    parent: dict[Node, Node] = {}

    def find(b: Node) -> Node:
        while parent.setdefault(b, b) != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    plain = []
    for t in graph:
        bnodes = [x for x in (t[0], t[2]) if isinstance(x, BNode)]
        if not bnodes:
            plain.append(t)
            continue
        roots = [find(b) for b in bnodes]
        for r in roots[1:]:
            parent[r] = roots[0]
    for t in graph:
        bnodes = [x for x in (t[0], t[2]) if isinstance(x, BNode)]
        if bnodes:
            components.setdefault(find(bnodes[0]), []).append(t)
    batches: list[list[tuple]] = []
    current: list[tuple] = []
    for group in [[t] for t in plain] + list(components.values()):
        if current and len(current) + len(group) > _BATCH:
            batches.append(current)
            current = []
        current += group
    return batches + ([current] if current else [])


def _json(body: bytes, url: str) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        raise UpstreamError(f"{url} sent an incomplete or invalid JSON answer") from None


def _term(binding: dict) -> Node:
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    if "xml:lang" in binding:
        return Literal(binding["value"], lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(binding["value"], datatype=URIRef(datatype) if datatype else None)
