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
