"""The Origen, Sectores and Empresas pages on the shipped data: the figures they show equal sums
computed here independently with SQL, texts follow the language, and empty filters say so."""

import base64
import json

import duckdb
import numpy as np
import pytest

from analytics.i18n import fmt_musd, fmt_number, fmt_pct, t
from tests.conftest import open_list, run_app

CHINA_SINCE_2019 = {"pais": ["CN"], "desde": "2019-01-01", "hasta": "2025-12-31"}
# The same filter in SQL: an announcement is in the period when its whole stated date is inside;
# undated ones are included (the sidebar's default).
CHINA_SINCE_2019_SQL = (
    "origin_iso2 = 'CN' AND ((announced_date >= DATE '2019-01-01' "
    "AND announced_until <= DATE '2025-12-31') OR announced_date IS NULL)"
)
# China never announced a vehicle assembly plant in SLP.
IMPOSSIBLE = {"pais": ["CN"], "sector": ["OEM vehicle assembly"]}
LANGS = ["es", "en"]


def sql(db, query: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def metrics(app, last: bool = False) -> dict[str, str]:
    """Metric values by label; a label shown twice (page KPIs, then a detail's) gives the first
    value, or the last one with last=True."""
    shown: dict[str, str] = {}
    for m in app.main.metric:
        if last or m.label not in shown:
            shown[m.label] = m.value
    return shown


def markdown(app) -> str:
    return "\n".join(m.value for m in app.main.markdown)


def chart_specs(app) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def values(data) -> list:
    """A trace's array as a list: plotly writes numeric arrays as base64 typed arrays."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def chart_titles(app) -> list[str]:
    return [spec["layout"]["title"]["text"] for spec in chart_specs(app)]


def assert_language(app, lang: str, title: str) -> None:
    """The page title, every chart title and the footnotes are in the chosen language."""
    assert app.title[0].value == title
    spanish = ("Inversión", "Proyectos", "Mapa", "Proporción", "anuncios")
    english = ("investment", "Investment", "Projects", "Map", "Share", "announcements")
    titles = chart_titles(app)
    assert titles
    for text in titles:
        if lang == "es":
            assert any(word in text for word in spanish), text
            assert not any(word in text for word in ("investment", "Projects", "Map ")), text
        else:
            assert any(word in text for word in english), text
            assert not any(word in text for word in ("Inversión", "Proyectos", "Mapa")), text
    captions = [c.value for c in app.main.caption]
    assert t("source_announcements", lang) in captions


# ---------------------------------------------------------------- Origen


@pytest.mark.parametrize("lang", LANGS)
def test_origin_figures_match_sql(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, "origen", lang, CHINA_SINCE_2019)
    [(musd, projects, with_amount, jobs)] = sql(
        shipped_warehouse,
        f"SELECT sum(amount_musd), count(*), count(amount_musd), sum(jobs) FROM announcements "
        f"WHERE {CHINA_SINCE_2019_SQL}",
    )
    assert projects > 0
    shown = metrics(app)
    whole = f"{fmt_number(projects, lang)} ({fmt_pct(1, lang)})"
    if lang == "es":
        assert shown["Países de origen"] == "1"
        assert shown["Inversión extranjera (MDD)"] == fmt_musd(musd, "es")
        assert shown["Proyectos de Asia"] == whole
        assert shown["Proyectos de China"] == whole
    else:
        assert shown["Origin countries"] == "1"
        assert shown["Foreign investment (USD M)"] == fmt_musd(musd, "en")
        assert shown["Projects from China"] == whole
    # The country drill-down (China, the only country) repeats the totals.
    assert shown[t("investment_musd", lang)] == fmt_musd(musd, lang)
    assert shown[t("projects", lang)] == fmt_number(projects, lang)
    assert shown[t("jobs", lang)] == fmt_number(jobs, lang)

    text = markdown(app)
    assert fmt_musd(musd, lang) in text
    assert f"({fmt_number(with_amount, lang)} " in text
    by_year = sql(
        shipped_warehouse,
        f"SELECT announced_year, count(*) FROM announcements WHERE {CHINA_SINCE_2019_SQL} "
        "AND announced_year IS NOT NULL GROUP BY 1 ORDER BY 1",
    )
    word = " en " if lang == "es" else " in "
    for year, n in by_year:
        assert f"{n}{word}{year}" in text
    undated = projects - sum(n for _, n in by_year)
    assert f"{undated} {'sin fecha' if lang == 'es' else 'undated'}" in text

    assert not app.main.dataframe  # the list waits until it is opened
    open_list(app, "anuncios_por_pais", projects, lang)
    [table] = app.main.dataframe
    assert len(table.value) == projects
    shown = [v for v in table.value[t("amount_musd", lang)] if v != "–"]  # localized text
    assert sum(float(v.replace(",", "")) for v in shown) == pytest.approx(musd, abs=0.05 * projects)
    assert_language(
        app, lang, "Origen de la inversión" if lang == "es" else "Where the investment comes from"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_origin_rankings_by_country_then_by_region(monkeypatch, shipped_warehouse, lang):
    """The first tab ranks countries; the region tab, drawn once chosen, counts each region's
    projects as the warehouse does (Mexico is its own region: domestic investment)."""
    app = run_app(monkeypatch, shipped_warehouse, "origen", lang)
    titles = [s["layout"]["title"]["text"] for s in chart_specs(app)]
    country = "Proyectos por país de origen" if lang == "es" else "Projects by origin country"
    region = "Proyectos por región de origen" if lang == "es" else "Projects by origin region"
    assert any(country in t for t in titles) and not any(region in t for t in titles)
    app = run_app(monkeypatch, shipped_warehouse, "origen", lang,
                  state={"origin_rankings": "Por región" if lang == "es" else "By region"})  # fmt: skip
    [spec] = [s for s in chart_specs(app) if region in s["layout"]["title"]["text"]]
    counts = sorted(n for trace in spec["data"] for n in values(trace["x"]))
    expected = sql(
        shipped_warehouse,
        "SELECT count(*) FROM active_announcements a JOIN countries c ON c.iso2 = a.origin_iso2 "
        "GROUP BY c.region",
    )
    assert counts == sorted(n for (n,) in expected)


def test_origin_headline_and_region_mix_match_sql(monkeypatch, shipped_warehouse):
    app = run_app(monkeypatch, shipped_warehouse, "origen", "es")
    text = markdown(app)
    [(top_money, top_money_musd, total)] = sql(
        shipped_warehouse,
        """
        SELECT c.name_es, sum(a.amount_musd), (SELECT sum(amount_musd) FROM announcements)
        FROM announcements a JOIN countries c ON c.iso2 = a.origin_iso2
        GROUP BY 1 ORDER BY 2 DESC LIMIT 1
        """,
    )
    [(top_count, top_count_n, n_all)] = sql(
        shipped_warehouse,
        """
        SELECT c.name_es, count(*), (SELECT count(*) FROM announcements)
        FROM announcements a JOIN countries c ON c.iso2 = a.origin_iso2
        GROUP BY 1 ORDER BY 2 DESC LIMIT 1
        """,
    )
    assert f"**{top_money}** encabeza el monto anunciado ({fmt_musd(top_money_musd, 'es')}" in text
    assert fmt_pct(top_money_musd / total, "es") in text
    if top_count != top_money:
        assert f"**{top_count}** el número de proyectos ({top_count_n} de {n_all})" in text

    # Asia's share of dated projects since the first dated Chinese announcement, and before it.
    [(pivot,)] = sql(
        shipped_warehouse, "SELECT min(announced_year) FROM announcements WHERE origin_iso2 = 'CN'"
    )
    [(asia_after, after, asia_before, before)] = sql(
        shipped_warehouse,
        """
        SELECT count(*) FILTER (WHERE c.region = 'asia' AND announced_year >= $1),
               count(*) FILTER (WHERE announced_year >= $1),
               count(*) FILTER (WHERE c.region = 'asia' AND announced_year < $1),
               count(*) FILTER (WHERE announced_year < $1)
        FROM announcements a LEFT JOIN countries c ON c.iso2 = a.origin_iso2
        """,
        [pivot],
    )
    assert f"Desde {pivot}, año del primer anuncio chino con fecha" in text
    assert f"**{fmt_pct(asia_after / after, 'es')} de los proyectos** con fecha " in text
    assert f"({asia_after} de {after})" in text
    assert f"{fmt_pct(asia_before / before, 'es')} de los proyectos" in text
    assert f"({asia_before} de {before})" in text

    # The region mix chart: each year's stacked bars add up to that year's dated projects.
    specs = [s for s in chart_specs(app) if "por año y región" in s["layout"]["title"]["text"]]
    [spec] = specs
    drawn: dict[str, float] = {}
    for trace in spec["data"]:
        for year, value in zip(values(trace["x"]), values(trace["y"]), strict=True):
            drawn[str(year)] = drawn.get(str(year), 0) + value
    expected = sql(
        shipped_warehouse,
        "SELECT announced_year, count(*) FROM announcements WHERE announced_year IS NOT NULL "
        "GROUP BY 1",
    )
    assert drawn == {str(year): n for year, n in expected}


# ---------------------------------------------------------------- Sectores


def tier_sums(db, measure: str) -> dict[str, float]:
    value = "sum(amount_musd)" if measure == "musd" else "count(*)"
    rows = sql(
        db,
        f"SELECT coalesce(tier, 'unknown'), {value} FROM announcements "
        f"WHERE {CHINA_SINCE_2019_SQL} GROUP BY 1",
    )
    return {tier: v for tier, v in rows if v}


@pytest.mark.parametrize("lang", LANGS)
def test_sectors_figures_match_sql(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, "sectores", lang, CHINA_SINCE_2019)
    [(sectors, musd, projects, oem_musd, tier1, no_tier, new)] = sql(
        shipped_warehouse,
        f"""
        SELECT count(DISTINCT sector), sum(amount_musd), count(*),
               coalesce(sum(amount_musd) FILTER (WHERE tier = 'OEM'), 0),
               count(*) FILTER (WHERE tier = 'Tier 1'),
               count(*) FILTER (WHERE tier IS NULL OR tier = 'unknown'),
               count(*) FILTER (WHERE event_type = 'new_plant')
        FROM announcements WHERE {CHINA_SINCE_2019_SQL}
        """,
    )
    shown = metrics(app)
    assert shown[pick_text(lang, "Sectores con anuncios", "Sectors with announcements")] == str(
        sectors
    )
    oem = [v for k, v in shown.items() if k.startswith(("Armadoras", "OEMs"))]
    assert oem == [fmt_musd(oem_musd, lang)]
    assert shown[pick_text(lang, "Proyectos Tier 1", "Tier 1 projects")] == str(tier1)
    assert shown[
        pick_text(lang, "Proyectos sin nivel indicado", "Projects with no tier stated")
    ] == (f"{no_tier} ({fmt_pct(no_tier / projects, lang)})")

    [(top_sector, top_musd)] = sql(
        shipped_warehouse,
        f"SELECT s.name_{lang}, sum(a.amount_musd) AS m FROM announcements a "
        f"JOIN sectors s USING (sector) WHERE {CHINA_SINCE_2019_SQL} "
        "GROUP BY 1 ORDER BY m DESC NULLS LAST LIMIT 1",
    )
    text = markdown(app)
    assert f"**{top_sector}**" in text
    assert fmt_musd(top_musd, lang) in text
    assert f"{fmt_pct(top_musd / musd, lang)}" in text
    assert f"{new} " in text and fmt_pct(new / projects, lang) in text

    # The treemap's tier blocks add up to the tiers' amounts; then sized by projects.
    def treemap_tiers(app) -> dict[str, float]:
        [spec] = [s for s in chart_specs(app) if s["data"][0]["type"] == "treemap"]
        trace = spec["data"][0]
        return {
            i: v for i, p, v in zip(trace["ids"], trace["parents"], values(trace["values"]), strict=True)
            if p == ""
        }  # fmt: skip

    assert treemap_tiers(app) == pytest.approx(tier_sums(shipped_warehouse, "musd"))
    app.main.radio[0].set_value("projects").run()
    assert not app.exception
    assert treemap_tiers(app) == tier_sums(shipped_warehouse, "projects")
    assert_language(
        app,
        lang,
        "Sectores y niveles de proveeduría" if lang == "es" else "Sectors and supply-chain tiers",
    )


def pick_text(lang: str, es: str, en: str) -> str:
    return es if lang == "es" else en


# ---------------------------------------------------------------- Empresas


@pytest.mark.parametrize("lang", LANGS)
def test_companies_figures_match_sql(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, "empresas", lang, CHINA_SINCE_2019)
    [(companies, projects, with_amount)] = sql(
        shipped_warehouse,
        f"SELECT count(DISTINCT company_id), count(*), count(amount_musd) "
        f"FROM announcements WHERE {CHINA_SINCE_2019_SQL}",
    )
    [(repeat,)] = sql(
        shipped_warehouse,
        f"SELECT count(*) FROM (SELECT company_id FROM announcements "
        f"WHERE {CHINA_SINCE_2019_SQL} GROUP BY 1 HAVING count(*) > 1)",
    )
    shown = metrics(app)
    assert shown[pick_text(lang, "Empresas", "Companies")] == str(companies)
    assert shown[pick_text(lang, "Anuncios", "Announcements")] == str(projects)
    assert shown[
        pick_text(lang, "Con más de un anuncio", "With more than one announcement")
    ] == str(repeat)
    assert shown[pick_text(lang, "Anuncios con monto", "Announcements with an amount")] == str(
        with_amount
    )

    # The largest company by amount is named in the headline and shown in the profile, whose
    # figures cover all its announcements (the profile ignores the sidebar's filters).
    [(company_id, name, company_musd)] = sql(
        shipped_warehouse,
        f"SELECT company_id, c.name, a.m FROM (SELECT company_id, sum(amount_musd) AS m, "
        f"count(*) AS n FROM announcements WHERE {CHINA_SINCE_2019_SQL} GROUP BY 1) a "
        "JOIN companies c USING (company_id) ORDER BY a.m DESC NULLS LAST, a.n DESC, c.name LIMIT 1",
    )
    assert f"**{name}** ({fmt_musd(company_musd, lang)}" in markdown(app)
    [(all_musd, all_n)] = sql(
        shipped_warehouse,
        "SELECT sum(amount_musd), count(*) FROM announcements WHERE company_id = ?",
        [company_id],
    )
    assert shown[t("investment_musd", lang)] == fmt_musd(all_musd, lang)
    open_list(app, "anuncios_empresas", projects, lang)
    search_table, sites_table, history_table = app.main.dataframe  # the names wait, folded
    assert len(search_table.value) == projects
    assert len(history_table.value) == all_n

    # Search: case- and accent-insensitive, on the already filtered announcements.
    app.main.text_input[0].input("KINGFA").run()
    assert not app.exception
    [(kingfa,)] = sql(
        shipped_warehouse,
        f"SELECT count(*) FROM announcements WHERE {CHINA_SINCE_2019_SQL} "
        "AND company ILIKE '%kingfa%'",
    )
    assert kingfa > 0
    assert len(app.main.dataframe[0].value) == kingfa
    assert app.main.dataframe[0].value[t("company", lang)].str.contains("Kingfa").all()
    assert_language(app, lang, pick_text(lang, "Empresas", "Companies"))


def test_companies_search_and_company_profile_match_sql(monkeypatch, shipped_warehouse):
    app = run_app(monkeypatch, shipped_warehouse, "empresas", "es")
    # 'potosi' finds 'Potosí' in company and municipality names alike.
    app.main.text_input[0].input("potosi").run()
    [(found,)] = sql(
        shipped_warehouse,
        """
        SELECT count(*) FROM announcements a
        LEFT JOIN countries c ON c.iso2 = a.origin_iso2 LEFT JOIN sectors s USING (sector)
        WHERE strip_accents(lower(concat_ws(' | ', company, parent_group, c.name_es, s.name_es,
                                            municipality, park))) LIKE '%potosi%'
        """,
    )
    assert found > 0
    assert len(app.main.dataframe[0].value) == found

    app.main.text_input[0].input("").run()
    app.main.selectbox[0].set_value("bmw").run()
    assert not app.exception
    # BMW's rows, found by the name as written: one company.
    rows = sql(
        shipped_warehouse,
        "SELECT amount_musd, jobs, announced_date, announcement_id FROM announcements "
        "WHERE company LIKE 'BMW %'",
    )
    shown = metrics(app, last=True)
    assert shown[t("investment_musd", "es")] == fmt_musd(sum(r[0] or 0 for r in rows), "es")
    assert shown["Anuncios"] == str(len(rows))
    assert shown[t("jobs", "es")] == fmt_number(sum(r[1] or 0 for r in rows), "es")
    history = app.main.dataframe[1].value  # sites, history (the cleared search's list is folded)
    assert len(history) == len(rows)
    # Each announcement links to its record on the data desk.
    assert sorted(history["Ficha"]) == sorted(f"datos?anuncio={r[3]}&lang=es" for r in rows)
    # The timeline draws every dated announcement once, at its amount (0 when not stated).
    [spec] = [s for s in chart_specs(app) if "BMW Group" in s["layout"]["title"]["text"]]
    points = [
        y
        for trace in spec["data"]
        if trace.get("mode") == "markers+text"
        for y in values(trace["y"])
    ]
    dated = [r for r in rows if r[2] is not None]
    assert sorted(points) == sorted(r[0] or 0 for r in dated)

    # A search that matches nothing says so, without a table or an exception.
    app.main.text_input[0].input("zzz-no-such-company").run()
    assert not app.exception
    assert any("zzz-no-such-company" in i.value for i in app.main.info)


# ---------------------------------------------------------------- empty filter combinations


@pytest.mark.parametrize("page", ["origen", "sectores", "empresas"])
@pytest.mark.parametrize("lang", LANGS)
def test_impossible_filters_show_no_data(monkeypatch, shipped_warehouse, page, lang):
    [(n,)] = sql(
        shipped_warehouse,
        "SELECT count(*) FROM announcements WHERE origin_iso2 = 'CN' "
        "AND sector = 'OEM vehicle assembly'",
    )
    assert n == 0
    app = run_app(monkeypatch, shipped_warehouse, page, lang, IMPOSSIBLE)
    assert [i.value for i in app.main.info] == [t("no_data", lang)]
    assert not app.get("plotly_chart")
    assert not app.main.dataframe


def test_company_names_wait_folded_then_list_every_name(monkeypatch, shipped_warehouse):
    """The names a company goes by in the sources are drawn once their panel is opened."""
    app = run_app(monkeypatch, shipped_warehouse, "empresas", "es",
                  state={"open_company_names": True})  # fmt: skip
    chosen = app.main.selectbox[0].value
    names = sql(
        shipped_warehouse, "SELECT company FROM company_names WHERE company_id = ?", [chosen]
    )
    table = next(d.value for d in app.main.dataframe if d.value.columns[0] == "Nombre como aparece")
    assert sorted(table["Nombre como aparece"]) == sorted(n for (n,) in names)
