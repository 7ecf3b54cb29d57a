"""Hostile data files and killed processes: nothing already stored is lost or corrupted."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import requests
from pnetkg.cli import main
from pnetkg.store.base import StoreError
from pnetkg.store.embedded import EmbeddedStore

from .conftest import start_service
from .servers import alive, descendants

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/x"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""


def test_an_xml_entity_bomb_is_refused_at_once_and_the_store_is_unchanged(built, tmp_path, capsys):
    store = EmbeddedStore(tmp_path / "data")
    store.replace_all(built / "pnet-kg.nq")
    before = store.graph_sizes()
    dumps = tmp_path / "hostile"
    dumps.mkdir()
    (dumps / "pnet-kg.nq").write_text(BILLION_LAUGHS)  # a load reads N-Quads only, whatever the file holds
    started = time.monotonic()
    status = main(["load", "--out", str(dumps), "--data-dir", str(tmp_path / "data")])
    assert status == 1 and time.monotonic() - started < 10
    assert "cannot load" in capsys.readouterr().err
    assert EmbeddedStore(tmp_path / "data").graph_sizes() == before
    with pytest.raises(StoreError):
        store.replace_all(dumps / "pnet-kg.nq")


def _evaluators(master_pid: int) -> list[int]:
    return [pid for pid, command in descendants(master_pid) if "pnetkg.store.evaluator" in command]


def _web_processes(master_pid: int) -> list[int]:
    return [pid for pid, command in descendants(master_pid) if "pnetkg.store.evaluator" not in command]


@pytest.mark.slow
def test_killing_serving_processes_under_load_loses_nothing_and_the_service_recovers(served_data, tmp_path):
    """Query evaluators are SIGKILLed three times, then the web process itself, under a stream of queries."""
    process, base = start_service(served_data, "--workers", "2")
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/pnet-kg/ontology#Claim> }"}
    accept = {"Accept": "application/sparql-results+json"}
    expected = requests.get(base + "/sparql", params=query, headers=accept).json()
    stop, answers = threading.Event(), []

    def stream() -> None:
        while not stop.is_set():
            try:
                r = requests.get(base + "/sparql", params=query, headers=accept, timeout=10)
                answers.append(r.json() if r.status_code == 200 else r.status_code)
            except requests.RequestException:
                answers.append("dropped")  # the request in flight on a killed worker

    try:
        threading.Thread(target=stream, daemon=True).start()
        for victims in (_evaluators, _evaluators, _evaluators, _web_processes):
            time.sleep(0.5)
            pids = victims(process.pid)
            assert pids, "no process to kill"
            orphans = _evaluators(process.pid)  # the evaluators of the web process about to be killed
            os.kill(pids[0], signal.SIGKILL)
        stop.set()
        time.sleep(0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                r = requests.get(base + "/sparql", params=query, headers=accept, timeout=5)
                if r.status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the service did not answer again within 10 s"
            time.sleep(0.2)
        assert r.json() == expected
        time.sleep(2)
        assert not [pid for pid in orphans if alive(pid)], "evaluators outlived their web process"
        good = [a for a in answers if isinstance(a, dict)]
        assert good and all(a == expected for a in good)  # never a wrong or partial answer
    finally:
        process.terminate()
        process.wait(10)
