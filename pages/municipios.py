"""Municipios / Municipalities: where in SLP the announced projects are, against census figures.

The map colours the 58 municipalities of INEGI's 2023 frame. Villa de Pozos (created in 2024 out of
San Luis Potosí, 24028) has no polygon or census figures of its own: its projects are counted in
24028 on the map, and it can still be chosen in the select box to list its own projects.
"""

import unicodedata
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from analytics import charts, indicator_figures, maps, official, queries, ui
from analytics.i18n import fmt_musd, fmt_number, fmt_pct, fmt_period, pick, t

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(
    ctx,
    ("Municipios", "Municipalities"),
    (
        "Dónde se ubican los proyectos anunciados, frente a la población y la fuerza laboral de "
        "cada municipio (Censo 2020). Haga clic en el punto de un municipio en el mapa o elíjalo "
        "en la lista.",
        "Where the announced projects are, against each municipality's population and workforce "
        "(2020 census). Click a municipality's dot on the map or choose it from the list.",
    ),
)

MAP_NAME = "mapa_municipios"
MAP_KEY = f"chart_{MAP_NAME}"  # the key ui.chart gives the map's plotly_chart
PICK_KEY = "municipality_pick"
PLACE_PREFIX = "place:"

# Map metrics. "per_capita" ones divide by a 2020 census column.
METRICS = {
    "musd": {
        "short": ("Inversión (MDD)", "Investment (USD M)"),
        "title": ("Inversión anunciada (MDD)", "Announced investment (USD M)"),
        "colorbar": ("MDD", "USD M"),
        "share_of": ("de la inversión anunciada ubicada en el mapa",
                     "of the announced investment on the map"),
        "per_capita": False,
    },
    "jobs": {
        "short": ("Empleos", "Jobs"),
        "title": ("Empleos directos anunciados", "Announced direct jobs"),
        "colorbar": ("Empleos", "Jobs"),
        "share_of": ("de los empleos anunciados ubicados en el mapa",
                     "of the announced jobs on the map"),
        "per_capita": False,
    },
    "projects": {
        "short": ("Proyectos", "Projects"),
        "title": ("Proyectos anunciados", "Announced projects"),
        "colorbar": ("Proyectos", "Projects"),
        "share_of": ("de los proyectos ubicados en el mapa", "of the projects on the map"),
        "per_capita": False,
    },
    "musd_per_1000": {
        "short": ("Inversión por 1,000 hab.", "Investment per 1,000 inh."),
        "title": ("Inversión anunciada por cada 1,000 habitantes (MDD)",
                  "Announced investment per 1,000 inhabitants (USD M)"),
        "colorbar": ("MDD por<br>1,000 hab.", "USD M per<br>1,000 inh."),
        "leads": ("la inversión anunciada por cada 1,000 habitantes",
                  "announced investment per 1,000 inhabitants"),
        "per_capita": True,
    },
    "jobs_per_1000_pea": {
        "short": ("Empleos por 1,000 PEA", "Jobs per 1,000 active"),
        "title": ("Empleos anunciados por cada 1,000 personas económicamente activas",
                  "Announced jobs per 1,000 economically active people"),
        "colorbar": ("Empleos por<br>1,000 PEA", "Jobs per<br>1,000 active"),
        "leads": ("los empleos anunciados por cada 1,000 personas económicamente activas (PEA)",
                  "announced jobs per 1,000 economically active people"),
        "per_capita": True,
    },
}  # fmt: skip


def fmt_metric(metric: str, value) -> str:
    return (
        fmt_musd(value, lang)
        if metric in ("musd", "musd_per_1000")
        else fmt_number(value, lang, 1 if metric == "jobs_per_1000_pea" else 0)
    )


def sort_key(name: str) -> str:
    """Alphabetical order as a Spanish reader expects it (accents do not send names to the end)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


munis = queries.municipalities(f)
unplaced = queries.unplaced(f)
places = queries.places()
if ui.no_data(ctx, None if munis["projects"].sum() + unplaced["projects"] == 0 else munis):
    ui.stop(ctx, "municipios")

# Per-capita metrics from the 2020 census columns.
munis["musd_per_1000"] = munis["musd"] / munis["population_2020"] * 1000
munis["jobs_per_1000_pea"] = munis["jobs"] / munis["economically_active_2020"] * 1000
names = dict(zip(munis["cvegeo"], munis["name"], strict=True))

metric = st.radio(
    ctx.text("Indicador del mapa", "Map metric"),
    options=list(METRICS),
    format_func=lambda m: pick(METRICS[m]["short"], lang),
    horizontal=True,
    key="municipality_metric",
)
spec = METRICS[metric]
metric_label, metric_short = pick(spec["title"], lang), pick(spec["short"], lang)
rank_label = ctx.text(f"Lugar · {metric_short}", f"Rank · {metric_short}")
values = munis[metric]
# Rank among the 58: 1 + number of municipalities with a strictly larger value (ties share a rank).
munis["rank"] = values.rank(method="min", ascending=False).astype(int)

# ---------------------------------------------------------------- headline

placed = munis[munis["projects"] > 0]
period = fmt_period(f.date_from, f.date_to, lang)
ui.kpis(
    [
        (ctx.text("Municipios con anuncios", "Municipalities with announcements"),
         ctx.text(f"{len(placed)} de {len(munis)}", f"{len(placed)} of {len(munis)}"), None),
        (ctx.text("Inversión ubicada en el mapa", "Investment on the map"),
         fmt_musd(munis["musd"].sum(), lang), None),
        (ctx.text("Proyectos ubicados", "Projects on the map"),
         fmt_number(munis["projects"].sum(), lang), None),
        (ctx.text("Proyectos sin municipio", "Projects without municipality"),
         fmt_number(unplaced["projects"], lang), None),
    ]
)  # fmt: skip

leader = munis.sort_values([metric, "projects"], ascending=False).iloc[0]
if leader[metric] > 0:
    value_text = fmt_metric(metric, leader[metric])
    if spec["per_capita"]:
        base = "population_2020" if metric == "musd_per_1000" else "economically_active_2020"
        total = munis["musd" if metric == "musd_per_1000" else "jobs"].sum()
        state = fmt_metric(metric, total / munis[base].sum() * 1000)
        sentence = ctx.text(
            f"**{period}:** **{leader['name']}** encabeza {pick(spec['leads'], 'es')} con "
            f"**{value_text}**; el promedio estatal, con lo ubicado en el mapa, es {state}.",
            f"**{period}:** **{leader['name']}** leads on {pick(spec['leads'], 'en')} with "
            f"**{value_text}**; the state average, counting what is on the map, is {state}.",
        )
    else:
        share = fmt_pct(leader[metric] / munis[metric].sum(), lang)
        sentence = ctx.text(
            f"**{period}:** **{leader['name']}** concentra **{share}** "
            f"{pick(spec['share_of'], 'es')} ({value_text}).",
            f"**{period}:** **{leader['name']}** holds **{share}** "
            f"{pick(spec['share_of'], 'en')} ({value_text}).",
        )
    st.markdown(sentence)
# The mapped amount of cancelled announcements, summed in SQL (not row by row).
cancelled_musd = (
    queries.municipalities(replace(f, statuses=("cancelled",)))["musd"].sum()
    if not f.statuses or "cancelled" in f.statuses
    else 0
)
if cancelled_musd > 0:
    st.caption(
        ctx.text(
            f"Los totales incluyen {fmt_musd(cancelled_musd, lang)} de anuncios "
            "cancelados después; el filtro «Estatus» permite excluirlos.",
            f"Totals include {fmt_musd(cancelled_musd, lang)} of announcements "
            "later cancelled; the 'Status' filter can leave them out.",
        )
    )
if unplaced["projects"]:
    st.caption(
        ctx.text(
            f"{fmt_number(unplaced['projects'], lang)} de los anuncios filtrados "
            f"({fmt_musd(unplaced['musd'], lang)}) no indican municipio y no aparecen en el mapa.",
            f"{fmt_number(unplaced['projects'], lang)} of the filtered announcements "
            f"({fmt_musd(unplaced['musd'], lang)}) do not state a municipality and are not on "
            "the map.",
        )
    )

# ---------------------------------------------------------------- selection (map click or list)

place_keys = {PLACE_PREFIX + name: row for name, row in places.set_index("name").iterrows()}
options = sorted(
    [*names, *place_keys], key=lambda k: sort_key(names.get(k) or k.removeprefix(PLACE_PREFIX))
)
order = list(munis["cvegeo"])  # one polygon trace per row, in this order


def on_map_click() -> None:
    """A click on the map picks that municipality in the select box (before the rerun)."""
    state = st.session_state.get(MAP_KEY) or {}
    for point in state.get("selection", {}).get("points", []):
        key = point.get("customdata")
        if isinstance(key, list):
            key = key[0] if key else None
        if key is None and point.get("curve_number", len(order)) < len(order):
            key = order[point["curve_number"]]  # a click on a polygon's fill
        if key in names:
            st.session_state[PICK_KEY] = key
            return


if st.session_state.get(PICK_KEY) not in options:
    st.session_state[PICK_KEY] = leader["cvegeo"]
picked = st.session_state[PICK_KEY]
picked_place = place_keys.get(picked)
highlight = picked_place["cvegeo"] if picked_place is not None else picked

# ---------------------------------------------------------------- map and ranking


def shown(row, col: str) -> str:
    """A municipality's value; zero where its projects state no amount or jobs is 'not stated'."""
    if row[col] == 0 and row["projects"] > 0:
        return t("unknown", lang).lower()
    return fmt_metric(col, row[col])


def hover(row) -> str:
    lines = [
        f"<b>{row['name']}</b>",
        f"{t('investment', lang)}: {shown(row, 'musd')}",
        f"{t('jobs', lang)}: {shown(row, 'jobs')}",
        f"{t('projects', lang)}: {fmt_number(row['projects'], lang)}",
        ctx.text("Inversión por 1,000 hab.: ", "Investment per 1,000 inh.: ")
        + shown(row, "musd_per_1000"),
        ctx.text("Empleos por 1,000 PEA: ", "Jobs per 1,000 active: ")
        + shown(row, "jobs_per_1000_pea"),
        ctx.text("Población 2020: ", "Population 2020: ")
        + fmt_number(row["population_2020"], lang),
    ]
    if row[metric] > 0:
        lines.append(ctx.text(f"Lugar en el indicador: {row['rank']} de {len(munis)}",
                              f"Rank on this metric: {row['rank']} of {len(munis)}"))  # fmt: skip
    if row["projects_in_places"]:
        lines.append(
            f"<i>{t('villa_de_pozos_in_map', lang)} "
            f"({fmt_number(row['projects_in_places'], lang)} {t('projects', lang).lower()})</i>"
        )
    return "<br>".join(lines)


munis["hover"] = munis.apply(hover, axis=1)
munis["label"] = munis["name"].where(munis["projects"] > 0, "")
map_source = "source_inegi" if spec["per_capita"] else "source_announcements"
other_source = "source_announcements" if spec["per_capita"] else "source_inegi"


def map_figure(frame: pd.DataFrame, chosen: str | None, metric: str, title: str, colorbar: str,
               subtitle: str):  # fmt: skip
    fig = maps.choropleth(
        frame,
        metric,
        "hover",
        title,
        colorbar,
        projection=maps.slp_projection_compact,
        subtitle=subtitle,
        height=600,
        labels_col="label",
        key_col="cvegeo",
        highlight=chosen,
    )
    return readable_labels(fig)


def readable_labels(fig):
    """Labels with a white halo (readable on dark fills) above each municipality's click point;
    close neighbours' labels pushed apart (west one to the left, east one to the right)."""
    labels = next(tr for tr in fig.data if tr.customdata is not None)
    x, y = np.asarray(labels.x, float), np.asarray(labels.y, float)
    named = [i for i, text in enumerate(labels.text) if text]
    position = ["top center"] * len(x)
    for i in named:
        for j in named:
            if x[i] < x[j] and abs(x[i] - x[j]) < 0.6 and abs(y[i] - y[j]) < 0.15:
                position[i], position[j] = "middle left", "middle right"
    halo = ", ".join(f"{dx}px {dy}px 2px white" for dx in (-1, 1) for dy in (-1, 1))
    labels.update(
        textposition=position,
        textfont={"color": charts.INK, "size": 11, "shadow": halo},
        # A small dot marks where a click selects the municipality (fills are not clickable).
        marker={"size": 7, "opacity": 0.55, "color": charts.INK},
    )
    return fig


left, right = st.columns([2, 1])
with left:
    map_data = munis.drop(columns=["geometry", "hover", "label"])
    ui.chart(
        ctx,
        ui.figure(
            map_figure,
            munis,
            highlight,
            metric,
            metric_label,
            pick(spec["colorbar"], lang),
            ctx.text(
                f"{period}; gris: cero o sin dato con estos filtros. Villa de Pozos cuenta en "
                "San Luis Potosí.",
                f"{period}; grey: zero or not stated with these filters. Villa de Pozos counts in "
                "San Luis Potosí.",
            ),
        ),  # fmt: skip
        map_data,
        MAP_NAME,
        source=map_source,
        on_select=on_map_click,
        selection_mode="points",
    )
    st.caption(t(other_source, lang))
with right:
    ranked = munis[munis[metric] > 0].sort_values([metric, "projects"], ascending=False).head(10)
    if ranked.empty:
        st.info(
            ctx.text(
                f"Ningún municipio tiene valor en «{metric_short}» con estos filtros: los anuncios "
                "no indican municipio o no indican este dato.",
                f"No municipality has a value for “{metric_short}” with these filters: the "
                "announcements state no municipality or not this figure.",
            )
        )
    else:
        extra = ranked.apply(
            lambda r: (
                f"{fmt_number(r['projects'], lang)} {t('projects', lang).lower()}<br>"
                + ctx.text("Población 2020: ", "Population 2020: ")
                + fmt_number(r["population_2020"], lang)
            ),
            axis=1,
        )
        fig = ui.figure(charts.bar_ranking,
            ranked, "name", metric, charts.POSITIVE,
            ctx.text("Municipios líderes", "Leading municipalities"), lang,
            hover_extra=extra, subtitle=metric_label, musd=metric in ("musd", "musd_per_1000"),
            room=0.9,  # the label after the longest bar, in a narrow column
            layout={"margin": {"r": 30}, "bargap": 0.2 if len(ranked) > 3 else 0.55},
        )  # fmt: skip
        ui.chart(
            ctx,
            fig,
            ranked[
                list(
                    dict.fromkeys(["cvegeo", "name", metric, "rank", "projects", "population_2020"])
                )
            ],  # fmt: skip
            "ranking_municipios",
            source=map_source,
        )

# ---------------------------------------------------------------- the chosen municipality or place

st.subheader(ctx.text("Detalle por municipio", "Municipality detail"))
st.selectbox(
    t("municipality", lang),
    options=options,
    format_func=lambda k: (
        names.get(k) or k.removeprefix(PLACE_PREFIX) + ctx.text(" (desde 2024)", " (since 2024)")
    ),
    key=PICK_KEY,
)

if picked_place is not None:
    place_name = picked.removeprefix(PLACE_PREFIX)
    rows = queries.municipality_announcements(f, place=place_name)
    parent = munis.set_index("cvegeo").loc[picked_place["cvegeo"]]
    st.markdown(f"### {place_name}")
    ui.kpis(
        [
            (t("investment_musd", lang), fmt_musd(rows["amount_musd"].sum(), lang), None),
            (t("jobs", lang), fmt_number(rows["jobs"].sum(), lang), None),
            (t("projects", lang), fmt_number(len(rows), lang), None),
            (ctx.text("En el mapa, dentro de", "On the map, within"), parent["name"], None),
        ]
    )  # fmt: skip
    st.info(pick((picked_place["note_es"], picked_place["note_en"]), lang))
    st.markdown(
        ctx.text(
            f"Sus proyectos se cuentan en el mapa dentro de **{parent['name']}** (lugar "
            f"{parent['rank']} de {len(munis)} en {metric_short.lower()}), y sus cifras censales "
            f"siguen dentro de las de {parent['name']}: población 2020 de "
            f"{fmt_number(parent['population_2020'], lang)} habitantes, incluido Villa de Pozos.",
            f"On the map its projects count within **{parent['name']}** (rank {parent['rank']} "
            f"of {len(munis)} on {metric_short.lower()}), and its census figures are still "
            f"inside {parent['name']}'s: 2020 population of "
            f"{fmt_number(parent['population_2020'], lang)}, Villa de Pozos included.",
        )
    )
else:
    rows = queries.municipality_announcements(f, cvegeo=picked, limit=ui.TABLE_ROWS)
    m = munis.set_index("cvegeo").loc[picked]
    st.markdown(f"### {m['name']}")
    if m[metric] > 0:
        rank_text = ctx.text(f"{m['rank']} de {len(munis)}", f"{m['rank']} of {len(munis)}")
    else:
        rank_text = t("unknown", lang) if m["projects"] else ctx.text("sin anuncios", "none")
    ui.kpis(
        [
            (t("investment_musd", lang), shown(m, "musd"), None),
            (t("jobs", lang), shown(m, "jobs"), None),
            (t("projects", lang), fmt_number(m["projects"], lang), None),
            (rank_label, rank_text, None),
        ]
    )  # fmt: skip
    ui.kpis(
        [
            (ctx.text("Población 2020", "Population 2020"),
             fmt_number(m["population_2020"], lang), None),
            (ctx.text("PEA 2020", "Economically active"),
             fmt_number(m["economically_active_2020"], lang), None),
            (ctx.text("Población ocupada", "Employed"),
             fmt_number(m["employed_2020"], lang), None),
            (ctx.text("Hogares", "Households"), fmt_number(m["households_2020"], lang), None),
            (ctx.text("Superficie (km²)", "Area (km²)"), fmt_number(m["area_km2"], lang), None),
        ]
    )  # fmt: skip
    st.caption(
        ctx.text(
            "PEA: población económicamente activa de 12 años y más; población ocupada y hogares, "
            "Censo 2020; superficie del polígono municipal. ",
            "Economically active and employed: people aged 12 and over, 2020 census; area of the "
            "municipal polygon. ",
        )
        + t("source_inegi", lang)
    )
    inside = places[places["cvegeo"] == picked]
    if m["projects_in_places"]:
        for _, p in inside.iterrows():
            st.info(
                ctx.text(
                    f"Incluye {fmt_number(m['projects_in_places'], lang)} proyectos anunciados en "
                    f"{p['name']}. ",
                    f"Includes {fmt_number(m['projects_in_places'], lang)} projects announced in "
                    f"{p['name']}. ",
                )
                + pick((p["note_es"], p["note_en"]), lang)
            )
    elif not inside.empty:
        for _, p in inside.iterrows():
            st.caption(pick((p["note_es"], p["note_en"]), lang))

st.markdown(ctx.text("**Proyectos anunciados**", "**Announced projects**"))
if rows.empty:
    st.info(
        ctx.text(
            "No hay anuncios en este municipio con los filtros actuales.",
            "No announcements in this municipality with the current filters.",
        )
    )
else:
    # (A place's rows are all fetched for its totals above; a municipality's come cut in SQL.)
    total = len(rows) if picked_place is not None else int(m["projects"])
    ui.announcement_table(ctx, rows, "proyectos_municipio", total=total, folded=True)

# ---------------------------------------------------------------- establishments (INEGI DENUE)

denue_key = picked_place["cvegeo"] if picked_place is not None else picked
denue_name = names[denue_key]
st.subheader(ctx.text(f"Establecimientos en {denue_name}, 2015 → 2019",
                      f"Establishments in {denue_name}, 2015 → 2019"))  # fmt: skip
units = official.establishments(denue_key).set_index("sector")
if units.empty:
    st.info(ctx.text("El DENUE no trae este municipio.", "DENUE has no figures for it."))
else:
    total = units.loc["00"]
    transport = units.loc["336"] if "336" in units.index else None
    ui.kpis(
        [
            (ctx.text("Unidades 2015", "Units 2015"), fmt_number(total["units_2015"], lang), None),
            (ctx.text("Unidades 2019", "Units 2019"), fmt_number(total["units_2019"], lang),
             f"{'+' if total['balance'] >= 0 else '−'}{fmt_number(abs(total['balance']), lang)}"),
            (ctx.text("Aparecieron (altas)", "Appeared"), fmt_number(total["births"], lang), None),
            (ctx.text("Desaparecieron (bajas)", "Closed"), fmt_number(total["deaths"], lang), None),
            (ctx.text("Equipo de transporte (336), 2019", "Transport equipment (336), 2019"),
             fmt_number(transport["units_2019"], lang) if transport is not None
             else ctx.text("ninguno", "none"), None),
        ]
    )  # fmt: skip
    fig, data = ui.figure(indicator_figures.establishments, ctx, denue_key, denue_name)
    ui.chart(ctx, fig, data, "denue_municipio", source="source_denue")
    st.caption(
        ctx.text(
            "Unidades económicas del DENUE (no empresas ni empleos). Villa de Pozos cuenta dentro "
            "de San Luis Potosí. Un «–» es una celda que la fuente dejó vacía.",
            "DENUE economic units (not companies or jobs). Villa de Pozos counts within San Luis "
            "Potosí. A '–' is a cell the source left blank.",
        )
    )

ui.page_foot(ctx, "municipios")
