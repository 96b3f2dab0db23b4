"""Parques industriales / Industrial parks: announced investment and jobs by park, where the parks
are (at their coordinates when entered on the data desk, else at their municipality, labelled so),
the announcements that name a park without saying which, and one park's announcements."""

import pandas as pd
import streamlit as st

from analytics import charts, cluster, cluster_ui, maps, queries, ui
from analytics.i18n import count_text, fmt_musd, fmt_number, t

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(
    ctx,
    ("Parques industriales", "Industrial parks"),
    (
        "Los 12 parques y zonas industriales con plantas automotrices que citan las fuentes, y los "
        "anuncios que nombran cada uno (el nombre se reconoce aunque se escriba distinto: "
        "«Logistik II», «Parque Logistik 2»).",
        "The 12 industrial parks and zones with automotive plants that the sources name, and the "
        "announcements naming each (the name is recognised however it is written: 'Logistik II', "
        "'Parque Logistik 2').",
    ),
)
parks = cluster.parks(f)
unlinked = cluster.unlinked_parks(f)
linked = parks[parks["projects"] > 0]
head = queries.headline(f)
in_parks = int(linked["projects"].sum())
ui.kpis(
    [
        (ctx.text("Parques", "Parks"), fmt_number(len(parks), lang), None),
        (ctx.text("Anuncios en un parque", "Announcements in a park"), fmt_number(in_parks, lang),
         None),
        (ctx.text("Inversión anunciada en parques", "Announced investment in parks"),
         fmt_musd(linked["musd"].sum(), lang), None),
        (ctx.text("Parque sin precisar", "Park not pinned down"),
         fmt_number(int(unlinked["projects"].sum()), lang), None),
    ]
)  # fmt: skip
st.caption(
    ctx.text(
        f"De {count_text(head['projects'], 'announcements', lang)} con los filtros actuales, "
        f"{fmt_number(in_parks, lang)} nombran un parque identificado; el resto no dice en qué "
        "parque está o nombra uno que cabe en varios (abajo).",
        f"Of {count_text(head['projects'], 'announcements', lang)} with the current filters, "
        f"{fmt_number(in_parks, lang)} name an identified park; the rest do not say which park, "
        "or name one that fits several (below).",
    )
)

short = {pid: name.split(" - ")[-1].split(" (")[0] for pid, name in zip(parks["park_id"], parks["name"],
                                                                         strict=True)}  # fmt: skip
left, right = st.columns([1, 1])
with left:
    if linked.empty:
        st.info(t("no_data", lang))
    else:
        ranked = linked.assign(label=linked["park_id"].map(short))
        top = ranked.iloc[0]
        fig = ui.figure(charts.bar_ranking,
            ranked, "label", "musd", charts.POSITIVE,
            ctx.text(f"{top['label']}: {fmt_musd(top['musd'], lang)} anunciados",
                     f"{top['label']}: {fmt_musd(top['musd'], lang)} announced"),
            lang,
            hover_extra=pd.Series(
                [f"{count_text(p, 'announcements', lang)} · {fmt_number(j, lang)} "
                 f"{t('jobs', lang).lower()} · {fmt_number(c, lang)} {t('companies', lang).lower()}"
                 for p, j, c in zip(ranked["projects"], ranked["jobs"], ranked["companies"],
                                    strict=True)]
            ),
            subtitle=ctx.text("Inversión anunciada por parque (MDD), con los filtros actuales",
                              "Announced investment by park (USD M), with the current filters"),
        )  # fmt: skip
        ui.chart(ctx, fig, ranked[["name", "municipality", "projects", "musd", "jobs", "companies"]],
                 "inversion_por_parque")  # fmt: skip
with right:
    places = cluster.park_positions(parks)
    if places.empty:
        st.info(ctx.text("Ningún parque tiene ubicación.", "No park has a location."))
    else:
        places["text"] = [
            short[ids[0]] if exact or len(ids) == 1
            else ctx.text(f"{m}: {len(ids)} parques", f"{m}: {len(ids)} parks")
            for ids, exact, m in zip(places["parks"], places["exact"], places["municipality"],
                                     strict=True)
        ]  # fmt: skip
        places["size"] = places["projects"]
        byid = parks.set_index("park_id")
        near = ctx.text("en su municipio: sin coordenadas", "at its municipality: no coordinates")
        places["hover"] = [
            f"<b>{m}</b>" + ("" if e else f" <i>({near})</i>") + "<br>"
            + "<br>".join(f"{short[i]}: {count_text(byid.at[i, 'projects'], 'announcements', lang)}"
                          f" · {fmt_musd(byid.at[i, 'musd'], lang)}" for i in ids)
            for m, ids, e in zip(places["municipality"], places["parks"], places["exact"],
                                 strict=True)
        ]  # fmt: skip
        exact = int(places["exact"].sum())
        fig = ui.figure(maps.points_map,
            queries.municipalities(f),
            places.drop(columns="parks"),  # lists: the figure's cache key hashes the rest
            ctx.text(f"Parques por municipio; {fmt_number(exact, lang)} con coordenadas",
                     f"Parks by municipality; {fmt_number(exact, lang)} with coordinates"),
            ctx.text("Círculo hueco: sin coordenadas, en el centro de su municipio",
                     "Hollow circle: no coordinates, at its municipality's centre"),
        )  # fmt: skip
        ui.chart(ctx, fig, places.drop(columns=["hover"]), "mapa_parques", source="source_inegi")
    placed = {p for ids in places["parks"] for p in ids}
    missing = parks[~parks["park_id"].isin(placed)]
    if not missing.empty:
        st.caption(
            ctx.text("Fuera del mapa (las fuentes no dan municipio ni coordenadas): ",
                     "Not on the map (the sources give neither municipality nor coordinates): ")
            + ", ".join(missing["name"])
            + ctx.text(". Las coordenadas se pueden agregar en Datos.",
                       ". Coordinates can be added on the Data page.")
        )  # fmt: skip

st.subheader(ctx.text("Los parques", "The parks"))
location = {
    True: ctx.text("coordenadas", "coordinates"),
    False: ctx.text("su municipio (sin coordenadas)", "its municipality (no coordinates)"),
}
table = pd.DataFrame(
    {
        ctx.text("Parque", "Park"): parks["name"],
        t("municipality", lang): parks["municipality"].fillna(t("unknown", lang)),
        ctx.text("Operador", "Operator"): parks["operator"].fillna("–"),
        ctx.text("En el mapa", "On the map"): [
            location[pd.notna(lat)] if pd.notna(lat) or pd.notna(c) else "–"
            for lat, c in zip(parks["lat"], parks["centroid_lat"], strict=True)
        ],
        ctx.text("Anuncios", "Announcements"): parks["projects"],
        t("amount_musd", lang): [fmt_number(v, lang, 1) for v in parks["musd"]],
        t("jobs", lang): [fmt_number(v, lang) for v in parks["jobs"]],
        t("companies", lang): parks["companies"],
        t("source", lang): parks["source_url"],
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        t("source", lang): st.column_config.LinkColumn(display_text=ctx.text("abrir ↗", "open ↗"))
    },
    key="table_parks",
)
st.caption(
    ctx.text(
        "Fuente: parques y municipios según las páginas citadas (slp_industrial_parks.csv); "
        "ninguna fuente guardada dio coordenadas. Inversión y empleos: anuncios públicos.",
        "Source: parks and municipalities as the cited pages state them (slp_industrial_parks.csv); "
        "no stored source gave coordinates. Investment and jobs: public announcements.",
    )
)
ui.csv_download(ctx, table, "parques")

if not unlinked.empty:
    st.subheader(
        ctx.text("Anuncios con un parque sin precisar", "Announcements with a park not pinned down")
    )
    st.dataframe(
        pd.DataFrame(
            {
                ctx.text("Parque como aparece", "Park as written"): unlinked["park"],
                ctx.text("Puede ser", "May be"): [
                    ", ".join(short.get(c, c) for c in str(cands).split("; ")) if isinstance(cands, str)
                    else ctx.text("ninguno de la lista", "none of the list")
                    for cands in unlinked["candidates"]
                ],
                ctx.text("Anuncios", "Announcements"): unlinked["projects"],
                t("amount_musd", lang): [fmt_number(v, lang, 1) for v in unlinked["musd"]],
                t("companies", lang): unlinked["companies"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="table_unlinked",
    )  # fmt: skip
    st.caption(
        ctx.text(
            "No se asignan a un parque: la fuente no dice cuál (p. ej., «Logistik» puede ser "
            "Logistik I, II o III). Una corrección del anuncio en Datos lo resuelve.",
            "They are not assigned to a park: the source does not say which ('Logistik' may be "
            "Logistik I, II or III). A correction of the announcement on the Data page settles it.",
        )
    )

st.subheader(ctx.text("Anuncios de un parque", "One park's announcements"))
with_rows = parks[parks["projects"] > 0]
if with_rows.empty:
    st.info(t("no_data", lang))
    ui.stop(ctx, "parques")
choices = list(with_rows["park_id"])
wanted = st.query_params.get("parque")
chosen = st.selectbox(
    ctx.text("Parque", "Park"),
    choices,
    index=choices.index(wanted) if wanted in choices else 0,
    format_func=lambda pid: parks.set_index("park_id").at[pid, "name"],
    key="park_choice",
)
st.query_params["parque"] = chosen
cluster_ui.announcement_table(ctx, cluster.park_announcements(f, chosen), "anuncios_del_parque")

ui.page_foot(ctx, "parques")
