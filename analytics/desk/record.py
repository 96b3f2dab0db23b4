"""An announcement's record on the data desk (datos?anuncio=<id>, the deep link other pages use):
its current values, where it came from, its history newest first, and for editors the correction
form, withdraw, mark as duplicate and undo. Every action is a one-line corrections file
(etl/forms.py) applied by `etl correct` (analytics/desk/corrections.py): kept in the journal, and
replayed by a rebuild.
"""

import pandas as pd
import streamlit as st

from analytics import queries, records, ui
from analytics.desk import (
    choose,
    corrections,
    finish,
    flags_text,
    literal,
    plain,
    round_of,
    say,
    show_done,
)
from analytics.filters import Filters
from analytics.i18n import (
    EVENT_TYPES,
    STATUSES,
    TIERS,
    fmt_date,
    fmt_musd,
    fmt_number,
    label,
    pick,
)
from etl import parse
from etl.changes import as_text
from etl.corrections import field_label
from etl.forms import correction_csv

# The fields the correction form offers, in the order a record lists them.
FIELDS = ["company", "parent_group", "origin_country", "sector", "tier", "event_type",
          "municipality", "park", "announced_date", "amount", "currency", "jobs", "status",
          "source_url", "source_title", "source_date", "notes"]  # fmt: skip
CODED = {"sector": parse.SECTORS.codes, "tier": TIERS, "event_type": EVENT_TYPES,
         "status": STATUSES}  # fmt: skip
STATE_NAMES = {
    "active": ("vigente", "active"),
    "withdrawn": ("retirado", "withdrawn"),
    "merged": ("duplicado", "merged as a duplicate"),
}


def _lang() -> str:
    return ui.context().lang


def _label(name: str) -> str:
    """A field's name as a table shows it (capitalised; messages use it lower-case)."""
    text = pick(field_label(name), _lang())
    return text[:1].upper() + text[1:]


def selected() -> str | None:
    """The announcement the URL names (?anuncio=<id>), if it is one."""
    value = st.query_params.get(records.RECORD_PARAM)
    return value if records.is_announcement_id(value) else None


def current(row: pd.Series, name: str) -> str | None:
    """A field's value as the desk shows it and the correction's old value states it."""
    if name == "announced_date":
        return row["shown_date"]
    if name == "origin_country":
        return as_text(row["origin_iso2"])
    value = row[name]
    return (
        None if value is None or (not isinstance(value, str) and pd.isna(value)) else as_text(value)
    )


def _shown(row: pd.Series, name: str) -> str:
    """A field's value for the reader: labels for codes, names for countries."""
    ctx, value = ui.context(), current(row, name)
    if value is None:
        return "–"
    if name in CODED:
        return f"{label(CODED[name], value, ctx.lang)} ({value})"
    if name == "origin_country":
        return f"{ctx.country(value)} ({value})"
    if name == "municipality":
        return f"{value} ({row['cvegeo']})" if isinstance(row["cvegeo"], str) else value
    return value


# ---------------------------------------------------------------- the record


def open_box() -> None:
    """Find an announcement by company and open its record."""
    needle = st.text_input(
        say("Abrir la ficha de un anuncio: empresa, grupo, municipio o parque",
            "Open an announcement's record: company, group, municipality or park"),
        key="record_search",
    )  # fmt: skip
    if not needle.strip():
        return
    found = queries.announcements(Filters(), limit=50, needle=records.fold(needle), lang=_lang())
    if found.empty:
        st.caption(say("Ningún anuncio coincide.", "No announcement matches."))
        return
    texts = {
        r.announcement_id: f"{r.company} · {fmt_date(r.announced_date, r.date_precision, _lang())}"
        + (f" · {r.municipality}" if isinstance(r.municipality, str) else "")
        for r in found.itertuples()
    }
    chosen = choose(st, say("Anuncio", "Announcement"), list(texts), format_func=texts.get,
                          key="record_found")  # fmt: skip
    if st.button(say("Abrir ficha", "Open record"), icon=":material/open_in_new:",
                 key="record_open"):  # fmt: skip
        st.query_params[records.RECORD_PARAM] = chosen
        st.rerun()


def record_section(announcement_id: str, editor: str | None) -> None:
    lang = _lang()
    row = records.record(announcement_id)
    if row is None:
        st.warning(say(f"No hay ningún anuncio con el id {literal(announcement_id)}.",
                       f"There is no announcement with id {literal(announcement_id)}."))  # fmt: skip
        return
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    left.header(say(f"Ficha: {plain(row['company'])}", f"Record: {plain(row['company'])}"))
    if right.button(say("Cerrar ficha", "Close record"), icon=":material/close:",
                    key="record_close"):  # fmt: skip
        del st.query_params[records.RECORD_PARAM]
        st.rerun()
    state = row["record_state"]
    if state == "withdrawn":
        st.error(say(f"**Retirado**: no cuenta en ningún total. Motivo: {plain(row['state_reason'])}",
                     f"**Withdrawn**: it counts in no total. Reason: {plain(row['state_reason'])}"),
                 icon=":material/block:")  # fmt: skip
    elif state == "merged":
        link = records.record_link(row["merged_into"], lang)
        st.warning(
            say(f"**Duplicado** de [{row['merged_into']}]({link}), que es el que cuenta. Motivo: "
                f"{plain(row['state_reason'])}",
                f"**Duplicate** of [{row['merged_into']}]({link}), which is the one counted. "
                f"Reason: {plain(row['state_reason'])}"),
            icon=":material/content_copy:",
        )  # fmt: skip
    show_done("record")
    _values(row)
    _history(announcement_id)
    if editor:
        _correction_form(row, editor)
        _pending(row, editor, "fix")
        _state_actions(row, editor)
        _pending(row, editor, "state")


def _values(row: pd.Series) -> None:
    lang = _lang()
    money = "–"
    if pd.notna(row["amount_musd"]):
        rate = fmt_date(row["fx_rate_date"], "day", lang) if pd.notna(row["fx_rate_date"]) else "–"
        money = say(f"{fmt_musd(row['amount_musd'], lang)} (tipo de cambio del {rate})",
                    f"{fmt_musd(row['amount_musd'], lang)} (exchange rate of {rate})")  # fmt: skip
    values = pd.DataFrame(
        [(_label(f), _shown(row, f)) for f in FIELDS]
        + [(say("Monto en MDD", "Amount in USD M"), money),
           (say("Estado del registro", "Record state"), pick(STATE_NAMES[row["record_state"]], lang)),
           (say("Marcas de revisión", "Review flags"), flags_text(row["review_flags"], lang) or "–"),
           (say("Notas de revisión", "Review notes"), row["review_notes"] or "–"),
           ("announcement_id", row["announcement_id"])],
        columns=[say("Campo", "Field"), say("Valor actual", "Current value")],
    )  # fmt: skip
    st.dataframe(values, hide_index=True, width="stretch", key="record_values",
                 height=35 * (len(values) + 1) + 3)  # every row, without a scroll bar  # fmt: skip
    if row["load_kind"] == "build":  # the base file: its load's time is the last rebuild's
        came = say(f"Viene del archivo base ({plain(row['load_file'])}, fila {row['source_row']}).",
                   f"From the base file ({plain(row['load_file'])}, row {row['source_row']}).")  # fmt: skip
    else:
        when = pd.Timestamp(row["load_at"]).strftime("%Y-%m-%d %H:%M")
        came = say(f"Llegó en la carga {row['load_id']} ({plain(row['load_file'])}, fila "
                   f"{row['source_row']}), {when}, por {literal(row['load_by'])}.",
                   f"Came in load {row['load_id']} ({plain(row['load_file'])}, row "
                   f"{row['source_row']}), {when}, by {literal(row['load_by'])}.")  # fmt: skip
    st.caption(came)
    merged = records.merged_here(row["announcement_id"])
    if not merged.empty:
        st.caption(say("Duplicados marcados en este anuncio (cuentan una sola vez, aquí):",
                       "Duplicates merged into this announcement (counted once, here):"))  # fmt: skip
        ui.record_table(
            ui.context(),
            merged[["company", "shown_date", "municipality", "state_reason"]].set_axis(
                [say("Empresa", "Company"), say("Fecha", "Date"), say("Municipio", "Municipality"),
                 say("Motivo", "Reason")], axis=1),
            merged["announcement_id"],
            "duplicados_de_este",
        )  # fmt: skip


def _history(announcement_id: str) -> None:
    st.subheader(say("Historial de cambios", "Change history"))
    changes = records.history(announcement_id)
    if changes.empty:
        st.caption(say("Sin cambios desde que se cargó.", "No change since it was loaded."))
        return
    named = {"origin_iso2": "origin_country"}
    table = pd.DataFrame(
        {
            say("Registrado", "Recorded"): changes["changed_at"],
            say("Campo", "Field"): [_label(named.get(f, f)) for f in changes["field"]],
            say("Antes", "Before"): changes["old_value"].fillna("–"),
            say("Después", "After"): changes["new_value"].fillna("–"),
            say("Fecha de la fuente", "Source date"): [
                "–" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d")
                for d in changes["effective_date"]
            ],
            say("Fuente", "Source"): changes["source_url"],
            say("Nota", "Note"): changes["note"].fillna(""),
            say("Por", "By"): changes["changed_by"],
            say("Carga", "Load"): changes["load_id"],
        }
    )  # fmt: skip
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="record_history",
        column_config={
            say("Registrado", "Recorded"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            say("Fuente", "Source"): st.column_config.LinkColumn(display_text=say("abrir ↗", "open ↗")),
        },
    )  # fmt: skip


# ---------------------------------------------------------------- corrections


def _new_value_input(name: str, row: pd.Series, key: str):
    """The input for a field's new value: a list for coded fields, text typed as in a file."""
    ctx = ui.context()
    if name in CODED:
        codes = list(CODED[name])
        return choose(st, say("Valor nuevo", "New value"), codes, index=None, key=key,
                            format_func=lambda c: label(CODED[name], c, ctx.lang))  # fmt: skip
    if name == "origin_country":
        countries = ctx.names["countries"]
        codes = sorted(countries.index, key=lambda c: countries.at[c, f"name_{ctx.lang}"])
        return choose(st, say("Valor nuevo", "New value"), codes, index=None, key=key,
                            format_func=ctx.country)  # fmt: skip
    if name == "municipality":
        places = records.suggestions()["places"]
        return choose(st, say("Valor nuevo", "New value"), places, index=None, key=key)
    if name == "currency":
        return choose(st, say("Valor nuevo", "New value"), list(parse.CURRENCIES), index=None,
                            key=key)  # fmt: skip
    hints = {
        "announced_date": ("p. ej. 2017-10, octubre 2017, 2017-10-25 o 2017",
                           "e.g. 2017-10, October 2017, 2017-10-25 or 2017"),
        "amount": ("como lo escriben los funcionarios: 70 mdd, 2,500 millones de pesos, 70000000",
                   "as officials write it: 70 mdd, USD 70 million, 70000000"),
        "jobs": ("un número entero, p. ej. 1500", "a whole number, e.g. 1500"),
    }  # fmt: skip
    return st.text_input(say("Valor nuevo", "New value"), key=key,
                         placeholder=pick(hints[name], _lang()) if name in hints else None)  # fmt: skip


def _source_inputs(prefix: str) -> dict:
    left, right = st.columns([3, 1])
    return {
        "source_url": left.text_input(say("Fuente (URL o documento) *", "Source (URL or document) *"),
                                      key=f"{prefix}_source"),
        "source_date": right.text_input(say("Fecha de la fuente", "Source date"),
                                        key=f"{prefix}_source_date", placeholder="2025-11-24",
                                        help=say("Cuándo ocurrió, según la fuente (no la fecha de "
                                                 "hoy): la fecha de un cambio de estatus cuenta "
                                                 "para los meses a la operación.",
                                                 "When it happened, as the source says (not "
                                                 "today): a status change's date counts for the "
                                                 "months to operation.")),
        "source_title": st.text_input(say("Título de la fuente", "Source title"),
                                      key=f"{prefix}_source_title"),
        "note": st.text_input(say("Nota (una cita de la fuente, o el motivo)",
                                  "Note (a quote from the source, or the reason)"),
                              key=f"{prefix}_note"),
    }  # fmt: skip


def _correction_form(row: pd.Series, editor: str) -> None:
    lang, r = _lang(), round_of("record")
    st.subheader(say("Corregir un dato", "Correct a value"))
    name = choose(st, say("Campo", "Field"), FIELDS, key=f"fix_field_{r}",
                  format_func=lambda f: pick(field_label(f), lang).capitalize())  # fmt: skip
    # The value the clerk saw is the correction's old value: if somebody changes it meanwhile,
    # the check refuses the correction naming both (it is not re-read behind the clerk's back).
    seen = st.session_state.setdefault(f"fix_seen_{row['announcement_id']}_{name}_{r}",
                                       current(row, name) or "")  # fmt: skip
    st.markdown(say(f"Valor actual: {literal(seen or '(en blanco)')}",
                    f"Current value: {literal(seen or '(blank)')}"))  # fmt: skip
    new = _new_value_input(name, row, f"fix_new_{name}_{r}")
    source = _source_inputs(f"fix_{r}")
    if st.button(say("Revisar corrección", "Check correction"), key=f"fix_check_{r}",
                 icon=":material/fact_check:"):  # fmt: skip
        _propose(row, name, new, source, "fix", old=seen)


def _propose(row: pd.Series, name: str, new, source: dict, where: str, old=None) -> None:
    """Keep the correction as a one-line file waiting for confirmation (shown under the part of
    the record, where, that proposed it). old: the value the clerk saw (default: the current)."""
    old = current(row, name) or "" if old is None else old
    line = correction_csv(
        {"announcement_id": row["announcement_id"], "field": name, "old_value": old,
         "new_value": new, **source}
    )  # fmt: skip
    st.session_state["record_pending"] = (row["announcement_id"], line, where)


def _pending(row: pd.Series, editor: str, where: str) -> None:
    """The correction waiting for confirmation: what it would do, and the button to apply it."""
    pending = st.session_state.get("record_pending")
    if not pending or pending[0] != row["announcement_id"] or pending[2] != where:
        return
    data = pending[1]
    outcome = corrections.preview("correccion.csv", data, editor)
    if isinstance(outcome, Exception):
        st.error(plain(outcome.es if _lang() == "es" else outcome.en))
        return
    st.dataframe(corrections.lines_table(outcome), hide_index=True, width="stretch",
                 key=f"record_pending_{where}")  # fmt: skip
    if not outcome.applied:
        if st.button(say("Volver a leer el valor actual", "Read the current value again"),
                     icon=":material/refresh:", key=f"record_reread_{where}"):  # fmt: skip
            finish("record", "", pending="record_pending")
        return
    after = outcome.applied[0].after
    if after.get("amount_musd") is not None and after.get("amount_musd") != row["amount_musd"]:
        st.caption(say(f"Monto en MDD: {fmt_musd(row['amount_musd'], 'es')} → "
                       f"{fmt_musd(after['amount_musd'], 'es')}",
                       f"Amount in USD M: {fmt_musd(row['amount_musd'], 'en')} → "
                       f"{fmt_musd(after['amount_musd'], 'en')}"))  # fmt: skip
    if st.button(say("Aplicar", "Apply"), type="primary", icon=":material/check:",
                 key=f"record_apply_{where}"):  # fmt: skip
        name = say(f"ficha: {row['company']}", f"record: {row['company']}")[:150]
        done = corrections.apply("correccion.csv", data, editor, file_name=name)
        st.session_state.pop("corrections_preview", None)
        finish("record", corrections.result_text(done), pending="record_pending")


def _state_actions(row: pd.Series, editor: str) -> None:
    """Withdraw, mark as a duplicate of another, or undo: change events like any correction."""
    lang, r = _lang(), round_of("record")
    state = row["record_state"]
    st.subheader(say("Retirar o marcar como duplicado", "Withdraw or mark as a duplicate"))
    if state == "active":
        actions = {"withdraw": say("Retirar (sale de todos los totales)",
                                   "Withdraw (leaves every total)"),
                   "merge": say("Marcar como duplicado de otro anuncio (cuenta una vez)",
                                "Mark as a duplicate of another announcement (counted once)")}  # fmt: skip
    else:
        actions = {"restore": say("Restituir: vuelve a contar", "Restore: it counts again")}
    action = st.radio(say("Acción", "Action"), list(actions), format_func=actions.get,
                      key=f"state_action_{r}", horizontal=True)  # fmt: skip
    kept = None
    if action == "merge":
        options = records.lookalikes(row["announcement_id"])
        texts = {
            o.announcement_id: f"{o.company} · {o.shown_date or '–'} · {o.municipality or '–'}"
            + (f" · {fmt_number(o.amount_musd, lang, 1)} MDD" if pd.notna(o.amount_musd) else "")
            + (say(" · señalado como posible duplicado", " · flagged as a possible duplicate")
               if o.flagged else "")
            for o in options.itertuples()
        }  # fmt: skip
        kept = choose(st, say("Anuncio que se conserva", "Announcement kept"), list(texts),
                            index=0 if texts else None, format_func=texts.get,
                            key=f"state_kept_{r}", accept_new_options=True,
                            help=say("Los parecidos primero; también puede escribir un id.",
                                     "The likeliest first; you may also type an id."))  # fmt: skip
    source = _source_inputs(f"state_{r}")
    if st.button(say("Revisar", "Check"), key=f"state_check_{r}", icon=":material/fact_check:"):
        if action == "withdraw":
            _propose(row, "record_state", "withdrawn", source, "state")
        elif action == "merge":
            _propose(row, "merged_into", kept, source, "state")
        elif state == "merged":
            _propose(row, "merged_into", "", source, "state")
        else:
            _propose(row, "record_state", "active", source, "state")
