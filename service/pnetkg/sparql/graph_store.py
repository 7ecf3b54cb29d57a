"""/sparql/graph: the read side of the W3C SPARQL 1.1 Graph Store HTTP Protocol.

Graphs are identified indirectly: ``?graph=<absolute IRI>`` names a graph and
``?default`` the default graph, which is what queries see as theirs (the
service description's sd:UnionDefaultGraph): the union of all named graphs.
GET answers the graph as Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept``;
HEAD answers the same status and headers without reading the graph. A named
graph exists when it holds a triple; otherwise 404. Graphs are read with
CONSTRUCT and ASK through the Store interface, so every backend serves them.

The service is read-only: PUT, POST, DELETE and PATCH are answered 405 and
change nothing. Direct identification is not offered: the graphs' IRIs
(https://w3id.org/pnet-kg/graph/...) are not URLs of this service.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from ..store.base import QueryKind
from .endpoint import CORS_HEADERS, MAX_URL_QUERY, absolute_iri, content_type
from .errors import BadRequest, UriTooLong
from .negotiation import choose

bp = Blueprint("graph_store", __name__)

READ_METHODS = "GET, HEAD, OPTIONS"
_CORS = [(k, READ_METHODS if k == "Access-Control-Allow-Methods" else v) for k, v in CORS_HEADERS]


@bp.after_request
def _cors(response: Response) -> Response:
    for name, value in _CORS:
        response.headers[name] = value
    return response


@bp.route("/sparql/graph", methods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "DELETE", "PATCH"])
def graph_store() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": READ_METHODS})
    if request.method not in ("GET", "HEAD"):
        detail = "the graph store is read-only here: graphs can be read (GET, HEAD) but not changed"
        return Response(
            f"Method not allowed: {detail}\n",
            status=405,
            headers={"Allow": READ_METHODS},
            content_type="text/plain; charset=utf-8",
        )
    if len(request.query_string) > MAX_URL_QUERY:
        raise UriTooLong(f"the query string is over {MAX_URL_QUERY} bytes")
    iri = _graph(request.args)
    media = choose(QueryKind.CONSTRUCT, request.headers.get("Accept"))
    store = current_app.config["STORE"]
    if iri is None:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        # the IRI has passed absolute_iri: no '>', space or newline can end it early
        if not store.ask(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"):
            raise NotFound(f"there is no graph <{iri}> in this store")
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    headers = {"Vary": "Accept", "Content-Type": content_type(media)}
    if request.method == "HEAD":
        return Response(iter(()), headers=headers)  # an iterator: no Content-Length of 0 is claimed
    return Response(store.serialize(query, media), headers=headers)


def _graph(args: MultiDict[str, str]) -> str | None:
    """The graph's IRI, or None for the default graph; BadRequest unless exactly one is named."""
    graphs, default = args.getlist("graph"), args.getlist("default")
    if graphs and default:
        raise BadRequest("name one graph: graph=<IRI> or default, not both")
    if not graphs and not default:
        raise BadRequest("name a graph: ?graph=<absolute IRI> or ?default")
    if len(graphs) > 1 or len(default) > 1:
        raise BadRequest("name one graph at a time")
    if default:
        if default[0]:
            raise BadRequest(f"default takes no value (not {default[0][:100]!r}); for a named graph use graph=")
        return None
    if not absolute_iri(graphs[0]):
        raise BadRequest(f"graph must be an absolute IRI, not {graphs[0][:100]!r}")
    return graphs[0]
