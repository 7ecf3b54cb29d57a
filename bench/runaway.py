"""Latency of quick queries while runaway queries run: the p95 ratio against a quiet server.

Usage: .venv/bin/python bench/runaway.py [--runs 5] [--samples 80]

Starts the service on the full graph (4 full slots, 6 s limit), measures the p95 of a simple
ASK over ``samples`` sequential requests on the quiet server, then again while 1, 4 and 16
runaway queries have been sent (measured from 2.5 s, when the surplus has been refused and the
reserve lane's runaways stopped, while four still run). Prints the median over runs of both
p95s and of their ratio (the aim: under 2).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pnetkg.compile.pipeline import Layout, build, write_dumps  # noqa: E402
from pnetkg.store.embedded import EmbeddedStore  # noqa: E402
from pnetkg.terms.dumps import DUMP_NQUADS  # noqa: E402

from tests.conftest import start_service  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "ASK { <https://w3id.org/pnet-kg/entity/everolimus> ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}


def p95(base: str, samples: int) -> float:
    times = []
    for _ in range(samples):
        started = time.monotonic()
        requests.get(base + "/sparql", params={"query": SIMPLE}, headers=JSON, timeout=30).raise_for_status()
        times.append(time.monotonic() - started)
    times.sort()
    return times[min(len(times) - 1, int(0.95 * len(times)))]


def one_run(data: Path, runaways: int, samples: int) -> tuple[float, float]:
    process, base = start_service(data, "--workers", "4", "--query-timeout", "6")
    try:
        time.sleep(2)
        p95(base, 60)  # every worker opens its store
        quiet = p95(base, samples)
        with ThreadPoolExecutor(runaways) as pool:
            futures = [
                pool.submit(requests.post, base + "/sparql", data={"query": RUNAWAY}, headers=JSON, timeout=60)
                for _ in range(runaways)
            ]
            time.sleep(2.5)
            busy = p95(base, samples)
            for f in futures:
                f.result()
        return quiet, busy
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=80)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        write_dumps(build(Layout.of_repository(REPO)), tmp / "dumps")
        EmbeddedStore(tmp / "data").replace_all(tmp / "dumps" / DUMP_NQUADS)
        for runaways in (1, 4, 16):
            runs = [one_run(tmp / "data", runaways, args.samples) for _ in range(args.runs)]
            quiet = statistics.median(r[0] for r in runs) * 1000
            busy = statistics.median(r[1] for r in runs) * 1000
            ratio = statistics.median(r[1] / r[0] for r in runs)
            print(
                f"runaways={runaways:<3} quiet p95 {quiet:5.1f} ms  busy p95 {busy:5.1f} ms  ratio {ratio:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
