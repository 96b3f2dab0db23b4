"""Origen / Origin: where the investment comes from, by country and region, on a world map, the
region mix over time (the rise of Asian and Chinese projects) and one country's projects."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import charts, maps, queries, ui
from analytics.i18n import (
    REGIONS,
    count_text,
    fmt_musd,
    fmt_number,
    fmt_period,
    fmt_share,
    t,
)

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(ctx, ("Origen de la inversión", "Where the investment comes from"))

countries = queries.by_group(f, "origin_iso2")
if ui.no_data(ctx, countries):
    ui.stop(ctx, "origen")

regions = queries.by_group(f, "region")
now = queries.headline(f)


# ---------------------------------------------------------------- headline and KPIs

period = fmt_period(f.date_from, f.date_to, lang)
named = countries.dropna(subset=["code"])
stated = fmt_number(now["with_amount"], lang)
if len(named) == 1:
    only = ctx.country(named.iloc[0]["code"])
    lead = ctx.text(
        f"**{period}:** {count_text(now['projects'], 'projects', lang)} de **{only}**, con "
        f"{fmt_musd(now['musd'], lang)} anunciados ({stated} indican monto).",
        f"**{period}:** {count_text(now['projects'], 'projects', lang)} from **{only}**, with "
        f"{fmt_musd(now['musd'], lang)} announced ({stated} state an amount).",
    )
elif named.empty:
    lead = ctx.text(
        f"**{period}:** {count_text(now['projects'], 'projects', lang)}, ninguno indica su país de origen.",
        f"**{period}:** {count_text(now['projects'], 'projects', lang)}, none states its origin country.",
    )
else:
    top_money = named.iloc[0]
    top_count = named.sort_values(["projects", "musd"], ascending=False).iloc[0]
    lead = ctx.text(
        f"**{period}:** {count_text(now['projects'], 'projects', lang)} de {fmt_number(len(named), lang)} "
        f"países de origen. **{ctx.country(top_money['code'])}** encabeza el monto anunciado "
        f"({fmt_musd(top_money['musd'], lang)}, {fmt_share(top_money['musd'], now['musd'], lang)} del "
        "total)",
        f"**{period}:** {count_text(now['projects'], 'projects', lang)} from {fmt_number(len(named), lang)} "
        f"origin countries. **{ctx.country(top_money['code'])}** leads the announced amount "
        f"({fmt_musd(top_money['musd'], lang)}, {fmt_share(top_money['musd'], now['musd'], lang)} of the "
        "total)",
    )
    if top_count["code"] != top_money["code"]:
        lead += ctx.text(
            f" y **{ctx.country(top_count['code'])}** el número de proyectos "
            f"({fmt_number(top_count['projects'], lang)} de {fmt_number(now['projects'], lang)}).",
            f" and **{ctx.country(top_count['code'])}** the number of projects "
            f"({fmt_number(top_count['projects'], lang)} of {fmt_number(now['projects'], lang)}).",
        )
    else:
        lead += "."
st.markdown(lead)

asia = regions.loc[regions["code"] == "asia", "projects"].sum()
china = countries.loc[countries["code"] == "CN", "projects"].sum()
foreign = countries.loc[countries["code"] != "MX", "musd"].sum()
ui.kpis(
    [
        (ctx.text("Países de origen", "Origin countries"), fmt_number(len(named), lang), None),
        (
            ctx.text("Inversión extranjera (MDD)", "Foreign investment (USD M)"),
            fmt_musd(foreign, lang),
            None,
        ),
        (
            ctx.text("Proyectos de Asia", "Projects from Asia"),
            f"{fmt_number(asia, lang)} ({fmt_share(asia, now['projects'], lang)})",
            None,
        ),
        (
            ctx.text("Proyectos de China", "Projects from China"),
            f"{fmt_number(china, lang)} ({fmt_share(china, now['projects'], lang)})",
            None,
        ),
    ]
)
st.caption(
    ctx.text(
        f"Montos: solo {fmt_number(now['with_amount'], lang)} de "
        f"{fmt_number(now['projects'], lang)} proyectos indican monto. "
        "Inversión extranjera: todo origen salvo México.",
        f"Amounts: only {fmt_number(now['with_amount'], lang)} of "
        f"{fmt_number(now['projects'], lang)} projects state an amount. "
        "Foreign investment: every origin but Mexico.",
    )
)

# ---------------------------------------------------------------- by country and by region


def with_names(frame: pd.DataFrame, namer) -> pd.DataFrame:
    return frame.assign(name=frame["code"].map(namer))


def projects_hover(frame: pd.DataFrame) -> pd.Series:
    return frame["projects"].map(lambda n: count_text(n, "projects", lang))


def amount_hover(frame: pd.DataFrame) -> pd.Series:
    return frame["musd"].map(lambda v: fmt_musd(v, lang))


def csv_frame(frame: pd.DataFrame, code_name: str) -> pd.DataFrame:
    return frame.rename(columns={"code": code_name})[
        [code_name, "name", "musd", "projects", "jobs", "companies"]
    ]


def rankings(frame: pd.DataFrame, colors: dict, kind: str) -> None:
    """Two bar rankings side by side: announced MDD and number of projects.

    A ranking needs two or more bars: with one country or region the KPIs above say it all.
    """
    if len(frame) < 2:
        return
    country = kind == "country"
    code_name, file_word = ("iso2", "pais") if country else ("region", "region")
    left, right = st.columns(2)
    with left:
        ranked = frame[frame["musd"] > 0]
        fig = ui.figure(charts.bar_ranking,
            ranked, "name", "musd", [colors[c] for c in ranked["code"]],
            ctx.text("Inversión anunciada por país de origen (MDD)",
                     "Announced investment by origin country (USD M)") if country else
            ctx.text("Inversión anunciada por región de origen (MDD)",
                     "Announced investment by origin region (USD M)"),
            lang, hover_extra=projects_hover(ranked),
            subtitle=ctx.text("Suma de los proyectos que indican monto",
                              "Sum of the projects that state an amount"),
            room=0.5,  # "1,234.5 MDD" beside the longest bar, in half the page
        )  # fmt: skip
        if not ui.no_data(ctx, ranked):
            ui.chart(ctx, fig, csv_frame(ranked, code_name), f"inversion_por_{file_word}")
    with right:
        counted = frame.sort_values(["projects", "musd"], ascending=False)
        fig = ui.figure(charts.bar_ranking,
            counted, "name", "projects", [colors[c] for c in counted["code"]],
            ctx.text("Proyectos por país de origen", "Projects by origin country") if country else
            ctx.text("Proyectos por región de origen", "Projects by origin region"),
            lang, hover_extra=amount_hover(counted), musd=False,
            subtitle=ctx.text("Número de anuncios, con o sin monto",
                              "Number of announcements, with or without an amount"),
            room=0.12,
        )  # fmt: skip
        ui.chart(ctx, fig, csv_frame(counted, code_name), f"proyectos_por_{file_word}")


# By country or by region: a tab drawn only while it is open (fewer charts before the first).
by_country, by_region = st.tabs(
    [ctx.text("Por país", "By country"), ctx.text("Por región", "By region")],
    key="origin_rankings",
    on_change="rerun",
)
if by_country.open:
    with by_country:
        country_region = ctx.names["countries"]["region"]
        rankings(
            with_names(named, ctx.country),
            {c: charts.country_color(c, country_region.get(c)) for c in named["code"]},
            "country",
        )
if by_region.open:
    with by_region:
        codes = regions["code"].fillna("unknown")
        rankings(
            with_names(regions.fillna({"code": "unknown"}), ctx.region),
            {c: charts.REGION_COLORS.get(c, charts.MUTED) for c in codes},
            "region",
        )

# ---------------------------------------------------------------- world map


def world_map(ctx, countries: pd.DataFrame) -> tuple:
    """The map of origins and the countries it shows (for its CSV)."""
    lang = ctx.lang
    world = queries.world().merge(
        countries.rename(columns={"code": "iso2"}), on="iso2", how="left", validate="one_to_one"
    )
    world["label_lon"], world["label_lat"] = zip(
        *world["geometry"].map(maps.label_point), strict=True
    )
    name_col = f"name_{lang}"
    world["hover"] = [
        f"<b>{n}</b><br>{fmt_musd(m, lang)}<br>{count_text(p, 'projects', lang)}"
        if p > 0
        else f"<b>{n}</b><br>{ctx.text('Sin anuncios', 'No announcements')}"
        for n, m, p in zip(
            world[name_col], world["musd"].fillna(0), world["projects"].fillna(0), strict=True
        )
    ]
    # The choropleth puts its click targets at (centroid_lon, centroid_lat).
    shapes = world.assign(centroid_lon=world["label_lon"], centroid_lat=world["label_lat"])
    fig = maps.choropleth(
        shapes, "musd", "hover",
        ctx.text("Mapa de orígenes: inversión anunciada (MDD)",
                 "Map of origins: announced investment (USD M)"),
        ctx.text("MDD", "US$M"), projection=maps.equal_earth,
        subtitle=ctx.text("Gris: sin monto anunciado. Haga clic en un país para ver sus proyectos abajo.",
                          "Grey: no amount announced. Click a country to see its projects below."),
        key_col="iso2", height=540, merge_no_data=True,
    )  # fmt: skip
    mapped = world.loc[world["projects"].fillna(0) > 0, ["iso2", name_col, "musd", "projects"]]
    return fig, mapped.rename(columns={name_col: "name"})


fig, mapped = ui.figure(world_map, ctx, countries)
event = ui.chart(
    ctx,
    fig,
    mapped,
    "mapa_origenes",
    on_select="rerun",
    selection_mode="points",
)

# ---------------------------------------------------------------- region mix over time

st.subheader(ctx.text("Cambio en la mezcla de orígenes", "The changing mix of origins"))
yearly = queries.by_year_and(f, "region")
yearly_country = queries.by_year_and(f, "origin_iso2")


def mix_sentence() -> str | None:
    """Asia's share of dated projects since the first dated Chinese project, and China by year."""
    dated = yearly["projects"].sum()
    if dated == 0:
        return None
    cn = yearly_country[yearly_country["code"] == "CN"]
    cn_undated = china - cn["projects"].sum()
    parts = []
    several_regions = yearly["code"].nunique() > 1
    if not cn.empty and several_regions and (yearly["code"] == "asia").any():
        pivot = int(cn["year"].min())
        is_asia = yearly["code"] == "asia"
        after, before = yearly["year"] >= pivot, yearly["year"] < pivot
        n_after, n_before = (
            yearly.loc[after, "projects"].sum(),
            yearly.loc[before, "projects"].sum(),
        )
        a_after = yearly.loc[after & is_asia, "projects"].sum()
        a_before = yearly.loc[before & is_asia, "projects"].sum()
        m_after = yearly.loc[after, "musd"].sum()
        am_after = yearly.loc[after & is_asia, "musd"].sum()
        first = int(yearly["year"].min())
        text = ctx.text(
            f"Desde {pivot}, año del primer anuncio chino con fecha, **Asia** aporta "
            f"**{fmt_share(a_after, n_after, lang)} de los proyectos** con fecha "
            f"({fmt_number(a_after, lang)} "
            f"de {fmt_number(n_after, lang)}) y {fmt_share(am_after, m_after, lang)} del monto",
            f"Since {pivot}, the year of the first dated Chinese announcement, **Asia** accounts "
            f"for **{fmt_share(a_after, n_after, lang)} of dated projects** ({fmt_number(a_after, lang)} of "
            f"{fmt_number(n_after, lang)}) and {fmt_share(am_after, m_after, lang)} of the amount",
        )
        if n_before:
            span = f"{first}–{pivot - 1}" if first < pivot - 1 else str(first)
            text += ctx.text(
                f", frente a {fmt_share(a_before, n_before, lang)} de los proyectos en {span} "
                f"({fmt_number(a_before, lang)} de {fmt_number(n_before, lang)}).",
                f", against {fmt_share(a_before, n_before, lang)} of projects in {span} "
                f"({fmt_number(a_before, lang)} of {fmt_number(n_before, lang)}).",
            )
        else:
            text += "."
        parts.append(text)
    if china:
        per_year = [
            ctx.text(f"{fmt_number(n, lang)} en {y}", f"{fmt_number(n, lang)} in {y}")
            for y, n in zip(cn["year"], cn["projects"], strict=True)
        ]
        joined = (
            ", ".join(per_year[:-1]) + ctx.text(" y ", " and ") + per_year[-1]
            if len(per_year) > 1
            else (per_year[0] if per_year else "")
        )
        text = ctx.text(
            f"**Proyectos chinos:** {joined}"
            if joined
            else "**Proyectos chinos:** ninguno con fecha",
            f"**Chinese projects:** {joined}" if joined else "**Chinese projects:** none dated",
        )
        if cn_undated:
            text += ctx.text(
                f", más {fmt_number(cn_undated, lang)} sin fecha",
                f", plus {fmt_number(cn_undated, lang)} undated",
            )
        with_amount = queries.headline(replace(f, countries=("CN",)))["with_amount"]
        text += ctx.text(
            f"; {fmt_number(with_amount, lang)} de {fmt_number(china, lang)} indican monto.",
            f"; {fmt_number(with_amount, lang)} of {fmt_number(china, lang)} state an amount.",
        )
        parts.append(text)
    return " ".join(parts) or None


sentence = mix_sentence()
if sentence:
    st.markdown(sentence)
undated = int(now["undated"])
region_labels = {code: ctx.region(code) for code in REGIONS}
region_csv = yearly.assign(region=yearly["code"].map(ctx.region)).rename(
    columns={"code": "region_code"}
)
no_dates = ctx.text(
    f"Sin los {fmt_number(undated, lang)} anuncios sin fecha",
    f"Without the {fmt_number(undated, lang)} undated announcements",
)
measures = {
    "projects": ctx.text("Proyectos", "Projects"),
    "share": ctx.text("Proporción de proyectos (%)", "Share of projects (%)"),
    "musd": ctx.text("Inversión (MDD)", "Investment (USD M)"),
}
measure = st.radio(
    ctx.text("Medir por", "Measure"), list(measures), format_func=measures.get, horizontal=True
)
titles = {
    "projects": ("Proyectos por año y región de origen", "Projects by year and origin region"),
    "share": ("Proporción de los proyectos de cada año por región de origen (%)",
              "Share of each year's projects by origin region (%)"),
    "musd": ("Inversión anunciada por año y región de origen (MDD)",
             "Announced investment by year and origin region (USD M)"),
}  # fmt: skip
if measure == "musd":
    axis = {"title": ctx.text("MDD", "US$M"), "tickformat": ",.0f"}
elif measure == "projects":
    most = yearly.groupby("year")["projects"].sum().max() if len(yearly) else 0
    axis = {"title": t("projects", lang), "tickformat": ",d", "dtick": 1 if most <= 10 else None}
else:
    axis = {}
fig = ui.figure(charts.stacked_bars,
    yearly, "year", "musd" if measure == "musd" else "projects", "code", region_labels,
    charts.REGION_COLORS, ctx.text(*titles[measure]), lang, musd=measure == "musd",
    percent=measure == "share", subtitle=no_dates if undated else None, layout={"yaxis": axis},
)  # fmt: skip
if not ui.no_data(ctx, yearly):
    ui.chart(ctx, fig, region_csv, "origen_por_anio_region")

# ---------------------------------------------------------------- one country

st.subheader(ctx.text("Proyectos por país", "Projects by country"))
options = list(named["code"])  # largest amount first
project_counts = dict(zip(named["code"], named["projects"], strict=True))


def clicked_country(point: dict):
    """The iso2 a click on the map carries (plotly may wrap customdata in a list)."""
    data = point.get("customdata")
    return data[0] if isinstance(data, list) and data else data


clicked = [
    clicked_country(p)
    for p in (event.selection.points if event and event.selection else [])
    if clicked_country(p) in options
]
chosen = st.selectbox(
    ctx.text("País de origen", "Origin country"),
    options,
    index=options.index(clicked[0]) if clicked else 0,
    format_func=lambda c: f"{ctx.country(c)} · {count_text(project_counts[c], 'projects', lang)}",
)
one = queries.headline(replace(f, countries=(chosen,)))
ui.kpis(
    [
        (t("investment_musd", lang), fmt_musd(one["musd"], lang), None),
        (t("projects", lang), fmt_number(one["projects"], lang), None),
        (t("companies", lang), fmt_number(one["companies"], lang), None),
        (t("jobs", lang), fmt_number(one["jobs"], lang), None),
    ]
)
ui.announcement_table(
    ctx,
    queries.announcements(replace(f, countries=(chosen,)), limit=ui.TABLE_ROWS),
    "anuncios_por_pais",
    total=int(one["projects"]),
    folded=True,
)

ui.page_foot(ctx, "origen")
