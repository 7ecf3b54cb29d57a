"""The application: the factory that puts the blueprints together, and every error mapped to HTTP here.

Below it: the SPARQL protocol (sparql/), the pages (web/) and the store; beside
the factory, the Flask-free fast path for plain queries (fast_queries.py), the
error table both share (failures.py) and the HTTP server (server.py).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ..config import Settings
from ..sparql.endpoint import bp as sparql_bp
from ..sparql.errors import ProtocolError
from ..sparql.graph_store import bp as graph_store_bp
from ..sparql.guard import Limits
from ..store.base import Store, StoreError
from ..terms.media import NotAcceptable
from ..web import pages
from ..web.pages import bp as pages_bp
from ..web.resolve import bp as resolve_bp
from .failures import describe_failure
from .fast_queries import FastQueries

WEB = Path(pages.__file__).parent
MAX_BODY = 1024 * 1024  # a SPARQL query larger than 1 MiB is refused
# Pages load scripts and styles from this service only; YASGUI sets inline styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
]


def create_app(settings: Settings, store: Store) -> Flask:
    # the pages' templates and static files live with the pages; the SPARQL editor shares them
    app = Flask(__name__, template_folder=str(WEB / "templates"), static_folder=str(WEB / "static"))
    allow = frozenset(u.strip() for u in settings.service_allow.split(",") if u.strip())
    app.config.update(
        SETTINGS=settings,
        STORE=store,
        MAX_CONTENT_LENGTH=MAX_BODY,
        QUERY_LIMITS=Limits(max_bytes=MAX_BODY, service_allow=allow),
    )
    # Flask's documented way to add WSGI middleware, which mypy reads as replacing a method
    app.wsgi_app = FastQueries(app.wsgi_app, store, app.config["QUERY_LIMITS"], SECURITY_HEADERS)  # type: ignore[method-assign]
    app.register_blueprint(sparql_bp)
    app.register_blueprint(graph_store_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(resolve_bp)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(ProtocolError)
    def protocol_error(exc: ProtocolError) -> Response:
        return _error(exc.status, "Bad request" if exc.status == 400 else "Refused", exc.message)

    @app.errorhandler(NotAcceptable)
    def not_acceptable(exc: NotAcceptable) -> Response:
        return _error(406, "Not acceptable", str(exc))

    @app.errorhandler(StoreError)
    def store_error(exc: StoreError) -> Response:
        status, title, headers = describe_failure(exc)
        response = _error(status, title, str(exc))
        response.headers.extend(headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        response = _error(exc.code or 500, exc.name, exc.description or "")
        if exc.code == 405:  # HTTP requires a 405 to say which methods the resource does allow
            response.headers.extend((k, v) for k, v in exc.get_headers() if k == "Allow")
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        app.logger.exception("unexpected error")
        return _error(500, "Internal error", "the server failed to answer; the error has been logged")

    return app


def _error(status: int, title: str, detail: str) -> Response:
    """Plain text for SPARQL clients, a page for browsers."""
    wants_html = request.accept_mimetypes.best_match(
        ["text/plain", "text/html"]
    ) == "text/html" and not request.path.startswith("/sparql")
    if wants_html:
        body = render_template("error.html", status=status, title=title, detail=detail)
        return Response(body, status=status, content_type="text/html; charset=utf-8")
    return Response(f"{title}: {detail}\n", status=status, content_type="text/plain; charset=utf-8")
