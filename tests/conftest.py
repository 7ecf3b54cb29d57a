"""Fixtures: the full graph built once per session, and a store on every backend.

The ``store`` fixture is parametrized over the embedded store and two real
SPARQL servers started on loopback (Oxigraph server and Virtuoso), so every
query and competency-question test runs on each backend.

Two tiers: the fast one runs in process (``client``: Flask's test client over
an embedded store holding a small graph, tests/data/small-graph.nq) for the
protocol and negotiation cases; everything that builds the full graph, starts
a server or drives a browser is marked ``slow`` (or ``remote``, ``browser``)
here, from the fixtures it uses, so ``pytest -m "not slow and not remote and
not browser"`` runs the fast tier alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pnetkg.compile.pipeline import Layout, build, write_dumps
from pnetkg.config import REPOSITORY
from pnetkg.store.embedded import EmbeddedStore
from pnetkg.store.remote import RemoteStore
from pnetkg.terms.dumps import DUMP_NQUADS

from .servers import start_oxigraph, start_virtuoso

SOURCES = REPOSITORY.parent / "shared" / "sources"
DATA = Path(__file__).parent / "data"
# fixtures that build the full graph or start processes: a test using one is in the slow tier
SLOW_FIXTURES = {
    "built",
    "embedded",
    "served_data",
    "server",
    "admin_server",
    "store",
    "repo",
    "w3c_server",
    "w3c_admin_server",
    "fake",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory) -> EmbeddedStore:
    """An embedded store holding the small graph of tests/data/ (a drug, its target, a claim, a result)."""
    from pnetkg.terms import iris
    from rdflib import Dataset

    # the small graph's records, with the ontology as it is now (labels, class tree)
    dataset = Dataset()
    dataset.graph(iris.ONTOLOGY_GRAPH).parse(REPOSITORY / "ontology" / "pnet.ttl", format="turtle")
    combined = tmp_path_factory.mktemp("small-dump") / "small.nq"
    combined.write_bytes(dataset.serialize(format="nquads", encoding="utf-8") + (DATA / "small-graph.nq").read_bytes())
    store = EmbeddedStore(tmp_path_factory.mktemp("small"))
    store.replace_all(combined)
    return store


@pytest.fixture(scope="session")
def client(small_store, tmp_path_factory):
    """Flask's test client over the small graph: the protocol and pages in process, no server."""
    from pnetkg.app import create_app
    from pnetkg.config import Settings

    settings = Settings(data_dir=small_store.data_dir, out_dir=tmp_path_factory.mktemp("no-dumps"))
    app = create_app(settings, small_store)
    app.testing = True
    return app.test_client()


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout.of_repository(REPOSITORY)


@pytest.fixture(scope="session")
def built(layout, tmp_path_factory) -> Path:
    """The full graph, built with the quote check when the source texts are present; its dump directory."""
    out = tmp_path_factory.mktemp("dumps")
    result = build(layout, SOURCES if SOURCES.is_dir() else None)
    write_dumps(result, out)
    return out


@pytest.fixture(scope="session")
def embedded(built, tmp_path_factory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("embedded"))
    store.replace_all(built / DUMP_NQUADS)
    return store


def _remote(request, start, built, tmp_path_factory) -> RemoteStore:
    server = start(tmp_path_factory.mktemp(request.param))
    request.addfinalizer(server.stop)
    store = RemoteStore(server.query_url, server.update_url, server.user, server.password)
    store.replace_all(built / DUMP_NQUADS)
    return store


@pytest.fixture(
    scope="session",
    params=[
        "embedded",
        pytest.param("oxigraph_server", marks=pytest.mark.remote),
        pytest.param("virtuoso", marks=pytest.mark.remote),
    ],
)
def store(request, built, embedded, tmp_path_factory):
    if request.param == "embedded":
        return embedded
    start = start_oxigraph if request.param == "oxigraph_server" else start_virtuoso
    return _remote(request, start, built, tmp_path_factory)


def start_service(data: Path, *options: str, dumps: Path | None = None):
    """Run ``pnet-kg serve`` for real on a loaded data directory; returns (process, base URL).

    ``dumps`` is the build's output the service hands out (/download/, the SSSOM table).
    """
    import subprocess
    import sys

    from .servers import free_port, wait_http

    port = free_port()
    data.mkdir(parents=True, exist_ok=True)
    log = open(data.parent / f"server-{port}.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "pnetkg.cli", "serve", "--data-dir", str(data), "--port", str(port)]
        + (["--out", str(dumps)] if dumps else [])
        + list(options),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/", seconds=120, process=process)  # a first start builds the graph
    return process, base


@pytest.fixture(scope="session")
def served_data(built, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("served")
    EmbeddedStore(data).replace_all(built / DUMP_NQUADS)
    return data


ADMIN_TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def admin_server(served_data, tmp_path_factory):
    """A service with the administrator token ADMIN_TOKEN, on its own copy of the data (one per module)."""
    import shutil

    data = tmp_path_factory.mktemp("admin") / "data"
    shutil.copytree(served_data, data, symlinks=True)
    process, base = start_service(data, "--admin-token", ADMIN_TOKEN)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def server(served_data, built):
    """The service running for real (granian, evaluator pool, the full graph and its dumps) on loopback."""
    process, base = start_service(served_data, dumps=built)
    yield base
    process.terminate()
    process.wait(10)


# ------------------------------------------------------------ shared by several test modules
@pytest.fixture
def repo(tmp_path) -> Path:
    """A copy of the curated data, ontology, QC queries and vocabulary extracts, to break."""
    import shutil

    for name in ("graph_data", "ontology", "queries", "vocab"):
        shutil.copytree(REPOSITORY / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file by ``new``, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    import shutil

    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (test extras)")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not executable:
        pytest.skip("Debian's chromium is not installed: apt-get install -y chromium")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
