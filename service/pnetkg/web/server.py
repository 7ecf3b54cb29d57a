"""Run the WSGI app in waitress: a production server that runs the same on every platform."""

from __future__ import annotations

from flask import Flask


def run(app: Flask, host: str, port: int, threads: int = 8) -> None:
    import waitress

    waitress.serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="pnet-kg",
        max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
    )
