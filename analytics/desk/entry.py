"""The data desk's form for one announcement. What the clerk types is kept as a one-row CSV in the
intake's own format (etl/forms.py) and goes through exactly the intake a file goes through
(`etl append`): amounts as officials write them, any accepted currency, dates by day, month or
year. Suggestions come from the warehouse (companies with their group and origin, groups, parks,
the 58 municipalities and Villa de Pozos). Preview with the computed MDD and the rate's date, then
confirm.
"""

import pandas as pd
import streamlit as st

from analytics import records, ui
from analytics.db import warehouse_path
from analytics.desk import choose, finish, flags_text, literal, plain, round_of, say, show_done
from analytics.i18n import EVENT_TYPES, STATUSES, TIERS, fmt_date, fmt_musd, label
from etl import parse
from etl.forms import announcement_csv
from etl.load import append, staged_upload, validate
from etl.sheets import FileUnusable
from etl.warehouse import resolve_raw

FORM_FILE = "formulario_anuncio.csv"


def _lang() -> str:
    return ui.context().lang


def _key(name: str) -> str:
    return f"entry_{name}_{round_of('entry')}"


def _fill_from_company() -> None:
    """A company already in the warehouse: offer its group and origin (the clerk may change them)."""
    company = st.session_state.get(_key("company"))
    group, origin = st.session_state.get("entry_known", {}).get(company, (None, None))
    if group and st.session_state.get(_key("parent_group")) is None:
        st.session_state[_key("parent_group")] = group
    if origin and st.session_state.get(_key("origin")) is None:
        st.session_state[_key("origin")] = origin


def _coded(name: str, title: str, codes: dict, default=None):
    lang = _lang()  # bound now: the format function is also called outside this run
    return choose(st, title, list(codes), index=list(codes).index(default) if default else None,
                        format_func=lambda c: label(codes, c, lang), key=_key(name))  # fmt: skip


def entry_section(editor: str) -> None:
    ctx, lang = ui.context(), _lang()
    show_done("entry")
    hints = records.suggestions()
    companies = hints["companies"]
    st.session_state["entry_known"] = {
        r.company: (r.parent_group if isinstance(r.parent_group, str) else None,
                    r.origin_iso2 if isinstance(r.origin_iso2, str) else None)
        for r in companies.itertuples()
    }  # fmt: skip
    countries = ctx.names["countries"]
    country_codes = sorted(countries.index, key=lambda c: countries.at[c, f"name_{lang}"])
    left, right = st.columns(2)
    values = {
        "company": choose(left,
            say("Empresa *", "Company *"), companies["company"].tolist(), index=None,
            accept_new_options=True, key=_key("company"), on_change=_fill_from_company,
            placeholder=say("Elija una o escriba una nueva", "Choose one or type a new one"),
            help=say("Si el nombre aún no es público escriba, p. ej., «Empresa china, por "
                     "confirmar»: se carga marcada para revisión y se nombra después con una "
                     "corrección.",
                     "If the name is not public yet write e.g. 'Chinese company, to be "
                     "confirmed': it is loaded flagged for review and named later by a "
                     "correction."),
        ),
        "parent_group": choose(right,
            say("Grupo", "Parent group"), hints["groups"], index=None, accept_new_options=True,
            key=_key("parent_group"),
        ),
        "origin_country": choose(left,
            say("País de origen", "Origin country"), country_codes, index=None,
            format_func=ctx.country, key=_key("origin"),
        ),
        "sector": choose(right,
            say("Sector", "Sector"), list(parse.SECTORS.codes), index=None,
            format_func=ctx.sector, key=_key("sector"),
        ),
        "tier": _coded("tier", say("Nivel (tier)", "Tier"), TIERS),
        "event_type": _coded("event_type", say("Tipo de evento", "Event type"), EVENT_TYPES,
                             "new_plant"),
        "municipality": choose(st,
            say("Municipio", "Municipality"), hints["places"], index=None, key=_key("municipality"),
            help=say("Los 58 municipios de INEGI y Villa de Pozos (que los mapas cuentan dentro de "
                     "San Luis Potosí).",
                     "INEGI's 58 municipalities and Villa de Pozos (which maps count within San "
                     "Luis Potosí)."),
        ),
        "park": choose(st,
            say("Parque industrial", "Industrial park"), hints["parks"]["v"].tolist(), index=None,
            accept_new_options=True, key=_key("park"),
        ),
    }  # fmt: skip
    left, middle, right = st.columns(3)
    values |= {
        "announced_date": left.text_input(
            say("Fecha del anuncio", "Announcement date"), key=_key("date"),
            placeholder=say("2024-03-20, marzo 2024 o 2024", "2024-03-20, March 2024 or 2024"),
        ),
        "amount": middle.text_input(
            say("Monto", "Amount"), key=_key("amount"),
            placeholder=say("150 mdd, 2,500 millones de pesos", "150 mdd, USD 150 million"),
            help=say("Como lo escriben los funcionarios. Un número sin unidad es en unidades de la "
                     "moneda (120000000 son 120 millones).",
                     "As officials write it. A number without a unit is in currency units "
                     "(120000000 is 120 million)."),
        ),
        "currency": choose(right,
            say("Moneda (si el monto no la dice)", "Currency (if the amount does not say)"),
            list(parse.CURRENCIES), index=None, key=_key("currency"),
        ),
        "jobs": left.text_input(say("Empleos directos", "Direct jobs"), key=_key("jobs")),
        "status": _coded("status", say("Estatus", "Status"), STATUSES, "announced"),
        "source_url": st.text_input(say("Fuente (URL o documento) *", "Source (URL or document) *"),
                                    key=_key("source")),
        "source_title": st.text_input(say("Título de la fuente", "Source title"),
                                      key=_key("source_title")),
        "source_date": st.text_input(say("Fecha de la fuente", "Source date"),
                                     key=_key("source_date"), placeholder="2024-03-21"),
        "notes": st.text_area(say("Notas", "Notes"), key=_key("notes"), height=80),
    }  # fmt: skip
    if st.button(say("Revisar anuncio", "Check announcement"), icon=":material/fact_check:",
                 key="entry_check"):  # fmt: skip
        if not values["source_url"].strip():
            st.error(say("Falta la fuente: cada anuncio cita de dónde viene.",
                         "The source is missing: every announcement cites where it comes from."))  # fmt: skip
        else:
            st.session_state["entry_pending"] = announcement_csv(values)
    pending = st.session_state.get("entry_pending")
    if pending:
        _preview(pending, editor)


def _preview(data: bytes, editor: str) -> None:
    lang = _lang()
    try:
        with staged_upload(FORM_FILE, data, warehouse_path()) as path:
            outcome = validate(path, warehouse_path(), resolve_raw())
    except FileUnusable as exc:
        st.error(plain(exc.es if lang == "es" else exc.en), icon=":material/error:")
        return
    if not outcome.rejects.empty:
        st.error(
            say("**No se puede guardar todavía:**", "**It cannot be saved yet:**")
            + "\n\n"
            + "\n".join(
                f"- **{plain(r.column)}**: {plain(r.reason if lang == 'es' else r.reason_en)}"
                for r in outcome.rejects.itertuples()
            ),
            icon=":material/error:",
        )
        for es, en in outcome.result.accepted:
            st.caption(plain(es if lang == "es" else en))
        return
    # The row as it would load: with the review flags of the comparison with the warehouse.
    row = (outcome.flagged if not outcome.flagged.empty else outcome.result.valid).iloc[0]
    flags = [f for f in str(row["review_flags"] or "").split(";") if f]
    resembles = row.get("possible_duplicate_of")
    money = "–"
    if pd.notna(row["amount_musd"]):
        money = fmt_musd(row["amount_musd"], lang) + say(
            f", al tipo de cambio del {fmt_date(row['fx_rate_date'], 'day', lang)}",
            f", at the exchange rate of {fmt_date(row['fx_rate_date'], 'day', lang)}",
        )
    st.markdown(
        say("**Así se guardaría:**", "**It would be saved as:**")
        + f"\n\n- {plain(row['company'])} · {plain(row['municipality'] or '–')}"
        + (say(f" (clave INEGI {row['cvegeo']})", f" (INEGI key {row['cvegeo']})")
           if isinstance(row["cvegeo"], str) else "")
        + f"\n- {say('Fecha', 'Date')}: {fmt_date(row['announced_date'], row['date_precision'], lang)}"
        + f"\n- {say('Monto', 'Amount')}: "
        + (f"{row['amount']:,.0f} {row['currency']} → {money}" if pd.notna(row["amount"]) else "–")
        + (
            "\n- " + say("Para revisión: ", "Flagged for review: ")
            + flags_text(";".join(flags), lang)
            if flags else ""
        )
        + (
            "\n- " + say("Se parece a ", "Resembles ")
            + f"[{resembles}]({records.record_link(resembles, lang)})"
            if isinstance(resembles, str) else ""
        )
    )  # fmt: skip
    if st.button(say("Guardar anuncio", "Save announcement"), type="primary",
                 icon=":material/save:", key="entry_save"):  # fmt: skip
        _save(data, editor, str(row["company"]))


def _save(data: bytes, editor: str, company: str) -> None:
    lang = _lang()
    try:
        with staged_upload(FORM_FILE, data, warehouse_path()) as path:
            outcome = append(path, warehouse_path(), resolve_raw(), loaded_by=editor,
                             file_name=say(f"formulario: {company}", f"form: {company}")[:150])  # fmt: skip
    except FileUnusable as exc:
        st.error(plain(exc.es if lang == "es" else exc.en), icon=":material/error:")
        return
    if outcome.load_id is None:
        st.warning(say("Este anuncio ya se había guardado; no se agregó nada.",
                       "This announcement was saved before; nothing was added."))  # fmt: skip
        return
    if outcome.rows_loaded == 0:
        reason = outcome.rejects.iloc[0]
        st.warning(plain(reason["reason"] if lang == "es" else reason["reason_en"]))
        return
    added = outcome.result.valid.iloc[0]["announcement_id"]
    link = records.record_link(added, lang)
    message = say(
        f"Guardado en la carga {outcome.load_id}: {literal(company)}. [Abrir su ficha]({link})",
        f"Saved in load {outcome.load_id}: {literal(company)}. [Open its record]({link})",
    )
    finish("entry", message, pending="entry_pending")
