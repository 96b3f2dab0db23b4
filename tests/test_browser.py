"""The real server in headless Chromium: every page in both languages renders its charts without an
error element, and the chart toolbar downloads a 1920x1080 PNG. Screenshots go to
artifacts/screenshots/ for a person to look at."""

import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from etl.warehouse import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# (url path, Spanish heading, English heading): the default page lives at the root.
PAGES = [
    ("", "Resumen", "Overview"),
    ("origen", "Origen de la inversión", "Where the investment comes from"),
    ("sectores", "Sectores y niveles de proveeduría", "Sectors and supply-chain tiers"),
    ("municipios", "Municipios", "Municipalities"),
    ("empresas", "Empresas", "Companies"),
    ("ied", "IED oficial", "Official FDI"),
]
# Chromium flags for this machine: no sandbox as root, no background calls to closed networks.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(shipped_warehouse):
    port = _free_port()
    env = {**os.environ, "WAREHOUSE_DB": str(shipped_warehouse)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("Streamlit did not start: " + process.stdout.read().decode()[-2000:])
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: bash tests/run.sh installs it"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
    # Let the run finish: Streamlit marks the app as running while scripts execute.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000
    )
    page.wait_for_timeout(800)
    return page


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
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{path or 'resumen'}_{lang}.png", full_page=True)
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
