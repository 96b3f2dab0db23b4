"""The data desk's follow-up: what needs attention this week, each row one click from its record and
correction form (datos?anuncio=<id>). Stalled projects (announced or under construction with no
news for more than 12 months), rows without municipality, date, amount or jobs, rows flagged for
review, possible duplicates, and the withdrawn and merged rows with their reason.
"""

from datetime import date

import pandas as pd
import streamlit as st

from analytics import exports, records, ui
from analytics.desk import flags_text, say
from analytics.i18n import STATUSES, each, fmt_date, fmt_number, label, pick
from etl.intake import FIELD_LABELS

MISSING = {"no_municipality": "municipality", "no_date": "announced_date", "no_amount": "amount",
           "no_jobs": "jobs"}  # fmt: skip


def _notes(text, lang: str) -> str:
    """Review notes with each field in the reader's words ("sector «plastcos» → plastics")."""
    if not isinstance(text, str):
        return ""
    return "; ".join(
        f"{pick(FIELD_LABELS.get(note.split(' ', 1)[0], (note, note)), lang)} {note.split(' ', 1)[1]}"
        if " " in note else note
        for note in text.split("; ")
    )  # fmt: skip


def _section(
    title: tuple[str, str],
    frame: pd.DataFrame,
    count: int,
    columns,
    name: str,
    note: str | None = None,
    expanded: bool = False,
) -> None:
    """One list of the follow-up (its first rows: frame; all of them: count), in an expander
    titled with its count; columns(frame) gives the table as the reader sees it."""  # fmt: skip
    ctx = ui.context()
    with st.expander(f"{pick(title, ctx.lang)} ({fmt_number(count, ctx.lang)})",
                     expanded=expanded):  # fmt: skip
        if frame.empty:
            st.caption(say("Ninguno.", "None."))
            return
        if note:
            st.caption(note)
        if count > len(frame):
            st.caption(say(f"Se muestran los primeros {fmt_number(len(frame), 'es')} de "
                           f"{fmt_number(count, 'es')}.",
                           f"Showing the first {fmt_number(len(frame), 'en')} of "
                           f"{fmt_number(count, 'en')}."))  # fmt: skip
        height = 360 if len(frame) > 10 else None
        ui.record_table(ctx, columns(frame), frame["announcement_id"], name, height, download=False)


def followup_section(today: date | None = None) -> None:
    ctx = ui.context()
    lang = ctx.lang
    today = today or date.today()
    lists, counts = records.follow_up(today), records.follow_up_counts(today)
    st.caption(
        say(
            f"Al {fmt_date(today, 'day', 'es')}. Cada fila abre la ficha del anuncio, con su "
            "historial y el formulario de corrección (para editores).",
            f"As of {fmt_date(today, 'day', 'en')}. Each row opens the announcement's record, with "
            "its history and the correction form (for editors).",
        )
    )
    company, date_col = say("Empresa", "Company"), say("Fecha", "Date")

    def stalled(f: pd.DataFrame) -> pd.DataFrame:
        dates = zip(f["announced_date"], f["date_precision"], strict=True)
        return pd.DataFrame({
            company: f["company"],
            say("Estatus", "Status"): each(f["status"], lambda c: label(STATUSES, c, lang)),
            date_col: each(dates, lambda d: fmt_date(d[0], d[1], lang)),
            say("Última noticia", "Latest news"): each(f["last_news"],
                                                       lambda d: fmt_date(d, "day", lang)),
            say("Meses sin noticias", "Months without news"): f["months_without_news"],
        })  # fmt: skip

    def missing(f: pd.DataFrame) -> pd.DataFrame:
        lacks = [", ".join(pick(FIELD_LABELS[c], lang) for flag, c in MISSING.items() if r[flag])
                 for _, r in f.iterrows()]  # fmt: skip
        return pd.DataFrame({company: f["company"], say("Falta", "Missing"): lacks,
                             date_col: f["shown_date"].fillna("–"),
                             say("Municipio", "Municipality"): f["municipality"].fillna("–")})  # fmt: skip

    def flagged(f: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({company: f["company"],
                             say("Motivo", "Reason"): [flags_text(x, lang) for x in f["review_flags"]],
                             say("Leído como", "Read as"): [_notes(n, lang) for n in f["review_notes"]],
                             date_col: f["shown_date"].fillna("–")})  # fmt: skip

    def duplicates(f: pd.DataFrame) -> pd.DataFrame:
        other = f["other_company"] + " · " + f["other_date"].fillna("–") + " · " + f["other_id"]
        return pd.DataFrame({company: f["company"], date_col: f["shown_date"].fillna("–"),
                             say("Se parece a", "Resembles"): other})  # fmt: skip

    def set_aside(f: pd.DataFrame) -> pd.DataFrame:
        states = {
            "withdrawn": say("retirado", "withdrawn"),
            "merged": say("duplicado", "duplicate"),
        }
        return pd.DataFrame({company: f["company"], say("Estado", "State"): f["record_state"].map(states),
                             say("Motivo", "Reason"): f["state_reason"].fillna(""),
                             say("Se conserva", "Kept row"): f["merged_into"].fillna("–"),
                             date_col: f["shown_date"].fillna("–")})  # fmt: skip

    missing_counts = " · ".join(
        f"{pick(FIELD_LABELS[c], lang)}: {fmt_number(counts[flag], lang)}"
        for flag, c in MISSING.items()
    )
    sections = [
        (("Sin noticias en más de 12 meses", "No news for more than 12 months"), "stalled",
         stalled, "seguimiento_sin_noticias", None),
        (("Faltan datos: municipio, fecha, monto o empleos",
          "Missing municipality, date, amount or jobs"), "missing", missing,
         "seguimiento_faltan_datos", missing_counts),
        (("Marcados para revisión", "Flagged for review"), "flagged", flagged,
         "seguimiento_para_revision", None),
        (("Posibles duplicados", "Possible duplicates"), "duplicates", duplicates,
         "seguimiento_posibles_duplicados",
         say("En la ficha, «Marcar como duplicado» ofrece primero el anuncio al que se parece; "
             "si no es un duplicado, no haga nada.",
             "On the record, 'Mark as a duplicate' offers the look-alike first; if it is not a "
             "duplicate, leave it.")),
        (("Retirados y duplicados: no cuentan en los totales",
          "Withdrawn and duplicates: not in the totals"), "set_aside", set_aside,
         "seguimiento_retirados", None),
    ]  # fmt: skip
    for title, key, columns, name, note in sections:
        _section(title, lists[key], int(counts[key]), columns, name, note, key == "stalled")
    st.download_button(
        say("Descargar seguimiento (XLSX, una hoja por lista)",
            "Download follow-up (XLSX, one sheet per list)"),
        data=lambda: exports.xlsx_bytes(lists),
        file_name="seguimiento.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="followup_xlsx",
    )  # fmt: skip
