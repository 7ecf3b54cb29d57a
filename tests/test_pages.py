"""Browse pages over real HTTP: every kind of page, content negotiation, search, 404s, escaping."""

from __future__ import annotations

import threading

import pytest
import requests
from pnetkg.config import Settings
from pnetkg.search import normalise
from pnetkg.store.embedded import EmbeddedStore
from rdflib import Graph, URIRef

EVEROLIMUS = "https://w3id.org/pnet-kg/entity/everolimus"
HTML = {"Accept": "text/html"}


def get(server: str, path: str, **kwargs) -> requests.Response:
    return requests.get(server + path, headers=kwargs.pop("headers", HTML), timeout=30, **kwargs)


# ------------------------------------------------------------------ home and lists
def test_home_page_says_what_the_graph_holds_and_links_the_lists(server):
    r = get(server, "/")
    assert r.status_code == 200
    assert "claims with quotes" in r.text and "Sources" in r.text
    lists = ("drugs", "tumour-types", "targets", "trials", "sources", "cases")
    for path in (f"/list/{name}" for name in lists):
        assert f'href="{path}"' in r.text
    assert 'href="/types/SmallMoleculeDrug"' in r.text and 'href="/source/s000"' in r.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/list/drugs", ["/entity/everolimus", "/entity/sunitinib"]),
        ("/list/tumour-types", ["/entity/insulinoma"]),
        ("/list/targets", ["/entity/mtor", "protein complex"]),
        ("/list/trials", ["/entity/radiant-3"]),
        ("/list/sources", ["/source/s000", "/source/s004"]),
        ("/list/cases", ["/case/case-s000", "/entity/"]),
        ("/types/MonoclonalAntibody", ["/entity/bevacizumab"]),
        ("/types/Drug", ["/entity/everolimus"]),  # subclasses count
    ],
)
def test_list_pages_list_their_members(server, path, expected):
    r = get(server, path)
    assert r.status_code == 200, path
    for text in expected:
        assert text in r.text, (path, text)


@pytest.mark.parametrize("path", ["/list/nothing", "/types/NoSuchClass", "/types/<script>", "/entity/no-such-thing"])
def test_unknown_pages_are_404_pages_offering_search(server, path):
    r = get(server, path)
    assert r.status_code == 404
    assert 'role="search"' in r.text and "Traceback" not in r.text
    body = r.text.split("</head>", 1)[1]
    assert "<script>" not in body  # the only script is search.js, in the head


# ------------------------------------------------------------------ entity pages
def test_entity_page_shows_label_types_hierarchy_evidence_and_links(server):
    r = get(server, "/entity/everolimus")
    assert r.status_code == 200 and r.headers["Vary"] == "Accept"
    text = r.text
    assert "<h1>everolimus</h1>" in text
    assert "mTOR inhibitor (inferred)" in text
    assert "RAD001" in text  # synonyms
    assert 'aria-label="class hierarchy"' in text and "/types/SmallMoleculeDrug" in text
    assert "<blockquote" in text and "/source/s00" in text  # evidence with its source
    assert 'href="https://identifiers.org/CHEBI:68478"' in text or "CHEBI:68478" in text
    assert "ChEBI" in text  # the vocabulary named
    assert "?format=turtle" in text and "?format=jsonld" in text
    assert 'class="sparql-link" href="/sparql?query=' in text


def test_entity_page_sparql_link_is_a_query_the_endpoint_answers(server):
    r = get(server, "/entity/everolimus")
    link = r.text.split('class="sparql-link" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    answer = requests.get(server + link, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) > 20


def test_drug_page_has_a_forest_plot_of_hazard_ratios_and_a_neighbourhood(server):
    text = get(server, "/entity/everolimus").text
    assert '<svg class="forest"' in text and "RADIANT-3" in text
    assert "0.35 (0.27–0.45)" in text
    assert '<title id="forest-title">' in text and '<desc id="forest-desc">' in text
    assert '<svg class="neighbourhood"' in text and '<title id="nb-title">' in text


def test_trial_page_shows_results_with_numbers_ci_and_p_and_its_forest_plot(server):
    r = get(server, "/entity/radiant-3")
    assert r.status_code == 200
    assert '<svg class="forest"' in r.text
    assert "0.27–0.45" in r.text and "&lt;" in r.text  # p < 0.001 escaped
    assert "/entity/radiant-3-everolimus" in r.text  # arms link on


def test_endpoint_page_has_a_forest_plot_across_trials(server):
    text = get(server, "/entity/pfs-hazard-ratio").text
    assert '<svg class="forest"' in text and "RADIANT-2" in text and "RADIANT-3" in text


def test_statements_link_both_ways(server):
    text = get(server, "/entity/mtor").text
    assert "What links to it" in text and "/entity/everolimus" in text


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("text/turtle", "turtle", "text/turtle"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("application/rdf+xml", "xml", "application/rdf+xml"),
        ("text/turtle;q=0.9, text/html;q=0.5", "turtle", "text/turtle"),
    ],
)
def test_entity_description_by_content_negotiation(server, accept, fmt, media):
    r = get(server, "/entity/everolimus", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith(media)
    assert r.headers["Vary"] == "Accept"
    g = Graph().parse(data=r.text, format=fmt)
    assert (URIRef(EVEROLIMUS), None, None) in g


def test_browser_accept_header_gets_html(server):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = get(server, "/entity/everolimus", headers={"Accept": accept})
    assert r.headers["Content-Type"].startswith("text/html")


def test_format_parameter_overrides_accept(server):
    r = get(server, "/entity/everolimus", params={"format": "jsonld"})
    assert r.headers["Content-Type"].startswith("application/ld+json")
    assert get(server, "/entity/everolimus", params={"format": "pdf"}).status_code == 400


# ------------------------------------------------------------------ sources and cases
def test_source_page_lists_every_claim_with_its_quote_grouped_by_predicate(server):
    r = get(server, "/source/s000")
    assert r.status_code == 200
    assert 'aria-label="claims by relation"' in r.text
    assert r.text.count('<blockquote class="evidence">') >= 100
    assert "/case/case-s000" in r.text and "Results taken from it" in r.text
    assert (
        get(server, "/source/s000", headers={"Accept": "text/turtle"}).headers["Content-Type"].startswith("text/turtle")
    )


def test_case_page_shows_the_treatment_course_as_a_timeline(server):
    r = get(server, "/case/case-s000")
    assert r.status_code == 200
    text = r.text
    assert '<svg class="timeline"' in text and '<title id="tl-title">Treatment course' in text
    assert "/entity/capecitabine" in text and "/entity/temozolomide" in text
    assert text.index("March 2004") < text.index("December 2013")  # episodes in order
    assert "progression" in text and "/entity/malignant-insulinoma" in text


def test_episode_claim_and_result_records_have_pages(server):
    for path in ("/case/case-s000/episode/1", "/claim/s000-c001", "/result/s004-r028"):
        assert get(server, path).status_code == 200, path


# ------------------------------------------------------------------ search
def test_normalisation_meets_spellings():
    assert normalise("mTOR") == normalise("MTOR")
    assert normalise("IGF-1R") == normalise("IGF1R")
    assert normalise("PDGFR-alpha") == normalise("PDGFRα")


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("RAD001", "everolimus"),
        ("evero", "everolimus"),
        ("mTOR", "mtor"),
        ("MTOR", "mtor"),
        ("IGF-1R", "igf-1r"),
        ("igf1r", "igf-1r"),
        ("PDGFR-alpha", "pdgfr-alpha"),
        ("PDGFRα", "pdgfr-alpha"),
        ("CHEBI:68478", "everolimus"),
        ("NCT00510068", "radiant-3"),
    ],
)
def test_suggestions_tolerate_case_hyphens_greek_and_identifiers(server, query, entity):
    r = requests.get(server + "/search/suggest", params={"q": query}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    urls = [s["url"] for s in r.json()["suggestions"]]
    assert any(u.startswith("/entity/") for u in urls), (query, urls)
    ids = [u.rsplit("/", 1)[-1] for u in urls]
    assert any(i == entity or i.startswith(entity) for i in ids[:3]), (query, ids)


def test_search_page_groups_results_by_type(server):
    r = get(server, "/search", params={"q": "mtor"})
    assert r.status_code == 200
    assert r.text.count('class="search-group"') >= 3
    assert "/entity/mtor" in r.text and "protein" in r.text


def test_search_by_synonym(server):
    r = get(server, "/search", params={"q": "RAD001"})
    assert r.status_code == 200 and "/entity/everolimus" in r.text


def test_empty_search_and_suggest(server):
    assert get(server, "/search").status_code == 200
    assert requests.get(server + "/search/suggest", timeout=30).json()["suggestions"] == []


def test_hostile_search_text_is_escaped_and_harmless(server):
    hostile = '<script>alert(1)</script>" } } ; DROP ALL # * OR NEAR('
    r = get(server, "/search", params={"q": hostile})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;" in r.text
    s = requests.get(server + "/search/suggest", params={"q": hostile}, timeout=30)
    assert s.status_code == 200 and s.json()["query"].startswith("<script>")  # JSON, never HTML


# ------------------------------------------------------------------ a hostile graph
HOSTILE_LABEL = '<script>alert("label")</script>'
_E, _O, _G = "https://w3id.org/pnet-kg/entity/", "https://w3id.org/pnet-kg/ontology#", "https://w3id.org/pnet-kg/graph/"
_RDF_TYPE, _LABEL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_ESCAPED = HOSTILE_LABEL.replace('"', '\\"')
HOSTILE_QUADS = [
    (f"<{_E}evil>", f"<{_RDF_TYPE}>", f"<{_O}Drug>", "entities"),
    (f"<{_E}evil>", f"<{_LABEL}>", f'"{_ESCAPED}"@en', "entities"),
    (f"<{_E}evil>", f"<{_SKOS}definition>", '"<img src=x onerror=alert(2)> & more"@en', "entities"),
    (f"<{_E}evil>", f"<{_SKOS}altLabel>", '"scriptkiddie"@en', "entities"),
    (f"<{_E}evil>", f"<{_O}treats>", "<javascript:alert(3)>", "entities"),
    (f"<{_E}good>", f"<{_LABEL}>", '"good"@en', "entities"),
    (f"<{_E}good>", f"<{_RDF_TYPE}>", f"<{_O}Drug>", "entities"),
    (f"<{_E}good>", f"<{_O}treats>", f"<{_E}evil>", "entities"),
    (f"<{_O}Drug>", f"<{_LABEL}>", '"drug"@en', "ontology"),
]
HOSTILE_NQ = "".join(f"{s} {p} {o} <{_G}{g}> .\n" for s, p, o, g in HOSTILE_QUADS)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """The app over a tiny graph whose literals and IRIs are hostile, served by waitress on loopback."""
    import waitress
    from pnetkg.app import create_app

    data = tmp_path_factory.mktemp("hostile")
    dump = data / "hostile.nq"
    dump.write_text(HOSTILE_NQ, encoding="utf-8")
    store = EmbeddedStore(data / "store")
    store.replace_all(dump)
    app = create_app(Settings.load({"data_dir": str(data / "store")}, environ={}), store)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def _body(text: str) -> str:
    return text.split("<body>", 1)[1]


def test_hostile_literals_show_as_text_on_the_entity_page(hostile_server):
    r = get(hostile_server, "/entity/evil")
    assert r.status_code == 200
    body = _body(r.text)
    assert "<script>alert" not in body and "&lt;script&gt;alert(" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(2)&gt; &amp; more" in body
    assert 'href="javascript:' not in body  # the href filter only lets http(s) and our own IRIs through


def test_hostile_label_is_escaped_where_it_is_linked_and_listed(hostile_server):
    for path in ("/entity/good", "/list/drugs", "/types/Drug", "/search?q=scriptkiddie"):
        body = _body(get(hostile_server, path).text)
        assert "<script>alert" not in body and "&lt;script&gt;" in body, path


def test_hostile_label_reaches_suggestions_as_json_text(hostile_server):
    r = requests.get(hostile_server + "/search/suggest", params={"q": "script"}, timeout=30)
    assert r.json()["suggestions"][0]["label"] == HOSTILE_LABEL
