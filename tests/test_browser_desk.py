"""The data desk in a real browser: sign in through OpenID Connect (a local test provider,
tests/oidc_stub.py), add one announcement with the form, correct it from its record, and see the
history and the new total; the Empresas table links each row to its record. Screenshots go to
artifacts/screenshots/ for a person to look at."""

import shutil

import duckdb
import pytest

from analytics.i18n import fmt_musd
from tests.browser_support import chromium, free_port, open_page, screenshot, streamlit_server
from tests.conftest import raw_copy
from tests.oidc_stub import oidc_provider, secrets_toml

pytestmark = pytest.mark.browser
EDITOR = "editora@example.org"
SOURCE = "https://example.org/sintetica-navegador"
COMPANY = "Navegador Sintética S.A."


@pytest.fixture(scope="module")
def desk(shipped_warehouse, tmp_path_factory):
    """A signed-in-capable server on a private copy of the shipped warehouse and raw folder."""
    base = tmp_path_factory.mktemp("browser_desk")
    db = base / "data" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copyfile(shipped_warehouse, db)
    raw = raw_copy(db.parent, journal=True)
    port = free_port()
    with oidc_provider(EDITOR) as issuer:
        secrets = base / "secrets.toml"
        secrets.write_text(secrets_toml(issuer, f"http://127.0.0.1:{port}", [EDITOR]))
        with streamlit_server(db, raw, port=port, args=(f"--secrets.files={secrets}",)) as url:
            yield url, db


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def settle(page) -> None:
    """Wait for the run that the last action started to finish."""
    page.wait_for_timeout(800)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000
    )
    page.wait_for_timeout(500)


def choose(page, label: str, text: str) -> None:
    """Type into a selectbox (a new value where new values are accepted) and pick it."""
    # Visible only: the desk's other tabs (the cluster's forms) have fields of the same name.
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has=page.get_by_text(label, exact=True), visible=True
    )
    box.locator("input").click()
    box.locator("input").fill(text)
    page.keyboard.press("Enter")
    settle(page)


def type_in(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True).first
    field.fill(text)
    field.press("Tab")
    settle(page)


def cells(grid) -> list[str]:
    """The cells of a Streamlit table (drawn on a canvas; its accessible table holds the text)."""
    return grid.locator("table td").all_text_contents()


def table_with(page, header: str, value: str, seconds: int = 30) -> list[str]:
    """The cells of the table headed `header`, once they show value (the page may still run)."""
    grid = page.locator('[data-testid="stDataFrame"]').filter(
        has=page.locator("th", has_text=header)
    )
    for _ in range(seconds * 2):
        found = cells(grid.first) if grid.count() else []
        if value in found:
            return found
        page.wait_for_timeout(500)
    return found


def total_musd(db) -> float:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT sum(amount_musd) FROM active_announcements").fetchall()[0][0]


def test_sign_in_add_correct_and_see_history_and_total(desk, browser):
    url, db = desk
    page = open_page(browser, f"{url}/datos?lang=es", charts=False)
    page.set_viewport_size({"width": 1440, "height": 2400})
    try:
        page.get_by_role("button", name="Iniciar sesión").click()
        page.wait_for_url(f"{url}/", timeout=30_000)  # the provider signs in, back to the app
        page.goto(f"{url}/datos?lang=es")
        page.wait_for_selector('[data-testid="stApp"]')
        settle(page)
        assert f"Sesión: {EDITOR}" in page.locator('[data-testid="stAlert"]').first.inner_text()

        page.get_by_role("tab", name="Nuevo anuncio").click()
        choose(page, "Empresa *", COMPANY)  # a company the warehouse does not know yet
        choose(page, "País de origen", "Corea del Sur")
        choose(page, "Municipio", "Villa de Pozos")
        type_in(page, "Fecha del anuncio", "marzo 2025")
        type_in(page, "Monto", "25 mdd")
        type_in(page, "Fuente (URL o documento) *", SOURCE)
        page.get_by_role("button", name="Revisar anuncio").click()
        settle(page)
        assert "25.0 MDD" in page.get_by_text("Monto: 25,000,000 USD").inner_text()
        screenshot(page, "datos_formulario_es")
        before = total_musd(db)
        page.get_by_role("button", name="Guardar anuncio").click()
        settle(page)
        assert total_musd(db) == pytest.approx(before + 25)

        with duckdb.connect(str(db), read_only=True) as con:
            (added,) = con.execute(
                "SELECT announcement_id FROM announcements WHERE source_url = ?", [SOURCE]
            ).fetchall()[0]
        page.goto(f"{url}/datos?anuncio={added}&lang=es")
        page.wait_for_selector('[data-testid="stApp"]')
        settle(page)
        choose(page, "Campo", "monto")
        type_in(page, "Valor nuevo", "30 mdd")
        type_in(page, "Fuente (URL o documento) *", f"{SOURCE}/correccion")
        page.get_by_role("button", name="Revisar corrección").click()
        settle(page)
        page.get_by_role("button", name="Aplicar").click()
        settle(page)
        history = table_with(page, "Registrado", "30000000")
        assert "25000000" in history and "30000000" in history and f"{SOURCE}/correccion" in history
        screenshot(page, "datos_ficha_es")

        page.goto(f"{url}/?lang=es")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
        settle(page)
        shown = page.locator('[data-testid="stMetricValue"]').first.inner_text()
        assert shown == fmt_musd(total_musd(db), "es") and total_musd(db) == pytest.approx(
            before + 30
        )
        screenshot(page, "resumen_tras_correccion_es")
    finally:
        page.close()


def test_companies_link_each_row_to_its_record_and_every_page_has_its_foot(desk, browser):
    url, _ = desk
    page = open_page(browser, f"{url}/empresas?lang=es")
    try:
        # The whole list waits folded until a search or a click (ui.announcement_table).
        page.get_by_text("Ver la lista:").click()
        settle(page)
        shown = cells(page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').first)
        links = [c for c in shown if c.startswith("datos?anuncio=A")]
        assert links and all(c.endswith("&lang=es") for c in links)
        # Empresas draws no foot itself: the entry point adds it (analytics.ui.page_foot).
        foot = page.locator('[data-testid="stCaptionContainer"]').last.inner_text()
        assert foot.startswith("Anuncios: último cambio el")
        page.goto(f"{url}/avance?lang=en")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator("h1").first.inner_text() == "Project pipeline"
        screenshot(page, "avance_en")
    finally:
        page.close()
