"""The real server in headless Chromium: every page in both languages renders its charts without an
error element, and the chart toolbar downloads a 1920x1080 PNG. Screenshots go to
artifacts/screenshots/ for a person to look at."""

import struct
from pathlib import Path

import pytest

from analytics.navigation import PAGES as NAV_PAGES
from tests.browser_support import chromium, open_page, screenshot, streamlit_server

pytestmark = pytest.mark.browser

# (url path, Spanish heading, English heading): the default page lives at the root.
PAGES = [
    ("", "Resumen", "Overview"),
    ("origen", "Origen de la inversión", "Where the investment comes from"),
    ("sectores", "Sectores y niveles de proveeduría", "Sectors and supply-chain tiers"),
    ("municipios", "Municipios", "Municipalities"),
    ("empresas", "Empresas", "Companies"),
    ("ied", "IED oficial", "Official FDI"),
]


@pytest.fixture(scope="module")
def server(shipped_warehouse):
    with streamlit_server(shipped_warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def test_a_shared_deep_link_works_on_a_fresh_server(server, browser):
    """Runs first: the server has served no page yet (Streamlit's legacy pages/ handling)."""
    page = open_page(browser, f"{server}/municipios?lang=en&pais=CN")
    try:
        assert page.locator('[data-testid="stDialog"]').count() == 0
        assert page.locator("h1").first.inner_text() == "Municipalities"
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(("path", "title_es", "title_en"), PAGES)
def test_page_renders_charts_without_errors(server, browser, path, title_es, title_en, lang):
    page = open_page(browser, f"{server}/{path}?lang={lang}")
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator(".js-plotly-plot").count() >= 1
        assert page.locator("h1").first.inner_text() == (title_es if lang == "es" else title_en)
        screenshot(page, f"{path or 'resumen'}_{lang}")
    finally:
        page.close()


def test_filters_survive_a_page_switch_in_the_url(server, browser):
    page = open_page(browser, f"{server}/?lang=es&pais=CN&desde=2019-01-01&hasta=2025-12-31")
    try:
        page.get_by_role("link", name="Origen").click()
        page.wait_for_url("**/origen?**", timeout=20_000)
        page.wait_for_function("() => location.search.includes('pais=CN')", timeout=20_000)
        assert "desde=2019-01-01" in page.url
    finally:
        page.close()


def test_menu_lists_every_page_and_filters_show_where_they_apply(server, browser):
    """Every page's link is in the menu (no "View more"); a page the announcements' filters do not
    apply to hides them, and the filters come back unchanged on the next page that uses them."""
    slider = '[data-testid="stSidebar"] [data-testid="stSlider"]'
    page = open_page(browser, f"{server}/origen?lang=es&pais=CN")
    try:
        nav = page.locator('[data-testid="stSidebarNav"]')
        for page_def in NAV_PAGES:
            assert nav.get_by_role("link", name=page_def.title[0], exact=True).is_visible()
        assert page.locator(slider).count() == 1
        nav.get_by_role("link", name="Estados comparables", exact=True).click()
        page.wait_for_url("**/estados?**", timeout=20_000)
        page.locator("h1", has_text="Estados comparables").wait_for(timeout=60_000)
        page.wait_for_function(f"() => !document.querySelector('{slider}')", timeout=20_000)
        assert "pais=CN" in page.url
        nav.get_by_role("link", name="Sectores", exact=True).click()
        page.wait_for_url("**/sectores?**", timeout=20_000)
        page.locator(slider).wait_for(timeout=60_000)
        assert "pais=CN" in page.url
        country = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1)
        assert "China" in country.inner_text()
    finally:
        page.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_toolbar_download_is_a_1920x1080_png(server, browser):
    page = open_page(browser, f"{server}/?lang=es")
    try:
        plot = page.locator(".js-plotly-plot").first
        plot.hover()
        with page.expect_download(timeout=30_000) as download:
            plot.locator('[data-title^="Descargar la gráfica"]').click()
        path = download.value.path()
        assert png_size(Path(path).read_bytes()) == (1920, 1080)
    finally:
        page.close()


def test_pages_ask_nothing_of_other_hosts(server, browser):
    """Offline: maps, fonts, scripts and the tab's icon all come from the app's own server."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    try:
        for path in ("origen", "municipios"):
            page.goto(f"{server}/{path}?lang=es")
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=45_000,
            )
        icon = page.locator("link[rel='shortcut icon']").get_attribute("href")
    finally:
        page.close()
    elsewhere = [url for url in asked if not url.startswith((server, "data:", "blob:"))]
    assert elsewhere == []
    assert icon.startswith("/media/") or icon.startswith(server)
