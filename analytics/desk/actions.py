"""The data desk's committee actions: template, file upload, and forms (a new action, an update
of its status, a progress note). Every edit is a journal entry and a change in the history."""

from datetime import date

import streamlit as st

from analytics import cluster, ui
from analytics.desk import cluster as desk_cluster
from analytics.desk import say
from analytics.i18n import pick
from etl.template import municipality_names

KIND = "actions"
STATE = "Todo el estado"


def _options(kind: str) -> dict[str, str]:
    return {code: pick(pair, ui.context().lang) for code, pair in cluster.labels(kind).items()}


def section(editor: str | None) -> None:
    st.markdown(
        say(
            "Los acuerdos de los comités (desarrollo de proveedores, académico, desarrollo de "
            "abasto, capital humano) con cada municipio o todo el estado, y sus avances. La "
            "plantilla trae las hojas «Acciones» y «Avances»; para actualizar un acuerdo, use su "
            "clave (ACU-0001).",
            "The committees' actions (supplier development, academic, supply development, human "
            "capital) with each municipality or the whole state, and their progress notes. The "
            "template has the sheets «Acciones» and «Avances»; to update an action, use its key "
            "(ACU-0001).",
        )
    )
    desk_cluster.template_button(
        KIND, ("Plantilla de acuerdos (XLSX)", "Actions template (XLSX)"), "plantilla_acuerdos.xlsx"
    )
    actions = cluster.actions()
    if editor:
        desk_cluster.upload(KIND, editor, ("Archivo de acuerdos", "Actions file"))
        _forms(editor, actions)
    if not actions.empty:
        desk_cluster.csv_button(
            actions, ("Acuerdos (CSV)", "Actions (CSV)"), "acuerdos.csv", "desk_actions_csv"
        )
        history = desk_cluster.changes_of(("actions",))
        if not history.empty:
            with st.expander(say("Historial de cambios de los acuerdos", "Action change history")):
                desk_cluster.table(history, "desk_action_changes")


def _forms(editor: str, actions) -> None:
    committees, statuses = _options("committee"), _options("action_status")
    with (
        st.expander(say("Nuevo acuerdo", "New action")),
        st.form("desk_form_action", clear_on_submit=True),
    ):
        left, right = st.columns(2)
        committee = left.selectbox(
            say("Comité", "Committee"), list(committees), format_func=committees.get
        )
        place = right.selectbox(say("Municipio", "Municipality"), [STATE, *municipality_names()])
        description = st.text_area(say("Acuerdo", "Action"))
        owner = left.text_input(say("Responsable", "Owner"))
        due = right.date_input(say("Fecha compromiso", "Due date"), value=None, format="YYYY-MM-DD")
        status = left.selectbox(say("Estatus", "Status"), list(statuses), format_func=statuses.get)
        if st.form_submit_button(say("Guardar acuerdo", "Save action"), type="primary"):
            row = {
                "Comité": committees[committee],
                "Municipio": place,
                "Acción": description,
                "Responsable": owner,
                "Fecha compromiso": due.isoformat() if due else "",
                "Estatus": statuses[status],
            }
            desk_cluster.submit_form(KIND, "formulario_acuerdo", row, editor)
    if actions.empty:
        return
    described = dict(zip(actions["action_id"], actions["description"], strict=True))
    with (
        st.expander(
            say("Actualizar un acuerdo o anotar un avance", "Update an action or add a note")
        ),
        st.form("desk_form_action_update", clear_on_submit=True),
    ):
        key = st.selectbox(
            say("Acuerdo", "Action"),
            list(described),
            format_func=lambda k: f"{k} · {described[k]}",
        )
        left, right = st.columns(2)
        status = left.selectbox(
            say("Nuevo estatus", "New status"),
            ["", *statuses],
            format_func=lambda c: statuses.get(c, say("(sin cambio)", "(no change)")),
        )
        done_on = right.date_input(
            say("Fecha de cumplimiento (si se cumplió)", "Date done (if done)"),
            value=None,
            max_value=date.today(),
            format="YYYY-MM-DD",
        )
        note = st.text_area(say("Avance (opcional)", "Progress note (optional)"))
        if st.form_submit_button(say("Guardar", "Save"), type="primary"):
            if note.strip():
                row = {"Clave": key, "Fecha": date.today().isoformat(), "Avance": note}
                desk_cluster.submit_form(KIND, "formulario_avance", row, editor, rerun=not status)
            if status:
                row = {
                    "Clave": key,
                    "Acción": described[key],
                    "Estatus": statuses[status],
                    "Fecha de cumplimiento": done_on.isoformat() if done_on else "",
                }
                desk_cluster.submit_form(KIND, "formulario_estatus", row, editor)
