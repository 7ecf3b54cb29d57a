"""The query editor completes PREFIX lines from the graph's own prefixes, without leaving the service."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser  # the browser fixture skips when chromium is missing

PNET = "pnet: <https://w3id.org/pnet-kg/ontology#>"
# YASQE's stock prefix completer keeps its list in localStorage for 30 days under this key:
# a list left there by an older editor (without pnet:) must not hide the graph's prefixes.
STALE_LIST = """localStorage.setItem("prefixes", JSON.stringify(
  {namespace: "triply", val: ["foaf: <http://xmlns.com/foaf/0.1/>"], exp: 2592000, time: Date.now() / 1000}));"""
# a request the Content-Security-Policy stops may never reach the network layer: count those too
WATCH_CSP = """window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.blockedURI));"""
VALUE = "document.querySelector('.CodeMirror').CodeMirror.getValue()"


def test_prefix_completion_offers_the_graphs_prefixes_and_asks_no_other_host(server, browser):
    context = browser.new_context()
    context.add_init_script(STALE_LIST)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/sparql", wait_until="networkidle")
    page.wait_for_selector(".CodeMirror")

    # a new first line, so the cursor ends its line (YASQE completes only there)
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.type("PREFIX pne", delay=30)
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints .CodeMirror-hint")
    hints.first.wait_for(timeout=10000)
    assert PNET in hints.all_inner_texts()
    page.keyboard.press("Enter")
    assert page.evaluate(VALUE).splitlines()[0] == "PREFIX " + PNET

    # a prefix used but not declared is declared from the same list
    page.keyboard.press("Control+End")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("End")
    page.keyboard.type("\n  ?drug skos:exactMatch chebi:", delay=30)
    page.wait_for_function(VALUE + ".includes('PREFIX chebi: <http://purl.obolibrary.org/obo/CHEBI_>')")

    # where a property goes the stock completer would ask lov.linkeddata.es: nothing may leave
    page.keyboard.type("15375 .\n  ?drug rdfs:com", delay=30)
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(1000)

    service = urlsplit(server).netloc
    assert [u for u in requested if urlsplit(u).netloc != service] == []
    assert page.evaluate("window.cspViolations") == []
    assert server + "/sparql/prefixes.json" in requested
    assert not errors
    context.close()
