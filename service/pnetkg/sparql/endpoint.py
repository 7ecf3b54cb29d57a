"""The /sparql endpoint: W3C SPARQL 1.1 Protocol over the Store interface.

GET with ``query=``; POST as a form or as ``application/sparql-query``;
``default-graph-uri`` and ``named-graph-uri``; the answer's format chosen by
``Accept`` or ``format=``. Updates are refused unless they bear the administrator's token.
A GET without a query returns the service description (RDF) to machines and
the query editor to browsers.
"""

from __future__ import annotations

import hmac
import re

from flask import Blueprint, Response, current_app, jsonify, render_template, request, send_file
from werkzeug.exceptions import NotFound, RequestEntityTooLarge
from werkzeug.wsgi import LimitedStream

from ..store.base import QueryKind, query_kind
from ..store.rdf_syntax import valid_iri
from ..terms.dumps import DUMPS, MAPPINGS_SSSOM
from ..terms.media import GRAPH_TYPES, RDFLIB_NAMES, RESULT_TYPES, choose, parse_accept
from ..terms.prefixes import graph_prefixes
from .errors import BadRequest, Forbidden, UnsupportedMediaType, UriTooLong
from .examples import load_examples
from .guard import Limits, check_query
from .service_description import service_description
from .void import void_description

bp = Blueprint("sparql", __name__)

MAX_URL_QUERY = 4096  # under the server's own request-line cap (8190), so our advice is seen
_KNOWN = {"query", "default-graph-uri", "named-graph-uri", "format", "output"}
_UPDATE = {"update", "using-graph-uri", "using-named-graph-uri"}


CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type"),
    ("Access-Control-Max-Age", "86400"),
]


@bp.after_request
def _cors(response: Response) -> Response:
    for name, value in CORS_HEADERS:
        response.headers[name] = value
    return response


def content_type(media: str) -> str:
    return media + ("; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else "")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204)
    params = _parameters()
    if _UPDATE & set(params):
        return _update(params)
    if "query" not in params:
        return _describe_service()
    queries = params["query"]
    if len(queries) != 1:
        raise BadRequest("give exactly one query parameter")
    query = queries[0]
    if not query.strip():
        raise BadRequest("the query is empty")
    check_query(query, current_app.config["QUERY_LIMITS"])
    kind = query_kind(query)
    if kind is None:
        raise BadRequest(
            "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE "
            "(updates are not accepted: this endpoint is read-only)"
        )
    fmt = next(iter(params.get("format") or params.get("output") or []), None)
    if fmt is None and request.method == "GET" and _prefers_html():
        # a person following a link to a query: open it in the editor rather than download results
        return Response(render_template("editor.html"), content_type="text/html; charset=utf-8")
    media = choose_format(kind, request.headers.get("Accept"), fmt)
    store = current_app.config["STORE"]
    body = store.serialize(
        query, media, params.get("default-graph-uri"), params.get("named-graph-uri"), base_iri(request.environ)
    )
    response = Response(body, content_type=content_type(media))
    response.headers["Vary"] = "Accept"
    return response


def choose_format(kind: QueryKind, accept: str | None, format_name: str | None = None) -> str:
    """The format of a query's answer: results for SELECT and ASK, a graph for CONSTRUCT and DESCRIBE."""
    graph = kind in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE)
    return choose(GRAPH_TYPES if graph else RESULT_TYPES, accept, format_name, f"a {kind.value.upper()} answer")


@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset, as Turtle (or another RDF format by Accept)."""
    accepted = parse_accept(request.headers.get("Accept"))
    media = next((m for m, q in accepted if q > 0 and m in GRAPH_TYPES), "text/turtle")
    graph = void_description(current_app.config["STORE"], request.url_root.rstrip("/"))
    body = graph.serialize(format=RDFLIB_NAMES[media], encoding="utf-8")
    return Response(body, content_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})


@bp.route("/download/<name>")
def download(name: str) -> Response:
    """The dumps of the last build."""
    if name not in DUMPS:
        raise NotFound(f"no dump called {name} (available: {', '.join(sorted(DUMPS))})")
    path = current_app.config["SETTINGS"].out_dir / name
    if not path.is_file():
        raise NotFound(f"{name} has not been built on this server (run pnet-kg build)")
    return send_file(path, mimetype=DUMPS[name], as_attachment=False)


@bp.route("/" + MAPPINGS_SSSOM)
def mappings_sssom() -> Response:
    """The curated mapping set as the build wrote it (SSSOM), at the address its mapping_set_id names."""
    return download(MAPPINGS_SSSOM)


@bp.route("/sparql/examples.json")
def examples() -> Response:
    """The project's example queries, for the editor's one-click list."""
    directory = current_app.config["SETTINGS"].repository / "queries"
    return jsonify([e.__dict__ for e in load_examples(directory)])


@bp.route("/sparql/prefixes.json")
def prefixes() -> Response:
    """The graph's prefixes (prefix -> namespace IRI), for the editor's completion of PREFIX lines."""
    ontology = current_app.config["SETTINGS"].repository / "ontology" / "pnet.ttl"
    return jsonify(graph_prefixes(ontology))


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
_SAFE_BASE = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d+)?/sparql$")


def absolute_iri(text: str) -> bool:
    """Whether the text is an absolute IRI (RFC 3987) that can be written between < and > in a query."""
    # fullmatch: a trailing newline must not pass, as it would with match and $
    if _ABSOLUTE_IRI.fullmatch(text) is None:
        return False
    return valid_iri(text)


def base_iri(environ: dict) -> str | None:
    """The endpoint's URL as the base for relative IRIs, unless the Host header makes it unsafe."""
    # read from the WSGI environ: werkzeug's host_url costs a tenth of a millisecond
    base = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}/sparql"
    return base if _SAFE_BASE.match(base) else None


def _parameters() -> dict[str, list[str]]:
    """The protocol parameters of the request, refusing updates and malformed requests."""
    if request.method == "GET":
        if len(request.query_string) > MAX_URL_QUERY:
            raise UriTooLong(f"the query string is over {MAX_URL_QUERY} bytes: send long queries by POST")
        params = request.args.to_dict(flat=False)
        if request.content_length:
            raise BadRequest("a GET request carries its query in the URL, not in a body")
    else:
        ctype = (request.mimetype or "").lower()
        if ctype == "application/x-www-form-urlencoded":
            params = request.form.to_dict(flat=False)
            check_body_cap()
            for key, values in request.args.to_dict(flat=False).items():
                if key != "query":
                    params.setdefault(key, []).extend(values)
        elif ctype == "application/sparql-query":
            if "query" in request.args:
                raise BadRequest("a direct POST carries the query in its body, not in the URL")
            params = request.args.to_dict(flat=False)
            params["query"] = [_body_text()]
        elif ctype == "application/sparql-update":
            params = request.args.to_dict(flat=False)
            params["update"] = [_body_text()]
        else:
            raise UnsupportedMediaType(
                "POST a query as application/x-www-form-urlencoded or "
                f"application/sparql-query, not {ctype or 'no content type'}"
            )
    if _UPDATE & set(params):
        if request.method == "GET":
            raise BadRequest("an update must be sent by POST")
        return {k: v for k, v in params.items() if k in _UPDATE}
    # Other parameters are ignored, as common endpoints do: clients such as SPARQLWrapper
    # add their own (results=json). Values of the known ones are checked here or where used.
    known = {k: v for k, v in params.items() if k in _KNOWN}
    for name in ("default-graph-uri", "named-graph-uri"):
        for iri in known.get(name, []):
            if not absolute_iri(iri):
                raise BadRequest(f"{name} must be an absolute IRI, not {iri[:100]!r}")
    return known


def _body_text() -> str:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"a query must be sent as UTF-8, not {charset}")
    try:
        return request_body().decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the query body is not valid UTF-8") from None


def request_body() -> bytes:
    """The request body whole: 413 when it is over the cap, even when streamed without a Content-Length."""
    body = request.get_data()
    check_body_cap()
    return body


def check_body_cap() -> None:
    """413 if a streamed body filled the cap: werkzeug stops reading it there without saying so."""
    # What was read could be a complete-looking query, update or graph: a body that reaches the cap
    # is refused. (With a Content-Length over the cap, werkzeug answers 413 before reading.)
    stream = request.stream
    if request.content_length is None and isinstance(stream, LimitedStream) and stream.is_exhausted:
        raise RequestEntityTooLarge(f"the body is over {request.max_content_length} bytes")


def require_admin(what: str) -> None:
    """Forbidden unless the request bears the administrator's token; without a token set, always Forbidden."""
    token = current_app.config["SETTINGS"].admin_token
    if not token:
        raise Forbidden(f"this endpoint is read-only: {what} is not accepted")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Forbidden(f"{what} needs the administrator's token (Authorization: Bearer ...)")


def _update(params: dict[str, list[str]]) -> Response:
    """SPARQL Update, for the administrator only: the service is read-only unless a token is set."""
    require_admin("SPARQL Update")
    updates = params.get("update", [])
    if len(updates) != 1 or not updates[0].strip():
        raise BadRequest("give exactly one update")
    if set(params) - {"update"}:
        raise BadRequest("using-graph-uri and using-named-graph-uri are not supported; use USING in the update")
    check_query(updates[0], current_app.config["QUERY_LIMITS"], update=True)
    current_app.config["STORE"].update(updates[0])
    return Response("update applied\n", content_type="text/plain; charset=utf-8")


def _prefers_html() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/sparql-results+json", "text/turtle"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["*/*"]


def _describe_service() -> Response:
    for media, q in parse_accept(request.headers.get("Accept")):
        if q <= 0:
            continue
        if media in ("text/html", "application/xhtml+xml"):
            return Response(render_template("editor.html"), content_type="text/html; charset=utf-8")
        if media in GRAPH_TYPES or media in ("*/*", "text/*", "application/*"):
            chosen = media if media in GRAPH_TYPES else "text/turtle"
            body = service_description(request.url_root.rstrip("/") + "/sparql", chosen)
            return Response(body, content_type=chosen + "; charset=utf-8", headers={"Vary": "Accept"})
    body = service_description(request.url_root.rstrip("/") + "/sparql", "text/turtle")
    return Response(body, content_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"})


__all__ = ["bp", "Limits", "QueryKind"]
