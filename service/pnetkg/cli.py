"""The ``pnet-kg`` command: parses arguments and calls the layers below."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from .config import Settings
from .processes import configure_logging
from .terms.iris import shorten
from .terms.media import CLI_FORMATS
from .terms.prefixes import sparql_preamble


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging()
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        settings = Settings.load({k: v for k, v in vars(args).items() if k in Settings.__dataclass_fields__})
        return int(args.run(settings, args) or 0)
    except KeyboardInterrupt:
        print("pnet-kg: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - turned into one clear line below
        if not _is_user_error(exc):
            raise
        print(f"pnet-kg: error: {exc}", file=sys.stderr)
        return 1


class CommandError(Exception):
    """The command cannot run as asked (a missing file, a step not done yet); the message says what to do."""


def _is_user_error(exc: Exception) -> bool:
    """The project's own errors, each carrying what to fix; anything else is a bug and keeps its traceback."""
    from .compile.checks import CheckError
    from .compile.reason import ReasonerError
    from .config import SettingsError
    from .curation.model import CurationError
    from .store.base import StoreError

    return isinstance(exc, (CurationError, CheckError, ReasonerError, StoreError, SettingsError, CommandError))


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pnet-kg", description="The pNET knowledge graph: build, load, serve, query.")
    sub = p.add_subparsers(dest="command")

    def command(name: str, run: Callable, help: str, store: bool = True) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help, description=help)
        c.set_defaults(run=run)
        if store:
            c.add_argument("--backend", choices=["embedded", "remote"], help="store backend (PNETKG_BACKEND)")
            c.add_argument("--data-dir", help="embedded store directory (PNETKG_DATA_DIR)")
            c.add_argument("--endpoint", help="remote SPARQL query URL (PNETKG_ENDPOINT)")
            c.add_argument("--update-endpoint", help="remote SPARQL update URL (PNETKG_UPDATE_ENDPOINT)")
            c.add_argument("--user", help="remote user (PNETKG_USER)")
            c.add_argument("--password", help="remote password (PNETKG_PASSWORD)")
            c.add_argument("--auth", choices=["basic", "digest"], help="how the password is sent (PNETKG_AUTH)")
        return c

    b = command("build", _build, "validate the curated files and write the RDF dumps", store=False)
    b.add_argument("--sources", help="directory of source texts for the quote check (PNETKG_SOURCES)")
    b.add_argument("--out", dest="out_dir", help="where the dumps go (default dumps/)")

    ld = command("load", _load, "load the built dumps into the store, replacing the graph atomically")
    ld.add_argument("--out", dest="out_dir", help="directory of the dumps (default dumps/)")

    s = command("serve", _serve, "serve the SPARQL endpoint and the pages (builds and loads if the store is empty)")
    s.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default 8080)")
    s.add_argument("--query-timeout", type=float, help="seconds a query may run (default 30)")
    s.add_argument("--workers", type=int, help="queries evaluated at once, each in an evaluator process (default 4)")
    s.add_argument("--service-allow", help="comma-separated endpoints SERVICE may call (default: none)")
    s.add_argument(
        "--admin-token",
        help="enable SPARQL Update and Graph Store writes for requests bearing this token (PNETKG_ADMIN_TOKEN)",
    )
    s.add_argument("--sources", help="source texts for the quote check of a first build")
    s.add_argument("--out", dest="out_dir", help="where the dumps are built and served from (default dumps/)")

    q = command("query", _query, "run a SPARQL query from a file or standard input")
    q.add_argument("file", nargs="?", help="file with the query (default: standard input)")
    q.add_argument("--format", choices=["table", *CLI_FORMATS], default="table")

    command("stats", _stats, "counts per class, per source and per named graph")
    return p


def _build(settings: Settings, args: argparse.Namespace) -> int:
    from .compile.pipeline import Layout, build, write_dumps

    result = build(Layout.of_repository(settings.repository), settings.sources, _progress)
    written = write_dumps(result, settings.out_dir)
    c = result.curation
    print(
        f"built {len(c.entities)} entities, {len(c.claims)} claims, {len(c.results)} results, "
        f"{len(c.cases)} patient cases, {result.inferred} inferred types"
    )
    for path in written:
        print(f"  wrote {path}")
    return 0


def _load(settings: Settings, args: argparse.Namespace) -> int:
    from .store import open_store
    from .terms.dumps import DUMP_NQUADS

    dump = settings.out_dir / DUMP_NQUADS
    if not dump.is_file():
        raise CommandError(f"{dump} not found: run `pnet-kg build` first")
    store = open_store(settings)
    _progress(f"loading {dump} into the {store.name} store")
    n = store.replace_all(dump)
    print(f"loaded {n} quads")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from .app.server import run
    from .store import open_store

    store = open_store(settings)
    # only the embedded store is filled automatically: a remote server is the deployment's to load
    if settings.backend == "embedded" and store.is_empty():
        _progress("the store is empty: building and loading the graph first")
        # in a child process: RocksDB's threads must not exist in the server before granian forks
        child = multiprocessing.get_context("spawn").Process(target=_build_and_load, args=(settings, args))
        child.start()
        child.join()
        if child.exitcode != 0:
            return 1
    store.close()  # the evaluators of the web process open their own
    _progress(
        f"serving on http://{settings.host}:{settings.port}/ "
        f"({settings.workers} queries at a time, time limit {settings.query_timeout:g} s)"
    )
    offline = settings.backend == "embedded" and not settings.service_allow  # nothing to call out to
    run(settings, offline)
    return 0


def _build_and_load(settings: Settings, args: argparse.Namespace) -> None:
    try:
        _build(settings, args)
        _load(settings, args)
    except Exception as exc:  # noqa: BLE001 - reported as one line, like main()
        if not _is_user_error(exc):
            raise
        print(f"pnet-kg: error: {exc}", file=sys.stderr)
        sys.exit(1)


def _read_query(args: argparse.Namespace) -> str:
    if args.file and args.file != "-":
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the query from {args.file}: {exc}") from None
    return sys.stdin.read()


def _query(settings: Settings, args: argparse.Namespace) -> int:
    from .store import QueryKind, open_store, query_kind

    sparql = _read_query(args)
    store = open_store(settings)
    kind = query_kind(sparql)
    if args.format != "table":
        sys.stdout.buffer.write(store.serialize(sparql, CLI_FORMATS[args.format]))
        return 0
    if kind is QueryKind.ASK:
        print("true" if store.ask(sparql) else "false")
    elif kind in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE):
        for triple in store.triples(sparql):
            print(" ".join(t.n3() for t in triple) + " .")
    else:
        rows = store.select(sparql)
        print(_table(rows))
    return 0


def _table(rows: list[dict]) -> str:
    if not rows:
        return "(no rows)"
    names = list(dict.fromkeys(k for r in rows for k in r))
    cells = [[_cell(r.get(n)) for n in names] for r in rows]
    widths = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join(
        [line(names), line(["-" * w for w in widths])] + [line(c) for c in cells] + [f"({len(rows)} rows)"]
    )


def _cell(term: object) -> str:
    if term is None:
        return ""
    text = shorten(term)
    return text if len(text) <= 80 else text[:77] + "..."


def _stats(settings: Settings, args: argparse.Namespace) -> int:
    from .store import open_store
    from .store.base import integer

    store = open_store(settings)
    sizes = store.graph_sizes()
    if not sizes:
        print("the store is empty: run `pnet-kg build` and `pnet-kg load`")
        return 0
    print("triples per named graph:")
    for g, n in sorted(sizes.items()):
        print(f"  {n:>7}  {g}")
    rows = store.select(
        sparql_preamble("pnet")
        + """
        SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
          GRAPH ?g { ?x a ?class } FILTER(STRSTARTS(STR(?class), STR(pnet:)))
        } GROUP BY ?class ORDER BY DESC(?n)"""
    )
    print("entities and records per class (asserted and inferred):")
    for r in rows:
        print(f"  {integer(r['n']):>7}  {_cell(r['class'])}")
    rows = store.select(
        sparql_preamble("pnet")
        + """
        SELECT ?source (COUNT(?c) AS ?claims) WHERE { ?c a pnet:Claim ; pnet:fromSource ?source }
        GROUP BY ?source ORDER BY ?source"""
    )
    print("claims per source:")
    for r in rows:
        print(f"  {integer(r['claims']):>7}  {_cell(r['source'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
