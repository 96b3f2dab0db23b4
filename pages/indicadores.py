"""Exportaciones y empleo / Exports and jobs: INEGI's exports of San Luis Potosí by quarter (ETEF,
transport equipment apart) and IMSS formal jobs by month, each with its year-on-year change,
source line and cut-off.
"""

import pandas as pd
import streamlit as st

from analytics import indicator_figures, official, ui
from analytics.i18n import fmt_musd, fmt_number, fmt_pct, pick, quarter_label, t

ctx = ui.context()
lang = ctx.lang
ui.page_header(
    ctx,
    ("Exportaciones y empleo", "Exports and jobs"),
    (
        "Lo que SLP vende al exterior (INEGI) y los puestos de trabajo formales (IMSS): dos "
        "indicadores de lo que la inversión ya produce, con sus propias fechas de corte.",
        "What SLP sells abroad (INEGI) and its formal jobs (IMSS): two indicators of what "
        "investment already produces, each with its own cut-off.",
    ),
)

# ---------------------------------------------------------------- exports

st.header(ctx.text("Exportaciones (INEGI, ETEF)", "Exports (INEGI, ETEF)"))
release = official.latest_indicator("exports")
if release is None:
    st.info(ctx.text("No hay exportaciones cargadas.", "No exports are loaded."))
else:
    quarters = official.exports_by_quarter(release["release_id"])
    last = quarters.iloc[-1]
    label = quarter_label(int(last["year"]), int(last["quarter"]), lang)
    ui.kpis(
        [
            (ctx.text(f"Exportaciones {label}", f"Exports {label}"),
             fmt_musd(last["total_kusd"] / 1000, lang, 0),
             ctx.text(f"{fmt_pct(last['yoy'], 'es', signed=True, decimals=1)} a/a",
                      f"{fmt_pct(last['yoy'], 'en', signed=True, decimals=1)} y/y")
             if pd.notna(last["yoy"]) else None),
            (ctx.text("Equipo de transporte (336)", "Transport equipment (336)"),
             fmt_musd(last["kusd_336"] / 1000, lang, 0),
             ctx.text(f"{fmt_pct(last['yoy_336'], 'es', signed=True, decimals=1)} a/a",
                      f"{fmt_pct(last['yoy_336'], 'en', signed=True, decimals=1)} y/y")
             if pd.notna(last["yoy_336"]) else None),
            (ctx.text("Participación de 336", "Share of 336"),
             fmt_pct(last["share_336"], lang, decimals=1), None),
            (ctx.text("Estatus de la cifra", "Figure status"),
             pick(official.REVISION_STATUS.get(last["revision_status"], ("–", "–")), lang), None),
        ]
    )  # fmt: skip
    fig, data = ui.figure(indicator_figures.exports, ctx)
    ui.chart(ctx, fig, data, "exportaciones_trimestrales", source="source_etef")

    years = official.exports_by_year(release["release_id"])
    st.markdown(ctx.text("**Años completos, en miles de dólares como los publica el INEGI**",
                         "**Whole years, in thousands of dollars as INEGI publishes them**"))  # fmt: skip
    annual = pd.DataFrame(
        {
            t("year", lang): years["year"].astype(str),
            ctx.text("Total (miles de USD)", "Total (thousand USD)"): [
                fmt_number(v, lang) for v in years["total_kusd"]
            ],
            ctx.text("336 (miles de USD)", "336 (thousand USD)"): [
                fmt_number(v, lang) for v in years["kusd_336"]
            ],
            ctx.text("% de 336", "336 share"): [
                fmt_pct(v, lang, decimals=1) for v in years["share_336"]
            ],
            ctx.text("Cambio anual", "Change on the year"): [
                fmt_pct(v, lang, signed=True, decimals=1) if pd.notna(v) else "–"
                for v in years["total_kusd"] / years["total_kusd"].shift() - 1
            ],
        }
    )
    st.dataframe(annual, hide_index=True, width="stretch", key="exports_years")
    ui.csv_download(ctx, years, "exportaciones_anuales")
    by_subsector = ui.on_request(ctx.text(f"Subsectores, {label}", f"Subsectors, {label}"),
                                 "exports_subsectors")  # fmt: skip
    if by_subsector.open:
        with by_subsector:
            subsectors = official.exports_subsectors(
                release["release_id"], int(last["year"]), int(last["quarter"])
            )
            st.dataframe(
                pd.DataFrame(
                    {
                        "SCIAN": subsectors["scian_code"],
                        ctx.text("Subsector", "Subsector"): [
                            pick((es, en), lang) if isinstance(es, str) else code
                            for es, en, code in zip(
                                subsectors["short_es"],
                                subsectors["short_en"],
                                subsectors["scian_code"],
                                strict=True,
                            )
                        ],  # fmt: skip
                        ctx.text("Miles de USD", "Thousand USD"): [
                            fmt_number(v, lang) for v in subsectors["value_kusd"]
                        ],
                        ctx.text("Estatus", "Status"): subsectors["figure_status"],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="exports_subsectors",
            )
            st.caption(
                ctx.text(
                    "El código 000 suma los subsectores que el INEGI no presenta por confidencialidad; "
                    "entra en el total. Una celda vacía es confidencial o no disponible, no cero.",
                    "Code 000 sums the subsectors INEGI withholds for confidentiality; it is in the "
                    "total. An empty cell is confidential or not available, not zero.",
                )
            )

# ---------------------------------------------------------------- jobs

st.header(ctx.text("Empleo formal (IMSS)", "Formal jobs (IMSS)"))
release = official.latest_indicator("jobs")
if release is None:
    st.info(ctx.text("No hay datos de empleo cargados.", "No jobs data are loaded."))
else:
    months = official.jobs_by_month(release["release_id"])
    last = months.iloc[-1]
    december = months[(months["year"] == last["year"] - 1) & (months["month"] == 12)]
    when = official.month_text(int(last["year"]), int(last["month"]), lang)
    since = last["jobs"] - december["jobs"].iloc[0] if len(december) else None
    ui.kpis(
        [
            (ctx.text(f"Puestos IMSS, {when}", f"IMSS jobs, {when}"),
             fmt_number(last["jobs"], lang), None),
            (ctx.text("Cambio en un año", "Change on a year"),
             f"{'+' if last['yoy_jobs'] >= 0 else '−'}{fmt_number(abs(last['yoy_jobs']), lang)}",
             ctx.text(f"{fmt_pct(last['yoy'], 'es', signed=True, decimals=1)} a/a",
                      f"{fmt_pct(last['yoy'], 'en', signed=True, decimals=1)} y/y")),
            (ctx.text("Desde diciembre", "Since December"),
             f"{'+' if since >= 0 else '−'}{fmt_number(abs(since), lang)}"
             if since is not None else "–", None),
        ]
    )  # fmt: skip
    fig, data = ui.figure(indicator_figures.jobs, ctx)
    ui.chart(ctx, fig, data, "empleo_imss", source="source_imss")
    fig, data = ui.figure(indicator_figures.jobs_change, ctx)
    ui.chart(ctx, fig, data, "empleo_imss_anual", source="source_imss")
    st.caption(
        ctx.text(
            "El IMSS cuenta puestos de trabajo afiliados (una persona con dos empleos cuenta dos); "
            "la serie estatal no trae municipio ni sector.",
            "IMSS counts insured jobs (a person with two jobs counts twice); the state series has "
            "no municipality or sector.",
        )
    )

ui.page_foot(ctx, "indicadores")
