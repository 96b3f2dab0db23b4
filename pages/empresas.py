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

groups = queries.by_company_group(f)
if ui.no_data(ctx, groups):
    st.stop()


# ---------------------------------------------------------------- headline and KPIs

period = fmt_period(f.date_from, f.date_to, lang)
total = int(groups["projects"].sum())
repeat = int((groups["projects"] > 1).sum())
top = groups.iloc[0]
sentence = ctx.text(
    f"**{period}:** {fmt_number(len(groups), lang)} empresas o grupos con "
    f"{count_text(total, 'announcements', lang)}; {fmt_number(repeat, lang)} han anunciado más de "
    "una vez en SLP.",
    f"**{period}:** {fmt_number(len(groups), lang)} companies or groups with "
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
        (ctx.text("Empresas o grupos", "Companies or groups"), fmt_number(len(groups), lang), None),
        (ctx.text("Anuncios", "Announcements"), fmt_number(total, lang), None),
        (
            ctx.text("Con más de un anuncio", "With more than one announcement"),
            fmt_number(repeat, lang),
            None,
        ),
        (
            ctx.text("Anuncios con monto", "Announcements with an amount"),
            fmt_number(groups["with_amount"].sum(), lang),
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
# Without a search, only the rows the table shows (the search needs them all).
rows = queries.announcements(f, order, limit=None if search.strip() else ui.TABLE_ROWS)


def folded(text) -> str:
    """Lower case without accents, so 'potosi' finds 'Potosí'."""
    if not isinstance(text, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


needle = folded(search.strip())
if needle:
    haystack = (
        rows["company"].map(folded)
        + " | " + rows["parent_group"].map(folded)
        + " | " + rows["origin_iso2"].map(lambda c: folded(ctx.country(c)))
        + " | " + rows["sector"].map(lambda c: folded(ctx.sector(c)))
        + " | " + rows["municipality"].map(folded)
        + " | " + rows["park"].map(folded)
    )  # fmt: skip
    found = rows[haystack.str.contains(needle, regex=False)]
    st.caption(
        ctx.text(
            f"{fmt_number(len(found), lang)} de {count_text(len(rows), 'announcements', lang)} coinciden con "
            f"«{search.strip()}».",
            f"{fmt_number(len(found), lang)} of {count_text(len(rows), 'announcements', lang)} match "
            f"“{search.strip()}”.",
        )
    )
else:
    found = rows
if found.empty:
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
        found,
        "anuncios_empresas",
        height=420 if len(found) > 11 else None,
        total=len(found) if needle else total,
    )

# ---------------------------------------------------------------- one company

st.subheader(ctx.text("Historia de una empresa en SLP", "A company's history in SLP"))
matching = set(found["parent_group"].fillna(found["company"])) if needle else None
options = groups if matching is None else groups[groups["company_group"].isin(matching)]
if options.empty:
    st.info(ctx.text("Ninguna empresa coincide con la búsqueda.", "No company matches the search."))
    st.stop()
if len(options) > ui.TABLE_ROWS:  # a list the browser can hold: the largest, or search
    st.caption(
        ctx.text(
            f"La lista ofrece los {fmt_number(ui.TABLE_ROWS, lang)} grupos de mayor monto de "
            f"{fmt_number(len(options), lang)}; busque arriba para encontrar otros.",
            f"The list offers the {fmt_number(ui.TABLE_ROWS, lang)} groups with the largest "
            f"amounts of {fmt_number(len(options), lang)}; search above to find others.",
        )
    )
    options = options.head(ui.TABLE_ROWS)
summary = options.set_index("company_group")


def option_text(group: str) -> str:
    """'Group (its one company) · 3 announcements · 120.0 MDD'."""
    row = summary.loc[group]
    name = group
    if row["names"] == 1 and row["first_name"] != group:
        name += f" ({row['first_name']})"
    text = f"{name} · {count_text(row['projects'], 'announcements', lang)}"
    return text + (f" · {fmt_musd(row['musd'], lang)}" if row["musd"] > 0 else "")


chosen = st.selectbox(
    ctx.text("Empresa o grupo", "Company or group"),
    list(summary.index),
    format_func=option_text,
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
