"""The data desk's supplier roster: template, file upload, forms (a supplier, a milestone, the
seal), and the roster with its private fields for signed-in editors.

Privacy: `private_roster` is the app's only reader of supplier_private and of milestones'
evidence; it needs the editor's e-mail that analytics.desk.access returned. Everyone else gets
the public columns (analytics.cluster.suppliers), on screen and in downloads.
"""

from datetime import date

import pandas as pd
import streamlit as st

from analytics import cluster, exports
from analytics.db import query
from analytics.desk import cluster as desk_cluster
from analytics.desk import say
from analytics.i18n import pick
from etl.template import municipality_names

KIND = "suppliers"


def private_roster(editor: str) -> dict[str, pd.DataFrame]:
    """The roster with RFC, customers, contact, e-mail, phone and notes, and the milestones with
    their evidence: only for a signed-in editor."""
    if not (isinstance(editor, str) and "@" in editor):
        raise PermissionError("the roster's private fields are for signed-in editors only")
    return {
        "proveedores": query(
            """
            SELECT s.supplier_id, s.name, p.rfc, s.municipality, s.size,
                   array_to_string(s.processes, '; ') AS processes, p.customers, p.contact_name,
                   p.email, p.phone, s.enrolled_on, s.certified_on, s.status, p.notes
            FROM suppliers s LEFT JOIN supplier_private p USING (supplier_id) ORDER BY s.name
            """
        ),
        "hitos": query(
            """
            SELECT m.supplier_id, s.name, m.area, m.step, m.done_on, m.evidence
            FROM supplier_milestones m JOIN suppliers s USING (supplier_id)
            ORDER BY s.name, m.done_on
            """
        ),
    }


def _lang() -> str:
    from analytics import ui

    return ui.context().lang


def _options(kind: str) -> dict[str, str]:
    return {code: pick(pair, _lang()) for code, pair in cluster.labels(kind).items()}


def section(editor: str | None) -> None:
    st.markdown(
        say(
            "El padrón del programa de desarrollo de proveedores y su avance. La plantilla trae "
            "las hojas «Proveedores» e «Hitos»; un archivo vuelto a cargar actualiza lo que "
            "cambió (queda en el historial) y una celda vacía nunca borra un dato. RFC, clientes, "
            "contacto, correo, teléfono, notas y evidencias solo los ven los editores con sesión.",
            "The supplier development programme's roster and progress. The template has the "
            "sheets «Proveedores» and «Hitos»; a file loaded again updates what changed (kept in "
            "the history) and an empty cell never erases a value. RFC, customers, contact, "
            "e-mail, phone, notes and evidence are seen only by signed-in editors.",
        )
    )
    desk_cluster.template_button(
        KIND,
        ("Plantilla del padrón (XLSX)", "Roster template (XLSX)"),
        "plantilla_proveedores.xlsx",
    )
    roster = cluster.suppliers()
    if editor:
        desk_cluster.upload(KIND, editor, ("Archivo del padrón", "Roster file"))
        _forms(editor, roster)
        private = private_roster(editor)
        st.subheader(say("Padrón completo (solo editores)", "Full roster (editors only)"))
        desk_cluster.table(private["proveedores"], "desk_private_roster")
        st.download_button(
            say(
                "Padrón completo con datos privados (XLSX)", "Full roster with private data (XLSX)"
            ),
            data=exports.xlsx_bytes(private),
            file_name="padron_proveedores_privado.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/lock:",
            key="desk_private_roster_xlsx",
        )
    public = roster[list(cluster.PUBLIC_SUPPLIER_COLUMNS)].assign(
        processes=[", ".join(cluster.items(p)) for p in roster["processes"]]
    )
    desk_cluster.csv_button(
        public,
        ("Padrón público (CSV)", "Public roster (CSV)"),
        "padron_proveedores.csv",
        "desk_public_roster",
    )
    history = desk_cluster.changes_of(("suppliers", "supplier_milestones"))
    if not history.empty:
        with st.expander(say("Historial de cambios del padrón", "Roster change history")):
            desk_cluster.table(history, "desk_roster_changes")


def _forms(editor: str, roster: pd.DataFrame) -> None:
    sizes, areas, steps = _options("size"), _options("area"), _options("step")
    processes = {code: pick(pair, _lang()) for code, pair in cluster.process_labels().items()}
    names = sorted(roster["name"])
    with (
        st.expander(say("Agregar o actualizar un proveedor", "Add or update a supplier")),
        st.form("desk_form_supplier", clear_on_submit=True),
    ):
        left, right = st.columns(2)
        name = left.text_input(say("Proveedor (razón social)", "Supplier (legal name)"))
        rfc = right.text_input("RFC")
        municipality = left.selectbox(say("Municipio", "Municipality"), ["", *municipality_names()])
        size = right.selectbox(
            say("Tamaño", "Size"), ["", *sizes], format_func=lambda c: sizes.get(c, "")
        )
        chosen = st.multiselect(
            say("Procesos", "Processes"), list(processes), format_func=processes.get
        )
        customers = st.text_input(say("Clientes principales", "Main customers"))
        contact = left.text_input(say("Contacto", "Contact"))
        email = right.text_input(say("Correo", "E-mail"))
        phone = left.text_input(say("Teléfono", "Phone"))
        enrolled = right.date_input(
            say("Fecha de inscripción", "Enrolment date"),
            value=None,
            max_value=date.today(),
            format="YYYY-MM-DD",
        )
        notes = st.text_area(say("Notas", "Notes"))
        if st.form_submit_button(say("Guardar proveedor", "Save supplier"), type="primary"):
            row = {
                "Proveedor": name,
                "RFC": rfc,
                "Municipio": municipality,
                "Tamaño": sizes.get(size, ""),
                "Procesos": "; ".join(processes[p] for p in chosen),
                "Clientes": customers,
                "Contacto": contact,
                "Correo": email,
                "Teléfono": phone,
                "Fecha de inscripción": enrolled.isoformat() if enrolled else "",
                "Notas": notes,
            }
            desk_cluster.submit_form(KIND, "formulario_proveedor", row, editor)
    if not names:
        return
    with (
        st.expander(say("Registrar un hito", "Record a milestone")),
        st.form("desk_form_milestone", clear_on_submit=True),
    ):
        supplier = st.selectbox(say("Proveedor", "Supplier"), names)
        left, right = st.columns(2)
        area = left.selectbox(say("Área", "Area"), list(areas), format_func=areas.get)
        step = right.selectbox(say("Paso", "Step"), list(steps), format_func=steps.get)
        done_on = left.date_input(
            say("Fecha", "Date"),
            value=date.today(),
            max_value=date.today(),
            format="YYYY-MM-DD",
        )
        evidence = right.text_input(
            say("Evidencia (URL o documento)", "Evidence (URL or document)")
        )
        if st.form_submit_button(say("Guardar hito", "Save milestone"), type="primary"):
            row = {
                "Proveedor": supplier,
                "Área": areas[area],
                "Paso": steps[step],
                "Fecha": done_on.isoformat(),
                "Evidencia": evidence,
            }
            desk_cluster.submit_form(KIND, "formulario_hito", row, editor)
    with (
        st.expander(say("Otorgar el distintivo", "Grant the seal")),
        st.form("desk_form_seal", clear_on_submit=True),
    ):
        supplier = st.selectbox(say("Proveedor", "Supplier"), names, key="desk_seal_supplier")
        sealed = st.date_input(
            say("Fecha del distintivo", "Seal date"),
            value=date.today(),
            max_value=date.today(),
            format="YYYY-MM-DD",
        )
        if st.form_submit_button(say("Guardar distintivo", "Save seal"), type="primary"):
            row = {"Proveedor": supplier, "Fecha del distintivo": sealed.isoformat()}
            desk_cluster.submit_form(KIND, "formulario_distintivo", row, editor)
