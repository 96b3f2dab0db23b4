"""AppTest of the entry point and the Overview page against the shipped-data warehouse."""

import duckdb
import pytest

from analytics.i18n import fmt_musd, fmt_number
from tests.conftest import run_app, shipped_announcements

FILTERS = {"desde": "2019-01-01", "hasta": "2025-12-31", "pais": ["CN", "JP"]}


def expected(db, where: str, params: list) -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT coalesce(sum(amount_musd), 0), coalesce(sum(jobs), 0), count(*), "
            f"count(DISTINCT lower(company)) FROM announcements WHERE {where}",
            params,
        ).fetchall()[0]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_overview_kpis_match_the_warehouse(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, lang=lang, params=FILTERS)
    musd, jobs, projects, companies = expected(
        shipped_warehouse,
        "origin_iso2 IN ('CN', 'JP') AND announced_date >= DATE '2019-01-01' "
        "AND announced_until <= DATE '2025-12-31' OR origin_iso2 IN ('CN', 'JP') "
        "AND announced_date IS NULL",
        [],
    )
    values = [m.value for m in app.metric]
    assert values == [fmt_musd(musd, lang), fmt_number(jobs, lang), str(projects), str(companies)]
    assert app.title[0].value == ("Resumen" if lang == "es" else "Overview")


def test_overview_unfiltered_counts_every_shipped_announcement(monkeypatch, shipped_warehouse):
    app = run_app(monkeypatch, shipped_warehouse)
    assert app.metric[2].value == str(len(shipped_announcements()))  # base file plus journal
    assert "2012–2026" in app.markdown[0].value


def test_filters_from_the_url_reach_the_widgets(monkeypatch, shipped_warehouse):
    app = run_app(monkeypatch, shipped_warehouse, params=FILTERS)
    assert app.slider(key="f_years").value == (2019, 2025)
    assert app.multiselect(key="f_countries").value == ["CN", "JP"]
    assert app.query_params["pais"] == ["CN", "JP"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_filters_fold_until_opened_or_in_force(monkeypatch, shipped_warehouse, lang):
    """Folded, the filters are a line saying what is in force and no widget is drawn; opened,
    they show the same period; a link with filters opens them by itself."""
    with duckdb.connect(str(shipped_warehouse), read_only=True) as con:
        years = con.execute("SELECT min(announced_year), max(announced_year) FROM announcements")
        years = years.fetchall()[0]
    app = run_app(monkeypatch, shipped_warehouse, lang=lang)
    assert not app.slider and not app.multiselect
    everything = "todos los anuncios" if lang == "es" else "all announcements"
    assert f"{years[0]}–{years[-1]} · {everything}" in [c.value for c in app.sidebar.caption]
    assert app.query_params["desde"] == f"{years[0]}-01-01"  # as the slider would give it
    # (AppTest shows the sidebar of a session's first run only: a new session opens it.)
    app = run_app(monkeypatch, shipped_warehouse, lang=lang, state={"filters_panel": True})
    assert app.slider(key="f_years").value == (years[0], years[-1])
    assert len(app.multiselect) == 7
    opened = run_app(monkeypatch, shipped_warehouse, lang=lang, params={"pais": ["CN"]})
    assert opened.multiselect(key="f_countries").value == ["CN"]


def test_no_data_is_a_message_not_an_error(monkeypatch, shipped_warehouse):
    app = run_app(
        monkeypatch, shipped_warehouse, params={"pais": ["KR"], "evento": ["cancellation"]}
    )
    assert "No hay anuncios" in app.info[0].value


def test_hostile_url_values_are_ignored(monkeypatch, shipped_warehouse):
    app = run_app(
        monkeypatch,
        shipped_warehouse,
        params={"pais": ["CN' OR 1=1 --"], "desde": "<script>", "lang": "xx"},
    )
    assert app.metric[2].value == str(len(shipped_announcements()))
    assert app.title[0].value == "Resumen"
