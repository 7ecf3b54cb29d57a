"""Throughput and latency of the /sparql endpoint against its ceiling and Virtuoso.

Usage: .venv/bin/python bench/endpoint.py [--seconds 10] [--runs 3] [--synthetic 1000000]

For each dataset (the full graph; a synthetic graph of N triples) it starts the
service (`pnet-kg serve`: granian, evaluator pool, time limit), the ceiling (bench/ceiling_app.py:
a bare WSGI app calling pyoxigraph directly, on granian like the service and on waitress) and,
when installed, Virtuoso with
the same data; then drives each with wrk at concurrency 1, 4 and 16 and prints
the median requests per second and latency percentiles over the runs, and the
ratios of the service to each. Needs wrk (Debian package wrk).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pnetkg.compile.pipeline import Layout, build, write_dumps  # noqa: E402
from pnetkg.store.embedded import EmbeddedStore  # noqa: E402
from pnetkg.store.remote import RemoteStore  # noqa: E402
from pnetkg.terms.dumps import DUMP_NQUADS  # noqa: E402

from tests.servers import free_port, start_virtuoso, wait_http  # noqa: E402

QUERY = (
    "PREFIX pnet: <https://w3id.org/pnet-kg/ontology#> "
    "SELECT ?target WHERE { <https://w3id.org/pnet-kg/entity/everolimus> pnet:inhibits ?target }"
)
SYNTHETIC_QUERY = "SELECT ?o WHERE { <http://example.org/s/42> ?p ?o }"
CONCURRENCY = (1, 4, 16)
# the ceiling on the service's own HTTP server, and on the usual pure-Python one
CEILINGS = {"ceiling": "granian", "ceiling-waitress": "waitress"}


def synthetic(path: Path, triples: int) -> Path:
    """N-Quads of ``triples`` triples in one named graph: 10 properties per subject."""
    with open(path, "w") as f:
        g = "<http://example.org/graph/synthetic>"
        for i in range(triples):
            s, p = divmod(i, 10)
            f.write(f'<http://example.org/s/{s}> <http://example.org/p/{p}> "v{i}" {g} .\n')
    return path


def wrk(url: str, connections: int, seconds: int) -> tuple[float, dict[str, float]]:
    out = subprocess.run(
        ["wrk", "-t", str(min(connections, 4)), "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {}
    for pct in ("50", "90", "99"):
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        latency[pct] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses")
    return rps, latency


def measure(name: str, url: str, seconds: int, runs: int) -> dict[int, tuple[float, dict[str, float]]]:
    results = {}
    for c in CONCURRENCY:
        samples = [wrk(url, c, seconds) for _ in range(runs)]
        rps = statistics.median(s[0] for s in samples)
        lat = {p: statistics.median(s[1][p] for s in samples) for p in ("50", "90", "99")}
        results[c] = (rps, lat)
        print(
            f"  {name:<10} c={c:<3} {rps:9.0f} req/s  p50 {lat['50']:6.2f} ms  p90 {lat['90']:6.2f} ms  "
            f"p99 {lat['99']:6.2f} ms",
            flush=True,
        )
    return results


def start(command: list[str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/sparql?query={quote('ASK {}')}", process=process)
    return process


def bench_dataset(label: str, nquads: Path, query: str, args: argparse.Namespace, tmp: Path) -> None:
    print(f"\n== {label}", flush=True)
    data = tmp / f"data-{label}"
    EmbeddedStore(data).replace_all(nquads)
    store_dir = str((data / "current").resolve())
    q = quote(query)
    ports = {name: free_port() for name in ("service", *CEILINGS)}
    ceiling_app = str(REPO / "bench" / "ceiling_app.py")
    processes = [
        start(
            [sys.executable, "-m", "pnetkg.cli", "serve", "--data-dir", str(data), "--port", str(ports["service"])],
            ports["service"],
        ),
        *(
            start([sys.executable, ceiling_app, store_dir, str(ports[name]), CEILINGS[name]], ports[name])
            for name in CEILINGS
        ),
    ]
    virtuoso = None
    try:
        results = {
            name: measure(name, f"http://127.0.0.1:{port}/sparql?query={q}", args.seconds, args.runs)
            for name, port in ports.items()
        }
        if shutil.which("virtuoso-t") and not args.no_virtuoso:
            virtuoso = start_virtuoso(tmp / f"virtuoso-{label}")
            RemoteStore(virtuoso.query_url, virtuoso.update_url, timeout=600).replace_all(nquads)
            results["virtuoso"] = measure("virtuoso", f"{virtuoso.query_url}?query={q}", args.seconds, args.runs)
        print(f"  ratios ({label}):")
        for c in CONCURRENCY:
            service = results["service"][c][0]
            print(
                f"    c={c:<3} "
                + "   ".join(
                    f"service/{name} {service / results[name][c][0]:.2f}" for name in results if name != "service"
                )
            )
    finally:
        for p in processes:
            p.terminate()
        if virtuoso:
            virtuoso.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="triples of the synthetic graph (0: skip)")
    parser.add_argument("--no-virtuoso", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench needs wrk (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        result = build(Layout.of_repository(REPO))
        write_dumps(result, tmp / "dumps")
        bench_dataset("full-graph", tmp / "dumps" / DUMP_NQUADS, QUERY, args, tmp)
        if args.synthetic:
            path = synthetic(tmp / "synthetic.nq", args.synthetic)
            bench_dataset(f"synthetic-{args.synthetic}", path, SYNTHETIC_QUERY, args, tmp)


if __name__ == "__main__":
    started = time.time()
    main()
    print(f"\n(bench took {time.time() - started:.0f} s)")
