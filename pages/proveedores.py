"""Proveedores / Suppliers: the supplier development programme. Its public facts (sourced), then,
once the committee has loaded its roster: the funnel (enrolled, in progress by area, sealed),
months to the seal, suppliers by municipality and process, who is stalled, and the opportunities:
new or expanding plants next to the sealed suppliers whose processes fit them.

Viewers see only names, municipality, size, processes and progress: every query of this page reads
the roster's public tables (analytics/cluster.py); contacts are on the data desk, for editors."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from analytics import cluster, cluster_figures, cluster_ui, ui
from analytics.i18n import fmt_date, fmt_number, pick

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(
    ctx,
    ("Programa de desarrollo de proveedores", "Supplier development programme"),
    (
        "El comité de desarrollo de proveedores prepara a pequeñas y medianas empresas locales "
        "para entrar a la cadena automotriz: un distintivo de preparación que cubre calidad, "
        "certificaciones, marco legal y cumplimiento fiscal, con apoyo para financiar maquinaria "
        "y certificaciones, y capacitación.",
        "The supplier development committee prepares small and medium local firms to enter the "
        "automotive supply chain: a readiness seal covering quality, certifications, a sound "
        "legal framework and tax compliance, with help to finance machinery and certification, "
        "and training.",
    ),
)
today = date.today()
roster = cluster.suppliers()

with st.expander(
    ctx.text("Lo que se sabe públicamente del programa", "What is publicly known of the programme"),
    expanded=roster.empty,
):
    cluster_ui.programme_facts(ctx)
    st.caption(
        ctx.text(
            "Datos de prensa, como contexto: no forman parte del padrón ni de sus cifras.",
            "Press facts, as context: they are not part of the roster nor of its figures.",
        )
    )

if roster.empty:
    cluster_ui.call_to_action(
        ctx,
        (
            "El padrón del programa aún no se ha cargado.",
            "The programme's roster is not loaded yet.",
        ),
        (
            "En la página Datos, un editor puede descargar la plantilla de proveedores (hojas "
            "«Proveedores» e «Hitos»), llenarla y subirla, o agregar un proveedor, un hito o un "
            "distintivo con el formulario. Desde la línea de comandos: `python -m etl template "
            "suppliers plantilla.xlsx` y `python -m etl suppliers plantilla.xlsx --by CORREO`.",
            "On the Data page an editor can download the supplier template (sheets «Proveedores» "
            "and «Hitos»), fill it in and upload it, or add a supplier, a milestone or a seal with "
            "the form. From the command line: `python -m etl template suppliers template.xlsx` "
            "and `python -m etl suppliers template.xlsx --by EMAIL`.",
        ),
    )
else:
    active = roster[roster["status"] == "active"]
    sealed = active[active["certified_on"].notna()]
    months = cluster.months_to_seal()
    ui.kpis(
        [
            (ctx.text("Proveedores activos", "Active suppliers"), fmt_number(len(active), lang),
             None),
            (ctx.text("Con distintivo", "Sealed"), fmt_number(len(sealed), lang), None),
            (ctx.text("Meses al distintivo (mediana)", "Months to the seal (median)"),
             fmt_number(months["months"].median(), lang, 1) if len(months) else "–", None),
            (ctx.text("Dados de baja", "Withdrawn"),
             fmt_number(int((roster["status"] == "withdrawn").sum()), lang), None),
        ]
    )  # fmt: skip
    source = ctx.text(
        "Fuente: padrón del comité de desarrollo de proveedores, cargado en Datos.",
        "Source: the supplier development committee's roster, loaded on the Data page.",
    )
    fig, data = ui.figure(cluster_figures.funnel, ctx, today)
    ui.chart(ctx, fig, data, "embudo_proveedores", source="source_roster")
    st.caption(
        ctx.text(
            "«En proceso»: con al menos un paso cumplido en el área y aún sin distintivo; un "
            "proveedor avanza en varias áreas a la vez, así que esas barras no suman.",
            "'In progress': at least one step done in the area and no seal yet; a supplier works "
            "on several areas at once, so those bars do not add up.",
        )
    )
    left, right = st.columns(2)
    for column, by, name in ((left, "municipality", "proveedores_por_municipio"),
                             (right, "process", "proveedores_por_proceso")):  # fmt: skip
        with column:
            fig, data = ui.figure(cluster_figures.suppliers_by, ctx, by)
            ui.chart(ctx, fig, data, name, source="source_roster")
    if months.empty:
        st.info(
            ctx.text("Aún ningún proveedor tiene el distintivo.", "No supplier holds the seal yet.")
        )
    else:
        fig, data = ui.figure(cluster_figures.months_to_seal, ctx)
        ui.chart(ctx, fig, data, "meses_al_distintivo", source="source_roster")

    st.subheader(ctx.text("Proveedores detenidos", "Stalled suppliers"))
    days = st.select_slider(
        ctx.text("Sin avance desde hace más de", "No progress for more than"),
        options=[60, 90, 120, 180, 365],
        value=90,
        format_func=lambda d: ctx.text(f"{d} días", f"{d} days"),
    )
    stalled = cluster.stalled(today, days)
    areas = cluster.labels("area")
    steps = cluster.labels("step")
    if stalled.empty:
        st.success(
            ctx.text(
                f"Ningún proveedor activo lleva más de {days} días sin avance.",
                f"No active supplier has gone more than {days} days without progress.",
            )
        )
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    ctx.text("Proveedor", "Supplier"): stalled["name"],
                    ctx.text("Municipio", "Municipality"): stalled["municipality"].fillna("–"),
                    ctx.text("Último paso", "Last step"): [
                        f"{pick(areas[a], lang)} · {pick(steps[s], lang)}" if isinstance(s, str)
                        else ctx.text("ninguno desde la inscripción", "none since enrolment")
                        for a, s in zip(stalled["last_area"], stalled["last_step"], strict=True)
                    ],
                    ctx.text("Última actividad", "Last activity"): [fmt_date(d, "day", lang)
                                                                    for d in stalled["last_activity"]],
                    ctx.text("Días sin avance", "Days without progress"): stalled["idle_days"],
                }
            ),
            hide_index=True,
            width="stretch",
            key="table_stalled",
        )  # fmt: skip

    st.subheader(ctx.text("El padrón", "The roster"))
    sizes, processes = cluster.labels("size"), cluster.process_labels()
    statuses = cluster.labels("supplier_status")
    public = pd.DataFrame(
        {
            ctx.text("Proveedor", "Supplier"): roster["name"],
            ctx.text("Municipio", "Municipality"): roster["municipality"].fillna("–"),
            ctx.text("Tamaño", "Size"): roster["size"].map(cluster_ui.coded(sizes, lang)),
            ctx.text("Procesos", "Processes"): [
                ", ".join(pick(processes[p], lang) for p in cluster.items(ps))
                for ps in roster["processes"]
            ],
            ctx.text("Inscripción", "Enrolled"): [fmt_date(d, "day", lang) for d in roster["enrolled_on"]],
            ctx.text("Áreas con avance", "Areas with progress"): [
                ", ".join(pick(areas[a], lang) for a in cluster.items(a_list))
                for a_list in roster["areas"]
            ],
            ctx.text("Distintivo", "Seal"): [fmt_date(d, "day", lang) if pd.notna(d) else "–"
                                             for d in roster["certified_on"]],
            ctx.text("Estatus", "Status"): roster["status"].map(cluster_ui.coded(statuses, lang)),
        }
    )  # fmt: skip
    st.dataframe(public, hide_index=True, width="stretch", key="table_roster")
    st.caption(source)
    ui.csv_download(ctx, public, "padron_publico")

    st.subheader(ctx.text("Avance desde la última reunión", "Progress since the last meeting"))
    since = st.date_input(
        ctx.text("Última reunión", "Last meeting"),
        value=today - timedelta(days=61),
        max_value=today,
        format="YYYY-MM-DD",
        key="roster_since",
    )
    done = cluster.progress(since, today)
    ui.kpis(
        [
            (ctx.text("Inscripciones", "Enrolments"), fmt_number(len(done["enrolled"]), lang), None),
            (ctx.text("Hitos cumplidos", "Milestones"), fmt_number(len(done["milestones"]), lang), None),
            (ctx.text("Distintivos otorgados", "Seals granted"), fmt_number(len(done["sealed"]), lang),
             None),
        ]
    )  # fmt: skip

st.subheader(ctx.text("Oportunidades", "Opportunities"))
plants = cluster.opportunities(f, today, limit=ui.TABLE_ROWS)
st.markdown(f"**{cluster_figures.opportunities_title(ctx, plants)}**")
st.caption(
    ctx.text(
        f"Plantas nuevas o en expansión anunciadas en los últimos {cluster.OPPORTUNITY_YEARS} años "
        "(con los filtros de la barra lateral, salvo el periodo), con los procesos que pide su sector y los "
        "proveedores con distintivo que los ofrecen. La relación entre procesos y sectores es "
        "una tabla de referencia del observatorio (data/raw/cluster/procesos.csv).",
        f"New or expanding plants announced in the last {cluster.OPPORTUNITY_YEARS} years (with "
        "the sidebar's filters except its period), with the processes their sector asks for and the sealed "
        "suppliers that offer them. Which processes serve which sectors is a reference table of "
        "the observatory (data/raw/cluster/procesos.csv).",
    )
)
if plants.empty:
    st.info(ctx.text("No hay plantas en el periodo.", "No plants in the period."))
else:
    table = cluster_figures.opportunity_rows(ctx, plants)
    ui.first_of(ctx, len(table), int(plants["all_plants"].iloc[0]), ("plantas", "plants"))
    st.dataframe(table, hide_index=True, width="stretch", key="table_opportunities")
    ui.csv_download(ctx, table, "oportunidades")

ui.page_foot(ctx, "proveedores")
