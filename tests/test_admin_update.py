"""SPARQL Update: refused while read-only; applied atomically for the administrator's token."""

from __future__ import annotations

import requests

from .conftest import ADMIN_TOKEN

TOKEN = ADMIN_TOKEN
JSON = {"Accept": "application/sparql-results+json"}
PROBE = "ASK { <http://example.org/probe> <http://example.org/p> 'added by the administrator' }"
INSERT = (
    "INSERT DATA { GRAPH <http://example.org/g> "
    "{ <http://example.org/probe> <http://example.org/p> 'added by the administrator' } }"
)


def asked(base: str) -> bool:
    return requests.get(base + "/sparql", params={"query": PROBE}, headers=JSON).json()["boolean"]


def test_updates_need_the_token(admin_server):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN + "x"}):
        r = requests.post(
            admin_server + "/sparql",
            data=INSERT.encode(),
            headers={"Content-Type": "application/sparql-update", **headers},
        )
        assert r.status_code == 403
    assert not asked(admin_server)


def test_the_administrator_updates_and_every_worker_sees_it(admin_server):
    r = requests.post(admin_server + "/sparql", data={"update": INSERT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert all(asked(admin_server) for _ in range(12))  # whichever worker answers
    before = requests.get(
        admin_server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers=JSON
    ).json()
    bad = requests.post(
        admin_server + "/sparql",
        data={"update": "INSERT DATA { <x> <y> "},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert bad.status_code == 400 and "line" in bad.text
    after = requests.get(
        admin_server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, headers=JSON
    ).json()
    assert before == after  # a failed update changes nothing


def test_load_is_refused_even_for_the_administrator(admin_server):
    for update in ("LOAD <http://127.0.0.1:9/data.ttl>", "PREFIX a: <http://x/> LOAD <file:///etc/hostname>"):
        r = requests.post(
            admin_server + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert r.status_code == 403 and "LOAD" in r.text


def test_without_a_token_the_service_is_read_only(server):
    r = requests.post(server + "/sparql", data={"update": INSERT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "read-only" in r.text


def test_a_streamed_update_over_the_cap_is_413_not_cut_short(admin_server):
    """Cut at 1 MiB, this update would insert a triple and lose the DELETE after it: it is refused whole."""
    triple = "<http://example.org/cut> <http://example.org/p> 'cut short'"
    update = f"INSERT DATA {{ GRAPH <http://example.org/g> {{ {triple} }} }} ;\n# {'x' * (1 << 21)}\n"
    update += f"DELETE DATA {{ GRAPH <http://example.org/g> {{ {triple} }} }}"
    for ctype, body in (
        ("application/sparql-update", update.encode()),
        ("application/x-www-form-urlencoded", b"update=" + requests.utils.quote(update).encode()),
    ):
        r = requests.post(
            admin_server + "/sparql",
            data=iter([body[i : i + 65536] for i in range(0, len(body), 65536)]),  # chunked: no Content-Length
            headers={"Content-Type": ctype, "Authorization": f"Bearer {TOKEN}"},
        )
        assert r.status_code == 413, r.text
    ask = requests.get(admin_server + "/sparql", params={"query": f"ASK {{ {triple} }}"}, headers=JSON)
    assert ask.json()["boolean"] is False
