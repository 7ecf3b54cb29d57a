"""The pages in a real browser: Playwright driving Debian's headless chromium (never a downloaded one).

Screenshots of the home, drug, trial and patient-case pages are saved in
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_search_with_autocomplete_then_follow_links_to_an_entity_and_the_query_editor(server, page):
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="Search the graph")
    box.click()
    box.press_sequentially("IGF1R", delay=40)
    options = page.get_by_role("option")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    texts = options.all_inner_texts()
    assert any("IGF-1R" in t for t in texts), texts
    # keyboard: the first suggestion is the best one (the IGF-1R protein)
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/entity/igf-1r")
    assert page.get_by_role("heading", level=1).inner_text() == "IGF-1R"

    # follow a statement to another entity
    target = page.locator("ul.statements a[href^='/entity/']").first
    href = target.get_attribute("href")
    target.click()
    page.wait_for_url("**" + href)
    assert page.get_by_role("heading", level=1).is_visible()

    # and on to the ready SPARQL query about it, in the query editor
    link = page.locator("a.sparql-link")
    href = link.get_attribute("href")
    assert href.startswith("/sparql?query=")
    answer = page.request.get(server + href, headers={"Accept": "text/html,*/*;q=0.8"})
    assert answer.status == 200
    if answer.headers["content-type"].startswith("text/html"):  # the editor page opens with the query
        link.click()
        page.wait_for_url("**/sparql?query=**")
        assert page.locator("body").inner_text()
    else:  # no editor page for browsers yet: the link is still a query the endpoint answers
        assert page.request.get(server + href, headers={"Accept": "application/sparql-results+json"}).ok


def test_clicking_a_suggestion_opens_its_page(server, page):
    page.goto(server + "/entity/radiant-3")
    box = page.get_by_role("combobox", name="Search the graph")
    box.press_sequentially("evero", delay=40)
    page.get_by_role("option").filter(has_text="everolimus").first.click()
    page.wait_for_url("**/entity/everolimus")


@pytest.mark.parametrize(
    ("name", "path", "check"),
    [
        ("home", "/", "h1"),
        ("drug-everolimus", "/entity/everolimus", "svg.forest"),
        ("trial-radiant-3", "/entity/radiant-3", "svg.forest"),
        ("case-s000", "/case/case-s000", "svg.timeline"),
    ],
)
def test_screenshots_of_the_main_pages(server, browser, name, path, check):
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in (("", 1280), ("-phone", 390)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(server + path)
        assert page.locator(check).first.is_visible()
        # no horizontal scrolling of the page itself on a phone (wide tables scroll in their own box)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 2, f"{path} is {overflow}px wider than a {width}px screen"
        page.screenshot(path=str(ARTIFACTS / f"{name}{label}.png"), full_page=label == "")
        assert not errors, errors
        context.close()
