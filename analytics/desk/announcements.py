"""The data desk's announcements: upload a file (preview, then confirm), the load history, and
downloads. The upload goes through the same intake as `python -m etl append`; nothing is written
until the user confirms. User text (file names, cells, e-mails) is shown as escaped text or inside
tables, never as HTML.
"""

import hashlib

import pandas as pd
import streamlit as st

from analytics import exports, ui
from analytics.db import warehouse_path
from analytics.desk import (
    confirmed_load,
    finish,
    flags_text,
    literal,
    plain,
    round_of,
    say,
    show_done,
)
from analytics.i18n import fmt_date, fmt_number, t
from etl.load import append, safe_file_name, staged_upload, validate
from etl.sheets import MAX_FILE_BYTES, FileUnusable
from etl.template import template_bytes
from etl.warehouse import resolve_raw

MAX_UPLOAD_MB = MAX_FILE_BYTES // (1024 * 1024)
TABLE_ROWS = 1000  # rows shown on screen; downloads hold them all


def _lang() -> str:
    return ui.context().lang


# ---------------------------------------------------------------- upload: preview, then confirm


def _rejects_table(rejects: pd.DataFrame) -> pd.DataFrame:
    shown = rejects.sort_values(["row_number", "column"], kind="stable")
    return exports.localized_rejects(shown, _lang())


def _describe(row) -> str:
    """One announcement in a line: company · municipality · date · amount."""
    amount = row.get("amount_musd")
    parts = [
        str(row.get("company")),
        str(row.get("municipality") or t("unknown", _lang())),
        fmt_date(row.get("announced_date"), row.get("date_precision"), _lang()),
        "–" if pd.isna(amount) else f"{fmt_number(amount, _lang(), 1)} MDD",
    ]
    return " · ".join(parts)


def _flagged_table(outcome) -> pd.DataFrame:
    """Loaded-but-flagged rows, each with the row it resembles (in the warehouse or the file)."""
    flagged = outcome.flagged
    ids = [i for i in flagged["possible_duplicate_of"].dropna()]
    known = exports.announcements_by_id(ids).set_index("announcement_id") if ids else None
    in_file = outcome.result.valid.set_index("announcement_id")
    resembles = []
    for row in flagged.itertuples():
        other = row.possible_duplicate_of
        if not isinstance(other, str):
            resembles.append("")
        elif known is not None and other in known.index:
            o = known.loc[other]
            resembles.append(
                _describe(o.to_dict())
                + say(
                    f" (carga {o['load_id']}, fila {o['source_row']})",
                    f" (load {o['load_id']}, row {o['source_row']})",
                )
            )
        elif other in in_file.index:
            o = in_file.loc[other]
            resembles.append(
                say(
                    f"fila {o['source_row']} de este archivo: ",
                    f"row {o['source_row']} of this file: ",
                )
                + _describe(o.to_dict())
            )
        else:
            resembles.append(other)
    flags = [  # an uncertain value says what it was read as
        flags_text(f, _lang()) + (f" ({n})" if isinstance(n, str) else "")
        for f, n in zip(flagged["review_flags"], flagged["review_notes"], strict=True)
    ]
    return pd.DataFrame(
        {
            say("Fila", "Row"): flagged["source_row"],
            t("company", _lang()): flagged["company"],
            t("municipality", _lang()): flagged["municipality"],
            t("date", _lang()): [
                fmt_date(d, p, _lang())
                for d, p in zip(flagged["announced_date"], flagged["date_precision"], strict=True)
            ],
            t("amount_musd", _lang()): flagged["amount_musd"].round(1),
            say("Motivo de revisión", "Review reason"): flags,
            say("Se parece a", "Resembles"): resembles,
        }
    )


def preview(name: str, data: bytes):
    """Validate the upload (nothing written) and remember the outcome for this content."""
    key = (hashlib.sha256(data).hexdigest(), name)
    cached = st.session_state.get("desk_preview")
    if cached and cached[0] == key:
        return cached[1]
    try:
        with staged_upload(name, data, warehouse_path()) as path:
            outcome = validate(path, warehouse_path(), resolve_raw())
    except FileUnusable as exc:
        outcome = exc
    st.session_state["desk_preview"] = (key, outcome)
    return outcome


def show_preview(name: str, data: bytes, editor: str) -> None:
    safe_name = safe_file_name(name)
    st.subheader(say(f"Vista previa: {literal(safe_name)}", f"Preview: {literal(safe_name)}"))
    with st.spinner(say("Revisando el archivo…", "Checking the file…")):
        outcome = preview(name, data)
    if isinstance(outcome, FileUnusable):
        st.error(
            plain(outcome.es if _lang() == "es" else outcome.en)
            + "\n\n"
            + say("No se cargará nada de este archivo.", "Nothing from this file will be loaded."),
            icon=":material/error:",
        )
        return
    r = outcome.result
    ui.kpis(
        [
            (say("Filas leídas", "Rows read"), fmt_number(r.rows_read, _lang()), None),
            (say("Válidas", "Valid"), fmt_number(outcome.rows_loaded, _lang()), None),
            (say("Rechazadas", "Rejected"), fmt_number(outcome.rows_rejected, _lang()), None),
            (say("Para revisión", "Flagged"), fmt_number(len(outcome.flagged), _lang()), None),
        ]
    )
    details = [
        say(f"Encabezados en la fila {r.header_row}", f"Headers in row {r.header_row}")
        + (say(f", hoja «{r.sheet}»", f", sheet '{r.sheet}'") if r.sheet else "")
        + "."
    ]
    details += [es if _lang() == "es" else en for es, en in r.notes]
    if r.unused_columns:
        details.append(
            say("Columnas no usadas: ", "Columns not used: ") + ", ".join(r.unused_columns)
        )
    for line in details:
        st.caption(plain(line))

    if not outcome.rejects.empty:
        st.markdown(
            say(
                "**Filas rechazadas** (no se cargarán; una fila con cualquier problema se rechaza "
                "completa):",
                "**Rejected rows** (they will not be loaded; a row with any problem is rejected "
                "whole):",
            )
        )
        table = _rejects_table(outcome.rejects)
        st.dataframe(table.head(TABLE_ROWS), hide_index=True, width="stretch", key="desk_rejects")
        if len(table) > TABLE_ROWS:
            st.caption(
                say(
                    f"Se muestran {TABLE_ROWS:,} de {len(table):,}; el CSV las tiene todas.",
                    f"Showing {TABLE_ROWS:,} of {len(table):,}; the CSV has them all.",
                )
            )
        for es, en in r.accepted:  # the accepted values, once (not in every rejected row)
            st.caption(plain(es if _lang() == "es" else en))
        st.download_button(
            say("Descargar rechazos (CSV)", "Download rejects (CSV)"),
            data=exports.csv_bytes(table),
            file_name=f"{safe_name.rsplit('.', 1)[0]}.rechazos.csv",
            mime="text/csv",
            icon=":material/download:",
            key="desk_preview_rejects",
        )
    if not outcome.flagged.empty:
        st.markdown(
            say(
                "**Se cargarán marcadas para revisión** (sospecha de duplicado: misma empresa y "
                "municipio, monto parecido y fechas cercanas; o monto fuera de rango):",
                "**Will be loaded flagged for review** (suspected duplicate: same company and "
                "municipality, similar amount and close dates; or an amount out of range):",
            )
        )
        st.dataframe(
            _flagged_table(outcome).head(TABLE_ROWS),
            hide_index=True,
            width="stretch",
            key="desk_flagged",
        )

    earlier = exports.loads_of_file(r.sha256)
    if not earlier.empty:
        first = earlier.iloc[0]
        st.warning(
            say(
                f"Este archivo ya se cargó (carga {first['load_id']}, "
                f"{first['finished_at']:%Y-%m-%d %H:%M}). Cargarlo otra vez no agregaría nada.",
                f"This file was already loaded (load {first['load_id']}, "
                f"{first['finished_at']:%Y-%m-%d %H:%M}). Loading it again would add nothing.",
            ),
            icon=":material/content_copy:",
        )
        return
    n = outcome.rows_loaded
    if n == 0:
        st.warning(
            say("No hay filas válidas que cargar.", "There are no valid rows to load."),
            icon=":material/warning:",
        )
        return
    if st.button(
        say(
            f"Cargar {fmt_number(n, _lang())} filas válidas",
            f"Load {fmt_number(n, _lang())} valid rows",
        ),
        type="primary",
        icon=":material/upload:",
        key="desk_confirm",
    ):
        load(name, data, editor)


def load(name: str, data: bytes, editor: str) -> None:
    """Append the confirmed upload as the signed-in editor, then reset the uploader."""
    outcome = confirmed_load(
        name, data, lambda path: append(path, warehouse_path(), resolve_raw(), loaded_by=editor)
    )
    if outcome is None:
        return
    if outcome.load_id is None:
        message = say("No se agregó nada.", "Nothing was added.")
    else:
        message = say(
            f"Carga {outcome.load_id}: {fmt_number(outcome.rows_loaded, _lang())} filas cargadas, "
            f"{fmt_number(outcome.rows_rejected, _lang())} rechazadas, "
            f"{fmt_number(len(outcome.flagged), _lang())} para revisión.",
            f"Load {outcome.load_id}: {fmt_number(outcome.rows_loaded, _lang())} rows loaded, "
            f"{fmt_number(outcome.rows_rejected, _lang())} rejected, "
            f"{fmt_number(len(outcome.flagged), _lang())} flagged for review.",
        )
    finish("desk", message, pending="desk_preview")


def upload_section(editor: str) -> None:
    show_done("desk")
    uploaded = st.file_uploader(
        say(
            f"Archivo de anuncios (CSV o XLSX, hasta {MAX_UPLOAD_MB} MB)",
            f"Announcements file (CSV or XLSX, up to {MAX_UPLOAD_MB} MB)",
        ),
        type=["csv", "xlsx"],
        max_upload_size=MAX_UPLOAD_MB,
        help=say(
            "Se revisa igual que con `python -m etl append`. Nada se escribe hasta que confirme.",
            "Checked exactly as `python -m etl append` does. Nothing is written until you confirm.",
        ),
        key=f"desk_upload_{round_of('desk')}",
    )
    if uploaded is None:
        return
    try:
        safe_file_name(uploaded.name)
    except ValueError:
        st.error(say("Solo se aceptan archivos .csv o .xlsx.", "Only .csv or .xlsx files."))
        return
    show_preview(uploaded.name, uploaded.getvalue(), editor)


# ---------------------------------------------------------------- history and downloads


def history_section() -> None:
    st.header(say("Historial de cargas", "Load history"))
    history = exports.load_history()
    kinds = {"build": say("construcción", "build"), "append": say("agregado", "append"),
             "corrections": say("correcciones", "corrections"),
             # official releases (etl/official)
             "fdi_release": say("publicación de IED (SE)", "FDI release (SE)"),
             "exports_etef": say("exportaciones (INEGI, ETEF)", "exports (INEGI, ETEF)"),
             "jobs_imss": say("empleo (IMSS)", "jobs (IMSS)"),
             # the cluster's journal kinds (etl/cluster/kinds.py)
             "suppliers": say("padrón de proveedores", "supplier roster"),
             "actions": say("acuerdos", "committee actions"),
             "company_aliases": say("alias de empresas", "company aliases"),
             "park_coordinates": say("coordenadas de parques", "park coordinates")}  # fmt: skip
    st.dataframe(
        pd.DataFrame(
            {
                say("Carga", "Load"): history["load_id"],
                say("Tipo", "Kind"): history["kind"].map(lambda k: kinds.get(k, k)),
                say("Archivo", "File"): history["file_name"],
                say("Cargado por", "Loaded by"): history["loaded_by"],
                say("Fin", "Finished"): history["finished_at"],
                say("Leídas", "Read"): history["rows_read"],
                say("Cargadas", "Loaded"): history["rows_loaded"],
                say("Rechazadas", "Rejected"): history["rows_rejected"],
                say("Para revisión", "Flagged"): history["rows_flagged"],
                "SHA-256": history["sha256"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="desk_history",
        column_config={
            say("Fin", "Finished"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        },
    )
    st.download_button(
        say("Descargar historial (CSV)", "Download history (CSV)"),
        data=exports.csv_bytes(history),
        file_name="historial_de_cargas.csv",
        mime="text/csv",
        icon=":material/download:",
        key="desk_history_csv",
    )
    with_rejects = history[history["rows_rejected"] > 0]
    if with_rejects.empty:
        st.caption(say("Ninguna carga tiene rechazos.", "No load has rejects."))
        return
    labels = {
        int(r.load_id): say(
            f"Carga {r.load_id} · {r.file_name} · {r.rows_rejected:,} filas rechazadas",
            f"Load {r.load_id} · {r.file_name} · {r.rows_rejected:,} rows rejected",
        )
        for r in with_rejects.itertuples()
    }
    chosen = st.selectbox(
        say("Rechazos de la carga", "Rejects of load"),
        options=list(labels),
        format_func=labels.get,
        key="desk_load",
    )
    rejects = exports.load_rejects(chosen, _lang())
    st.dataframe(rejects.head(TABLE_ROWS), hide_index=True, width="stretch", key="desk_load_rej")
    st.download_button(
        say(
            f"Descargar rechazos de la carga {chosen} (CSV)",
            f"Download rejects of load {chosen} (CSV)",
        ),
        data=exports.csv_bytes(rejects),
        file_name=f"rechazos_carga_{chosen}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="desk_load_csv",
    )


@st.cache_data(show_spinner=False)
def _template() -> bytes:
    return template_bytes()


def downloads_section() -> None:
    st.header(say("Descargas", "Downloads"))
    st.markdown(
        say(
            "La tabla completa de anuncios, con todas sus columnas (descritas en el README). En "
            "los archivos, el texto que una hoja de cálculo ejecutaría como fórmula (empieza con "
            "=, +, - o @) lleva un apóstrofo al inicio.",
            "The whole announcements table, every column (described in the README). Text that a "
            "spreadsheet would run as a formula (starting with =, +, - or @) is prefixed with an "
            "apostrophe in these files.",
        )
    )
    left, middle, right = st.columns(3)
    with left:
        st.download_button(
            say("Anuncios (CSV)", "Announcements (CSV)"),
            data=exports.announcements_csv,
            file_name="anuncios.csv",
            mime="text/csv",
            icon=":material/download:",
            key="desk_ann_csv",
        )
    with middle:
        st.download_button(
            say("Anuncios (XLSX)", "Announcements (XLSX)"),
            data=exports.announcements_xlsx,
            file_name="anuncios.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            key="desk_ann_xlsx",
        )
    with right:
        st.download_button(
            say("Plantilla para nuevos anuncios (XLSX)", "Template for new announcements (XLSX)"),
            data=_template(),
            file_name="plantilla_anuncios.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table_view:",
            key="desk_template",
        )
    st.caption(
        say(
            "La plantilla trae los encabezados en español, una fila de ejemplo (su empresa empieza "
            "con «EJEMPLO:» y nunca se carga) y la hoja «Valores aceptados» con sectores, niveles, "
            "tipos de evento, estatus, municipios y monedas.",
            "The template has the Spanish headers, one example row (its company starts with "
            "'EJEMPLO:' and it is never loaded) and a 'Valores aceptados' sheet with the accepted "
            "sectors, tiers, event types, statuses, municipalities and currencies.",
        )
    )
