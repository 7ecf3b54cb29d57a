"""The query editor in a real browser: YASGUI loads, runs an example query and shows the table."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = pytest.mark.browser  # the browser fixture skips when chromium is missing


def test_editor_runs_an_example_query_and_shows_the_result_table(server, browser):
    page = browser.new_page()
    errors: list[str] = []
    failed: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # the browser's own requests (the icon) are not page responses, but a failed one is a console error
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    page.goto(server + "/sparql", wait_until="networkidle")
    page.wait_for_selector(".CodeMirror")
    button = page.locator("#examples button", has_text="mTOR").first
    button.wait_for()
    button.click()
    page.wait_for_selector(".yasr table td", timeout=15000)
    cells = page.locator(".yasr table td").all_inner_texts()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor.png"), full_page=True)
    assert any("everolimus" in c for c in cells)
    assert not errors
    assert not failed  # every script, style, icon and query the page loads is there


CLAIMS_PER_SOURCE = """PREFIX pnet: <https://w3id.org/pnet-kg/ontology#>
SELECT ?source (COUNT(?claim) AS ?claims) WHERE { ?claim pnet:fromSource ?source } GROUP BY ?source"""


def test_editor_draws_a_numeric_result_as_a_bar_chart(server, browser):
    import requests

    expected = requests.get(
        server + "/sparql", params={"query": CLAIMS_PER_SOURCE}, headers={"Accept": "application/sparql-results+json"}
    ).json()["results"]["bindings"]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/sparql", wait_until="networkidle")
    page.wait_for_selector(".CodeMirror")
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", CLAIMS_PER_SOURCE)
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr table td", timeout=15000)  # the table stays the default view
    page.locator(".select_chart").click()
    page.wait_for_selector("svg.result-chart rect")
    bars = page.locator("svg.result-chart rect")
    assert bars.count() == len(expected) > 1
    titles = page.eval_on_selector_all("svg.result-chart rect title", "els => els.map(e => e.textContent)")
    assert sorted(t.rsplit(": ", 1)[1] for t in titles) == sorted(b["claims"]["value"] for b in expected)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor-chart.png"), full_page=True)
    assert not errors
