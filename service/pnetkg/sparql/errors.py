"""Protocol errors, each mapped to its HTTP status in one place (web/app.py)."""

from __future__ import annotations


class ProtocolError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequest(ProtocolError):
    status = 400


class Forbidden(ProtocolError):
    status = 403


class UnsupportedMediaType(ProtocolError):
    status = 415


class UriTooLong(ProtocolError):
    status = 414
