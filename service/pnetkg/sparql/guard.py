"""Checks every query passes before any engine sees it.

The engine must never see a query that could crash it or make it call out:
pyoxigraph's parser has no nesting limit (about 10,000 nested brackets crash
the process) and it performs SERVICE calls itself. The checks work on the
query's tokens with strings, IRIs and comments taken out, so a bracket or the
word SERVICE inside a literal does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import BadRequest, Forbidden

_TOKENS = re.compile(
    r"""(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"""|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)"""
    r"""|(?P<comment>\#[^\n]*)"""
    r"""|(?P<open>[({\[])|(?P<close>[)}\]])"""
    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"""
    r"""|(?P<var>[?$][A-Za-z0-9_]+)""",
    re.S,
)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 1 << 20
    max_depth: int = 128
    service_allow: frozenset[str] = frozenset()


def check_query(query: str, limits: Limits, update: bool = False) -> None:
    """Raise BadRequest or Forbidden unless the query (or an administrator's update) is safe to evaluate."""
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise BadRequest(f"the query is {size} bytes; the limit is {limits.max_bytes}")
    if "\x00" in query:
        raise BadRequest(f"{_position(query, query.index(chr(0)))}: the query contains a NUL character")
    depth = deepest = 0
    expect_service_target = False
    for m in _TOKENS.finditer(query):
        kind = m.lastgroup
        if expect_service_target and kind not in ("comment",):
            word = m.group()
            if kind == "word" and word.upper() == "SILENT":
                continue
            _check_service(word if kind in ("iri", "var") else "", limits)
            expect_service_target = False
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limits.max_depth:
                raise BadRequest(
                    f"{_position(query, m.start())}: the query nests brackets deeper than {limits.max_depth} levels"
                )
        elif kind == "close":
            depth -= 1
        elif kind == "word" and m.group().upper() == "SERVICE":
            expect_service_target = True
        elif kind == "word" and m.group().upper() == "LOAD" and query[m.end() : m.end() + 1] != ":":
            # LOAD fetches a URL: refused everywhere, even in an administrator's update
            raise Forbidden("LOAD is not accepted (it would fetch a URL)")
        elif kind == "word" and m.group().upper() in ("INSERT", "DELETE", "CLEAR", "DROP", "CREATE"):
            # in a query these can only be an update sneaked in after a query form
            if not update and _is_update_keyword(query, m):
                raise Forbidden("this endpoint is read-only: SPARQL Update is not accepted")
    if expect_service_target:
        _check_service("", limits)


def _position(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _is_update_keyword(query: str, m: re.Match[str]) -> bool:
    """LOAD/INSERT/... at the start of an operation (after ';' or at the top), not a prefixed name."""
    before = query[: m.start()].rstrip()
    after = query[m.end() : m.end() + 1]
    return after != ":" and (before == "" or before.endswith(";"))


def _check_service(target: str, limits: Limits) -> None:
    if not target.startswith("<"):
        raise Forbidden("SERVICE needs a fixed endpoint IRI (a variable endpoint is not allowed)")
    url = target[1:-1]
    if url not in limits.service_allow:
        allowed = ", ".join(sorted(limits.service_allow)) or "none"
        raise Forbidden(f"SERVICE <{url}> is not on this endpoint's allow-list (allowed: {allowed})")
