"""The data desk's official releases: upload SE's workbook, INEGI's ETEF or IMSS's jobs, preview
what was recognised (series, cut-off, states, quarters), confirm, and the releases loaded so far.
The upload goes through the same reader and journal as `python -m etl official`; nothing is
written until the editor confirms. User text is shown escaped, never as HTML.
"""

import hashlib

import pandas as pd
import streamlit as st

from analytics import exports, official, ui
from analytics.db import query, warehouse_path
from analytics.desk import confirmed_load, finish, literal, plain, round_of, say, show_done
from analytics.i18n import fmt_number, pick
from etl.load import safe_file_name, staged_upload
from etl.official.commands import KIND_NAMES, check_official, load_official
from etl.official.se_release import SERIES_NAMES
from etl.sheets import MAX_FILE_BYTES, FileUnusable
from etl.warehouse import resolve_raw

MAX_UPLOAD_MB = MAX_FILE_BYTES // (1024 * 1024)
AUTOMATIC = "auto"


def _lang() -> str:
    return ui.context().lang


def _series_choice() -> str | None:
    # The labels are worked out now: the widget also calls format_func outside this run.
    labels = {
        AUTOMATIC: say("la que diga el archivo", "as the file says"),
        **{s: pick(names, _lang()) for s, names in SERIES_NAMES.items()},
    }
    choice = st.radio(
        say("Serie (solo libros de la SE)", "Series (SE workbooks only)"),
        options=list(labels),
        format_func=labels.get,
        horizontal=True,
        key="desk_official_series",
        help=say(
            "La SE marca la serie en el título o en el nombre del archivo («orig», «OR», «actu»); "
            "si no la marca, elíjala aquí.",
            "SE marks the series in the title or the file name ('orig', 'OR', 'actu'); when it "
            "does not, choose it here.",
        ),
    )
    return None if choice == AUTOMATIC else choice


def preview(name: str, data: bytes, series: str | None):
    """Read the upload (nothing written) and remember the outcome for this content and series."""
    key = (hashlib.sha256(data).hexdigest(), name, series)
    cached = st.session_state.get("desk_official_preview")
    if cached and cached[0] == key:
        return cached[1]
    try:
        with staged_upload(name, data, warehouse_path()) as path:
            outcome = check_official(path, warehouse_path(), resolve_raw(), series)
    except FileUnusable as exc:
        outcome = exc
    st.session_state["desk_official_preview"] = (key, outcome)
    return outcome


def _describe(outcome) -> list[tuple[str, str]]:
    """(what, value) lines of what the file holds, in the reader's words."""
    s, lang = outcome.summary, _lang()
    lines = [(say("Tipo de archivo", "Kind of file"), pick(KIND_NAMES[outcome.kind], lang))]
    if outcome.kind == "fdi_release":
        (y0, q0), (y1, q1) = s["first_quarter"], s["last_quarter"]
        lines += [
            (say("Serie", "Series"), f"{pick(SERIES_NAMES[s['series']], lang)} "
                                     f"({pick(s['series_source'], lang)})"),
            (say("Corte", "Cut-off"), official.cut_off_text(s["cut_off"], lang)),
            (say("Entidades", "States"), say(f"{s['states']} y el total nacional",
                                             f"{s['states']} and the national total")
             if s["national"] else str(s["states"])),
            (say("Trimestres", "Quarters"), f"{y0} T{q0} – {y1} T{q1}" if lang == "es"
             else f"{y0} Q{q0} – {y1} Q{q1}"),
            (say("Hojas", "Sheets"), ", ".join(literal(n) for n in s["sheets"].values())),
        ]  # fmt: skip
    else:
        first, last = s["first"], s["last"]
        lines += [
            (say("Corte", "Cut-off"), official.cut_off_text(s["cut_off"], lang)),
            (say("Periodos", "Periods"), f"{first[0]}-{first[1]:02d} – {last[0]}-{last[1]:02d}"),
            (say("Filas de otras entidades (no se guardan)", "Rows of other states (not kept)"),
             fmt_number(s["skipped"], lang)),
        ]  # fmt: skip
    lines.append((say("Publicación", "Release"), literal(s["release_id"])))
    return lines


def show_preview(name: str, data: bytes, series: str | None, editor: str) -> None:
    safe_name = safe_file_name(name)
    st.subheader(say(f"Vista previa: {literal(safe_name)}", f"Preview: {literal(safe_name)}"))
    with st.spinner(say("Revisando el archivo…", "Checking the file…")):
        outcome = preview(name, data, series)
    if isinstance(outcome, FileUnusable):
        st.error(
            plain(outcome.es if _lang() == "es" else outcome.en)
            + "\n\n"
            + say("No se cargará nada de este archivo.", "Nothing from this file will be loaded."),
            icon=":material/error:",
        )
        return
    for what, value in _describe(outcome):
        st.markdown(f"**{what}:** {value}")
    ui.kpis(
        [
            (say("Líneas leídas", "Lines read"), fmt_number(outcome.rows_read, _lang()), None),
            (say("Válidas", "Valid"), fmt_number(outcome.rows_loaded, _lang()), None),
            (say("Rechazadas", "Rejected"), fmt_number(outcome.rows_rejected, _lang()), None),
        ]
    )
    for es, en in outcome.notes:
        st.caption(plain(es if _lang() == "es" else en))
    if not outcome.rejects.empty:
        st.markdown(say("**Líneas rechazadas** (no se cargarán):",
                        "**Rejected lines** (they will not be loaded):"))  # fmt: skip
        st.dataframe(
            exports.localized_rejects(outcome.rejects, _lang()).head(1000),
            hide_index=True,
            width="stretch",
            key="desk_official_rejects",
        )
    if outcome.already_loaded:
        prior = outcome.already_loaded
        st.warning(
            say(
                f"Este archivo ya se cargó (publicación {literal(prior['release_id'])}, "
                f"{prior['finished_at']:%Y-%m-%d %H:%M}). Cargarlo otra vez no agregaría nada.",
                f"This file was already loaded (release {literal(prior['release_id'])}, "
                f"{prior['finished_at']:%Y-%m-%d %H:%M}). Loading it again would add nothing.",
            ),
            icon=":material/content_copy:",
        )
        return
    if st.button(
        say("Cargar esta publicación", "Load this release"),
        type="primary",
        icon=":material/upload:",
        key="desk_official_confirm",
    ):
        load(name, data, series, editor)


def load(name: str, data: bytes, series: str | None, editor: str) -> None:
    """Load the confirmed upload as the signed-in editor, then reset the uploader."""
    outcome = confirmed_load(
        name,
        data,
        lambda path: load_official(path, warehouse_path(), resolve_raw(), series, editor),
    )
    if outcome is None:
        return
    if outcome.load_id is None:
        message = say("No se agregó nada.", "Nothing was added.")
    else:
        message = say(
            f"Carga {outcome.load_id}: publicación {outcome.release_id}, "
            f"{fmt_number(outcome.rows_loaded, _lang())} líneas cargadas, "
            f"{fmt_number(outcome.rows_rejected, _lang())} rechazadas.",
            f"Load {outcome.load_id}: release {outcome.release_id}, "
            f"{fmt_number(outcome.rows_loaded, _lang())} lines loaded, "
            f"{fmt_number(outcome.rows_rejected, _lang())} rejected.",
        )
    finish("desk_official", message, pending="desk_official_preview")


def upload_section(editor: str) -> None:
    show_done("desk_official")
    series = _series_choice()
    uploaded = st.file_uploader(
        say(
            "Libro de IED por entidad de la SE (XLSX), ETEF del INEGI (CSV) o serie estatal de "
            f"empleo del IMSS (CSV), hasta {MAX_UPLOAD_MB} MB",
            "SE's FDI-by-state workbook (XLSX), INEGI's ETEF (CSV) or IMSS's state series of jobs "
            f"(CSV), up to {MAX_UPLOAD_MB} MB",
        ),
        type=["csv", "xlsx"],
        max_upload_size=MAX_UPLOAD_MB,
        help=say(
            "Se revisa igual que con `python -m etl official`. Nada se escribe hasta que confirme.",
            "Checked exactly as `python -m etl official` does. Nothing is written until you "
            "confirm.",
        ),
        key=f"desk_official_upload_{round_of('desk_official')}",
    )
    if uploaded is None:
        return
    try:
        safe_file_name(uploaded.name)
    except ValueError:
        st.error(say("Solo se aceptan archivos .csv o .xlsx.", "Only .csv or .xlsx files."))
        return
    show_preview(uploaded.name, uploaded.getvalue(), series, editor)


def releases_section() -> None:
    """Every official release in the warehouse: shipped or loaded, by whom and when."""
    lang = _lang()
    fdi = official.releases()
    others = query(
        "SELECT release_id, indicator, cut_off, file_name, loaded_at, loaded_by, load_id "
        "FROM indicator_releases ORDER BY loaded_at DESC"
    )
    rows = pd.concat(
        [
            pd.DataFrame({
                "release": fdi["release_id"],
                "what": [official.Release(r.release_id, r.series, r.cut_off, r.source,
                                          r.file_name).label(lang) for r in fdi.itertuples()],
                "cut_off": fdi["cut_off"], "file": fdi["file_name"], "at": fdi["loaded_at"],
                "by": fdi["loaded_by"], "load": fdi["load_id"],
            }),
            pd.DataFrame({
                "release": others["release_id"],
                "what": [pick(official.INDICATOR_NAMES[i], lang) for i in others["indicator"]],
                "cut_off": others["cut_off"], "file": others["file_name"],
                "at": others["loaded_at"], "by": others["loaded_by"], "load": others["load_id"],
            }),
        ],
        ignore_index=True,
    )  # fmt: skip
    st.dataframe(
        rows.rename(
            columns={
                "release": say("Publicación", "Release"),
                "what": say("Serie", "Series"),
                "cut_off": say("Corte", "Cut-off"),
                "file": say("Archivo", "File"),
                "at": say("Cargada", "Loaded"),
                "by": say("Por", "By"),
                "load": say("Carga", "Load"),
            }
        ),
        hide_index=True,
        width="stretch",
        key="desk_official_releases",
    )
    st.caption(
        say(
            "Las publicaciones sin número de carga vienen con el observatorio; las demás se "
            "cargaron aquí o con `python -m etl official` y figuran en el historial de cargas.",
            "Releases without a load number ship with the observatory; the others were loaded "
            "here or with `python -m etl official` and are in the load history.",
        )
    )
