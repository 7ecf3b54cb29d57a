"""The store: queries on every backend, atomic loads, crash safety of the embedded store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from pnetkg.store.base import StoreError
from pnetkg.store.embedded import EmbeddedStore
from pnetkg.terms.dumps import DUMP_NQUADS

CLAIMS = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/pnet-kg/ontology#Claim> }"


def claims(store) -> int:
    return int(store.select(CLAIMS)[0]["n"])


def test_every_backend_holds_the_whole_graph(store, built):
    import json

    manifest = json.loads((built / "manifest.json").read_text())
    sizes = store.graph_sizes()
    expected = {g: n for g, n in manifest["graphs"].items() if g.startswith("https://w3id.org/pnet-kg/graph/")}
    assert sizes == expected
    assert claims(store) > 800


def test_a_bad_file_leaves_the_served_graph_unchanged(built, tmp_path):
    store = EmbeddedStore(tmp_path / "data")
    store.replace_all(built / DUMP_NQUADS)
    before = store.graph_sizes()
    bad = tmp_path / "bad.nq"
    bad.write_text((built / DUMP_NQUADS).read_text()[:5000] + "\n<not a quad\n")
    with pytest.raises(StoreError, match="cannot load"):
        store.replace_all(bad)
    assert store.graph_sizes() == before
    assert EmbeddedStore(tmp_path / "data").graph_sizes() == before  # as a new reader sees it


def test_queries_are_answered_while_a_load_runs(built, tmp_path):
    store = EmbeddedStore(tmp_path / "data")
    store.replace_all(built / DUMP_NQUADS)
    expected = claims(store)
    reader = EmbeddedStore(tmp_path / "data")
    served_before = os.readlink(tmp_path / "data" / "current")
    answers: list[int] = []
    loaded: list[int] = []
    loading = threading.Thread(target=lambda: loaded.append(store.replace_all(built / DUMP_NQUADS)))
    loading.start()
    while loading.is_alive():
        answers.append(claims(reader))
    loading.join()
    answers.append(claims(reader))
    assert loaded, "the load in the background failed"
    assert os.readlink(tmp_path / "data" / "current") != served_before
    assert answers and set(answers) == {expected}


LOADER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pnetkg.store.embedded import EmbeddedStore
    store = EmbeddedStore(Path(sys.argv[1]))
    print("ready", flush=True)
    while True:
        store.replace_all(Path(sys.argv[2]))
        print("loaded", flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8])
def test_sigkill_during_a_load_keeps_the_old_or_new_graph(built, tmp_path, delay):
    data = tmp_path / "data"
    first = EmbeddedStore(data)
    first.replace_all(built / DUMP_NQUADS)
    expected = first.graph_sizes()
    first.close()
    process = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(data), str(built / DUMP_NQUADS)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "ready"
    time.sleep(delay)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after = EmbeddedStore(data)  # a restarted server opens whatever `current` points to
    assert after.graph_sizes() == expected
    assert claims(after) > 800


@pytest.mark.slow
def test_restart_after_sigkill_of_the_server_keeps_the_data(built, tmp_path):
    import requests

    from .servers import alive, descendants, free_port, wait_http

    data = tmp_path / "data"
    EmbeddedStore(data).replace_all(built / DUMP_NQUADS)
    port = free_port()
    command = [sys.executable, "-m", "pnetkg.cli", "serve", "--data-dir", str(data), "--port", str(port)]
    url = f"http://127.0.0.1:{port}/sparql"
    for _ in range(2):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(f"http://127.0.0.1:{port}/", process=process)
        r = requests.get(url, params={"query": CLAIMS}, headers={"Accept": "application/sparql-results+json"})
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 800
        below = descendants(process.pid)
        assert below, "the server runs its web process and evaluators as child processes"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 5
        while [pid for pid, _ in below if alive(pid)]:
            assert time.monotonic() < deadline, "processes of the killed server live on"
            time.sleep(0.1)


@pytest.mark.slow
def test_serve_on_an_empty_store_builds_and_loads_the_graph_first(tmp_path):
    import requests

    from .conftest import start_service

    process, base = start_service(tmp_path / "data", "--out", str(tmp_path / "dumps"))
    try:
        r = requests.get(
            base + "/sparql", params={"query": CLAIMS}, headers={"Accept": "application/sparql-results+json"}
        )
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 800
        assert (tmp_path / "dumps" / DUMP_NQUADS).is_file()
    finally:
        process.terminate()
        process.wait(10)
