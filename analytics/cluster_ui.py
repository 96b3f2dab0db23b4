"""Streamlit pieces the cluster's pages share (Empresas, Parques, Proveedores, Acuerdos): links to
the data desk's announcement view, announcement tables with those links, the call to action of an
empty roster or plan, the programme's sourced facts, and coded labels in the page's language."""

import pandas as pd
import streamlit as st

from analytics import cluster, ui
from analytics.context import Context
from analytics.i18n import EVENT_TYPES, STATUSES, each, fmt_date, fmt_number, label, pick, t


def desk_link(announcement_id: str, lang: str) -> str:
    """The data desk's view of one announcement (current values, history, corrections)."""
    return f"datos?anuncio={announcement_id}&lang={lang}"


def coded(codes: dict[str, tuple[str, str]], lang: str):
    """code -> label in lang ('' for none), for .map on a column."""
    return lambda code: pick(codes[code], lang) if code in codes else ("" if code is None else code)


def announcement_table(ctx: Context, frame: pd.DataFrame, name: str, columns: dict | None = None):
    """Announcements with their date, event, amount, jobs, status, source and a link to their
    record on the data desk. columns: extra (header -> values) shown after the company."""
    lang = ctx.lang
    dates = zip(frame["announced_date"], frame["date_precision"], strict=True)
    record = ctx.text("Ficha", "Record")
    shown = pd.DataFrame(
        {
            t("date", lang): each(dates, lambda d: fmt_date(d[0], d[1], lang)),
            t("company", lang): frame["company"],
            **(columns or {}),
            t("event_type", lang): each(frame["event_type"], lambda c: label(EVENT_TYPES, c, lang)),
            t("municipality", lang): frame["municipality"].fillna(t("unknown", lang)),
            t("amount_musd", lang): each(frame["amount_musd"], lambda v: fmt_number(v, lang, 1)),
            t("jobs", lang): each(frame["jobs"], lambda v: fmt_number(v, lang)),
            t("status", lang): each(frame["status"], lambda c: label(STATUSES, c, lang)),
            t("source", lang): frame["source_url"],
            record: [desk_link(i, lang) for i in frame["announcement_id"]],
        },
        index=frame.index,
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            t("company", lang): st.column_config.TextColumn(width="medium"),
            t("amount_musd", lang): st.column_config.TextColumn(alignment="right"),
            t("jobs", lang): st.column_config.TextColumn(alignment="right"),
            t("source", lang): st.column_config.LinkColumn(
                width="small", display_text=ctx.text("abrir ↗", "open ↗")
            ),
            record: st.column_config.LinkColumn(
                width="small",
                display_text=ctx.text("en Datos ↗", "on Data ↗"),
                help=ctx.text(
                    "La ficha del anuncio en la página Datos: valores actuales, historial y "
                    "correcciones.",
                    "The announcement's record on the Data page: current values, history and "
                    "corrections.",
                ),
            ),
        },
        key=f"table_{name}",
    )
    st.caption(t("source_announcements", lang))
    ui.csv_download(ctx, shown.drop(columns=record), name)


def programme_facts(ctx: Context) -> None:
    """The programme's public facts, each with its source: context, never counted as roster."""
    facts = cluster.programme_facts()
    lines = []
    for row in facts.itertuples():
        fact = row.fact_es if ctx.lang == "es" else row.fact_en
        source = row.source_title or ""
        when = f", {row.source_date}" if isinstance(row.source_date, str) else ""
        cite = (
            f"[{source}]({row.source_url}){when}"
            if isinstance(row.source_url, str)
            else f"{source}{when}"
        )
        lines.append(f"- {fact} *{ctx.text('Fuente', 'Source')}: {cite}.*")
    st.markdown("\n".join(lines))


def call_to_action(ctx: Context, what: tuple[str, str], how: tuple[str, str]) -> None:
    """An empty roster or plan: say so, and how to fill it (data desk, template, command line)."""
    st.info(
        ctx.text(f"**{what[0]}** ", f"**{what[1]}** ") + pick(how, ctx.lang),
        icon=":material/playlist_add:",
    )
    st.page_link(
        "pages/datos.py",
        label=ctx.text(
            "Ir a Datos: plantilla, carga de archivo o formulario",
            "Go to Data: template, file upload or form",
        ),  # fmt: skip
        icon=":material/upload_file:",
    )
