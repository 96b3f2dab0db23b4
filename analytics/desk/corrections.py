"""The data desk's corrections: a corrections file uploaded (preview, then confirm), and the one
place that applies a correction for the desk, whether it came as a file or from an
announcement's record (analytics/desk/record.py). It goes through `etl correct` itself: the file
is kept in the journal and a rebuild replays it.
"""

import hashlib

import pandas as pd
import streamlit as st

from analytics import exports, ui
from analytics.db import warehouse_path
from analytics.desk import finish, literal, plain, round_of, say, show_done
from analytics.i18n import fmt_number, pick
from etl.correct import CorrectionsOutcome, check, correct
from etl.corrections import field_label, read_corrections
from etl.load import Inputs, safe_file_name, staged_upload
from etl.sheets import MAX_FILE_BYTES, FileUnusable
from etl.warehouse import resolve_raw

MAX_UPLOAD_MB = MAX_FILE_BYTES // (1024 * 1024)


def _lang() -> str:
    return ui.context().lang


def preview(name: str, data: bytes, editor: str) -> CorrectionsOutcome | FileUnusable:
    """What the corrections would do now (nothing written), remembered for this content."""
    key = (hashlib.sha256(data).hexdigest(), name)
    cached = st.session_state.get("corrections_preview")
    if cached and cached[0] == key:
        return cached[1]
    try:
        with staged_upload(name, data, warehouse_path()) as path:
            inputs = Inputs(resolve_raw(), pd.Timestamp.today().date())
            file = read_corrections(path, inputs.matcher, inputs.today)
            outcome = check(file, warehouse_path(), inputs, editor)
            outcome.already_applied = _earlier(file.sha256)
    except FileUnusable as exc:
        outcome = exc
    st.session_state["corrections_preview"] = (key, outcome)
    return outcome


def _earlier(sha256: str) -> dict | None:
    earlier = exports.loads_of_file(sha256)
    earlier = earlier[earlier["kind"] == "corrections"]
    return None if earlier.empty else earlier.iloc[0].to_dict()


def apply(name: str, data: bytes, editor: str, file_name: str | None = None):
    """Apply a corrections file (or a record's one-line correction) as the signed-in editor."""
    with staged_upload(name, data, warehouse_path()) as path:
        return correct(path, warehouse_path(), resolve_raw(), editor, file_name=file_name)


def lines_table(outcome: CorrectionsOutcome) -> pd.DataFrame:
    """Every line read: what it changes (or why not), in file order."""
    lang = _lang()
    rows = []
    for o in outcome.lines:
        label = pick(field_label(o.line.field), lang)
        if o.status == "applied":
            change = "; ".join(
                f"{pick(field_label(_field(c)), lang)}: {old or '–'} → {new or '–'}"
                for c, old, new in o.logged
            )
            state = say("se aplica", "applies")
        else:
            change = f"{label}: {o.line.new_written or '–'}"
            state = say("ya estaba así", "already so")
        rows.append((o.line.row_number, o.company, o.announcement_id, change, state))
    for r in outcome.rejects.itertuples():
        reason = r.reason if lang == "es" else r.reason_en
        rows.append((r.row_number, "", "", f"{r.column}: {r.value or '–'}",
                     say("rechazada: ", "rejected: ") + reason))  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=[say("Línea", "Line"), say("Empresa", "Company"), say("Anuncio", "Announcement"),
                 say("Cambio", "Change"), say("Resultado", "Outcome")],
    )  # fmt: skip
    return frame.sort_values(frame.columns[0], kind="stable").reset_index(drop=True)


def _field(column: str) -> str:
    return "origin_country" if column == "origin_iso2" else column


def counts(outcome: CorrectionsOutcome) -> None:
    lang = _lang()
    ui.kpis(
        [
            (say("Líneas leídas", "Lines read"), fmt_number(outcome.file.rows_read, lang), None),
            (say("Se aplican", "To apply"), fmt_number(len(outcome.applied), lang), None),
            (say("Ya estaban así", "Already so"), fmt_number(len(outcome.unchanged), lang), None),
            (say("Rechazadas", "Rejected"), fmt_number(outcome.rows_rejected, lang), None),
        ]
    )


def upload_section(editor: str) -> None:
    show_done("corrections")
    st.markdown(
        say(
            "Un archivo con una corrección por línea: `empresa` y `fecha del anuncio` (o "
            "`announcement_id`), `campo`, `valor anterior`, `valor nuevo`, `fuente` y, si se "
            "tienen, `título de la fuente`, `fecha de la fuente` y `nota` (las columnas del "
            "archivo de correcciones del observatorio sirven tal cual). Se revisa igual que con "
            "`python -m etl correct`; nada se escribe hasta que confirme.",
            "A file with one correction per line: `company` and `existing_announced_date` (or "
            "`announcement_id`), `field`, `old_value`, `new_value`, `source_url` and, if known, "
            "`source_title`, `source_date` and `quote` (the observatory's corrections file works "
            "as it is). Checked exactly as `python -m etl correct` does; nothing is written until "
            "you confirm.",
        )
    )
    uploaded = st.file_uploader(
        say(f"Archivo de correcciones (CSV o XLSX, hasta {MAX_UPLOAD_MB} MB)",
            f"Corrections file (CSV or XLSX, up to {MAX_UPLOAD_MB} MB)"),
        type=["csv", "xlsx"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"corrections_upload_{round_of('corrections')}",
    )  # fmt: skip
    if uploaded is None:
        return
    try:
        safe_name = safe_file_name(uploaded.name)
    except ValueError:
        st.error(say("Solo se aceptan archivos .csv o .xlsx.", "Only .csv or .xlsx files."))
        return
    data = uploaded.getvalue()
    st.subheader(say(f"Vista previa: {literal(safe_name)}", f"Preview: {literal(safe_name)}"))
    outcome = preview(uploaded.name, data, editor)
    if isinstance(outcome, FileUnusable):
        st.error(plain(outcome.es if _lang() == "es" else outcome.en), icon=":material/error:")
        return
    counts(outcome)
    st.dataframe(lines_table(outcome), hide_index=True, width="stretch", key="corrections_lines")
    for es, en in outcome.file.accepted:
        st.caption(plain(es if _lang() == "es" else en))
    if outcome.already_applied:
        st.info(
            say(
                f"Este archivo ya se aplicó (carga {outcome.already_applied['load_id']}); "
                "aplicarlo otra vez no cambiaría nada.",
                f"This file was already applied (load {outcome.already_applied['load_id']}); "
                "applying it again would change nothing.",
            ),
            icon=":material/content_copy:",
        )
        return
    n = len(outcome.applied)
    if n == 0:
        st.info(say("No hay correcciones que aplicar.", "There are no corrections to apply."))
        return
    if st.button(
        say(f"Aplicar {fmt_number(n, _lang())} correcciones",
            f"Apply {fmt_number(n, _lang())} corrections"),
        type="primary",
        icon=":material/edit_note:",
        key="corrections_confirm",
    ):  # fmt: skip
        try:
            done = apply(uploaded.name, data, editor)
        except FileUnusable as exc:
            st.error(plain(exc.es if _lang() == "es" else exc.en), icon=":material/error:")
            return
        finish("corrections", result_text(done), pending="corrections_preview")


def result_text(outcome: CorrectionsOutcome) -> str:
    lang = _lang()
    applied, unchanged = len(outcome.applied), len(outcome.unchanged)
    if outcome.load_id is None:
        return say("Nada cambió.", "Nothing changed.")
    rejected = outcome.rows_rejected
    return say(
        f"Carga {outcome.load_id}: {fmt_number(applied, lang)} "
        + ("corrección aplicada" if applied == 1 else "correcciones aplicadas")
        + (f", {fmt_number(unchanged, lang)} ya estaban así" if unchanged else "")
        + (
            f", {fmt_number(rejected, lang)} rechazada{'s' if rejected != 1 else ''}"
            if rejected
            else ""
        )
        + ".",
        f"Load {outcome.load_id}: {fmt_number(applied, lang)} "
        + ("correction applied" if applied == 1 else "corrections applied")
        + (f", {fmt_number(unchanged, lang)} already so" if unchanged else "")
        + (f", {fmt_number(rejected, lang)} rejected" if rejected else "")
        + ".",
    )
