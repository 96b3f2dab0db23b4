"""Empresas / Companies: every announcement, searchable and sortable with its source, and one
company's history of investments in SLP."""

import unicodedata

import pandas as pd
import streamlit as st

from analytics import charts, queries, ui
from analytics.i18n import (
    EVENT_TYPES,
    STATUSES,
    count_text,
    fmt_date,
    fmt_musd,
    fmt_number,
    fmt_period,
    label,
    t,
)

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(ctx, ("Empresas", "Companies"))

groups = queries.by_company_group(f, limit=ui.TABLE_ROWS)  # the largest: a list a browser holds
if ui.no_data(ctx, groups):
    st.stop()
totals = queries.company_group_totals(f)


# ---------------------------------------------------------------- headline and KPIs

period = fmt_period(f.date_from, f.date_to, lang)
total, repeat = int(totals["projects"]), int(totals["repeat"])
top = groups.iloc[0]
sentence = ctx.text(
    f"**{period}:** {fmt_number(totals['groups'], lang)} empresas o grupos con "
    f"{count_text(total, 'announcements', lang)}; {fmt_number(repeat, lang)} han anunciado más de "
    "una vez en SLP.",
    f"**{period}:** {fmt_number(totals['groups'], lang)} companies or groups with "
    f"{count_text(total, 'announcements', lang)}; {fmt_number(repeat, lang)} have announced more "
    "than once in SLP.",
)
if top["musd"] > 0:
    sentence += ctx.text(
        f" Mayor monto acumulado: **{top['company_group']}** ({fmt_musd(top['musd'], lang)} en "
        f"{count_text(top['projects'], 'announcements', lang)}).",
        f" Largest cumulative amount: **{top['company_group']}** ({fmt_musd(top['musd'], lang)} in "
        f"{count_text(top['projects'], 'announcements', lang)}).",
    )
st.markdown(sentence)
ui.kpis(
    [
        (
            ctx.text("Empresas o grupos", "Companies or groups"),
            fmt_number(totals["groups"], lang),
            None,
        ),
        (ctx.text("Anuncios", "Announcements"), fmt_number(total, lang), None),
        (
            ctx.text("Con más de un anuncio", "With more than one announcement"),
            fmt_number(repeat, lang),
            None,
        ),
        (
            ctx.text("Anuncios con monto", "Announcements with an amount"),
            fmt_number(totals["with_amount"], lang),
            None,
        ),
    ]
)
st.caption(
    ctx.text(
        "Se agrupan los anuncios de un mismo grupo empresarial (p. ej., las plantas de un mismo "
        "corporativo); si no se indica el grupo, se usa el nombre de la empresa.",
        "Announcements of the same corporate group are counted together (e.g. one corporation's "
        "several plants); when no group is stated, the company name is used.",
    )
)

# ---------------------------------------------------------------- search and table

st.subheader(ctx.text("Buscar anuncios", "Search announcements"))
left, right = st.columns([3, 2])
search = left.text_input(
    ctx.text(
        "Empresa, grupo, país, sector, municipio o parque", "Company, group, country, sector, "
        "municipality or park"
    ),
    placeholder=ctx.text("p. ej., BMW, Continental, China, Villa de Reyes",
                         "e.g. BMW, Continental, China, Villa de Reyes"),
)  # fmt: skip
orders = {
    "date": ctx.text("Más recientes", "Most recent"),
    "amount": ctx.text("Mayor monto", "Largest amount"),
}
order = right.radio(
    ctx.text("Ordenar por", "Sort by"), list(orders), format_func=orders.get, horizontal=True
)


def folded(text: str) -> str:
    """Lower case without accents, so 'potosi' finds 'Potosí' (the search compares so, in SQL)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Searched in SQL, so that a registry of millions of rows is never brought into Python.
needle = folded(search.strip())
rows = queries.announcements(f, order, limit=ui.TABLE_ROWS, needle=needle, lang=lang)
found_totals = queries.company_group_totals(f, needle, lang) if needle else totals
matches = int(found_totals["projects"])
if needle:
    st.caption(
        ctx.text(
            f"{fmt_number(matches, lang)} de {count_text(total, 'announcements', lang)} coinciden "
            f"con «{search.strip()}».",
            f"{fmt_number(matches, lang)} of {count_text(total, 'announcements', lang)} match "
            f"“{search.strip()}”.",
        )
    )
if rows.empty:
    st.info(
        ctx.text(
            f"Ningún anuncio coincide con «{search.strip()}» con los filtros actuales.",
            f"No announcement matches “{search.strip()}” with the current filters.",
        )
    )
else:
    # A fixed height with a scroll bar for long lists; short ones fit without blank rows.
    ui.announcement_table(
        ctx,
        rows,
        "anuncios_empresas",
        height=420 if len(rows) > 11 else None,
        total=matches,
    )

# ---------------------------------------------------------------- one company

st.subheader(ctx.text("Historia de una empresa en SLP", "A company's history in SLP"))
# The groups of the announcements found (the largest first), or all groups.
options = queries.by_company_group(f, ui.TABLE_ROWS, needle, lang) if needle else groups
if options.empty:
    st.info(ctx.text("Ninguna empresa coincide con la búsqueda.", "No company matches the search."))
    st.stop()
offered = int(found_totals["groups"])
if offered > len(options):
    st.caption(
        ctx.text(
            f"La lista ofrece los {fmt_number(len(options), lang)} grupos de mayor monto de "
            f"{fmt_number(offered, lang)}; busque arriba para encontrar otros.",
            f"The list offers the {fmt_number(len(options), lang)} groups with the largest "
            f"amounts of {fmt_number(offered, lang)}; search above to find others.",
        )
    )
summary = options.set_index("company_group")
# 'Group (its one company) · 3 announcements · 120.0 MDD', for each option at once.
option_texts = {
    group: (
        group
        + (f" ({first_name})" if names == 1 and first_name != group else "")
        + f" · {count_text(projects, 'announcements', lang)}"
        + (f" · {fmt_musd(musd, lang)}" if musd > 0 else "")
    )
    for group, names, first_name, projects, musd in zip(
        options["company_group"], options["names"], options["first_name"], options["projects"],
        options["musd"], strict=True,
    )
}  # fmt: skip

chosen = st.selectbox(
    ctx.text("Empresa o grupo", "Company or group"),
    list(summary.index),
    format_func=option_texts.get,
)
history = queries.company_announcements(f, chosen)
one = summary.loc[chosen]
first, last = one["first_year"], one["last_year"]
ui.kpis(
    [
        (t("investment_musd", lang), fmt_musd(one["musd"], lang), None),
        (ctx.text("Anuncios", "Announcements"), fmt_number(one["projects"], lang), None),
        (t("jobs", lang), fmt_number(one["jobs"], lang), None),
        (
            ctx.text("Años con anuncios", "Years with announcements"),
            "–" if pd.isna(first) else (
                str(int(first)) if first == last else f"{int(first)}–{int(last)}"
            ),
            None,
        ),
    ]
)  # fmt: skip

event_labels = {code: label(EVENT_TYPES, code, lang) for code in EVENT_TYPES}
dated = history[history["announced_date"].notna()].copy()
undated = history[history["announced_date"].isna()]
if not dated.empty:
    dated["when"] = [
        fmt_date(d, p, lang)
        for d, p in zip(dated["announced_date"], dated["date_precision"], strict=True)
    ]
    dated["hover"] = [
        f"<b>{c}</b><br>{event_labels.get(e, e)} · {w}<br>"
        + (fmt_musd(m, lang) if pd.notna(m) else ctx.text("monto no indicado", "amount not stated"))
        + (f"<br>{fmt_number(j, lang)} {t('jobs', lang).lower()}" if pd.notna(j) else "")
        + f"<br>{label(STATUSES, s, lang)}"
        for c, e, w, m, j, s in zip(
            dated["company"], dated["event_type"], dated["when"], dated["amount_musd"],
            dated["jobs"], dated["status"], strict=True,
        )
    ]  # fmt: skip
    no_amount = int(dated["amount_musd"].isna().sum())
    subtitle = ctx.text(
        "Cada punto es un anuncio en su fecha; la altura es el monto (MDD)",
        "Each dot is an announcement at its date; its height is the amount (USD M)",
    )
    if no_amount:
        subtitle += ctx.text(
            f"; círculos vacíos sobre el eje: {fmt_number(no_amount, lang)} sin monto",
            f"; open circles on the axis: {fmt_number(no_amount, lang)} without an amount",
        )
    fig = charts.timeline(
        dated, "announced_date", "amount_musd", "event_type", event_labels,
        charts.EVENT_TYPE_COLORS, "hover",
        ctx.text(f"{chosen}: anuncios de inversión en SLP", f"{chosen}: investment announcements in SLP"),
        lang, ctx.text("MDD", "US$M"), subtitle=subtitle,
    )  # fmt: skip
    ui.chart(
        ctx,
        fig,
        dated[["company", "event_type", "announced_date", "date_precision", "amount_musd", "jobs",
               "status", "source_url"]],
        "historia_empresa",
    )  # fmt: skip
if not undated.empty:
    items = "\n".join(
        f"- **{c}** · {event_labels.get(e, e)} · "
        + (fmt_musd(m, lang) if pd.notna(m) else ctx.text("monto no indicado", "amount not stated"))
        for c, e, m in zip(
            undated["company"], undated["event_type"], undated["amount_musd"], strict=True
        )
    )
    st.markdown(
        ctx.text(
            f"**Sin fecha ({fmt_number(len(undated), lang)}), fuera de la línea de tiempo:**",
            f"**Undated ({fmt_number(len(undated), lang)}), not on the timeline:**",
        )
        + "\n\n"
        + items
    )
ui.announcement_table(ctx, history, "anuncios_de_la_empresa")
