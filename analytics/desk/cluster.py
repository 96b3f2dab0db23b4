"""The data desk's cluster part: the supplier roster, the committees' actions, company aliases and
park coordinates, one tab each. Files go through the same readers as `python -m etl suppliers` and
`python -m etl actions` (preview, then confirm); a form entry is a one-row file of the same shape,
kept in the journal like any other. Writing needs a signed-in editor (analytics.desk.access)."""

import hashlib

import pandas as pd
import streamlit as st

from analytics import exports, ui
from analytics.db import query, warehouse_path
from analytics.desk import literal, plain, say
from analytics.i18n import fmt_number
from etl.cluster.kinds import SheetOutcome
from etl.cluster.sheet_intake import form_csv
from etl.cluster.writes import load_file, validate_file
from etl.load import safe_file_name, staged_upload
from etl.sheets import MAX_FILE_BYTES, FileUnusable
from etl.warehouse import resolve_raw

MAX_UPLOAD_MB = MAX_FILE_BYTES // (1024 * 1024)


def section(editor: str | None) -> None:
    from analytics.desk import actions, reference, suppliers

    st.header(say("El clúster", "The cluster"))
    tabs = st.tabs(
        [
            say("Padrón de proveedores", "Supplier roster"),
            say("Acuerdos de comités", "Committee actions"),
            say("Alias de empresas y parques", "Company aliases and parks"),
        ]
    )
    with tabs[0]:
        suppliers.section(editor)
    with tabs[1]:
        actions.section(editor)
    with tabs[2]:
        reference.section(editor)


def _lang() -> str:
    return ui.context().lang


def _outcome_text(outcome: SheetOutcome) -> str:
    return plain("\n".join(outcome.report(_lang(), loaded=outcome.load_id is not None)))


def show_outcome(outcome: SheetOutcome) -> None:
    """Counts, notes, and every reject with its row, column, value and reason (editors only)."""
    ui.kpis(
        [
            (say("Filas leídas", "Rows read"), fmt_number(outcome.file.rows_read, _lang()), None),
            (say("Válidas", "Valid"), fmt_number(outcome.rows_loaded, _lang()), None),
            (say("Rechazadas", "Rejected"), fmt_number(outcome.rows_rejected, _lang()), None),
        ]
    )
    for line in outcome.report(_lang(), loaded=False)[1:]:
        if not line.startswith("  ") and line not in ("Rechazos:", "Rejects:"):
            st.caption(plain(line))
    rejects = outcome.file.rejects
    if not rejects.empty:
        reason = "reason" if _lang() == "es" else "reason_en"
        st.dataframe(
            pd.DataFrame(
                {
                    say("Hoja", "Sheet"): rejects["sheet"].fillna(""),
                    say("Fila", "Row"): rejects["row_number"],
                    say("Columna", "Column"): rejects["column"],
                    say("Valor", "Value"): rejects["value"],
                    say("Motivo", "Reason"): rejects[reason],
                }
            ),
            hide_index=True,
            width="stretch",
            key=f"cluster_rejects_{outcome.kind}",
        )


def upload(kind: str, editor: str, label: tuple[str, str]) -> None:
    """Upload a file of this kind: preview (nothing written), then load on confirmation."""
    done = st.session_state.pop(f"cluster_done_{kind}", None)
    if done:
        st.success(done, icon=":material/check_circle:")
    round_ = st.session_state.get(f"cluster_round_{kind}", 0)
    uploaded = st.file_uploader(
        say(f"{label[0]} (CSV o XLSX, hasta {MAX_UPLOAD_MB} MB)",
            f"{label[1]} (CSV or XLSX, up to {MAX_UPLOAD_MB} MB)"),
        type=["csv", "xlsx"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"cluster_upload_{kind}_{round_}",
    )  # fmt: skip
    if uploaded is None:
        return
    try:
        name = safe_file_name(uploaded.name)
    except ValueError:
        st.error(say("Solo se aceptan archivos .csv o .xlsx.", "Only .csv or .xlsx files."))
        return
    data = uploaded.getvalue()
    key = (kind, hashlib.sha256(data).hexdigest())
    cached = st.session_state.get("cluster_preview")
    if not cached or cached[0] != key:
        try:
            with staged_upload(name, data, warehouse_path()) as path:
                cached = (key, validate_file(path, warehouse_path(), kind, resolve_raw()))
        except FileUnusable as exc:
            cached = (key, exc)
        st.session_state["cluster_preview"] = cached
    outcome = cached[1]
    st.subheader(say(f"Vista previa: {literal(name)}", f"Preview: {literal(name)}"))
    if isinstance(outcome, FileUnusable):
        st.error(plain(outcome.es if _lang() == "es" else outcome.en), icon=":material/error:")
        return
    show_outcome(outcome)
    if outcome.already_loaded:
        st.warning(say("Este archivo ya se cargó: cargarlo otra vez no agregaría nada.",
                       "This file was already loaded: loading it again would add nothing."))  # fmt: skip
        return
    if outcome.rows_loaded == 0:
        st.warning(say("No hay filas válidas que cargar.", "There are no valid rows to load."))
        return
    if st.button(
        say(f"Cargar {fmt_number(outcome.rows_loaded, _lang())} filas válidas",
            f"Load {fmt_number(outcome.rows_loaded, _lang())} valid rows"),
        type="primary",
        icon=":material/upload:",
        key=f"cluster_confirm_{kind}",
    ):  # fmt: skip
        write(kind, name, data, editor)


def write(kind: str, name: str, data: bytes, editor: str, rerun: bool = True) -> None:
    """Load the bytes as the editor; on success, say so (after the rerun)."""
    try:
        with staged_upload(name, data, warehouse_path()) as path:
            outcome = load_file(path, warehouse_path(), kind, resolve_raw(), loaded_by=editor)
    except FileUnusable as exc:
        st.error(plain(exc.es if _lang() == "es" else exc.en), icon=":material/error:")
        return
    done = st.session_state.get(f"cluster_done_{kind}")
    st.session_state[f"cluster_done_{kind}"] = "\n\n".join(
        filter(None, [done, _outcome_text(outcome)])
    )
    st.session_state[f"cluster_round_{kind}"] = st.session_state.get(f"cluster_round_{kind}", 0) + 1
    st.session_state.pop("cluster_preview", None)
    if rerun:
        st.rerun()


def submit_form(kind: str, form_name: str, row: dict, editor: str, rerun: bool = True) -> None:
    """A form entry: checked as its file would be; loaded only when it has no reject."""
    data = form_csv(row)
    name = safe_file_name(f"{form_name}.csv")
    try:
        with staged_upload(name, data, warehouse_path()) as path:
            outcome = validate_file(path, warehouse_path(), kind, resolve_raw())
    except FileUnusable as exc:
        st.error(plain(exc.es if _lang() == "es" else exc.en), icon=":material/error:")
        return
    if outcome.rows_rejected:
        show_outcome(outcome)
        st.error(say("No se guardó: corrija lo indicado.", "Not saved: fix what is shown."))
        return
    if outcome.already_loaded:
        st.info(say("Eso ya estaba registrado.", "That was already recorded."))
        return
    write(kind, name, data, editor, rerun)


def template_button(kind: str, label: tuple[str, str], file_name: str) -> None:
    st.download_button(
        say(*label),
        data=_template(kind),
        file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key=f"cluster_template_{kind}",
    )


@st.cache_data(show_spinner=False)
def _template(kind: str) -> bytes:
    from etl.cluster.templates import template_bytes

    return template_bytes(kind)


def csv_button(frame: pd.DataFrame, label: tuple[str, str], file_name: str, key: str) -> None:
    st.download_button(
        say(*label),
        data=exports.csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=key,
    )


# Column names of the cluster's desk tables, as a clerk reads them.
HEADERS = {
    "alias": ("Alias (como aparece)", "Alias (as written)"),
    "company": ("Empresa", "Company"),
    "reason": ("Motivo", "Reason"),
    "source_url": ("Fuente", "Source"),
    "load_id": ("Carga", "Load"),
    "park_id": ("Clave", "Key"),
    "name": ("Nombre", "Name"),
    "municipality": ("Municipio", "Municipality"),
    "lat": ("Latitud", "Latitude"),
    "lon": ("Longitud", "Longitude"),
    "supplier_id": ("Clave", "Key"),
    "rfc": ("RFC", "RFC"),
    "size": ("Tamaño", "Size"),
    "processes": ("Procesos", "Processes"),
    "customers": ("Clientes", "Customers"),
    "contact_name": ("Contacto", "Contact"),
    "email": ("Correo", "E-mail"),
    "phone": ("Teléfono", "Phone"),
    "enrolled_on": ("Inscripción", "Enrolled"),
    "certified_on": ("Distintivo", "Seal"),
    "status": ("Estatus", "Status"),
    "notes": ("Notas", "Notes"),
    "entity": ("Tabla", "Table"),
    "entity_id": ("Registro", "Record"),
    "field": ("Campo", "Field"),
    "old_value": ("Antes", "Before"),
    "new_value": ("Después", "After"),
    "note": ("Nota", "Note"),
    "changed_by": ("Quién", "Who"),
    "changed_at": ("Cuándo", "When"),
}


def table(frame: pd.DataFrame, key: str) -> None:
    """A desk table with its columns named in the page's language (user text shown as written)."""
    shown = frame.rename(columns={c: say(*HEADERS[c]) for c in frame.columns if c in HEADERS})
    st.dataframe(shown, hide_index=True, width="stretch", key=key)


def changes_of(entities: tuple[str, ...]) -> pd.DataFrame:
    """The change log of these tables (public_changes: never the roster's private fields)."""
    return query(
        "SELECT entity, entity_id, field, old_value, new_value, source_url, note, changed_by, "
        "changed_at FROM public_changes WHERE list_contains($entities, entity) "
        "ORDER BY change_id DESC",
        {"entities": list(entities)},
    )
