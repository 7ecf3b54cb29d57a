"""/sparql/graph: the W3C SPARQL 1.1 Graph Store HTTP Protocol.

Graphs are identified indirectly: ``?graph=<absolute IRI>`` names a graph and
``?default`` the default graph. GET answers the graph as Turtle, N-Triples,
JSON-LD or RDF/XML by ``Accept``; HEAD answers the same status and headers
without reading the graph. A named graph exists when it holds a triple;
otherwise 404. For reads, ``?default`` is what queries see as their default
graph (the service description's sd:UnionDefaultGraph): the union of all graphs.

Writes (PUT, POST, DELETE) are the administrator's only, with the same token
as SPARQL Update (``require_admin``); without it they are refused (403) and
change nothing. The body (Turtle, N-Triples or RDF/XML, or several of them as
multipart/form-data) is parsed by the store's parser and the write is sent to the
store as one SPARQL Update, so every backend applies it the way it applies an
update. A write to ``?default`` goes to the store's own default graph, which
is only a part of what a GET of ``?default`` returns. PATCH is not in the
protocol: 405. Direct identification is not offered: the graphs' IRIs
(https://w3id.org/pnet-kg/graph/...) are not URLs of this service.
"""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, Response, current_app, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from ..store.rdf_syntax import GRAPH_BODY_FORMATS, RdfSyntaxError, graph_ntriples
from ..terms import iris
from ..terms.media import GRAPH_TYPES, choose
from .endpoint import (
    CORS_HEADERS,
    MAX_URL_QUERY,
    absolute_iri,
    check_body_cap,
    content_type,
    request_body,
    require_admin,
)
from .errors import BadRequest, UnsupportedMediaType, UriTooLong

bp = Blueprint("graph_store", __name__)

READ_METHODS = "GET, HEAD, OPTIONS"
WRITE_METHODS = "PUT, POST, DELETE"
_CORS = [(k, READ_METHODS if k == "Access-Control-Allow-Methods" else v) for k, v in CORS_HEADERS]

#: where a graph POSTed without a name is created
NEW_GRAPHS = str(iris.graph("posted/"))
# A DTD can declare entities, which the RDF/XML parser expands without bound (an "entity bomb"
# aborts the process): RDF/XML is accepted without one. XML spells it in capitals; any case is refused.
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


@bp.after_request
def _cors(response: Response) -> Response:
    for name, value in _CORS:
        response.headers[name] = value
    return response


@bp.route("/sparql/graph", methods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "DELETE", "PATCH"])
def graph_store() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": _allowed()})
    if request.method == "PATCH":
        return Response(
            "Method not allowed: PATCH is not part of the Graph Store protocol; "
            "replace a graph with PUT or add to it with POST\n",
            status=405,
            headers={"Allow": _allowed()},
            content_type="text/plain; charset=utf-8",
        )
    if len(request.query_string) > MAX_URL_QUERY:
        raise UriTooLong(f"the query string is over {MAX_URL_QUERY} bytes")
    if request.method not in ("GET", "HEAD"):
        return _write()
    iri = _graph(request.args)
    media = choose(GRAPH_TYPES, request.headers.get("Accept"), None, "a CONSTRUCT answer")
    store = current_app.config["STORE"]
    if iri is None:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    else:
        # the IRI has passed absolute_iri: no '>', space or newline can end it early
        if not _exists(iri):
            raise NotFound(f"there is no graph <{iri}> in this store")
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    headers = {"Vary": "Accept", "Content-Type": content_type(media)}
    if request.method == "HEAD":
        return Response(iter(()), headers=headers)  # an iterator: no Content-Length of 0 is claimed
    return Response(store.serialize(query, media), headers=headers)


def _allowed() -> str:
    """The Allow header: the writes only when an administrator's token is set."""
    return READ_METHODS + (", " + WRITE_METHODS if current_app.config["SETTINGS"].admin_token else "")


def _exists(iri: str) -> bool:
    return current_app.config["STORE"].ask(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")


def _write() -> Response:
    """PUT, POST or DELETE of a graph, as one SPARQL Update; the token is checked before the body is read."""
    require_admin("a Graph Store write")
    method = request.method
    if method == "POST" and "graph" not in request.args and "default" not in request.args:
        return _post_new_graph()
    iri = _graph(request.args)
    target = "DEFAULT" if iri is None else f"GRAPH <{iri}>"
    triples = "" if method == "DELETE" else _body_triples(base=iri)  # 415 or 400 before the store
    existed = iri is None or _exists(iri)  # the default graph always exists
    if method == "DELETE":
        if not existed:
            raise NotFound(f"there is no graph <{iri}> in this store")
        _apply([f"DROP SILENT {target}"])
        return Response(status=204)
    insert = [_insert(iri, triples)] if triples else []
    _apply(([f"DROP SILENT {target}"] if method == "PUT" else []) + insert)
    if existed or not triples:
        return Response(status=204)
    return Response(f"created <{iri}>\n", status=201, content_type="text/plain; charset=utf-8")


def _post_new_graph() -> Response:
    """POST to the Graph Store itself: a new graph, named here, whose IRI is sent back as Location."""
    iri = NEW_GRAPHS + uuid.uuid4().hex
    triples = _body_triples(base=iri)
    if not triples:
        raise BadRequest("the body holds no triples: a graph without triples does not exist here")
    _apply([_insert(iri, triples)])
    return Response(
        f"created <{iri}>\n", status=201, headers={"Location": iri}, content_type="text/plain; charset=utf-8"
    )


def _insert(iri: str | None, triples: str) -> str:
    # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in DATA. The one
    # empty solution instantiates the template once, so the body's blank nodes stay joined as sent
    # and are fresh in the store: they never meet another graph's.
    template = triples if iri is None else f"GRAPH <{iri}> {{\n{triples}}}"
    return f"INSERT {{\n{template}\n}} WHERE {{}}"


def _apply(operations: list[str]) -> None:
    """One update for the whole write: on the embedded store it is applied to a copy and swapped in."""
    # The text is built from the IRI check and parsed terms only, so there is nothing for the query
    # guard to find (no SERVICE, no LOAD, no nesting), and its size limit is the body's, checked on reading.
    if operations:
        current_app.config["STORE"].update(" ;\n".join(operations))


def _body_triples(base: str | None) -> str:
    """The triples of the request body as N-Triples; 415 or 400 for what cannot be a graph."""
    mimetype = (request.mimetype or "").lower()
    if mimetype == "multipart/form-data":
        check_body_cap()
        if request.form:
            raise BadRequest("each part of a multipart/form-data body must be a file with its own Content-Type")
        triples = ""
        for name, part in request.files.items(multi=True):
            triples += _parse(part.read(), part.mimetype, part.mimetype_params, base, f"part {name!r}: ")
        return triples
    return _parse(request_body(), mimetype, request.mimetype_params, base)


def _parse(body: bytes, mimetype: str, params: dict[str, str], base: str | None, where: str = "") -> str:
    mimetype = mimetype.lower()
    if mimetype not in GRAPH_BODY_FORMATS:
        raise UnsupportedMediaType(
            f"{where}send the graph as {', '.join(sorted(GRAPH_BODY_FORMATS))} "
            f"(or those as multipart/form-data), not {mimetype or 'no content type'}"
        )
    charset = (params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"{where}a graph must be sent as UTF-8, not {charset}")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"{where}the body is not valid UTF-8 (byte {exc.start})") from None
    if mimetype == "application/rdf+xml":
        if b"\x00" in body:  # XML has no NUL; refusing it also keeps a UTF-16 DOCTYPE from passing the check
            raise BadRequest(f"{where}the RDF/XML body contains a NUL byte")
        if _DTD.search(body):
            raise BadRequest(f"{where}RDF/XML with a DOCTYPE or entity declarations is not accepted; write IRIs out")
    try:
        return graph_ntriples(body, mimetype, base)
    except RdfSyntaxError as exc:
        raise BadRequest(f"{where}{exc}") from None


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
