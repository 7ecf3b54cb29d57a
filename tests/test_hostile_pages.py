"""Fifty hostile strings and IRIs in the graph, rendered on every kind of page in headless Chromium.

No script may run, no link may carry a forbidden scheme, and every string must be visible as text.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from pnetkg.store.embedded import EmbeddedStore
from pnetkg.terms import iris
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .conftest import start_service

HOSTILE = (Path(__file__).parent / "data" / "hostile_strings.txt").read_text(encoding="utf-8").splitlines()
BAD_IRIS = [
    "javascript:alert('iri')",
    "data:text/html,%3Cscript%3Ealert('iri')%3C/script%3E",
    "vbscript:msgbox('iri')",
    "JaVaScRiPt:alert('iri2')",
    "file:///etc/hostname",
]
PNET = iris.PNET
RDF_HTML = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#HTML")
XML_LITERAL = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral")

pytestmark = pytest.mark.browser  # the browser fixture skips when chromium is missing


def _quad(s, p, o, g) -> str:
    return f"{s.n3()} {p.n3()} {o.n3()} <{g}> .\n"


@pytest.fixture(scope="module")
def hostile_server(built, tmp_path_factory):
    """The full graph plus hostile entities, claims, literals and IRIs."""
    data = tmp_path_factory.mktemp("hostile")
    quads = data / "hostile.nq"
    entities, s000 = iris.ENTITIES_GRAPH, iris.graph("s000")
    lines = []
    for i, text in enumerate(HOSTILE):
        e = iris.entity(f"hostile-{i}")
        lines += [
            _quad(e, RDF.type, PNET.SmallMoleculeDrug, entities),
            _quad(e, RDFS.label, Literal(text), entities),
            _quad(e, SKOS.prefLabel, Literal(text), entities),
            _quad(e, SKOS.definition, Literal(f"definition {text}"), entities),
            _quad(e, SKOS.altLabel, Literal(f"hostile {text}"), entities),
            _quad(e, PNET.inhibits, iris.entity("mtor"), s000),
        ]
        claim = iris.claim(f"s000-hostile-{i}")
        lines += [
            _quad(claim, RDF.type, PNET.Claim, s000),
            _quad(claim, RDF.subject, e, s000),
            _quad(claim, RDF.predicate, PNET.inhibits, s000),
            _quad(claim, RDF.object, iris.entity("mtor"), s000),
            _quad(claim, PNET.quote, Literal(text), s000),
            _quad(claim, PNET.fromSource, iris.source("s000"), s000),
            _quad(claim, PNET.evidenceLevel, Literal(5), s000),
        ]
    everolimus = iris.entity("everolimus")
    for bad in BAD_IRIS:
        lines.append(_quad(everolimus, PNET.relatedTo, URIRef(bad), s000))
        lines.append(_quad(everolimus, SKOS.exactMatch, URIRef(bad), iris.MAPPINGS_GRAPH))
    lines.append(
        _quad(everolimus, PNET.hasCharacteristic, Literal("<b onclick=alert('html')>bold</b>", datatype=RDF_HTML), s000)
    )
    lines.append(
        _quad(
            everolimus,
            PNET.hasCharacteristic,
            Literal("<x:y xmlns:x='urn:x'><script>alert('xml')</script></x:y>", datatype=XML_LITERAL),
            s000,
        )
    )
    lines.append(_quad(everolimus, PNET.hasCharacteristic, Literal("A" * 1_000_000), s000))
    quads.write_text((built / "pnet-kg.nq").read_text(encoding="utf-8") + "".join(lines), encoding="utf-8")
    EmbeddedStore(data / "data").replace_all(quads)
    process, base = start_service(data / "data")
    yield base
    process.terminate()
    process.wait(10)


PAGES = [
    "/",
    "/entity/everolimus",
    "/entity/mtor",
    "/entity/hostile-0",
    "/entity/hostile-11",
    "/entity/hostile-48",
    "/list/drugs",
    "/source/s000",
    "/claims?level=5",
    "/search?q=hostile",
    "/case/case-s000",
    "/search?q=" + quote(HOSTILE[0]),
    "/entity/no-such-" + quote("<script>"),
    "/sparql",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_script_runs_and_no_forbidden_link(hostile_server, browser, path):
    page = browser.new_page()
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
    page.goto(hostile_server + path, wait_until="load", timeout=60000)
    page.wait_for_timeout(300)
    links = page.eval_on_selector_all(
        "[href], [src], [action], [formaction]",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src') || "
        "e.getAttribute('action') || e.getAttribute('formaction'))",
    )
    forbidden = [
        u for u in links if u and u.strip().lower().split(":", 1)[0] in ("javascript", "data", "vbscript", "file")
    ]
    page.close()
    assert fired == []
    assert forbidden == []


def test_every_hostile_string_is_visible_as_text(hostile_server, browser):
    page = browser.new_page()
    page.goto(hostile_server + "/source/s000", wait_until="load", timeout=60000)
    text = page.inner_text("body")
    page.close()
    missing = [s for s in HOSTILE if s.strip() not in text]
    assert missing == []
