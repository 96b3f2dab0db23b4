"""AppTest of the Municipalities page against the shipped-data warehouse: every figure shown is
checked against duckdb SQL on the warehouse or sums of the raw CSV files. (The official FDI page
is tested in test_pages_official.py.)"""

import base64
import json

import duckdb
import numpy as np
import pytest

from analytics.i18n import fmt_musd, fmt_number, t
from tests.conftest import open_list, run_app

CN_2019 = {"desde": "2019-01-01", "hasta": "2025-12-31", "pais": ["CN"]}
# The same filter as SQL over the announcements table (whole stated date inside, or undated).
CN_2019_SQL = (
    "origin_iso2 = 'CN' AND (announced_date IS NULL OR "
    "(announced_date >= DATE '2019-01-01' AND announced_until <= DATE '2025-12-31'))"
)
EMPTY = {"pais": ["CN"], "municipio": ["Matehuala"]}
MAP_BYTES = 150_000


@pytest.fixture(scope="module")
def con(shipped_warehouse):
    with duckdb.connect(str(shipped_warehouse), read_only=True) as connection:
        yield connection


def rows(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def one(con, sql: str, params: list | None = None):
    return rows(con, sql, params)[0][0]


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def text(app) -> str:
    return "\n".join(m.value for m in app.markdown)


def charts(app) -> dict[str, dict]:
    """The page's plotly figures by title text (the title is inside the figure)."""
    figures = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    return {f["layout"]["title"]["text"]: f for f in figures}


def numbers(array) -> list[float]:
    """A figure's numeric array from its JSON (plotly may encode it as base64 'bdata')."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def municipalities_page(monkeypatch, db, lang="es", params=None):
    return run_app(monkeypatch, db, page="municipios", lang=lang, params=params)


# ---------------------------------------------------------------- municipalities


@pytest.mark.parametrize(
    ("lang", "params", "where"),
    [("es", None, "TRUE"), ("en", CN_2019, CN_2019_SQL)],
)
def test_municipality_kpis_match_the_warehouse(
    monkeypatch, shipped_warehouse, con, lang, params, where
):
    app = municipalities_page(monkeypatch, shipped_warehouse, lang, params)
    placed, musd, unplaced = rows(
        con,
        f"SELECT count(DISTINCT cvegeo), coalesce(sum(amount_musd) FILTER (WHERE cvegeo IS NOT NULL), 0), "
        f"count(*) FILTER (WHERE cvegeo IS NULL) FROM announcements WHERE {where}",
    )[0]
    unplaced_musd = one(
        con,
        f"SELECT coalesce(sum(amount_musd), 0) FROM announcements WHERE cvegeo IS NULL AND {where}",
    )
    shown = metrics(app)
    if lang == "es":
        assert app.title[0].value == "Municipios"
        assert shown["Municipios con anuncios"] == f"{placed} de 58"
        assert shown["Inversión ubicada en el mapa"] == fmt_musd(musd, lang)
        assert shown["Proyectos sin municipio"] == fmt_number(unplaced, lang)
        assert (
            f"{unplaced} de los anuncios filtrados ({fmt_musd(unplaced_musd, lang)}) no indican"
            in ("\n".join(c.value for c in app.caption))
        )
    else:
        assert app.title[0].value == "Municipalities"
        assert shown["Municipalities with announcements"] == f"{placed} of 58"
        assert shown["Investment on the map"] == fmt_musd(musd, lang)
        assert shown["Projects without municipality"] == fmt_number(unplaced, lang)
        assert f"({fmt_musd(unplaced_musd, lang)}) do not state a municipality" in (
            "\n".join(c.value for c in app.caption)
        )


@pytest.mark.parametrize(
    ("lang", "params", "where"),
    [("es", None, "TRUE"), ("en", CN_2019, CN_2019_SQL)],
)
def test_default_municipality_is_the_leader_with_its_census_and_projects(
    monkeypatch, shipped_warehouse, con, lang, params, where
):
    app = municipalities_page(monkeypatch, shipped_warehouse, lang, params)
    cvegeo, name, musd, projects = rows(
        con,
        f"""SELECT cvegeo, m.name, sum(amount_musd) AS musd, count(*) FROM announcements
            JOIN municipalities m USING (cvegeo) WHERE {where}
            GROUP BY ALL ORDER BY musd DESC NULLS LAST LIMIT 1""",
    )[0]
    population, active, households = rows(
        con,
        "SELECT population_2020, economically_active_2020, households_2020 FROM municipalities "
        "WHERE cvegeo = ?",
        [cvegeo],
    )[0]
    assert app.selectbox(key="municipality_pick").value == cvegeo
    assert f"### {name}" in text(app)
    shown = metrics(app)
    assert shown[t("investment_musd", lang)] == fmt_musd(musd, lang)
    assert shown[t("projects", lang)] == fmt_number(projects, lang)
    population_label = "Población 2020" if lang == "es" else "Population 2020"
    assert shown[population_label] == fmt_number(population, lang)
    assert shown["PEA 2020" if lang == "es" else "Economically active"] == fmt_number(active, lang)
    assert shown["Hogares" if lang == "es" else "Households"] == fmt_number(households, lang)
    rank = "Lugar · Inversión (MDD)" if lang == "es" else "Rank · Investment (USD M)"
    assert shown[rank] == ("1 de 58" if lang == "es" else "1 of 58")
    open_list(app, "proyectos_municipio", projects, lang)
    assert len(app.dataframe[-1].value) == projects


@pytest.mark.parametrize("lang", ["es", "en"])
def test_villa_de_pozos_in_the_select_box_lists_its_own_projects(
    monkeypatch, shipped_warehouse, con, lang
):
    app = municipalities_page(monkeypatch, shipped_warehouse, lang)
    count, musd = rows(
        con,
        "SELECT count(*), sum(amount_musd) FROM announcements WHERE municipality = 'Villa de Pozos'",
    )[0]
    note = one(con, f"SELECT note_{lang} FROM places WHERE name = 'Villa de Pozos'")
    in_24028 = one(con, "SELECT count(*) FROM announcements WHERE cvegeo = '24028'")
    assert count > 0 and in_24028 > count  # its projects are counted in San Luis Potosí too

    app.selectbox(key="municipality_pick").set_value("place:Villa de Pozos").run()
    assert not app.exception
    open_list(app, "proyectos_municipio", count, lang)  # it stays open for the next choice
    table = app.dataframe[-1].value
    assert len(table) == count
    assert set(table[t("municipality", lang)]) == {"Villa de Pozos"}
    assert metrics(app)[t("investment_musd", lang)] == fmt_musd(musd, lang)
    assert note in [i.value for i in app.info]
    assert ("cifras censales" if lang == "es" else "census figures") in text(app)

    # San Luis Potosí itself lists every project keyed to 24028 and says it includes Villa de Pozos.
    app.selectbox(key="municipality_pick").set_value("24028").run()
    assert len(app.dataframe[-1].value) == in_24028
    included = f"{count} " + (
        "proyectos anunciados en Villa de Pozos" if lang == "es" else "projects"
    )
    assert any(included in i.value for i in app.info)


def test_per_capita_metric_headline_matches_the_census(monkeypatch, shipped_warehouse, con):
    app = municipalities_page(monkeypatch, shipped_warehouse, "es")
    app.radio(key="municipality_metric").set_value("musd_per_1000").run()
    assert not app.exception
    name, value = rows(
        con,
        """SELECT m.name, sum(a.amount_musd) / any_value(m.population_2020) * 1000 AS v
           FROM announcements a JOIN municipalities m USING (cvegeo)
           GROUP BY ALL ORDER BY v DESC NULLS LAST LIMIT 1""",
    )[0]
    state = one(
        con,
        "SELECT (SELECT sum(amount_musd) FROM announcements WHERE cvegeo IS NOT NULL) "
        "/ (SELECT sum(population_2020) FROM municipalities) * 1000",
    )
    headline = text(app)
    assert f"**{name}** encabeza la inversión anunciada por cada 1,000 habitantes" in headline
    assert f"**{fmt_musd(value, 'es')}**" in headline
    assert f"el promedio estatal, con lo ubicado en el mapa, es {fmt_musd(state, 'es')}" in headline
    figure = charts(app)
    assert any("Inversión anunciada por cada 1,000 habitantes (MDD)" in k for k in figure)


def test_the_map_is_small_and_localized(monkeypatch, shipped_warehouse, con):
    for lang, hover_word in (("es", "Población 2020"), ("en", "Population 2020")):
        app = municipalities_page(monkeypatch, shipped_warehouse, lang)
        spec = app.get("plotly_chart")[0].proto.spec
        assert len(spec) < MAP_BYTES, len(spec)
        figure = json.loads(spec)
        polygons = [tr for tr in figure["data"] if tr.get("fill") == "toself"]
        assert len(polygons) == 58
        san_luis = next(tr for tr in polygons if tr["text"].startswith("<b>San Luis Potosí</b>"))
        assert hover_word in san_luis["text"]
        assert t("villa_de_pozos_in_map", lang) in san_luis["text"]
        keys = next(tr for tr in figure["data"] if tr.get("customdata"))["customdata"]
        assert sorted(keys) == [
            r[0] for r in rows(con, "SELECT cvegeo FROM municipalities ORDER BY 1")
        ]
        for metric in ("jobs", "projects", "musd_per_1000", "jobs_per_1000_pea"):
            app.radio(key="municipality_metric").set_value(metric).run()
            assert not app.exception, metric
            assert len(app.get("plotly_chart")[0].proto.spec) < MAP_BYTES, metric


def test_cancelled_announcements_are_pointed_out(monkeypatch, shipped_warehouse, con):
    cancelled = one(
        con,
        "SELECT sum(amount_musd) FROM announcements WHERE status = 'cancelled' AND cvegeo IS NOT NULL",
    )
    app = municipalities_page(monkeypatch, shipped_warehouse, "es")
    captions = "\n".join(c.value for c in app.caption)
    assert f"Los totales incluyen {fmt_musd(cancelled, 'es')} de anuncios cancelados" in captions
    app = municipalities_page(
        monkeypatch, shipped_warehouse, "es", {"estatus": ["operating", "announced"]}
    )
    assert "cancelados" not in "\n".join(c.value for c in app.caption)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_municipalities_impossible_filter_shows_no_data(monkeypatch, shipped_warehouse, con, lang):
    assert one(con, "SELECT count(*) FROM announcements WHERE origin_iso2 = 'CN' "
                    "AND municipality = 'Matehuala'") == 0  # fmt: skip
    app = municipalities_page(monkeypatch, shipped_warehouse, lang, EMPTY)
    assert app.info[0].value == t("no_data", lang)
    assert not app.get("plotly_chart")
