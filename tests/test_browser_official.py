"""The official pages in the real server and headless Chromium: the revisions view puts the first
published and the revised figure of one period side by side, and the peer-states view draws the
32 states offline with SLP's rank. Screenshots go to artifacts/screenshots/."""

import pytest

from tests.browser_support import chromium, open_page, screenshot, streamlit_server
from tests.official_files import TYPE_SHEET_NAME, workbook_value

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(shipped_warehouse):
    with streamlit_server(shipped_warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def chart_texts(page, charts: int = 4) -> str:
    """Every text the page's charts draw (SVG text has no innerText: its textContent)."""
    page.set_viewport_size({"width": 1440, "height": 6000})  # every chart on screen, drawn
    page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)
    texts = page.eval_on_selector_all(".js-plotly-plot text", "els => els.map(e => e.textContent)")
    return " ".join(t for t in texts if t)


@pytest.mark.parametrize("lang", ["es"])
def test_revisions_view_shows_both_figures_of_a_period(server, browser, lang):
    page = open_page(browser, f"{server}/ied?lang={lang}")
    try:
        # The section is a tab drawn when chosen: its two charts replace the first tab's two.
        page.get_by_role("tab", name="Revisiones" if lang == "es" else "Revisions").click()
        page.get_by_text(
            "Revisiones: el mismo periodo" if lang == "es" else "Revisions: the same"
        ).wait_for(timeout=60_000)
        first = workbook_value(TYPE_SHEET_NAME, "San Luis Potosí", 2025, 2)
        unit = "MDD" if lang == "es" else "US$"
        texts = chart_texts(page, charts=2)
        assert f"{first:,.1f}" in texts and "89.8" in texts and unit in texts
        label = "corte al 30-jun-2025" if lang == "es" else "cut-off 30-Jun-2025"
        assert label in texts
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, f"ied_revisiones_{lang}")
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en"])
def test_peer_states_view_draws_the_map_offline(server, browser, lang):
    page = open_page(browser, f"{server}/estados?lang={lang}")
    try:
        texts = chart_texts(page)
        assert ("lugar 14 de 32" if lang == "es" else "ranks 14 of 32") in texts
        for label in ("SLP", "Ags.", "Gto.", "Qro.", "Jal.", "NL", "Coah."):
            assert label in texts
        # The map is drawn as shapes on plain axes: 32 filled state outlines, no tile images.
        assert page.locator("img[src*='tile'], .mapboxgl-canvas, .maplibregl-canvas").count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, f"estados_{lang}")
    finally:
        page.close()
