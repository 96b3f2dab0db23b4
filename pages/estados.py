"""Estados / Peer states: San Luis Potosí against the states officials compare it with (and any
other), in one SE release that covers all 32: IED in the period and by year, share of the national
total, the share that went to transport equipment (SCIAN 336), rank among the 32, and the map.
"""

import pandas as pd
import streamlit as st

from analytics import comparison_figures, official, ui
from analytics.i18n import fmt_musd, fmt_number, fmt_pct, t
from analytics.official import PEERS, SLP, period_text

ctx = ui.context()
lang = ctx.lang
ui.page_header(
    ctx,
    ("Estados comparables", "Peer states"),
    (
        "San Luis Potosí frente a Aguascalientes, Guanajuato, Querétaro, Jalisco, Nuevo León y "
        "Coahuila, o las entidades que elija, con la IED que registra la Secretaría de Economía.",
        "San Luis Potosí against Aguascalientes, Guanajuato, Querétaro, Jalisco, Nuevo León and "
        "Coahuila, or the states you choose, with the FDI recorded by the Secretaría de Economía.",
    ),
)

# Only releases with every state can rank SLP among the 32 (the revised series shipped is SLP's).
latest = {s: official.latest_release(s, every_state=True) for s in official.SERIES}
latest = {s: r for s, r in latest.items() if r is not None}
if not latest:
    st.info(
        ctx.text(
            "Ninguna publicación cargada trae las 32 entidades.",
            "No release loaded covers the 32 states.",
        )
    )
    ui.stop(ctx, "estados")
series = st.radio(
    ctx.text("Serie", "Series"),
    options=list(latest),
    format_func=lambda s: latest[s].label(lang),
    horizontal=True,
    key="peer_series",
)
release = latest[series]
if len(latest) == 1:
    st.caption(
        ctx.text(
            f"Solo la serie «{release.label('es')}» trae las 32 entidades; la serie actualizada "
            "del observatorio cubre solo San Luis Potosí.",
            f"Only the series '{release.label('en')}' covers the 32 states; the observatory's "
            "revised series covers San Luis Potosí only.",
        )
    )

names = official.state_names()
left, right = st.columns([3, 1])
with left:
    chosen = st.multiselect(
        ctx.text("Entidades a comparar", "States to compare"),
        options=[c for c in names if c != SLP],
        default=[c for c in PEERS if c != SLP],
        format_func=names.get,
        key="peer_states",
    )
states = (SLP, *chosen)
periods = official.by_year(release.release_id)[["year", "quarter"]].iloc[::-1]
choices = [(int(y), int(q)) for y, q in periods.itertuples(index=False)]
with right:
    year, quarter = st.selectbox(
        ctx.text("Periodo", "Period"),
        options=choices,
        format_func=lambda p: period_text(p[0], p[1], lang),
        key="peer_period",
    )
span = period_text(year, quarter, lang)
source = f"{t('source_se', lang)} {official.initial(release.label(lang))}."

# ---------------------------------------------------------------- headline

table = official.states_in_period(release.release_id, year, quarter)
slp = table[table["cve_ent"] == SLP].iloc[0]
ui.kpis(
    [
        (ctx.text(f"IED de SLP, {span}", f"SLP's FDI, {span}"), fmt_musd(slp["musd"], lang), None),
        (ctx.text("Lugar entre las 32", "Rank among the 32"), f"{int(slp['rank'])}", None),
        (ctx.text("Participación nacional", "Share of national"),
         fmt_pct(slp["share_national"], lang, decimals=1), None),
        (ctx.text("Equipo de transporte (336)", "Transport equipment (336)"),
         fmt_pct(slp["share_336"], lang) if slp["musd"] > 0 else "–", None),
    ]
)  # fmt: skip

left, right = st.columns(2)
with left:
    fig, data = ui.figure(comparison_figures.peer_period, ctx, release, year, quarter, states)
    ui.chart(ctx, fig, data, "estados_periodo", source=source)
with right:
    fig, data = ui.figure(comparison_figures.peer_336, ctx, release, year, quarter, states)
    ui.chart(ctx, fig, data, "estados_336", source=source)
if quarter < 4 or year < 2023:
    st.caption(
        ctx.text(
            "La SE publica la actividad SCIAN por entidad desde 2023 T3; la participación de 336 "
            "es sobre la IED total de cada entidad en el periodo.",
            "SE publishes each state's SCIAN activity from 2023 Q3; the 336 share is of each "
            "state's total FDI in the period.",
        )
    )

left, right = st.columns(2)
with left:
    fig, data = ui.figure(comparison_figures.peer_map, ctx, release, year, quarter, states)
    ui.chart(ctx, fig, data, "estados_mapa", source=source)
with right:
    fig, data = ui.figure(comparison_figures.peer_years, ctx, release, states)
    ui.chart(ctx, fig, data, "estados_por_anio", source=source)

# The table of every state waits until it is asked for (ui.on_request).
every_state = ui.on_request(
    ctx.text(f"Las 32 entidades, {span}", f"The 32 states, {span}"), "peer_table"
)
if every_state.open:
    with every_state:
        shown = table[table["cve_ent"] != official.NATIONAL]
        share_336 = shown["share_336"].where(shown["musd"] > 0)  # no share of a negative total
        st.dataframe(
            pd.DataFrame(
                {
                    ctx.text("Lugar", "Rank"): shown["rank"],
                    ctx.text("Entidad", "State"): shown["short_name"],
                    ctx.text("IED (MDD)", "FDI (USD M)"): [
                        fmt_number(v, lang, 1) for v in shown["musd"]
                    ],
                    ctx.text("% del total nacional", "% of national"): [
                        fmt_pct(v, lang, decimals=1) for v in shown["share_national"]
                    ],
                    ctx.text("336 (MDD)", "336 (USD M)"): [
                        fmt_number(v, lang, 1) for v in shown["musd_336"]
                    ],
                    ctx.text("% de 336 en su IED", "336 % of its FDI"): [
                        fmt_pct(v, lang) for v in share_336
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            key="peer_table",
        )
        ui.csv_download(ctx, shown.drop(columns=["name"]), "estados_32")
        st.caption(source)
ui.page_foot(ctx, "estados")
