"""The query editor in a real browser: YASGUI loads, runs an example query and shows the table."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = pytest.mark.browser  # the browser fixture skips when chromium is missing


def test_editor_runs_an_example_query_and_shows_the_result_table(server, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
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
