"""Acuerdos / Committee actions: what the cluster's committees agreed (supplier development,
academic, supply development, human capital) with the municipalities, and where each action stands
for the next meeting: done since the last one, overdue, coming due, blocked; by committee and
municipality, with each action's dated progress notes."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from analytics import cluster, cluster_figures, cluster_ui, ui
from analytics.i18n import fmt_date, fmt_number, pick, t

ctx = ui.context()
lang = ctx.lang
ui.page_header(
    ctx,
    ("Acuerdos de los comités", "Committee actions"),
    (
        "Los planes de acción que los comités del clúster siguen en cada reunión bimestral con "
        "los municipios de Villa de Reyes, Matehuala, Soledad de Graciano Sánchez y San Luis "
        "Potosí, y con todo el estado.",
        "The action plans the cluster's committees follow up at every bimonthly meeting with the "
        "municipalities of Villa de Reyes, Matehuala, Soledad de Graciano Sánchez and San Luis "
        "Potosí, and with the whole state.",
    ),
)
plan = cluster.actions()
if plan.empty:
    cluster_ui.call_to_action(
        ctx,
        ("Aún no hay acuerdos registrados.", "No actions are recorded yet."),
        (
            "En la página Datos, un editor puede agregar un acuerdo o un avance con el formulario, "
            "o descargar la plantilla de acuerdos (hojas «Acciones» y «Avances»), llenarla y "
            "subirla. Desde la línea de comandos: `python -m etl template actions plantilla.xlsx` "
            "y `python -m etl actions plantilla.xlsx --by CORREO`.",
            "On the Data page an editor can add an action or a progress note with the form, or "
            "download the actions template (sheets «Acciones» and «Avances»), fill it in and "
            "upload it. From the command line: `python -m etl template actions template.xlsx` "
            "and `python -m etl actions template.xlsx --by EMAIL`.",
        ),
    )
    ui.stop(ctx, "acuerdos")

today = date.today()
left, middle, right = st.columns(3)
since = left.date_input(
    ctx.text("Última reunión", "Last meeting"),
    value=today - timedelta(days=61),
    max_value=today,
    format="YYYY-MM-DD",
    key="actions_since",
)
horizon = middle.date_input(
    ctx.text("Próxima reunión", "Next meeting"),
    value=today + timedelta(days=61),
    min_value=today,
    format="YYYY-MM-DD",
    key="actions_horizon",
)
committees = cluster.labels("committee")
chosen = right.multiselect(
    ctx.text("Comités", "Committees"),
    list(committees),
    format_func=lambda c: pick(committees[c], lang),
    placeholder=t("all", lang),
    key="actions_committees",
)
states = cluster.action_states(since, today, horizon)
if chosen:
    states = states[states["committee"].isin(chosen)]
counts = states["state"].value_counts()
ui.kpis(
    [
        (pick(cluster_figures.STATE_NAMES[s], lang), fmt_number(int(counts.get(s, 0)), lang), None)
        for s in ("done_since", "overdue", "due", "blocked")
    ]
)
st.markdown(f"**{cluster_figures.actions_title(ctx, states)}**")
st.caption(
    ctx.text(
        f"Al {fmt_date(today, 'day', 'es')}: cumplidas desde el {fmt_date(since, 'day', 'es')}; "
        f"vencidas: no cumplidas con fecha compromiso pasada; por vencer: hasta el "
        f"{fmt_date(horizon, 'day', 'es')}.",
        f"On {fmt_date(today, 'day', 'en')}: done since {fmt_date(since, 'day', 'en')}; overdue: "
        f"not done and past their due date; coming due: by {fmt_date(horizon, 'day', 'en')}.",
    )
)

st.subheader(ctx.text("Por comité y municipio", "By committee and municipality"))
scope = states.assign(
    place=[ctx.text("Todo el estado", "Whole state") if g == "24" else m
           for m, g in zip(states["municipality"], states["cvegeo"], strict=True)],
    committee_name=[pick(committees[c], lang) for c in states["committee"]],
)  # fmt: skip
order = ["done_since", "overdue", "due", "blocked", "open", "done_before"]
matrix = (
    scope.pivot_table(index=["committee_name", "place"], columns="state", values="action_id",
                      aggfunc="count", fill_value=0)
    .reindex(columns=order, fill_value=0)
    .reset_index()
)  # fmt: skip
matrix.columns = [ctx.text("Comité", "Committee"), t("municipality", lang),
                  *(pick(cluster_figures.STATE_NAMES[s], lang) for s in order)]  # fmt: skip
st.dataframe(matrix, hide_index=True, width="stretch", key="table_action_matrix")
ui.csv_download(ctx, matrix, "acuerdos_por_comite")

st.subheader(ctx.text("Los acuerdos", "The actions"))
rows = cluster_figures.action_rows(ctx, states)
rows.insert(0, ctx.text("Clave", "Key"), states["action_id"].to_numpy())
st.dataframe(rows, hide_index=True, width="stretch", key="table_actions")
st.caption(t("source_actions", lang))
ui.csv_download(ctx, rows, "acuerdos")

st.subheader(ctx.text("Avances", "Progress notes"))
picked = st.selectbox(
    ctx.text("Acuerdo", "Action"),
    list(states["action_id"]),
    format_func=lambda a: f"{a} · {states.set_index('action_id').at[a, 'description']}",
    key="actions_note_of",
)
notes = cluster.action_notes(picked)
if notes.empty:
    st.caption(ctx.text("Este acuerdo no tiene avances registrados.", "This action has no notes."))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("date", lang): [fmt_date(d, "day", lang) for d in notes["noted_on"]],
                ctx.text("Avance", "Progress"): notes["note"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="table_action_notes",
    )

ui.page_foot(ctx, "acuerdos")
