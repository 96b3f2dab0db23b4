"""The cluster's pages in headless Chromium, on the shipped data with a SYNTHETIC roster and plan:
each renders without an error element, and what the browser receives for a
viewer holds no RFC, e-mail, phone or contact of the roster. Screenshots go to
artifacts/screenshots/ for a person to look at."""

import pytest

from etl.cluster import roster
from tests.browser_support import chromium, open_page, screenshot, streamlit_server

pytestmark = pytest.mark.browser

# (url path, language, heading, draws a chart): every page in Spanish, the chart pages in English
# too (AppTest covers both languages of every page).
PAGES = [
    ("parques", "es", "Parques industriales", True),
    ("parques", "en", "Industrial parks", True),
    ("proveedores", "es", "Programa de desarrollo de proveedores", True),
    ("proveedores", "en", "Supplier development programme", True),
    ("acuerdos", "es", "Acuerdos de los comités", False),
    ("empresas?empresa=cummins", "es", "Empresas", True),
]


@pytest.fixture(scope="module")
def server(synthetic_cluster):
    db, raw, _ = synthetic_cluster
    with streamlit_server(db, raw) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def secrets_of(sheets) -> list[str]:
    suppliers = sheets["suppliers"]
    return [*suppliers["RFC"], *suppliers["Correo"], *suppliers["Contacto"],
            *[roster.parse_phone(p) for p in suppliers["Teléfono"]]]  # fmt: skip


@pytest.mark.parametrize(("path", "lang", "title", "charts"), PAGES)
def test_cluster_pages_render_and_hold_no_private_field(
    server, browser, synthetic_cluster, path, lang, title, charts
):
    joiner = "&" if "?" in path else "?"
    page = open_page(browser, f"{server}/{path}{joiner}lang={lang}", charts=charts)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("h1").first.inner_text() == title
        # The page's HTML, tables included (Streamlit's grid sends its rows to the browser).
        html = page.content() + page.locator("body").inner_text()
        assert not [s for s in secrets_of(synthetic_cluster[2]) if s in html]
        screenshot(page, f"cluster_{path.split('?')[0]}_{lang}")
    finally:
        page.close()


def test_the_data_desk_holds_no_private_field_for_a_viewer(server, browser, synthetic_cluster):
    page = open_page(browser, f"{server}/datos?lang=es", charts=False)
    try:
        page.get_by_role("tab", name="Clúster").click()  # the desk's tab of the cluster
        page.get_by_role("tab", name="Padrón de proveedores").click()
        page.get_by_text("Padrón público (CSV)").wait_for(timeout=20_000)
        html = page.content() + page.locator("body").inner_text()
        assert "Padrón público (CSV)" in html
        assert not [s for s in secrets_of(synthetic_cluster[2]) if s in html]
        screenshot(page, "cluster_datos_es")
    finally:
        page.close()
