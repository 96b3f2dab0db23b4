"""Empresas / Companies: every announcement, searchable, and one company's profile in SLP: its
plants and sites with municipality and park, every announcement and status on a timeline, its
announced investment and jobs, the names the sources use for it, and its sources. One company's
rows are one company (etl/cluster/companies.py: rules and an alias list kept as data)."""

import unicodedata

import pandas as pd
import streamlit as st

from analytics import charts, cluster, cluster_ui, queries, ui
from analytics.i18n import (
    EVENT_TYPES,
    STATUSES,
    TIERS,
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

ranked = cluster.companies_ranked(f, limit=ui.TABLE_ROWS)  # the largest: a list a browser holds
if ui.no_data(ctx, ranked):
    ui.stop(ctx, "empresas")
totals = cluster.company_totals(f)

# ---------------------------------------------------------------- headline and KPIs

period = fmt_period(f.date_from, f.date_to, lang)
total, repeat = int(totals["projects"]), int(totals["repeat"])
top = ranked.iloc[0]
sentence = ctx.text(
    f"**{period}:** {fmt_number(totals['companies'], lang)} empresas con "
    f"{count_text(total, 'announcements', lang)}; {fmt_number(repeat, lang)} han anunciado más de "
    "una vez en SLP.",
    f"**{period}:** {fmt_number(totals['companies'], lang)} companies with "
    f"{count_text(total, 'announcements', lang)}; {fmt_number(repeat, lang)} have announced more "
    "than once in SLP.",
)
if top["musd"] > 0:
    sentence += ctx.text(
        f" Mayor monto acumulado: **{top['name']}** ({fmt_musd(top['musd'], lang)} en "
        f"{count_text(top['projects'], 'announcements', lang)}).",
        f" Largest cumulative amount: **{top['name']}** ({fmt_musd(top['musd'], lang)} in "
        f"{count_text(top['projects'], 'announcements', lang)}).",
    )
st.markdown(sentence)
ui.kpis(
    [
        (ctx.text("Empresas", "Companies"), fmt_number(totals["companies"], lang), None),
        (ctx.text("Anuncios", "Announcements"), fmt_number(total, lang), None),
        (ctx.text("Con más de un anuncio", "With more than one announcement"),
         fmt_number(repeat, lang), None),
        (ctx.text("Anuncios con monto", "Announcements with an amount"),
         fmt_number(totals["with_amount"], lang), None),
    ]
)  # fmt: skip
st.caption(
    ctx.text(
        "Los anuncios de una misma empresa se cuentan juntos aunque nombren plantas o sitios "
        "distintos (reglas de nombres y una lista de alias con su motivo; cada perfil dice qué "
        "nombres reunió). Las empresas de un mismo grupo, como las de Continental AG, siguen "
        "siendo empresas distintas.",
        "One company's announcements count together even when they name different plants or "
        "sites (name rules and an alias list with the reason for each; every profile says which "
        "names it brought together). Companies of one group, such as Continental AG's, remain "
        "separate companies.",
    )
)

# ---------------------------------------------------------------- search and table

st.subheader(ctx.text("Buscar anuncios", "Search announcements"))
left, right = st.columns([3, 2])
search = left.text_input(
    ctx.text("Empresa, grupo, país, sector, municipio o parque",
             "Company, group, country, sector, municipality or park"),
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
found_totals = cluster.company_totals(f, needle, lang) if needle else totals
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
    # A search shows what it found; the whole list waits until it is asked for.
    ui.announcement_table(ctx, rows, "anuncios_empresas", height=420 if len(rows) > 11 else None,
                          total=matches, folded=not needle)  # fmt: skip

# ---------------------------------------------------------------- one company's profile

st.header(ctx.text("Perfil de una empresa en SLP", "A company's profile in SLP"))
options = cluster.companies_ranked(f, ui.TABLE_ROWS, needle, lang) if needle else ranked
if options.empty:
    st.info(ctx.text("Ninguna empresa coincide con la búsqueda.", "No company matches the search."))
    ui.stop(ctx, "empresas")
offered = int(found_totals["companies"])
if offered > len(options):
    st.caption(
        ctx.text(
            f"La lista ofrece las {fmt_number(len(options), lang)} empresas de mayor monto de "
            f"{fmt_number(offered, lang)}; busque arriba para encontrar otras.",
            f"The list offers the {fmt_number(len(options), lang)} companies with the largest "
            f"amounts of {fmt_number(offered, lang)}; search above to find others.",
        )
    )
names = dict(zip(options["company_id"], options["name"], strict=True))
wanted = st.query_params.get("empresa")
for extra in {wanted, st.session_state.get("company_choice")} - {None, *names}:
    other = cluster.company(extra)  # a shared link, or a company of the same group
    if other is not None:
        names = {extra: other["name"], **names}
option_texts = {
    cid: f"{name} · {count_text(n, 'announcements', lang)}" + (f" · {fmt_musd(m, lang)}" if m else "")
    for cid, name, n, m in zip(options["company_id"], options["name"], options["projects"],
                               options["musd"], strict=True)
}  # fmt: skip
if st.session_state.get("company_choice") not in names:
    st.session_state["company_choice"] = wanted if wanted in names else next(iter(names))
chosen = st.selectbox(
    ctx.text("Empresa", "Company"),
    list(names),
    format_func=lambda cid: option_texts.get(cid, names[cid]),
    key="company_choice",
)
st.query_params["empresa"] = chosen
profile = cluster.company(chosen)
history = cluster.company_announcements(chosen)

facts = [
    f"{ctx.text('Grupo', 'Group')}: {profile['parent_group']}" if profile["parent_group"] else "",
    f"{ctx.text('Origen', 'Origin')}: {ctx.country(profile['origin_iso2'])}",
    f"{t('tier', lang)}: {label(TIERS, profile['tier'], lang)}",
    f"{t('sector', lang)}: {ctx.sector(profile['sector'])}",
]
st.subheader(profile["name"])
st.markdown(" · ".join(x for x in facts if x))
if f.narrowed(ctx.options["first_year"], ctx.options["last_year"]):
    st.caption(
        ctx.text(
            "El perfil muestra todos los anuncios de la empresa, sin los filtros de la barra "
            "lateral (que sí eligen la lista de empresas).",
            "The profile shows every announcement of the company, without the sidebar's filters "
            "(which do choose the list of companies).",
        )
    )
first, last = profile["first_year"], profile["last_year"]
years = "–" if pd.isna(first) else str(int(first)) if first == last else f"{int(first)}–{int(last)}"
ui.kpis(
    [
        (t("investment_musd", lang), fmt_musd(profile["musd"], lang), None),
        (t("jobs", lang), fmt_number(profile["jobs"], lang), None),
        (ctx.text("Anuncios", "Announcements"), fmt_number(profile["announcements"], lang), None),
        (ctx.text("Años con anuncios", "Years with announcements"), years, None),
    ]
)
st.caption(
    ctx.text(
        f"Montos de {fmt_number(profile['with_amount'], lang)} de "
        f"{count_text(profile['announcements'], 'announcements', lang)} y empleos de "
        f"{fmt_number(profile['with_jobs'], lang)}: las fuentes no siempre los indican. Son "
        "intenciones anunciadas, no IED registrada.",
        f"Amounts from {fmt_number(profile['with_amount'], lang)} of "
        f"{count_text(profile['announcements'], 'announcements', lang)} and jobs from "
        f"{fmt_number(profile['with_jobs'], lang)}: sources do not always state them. They are "
        "announced intentions, not recorded FDI.",
    )
)

st.markdown(ctx.text("**Plantas y sitios**", "**Plants and sites**"))
sites = cluster.company_sites(chosen)
unstated = ctx.text("sección no indicada", "section not stated")
st.dataframe(
    pd.DataFrame(
        {
            ctx.text("Planta o sitio (como lo nombra la fuente)", "Plant or site (as the source names it)"):
                sites["site"],
            t("municipality", lang): sites["municipality"].fillna(t("unknown", lang)),
            t("park", lang): [
                p if isinstance(p, str)
                else (f"{w} ({unstated})" if m == "ambiguous" else (w if isinstance(w, str) else "–"))
                for p, w, m in zip(sites["park_name"], sites["park"], sites["park_match"], strict=True)
            ],
            ctx.text("Anuncios", "Announcements"): sites["projects"],
            t("amount_musd", lang): [fmt_number(v, lang, 1) for v in sites["musd"]],
            ctx.text("Estatus del último anuncio", "Status of the latest announcement"): [
                label(STATUSES, s, lang) for s in sites["latest_status"]
            ],
        }
    ),
    hide_index=True,
    width="stretch",
    key="table_sites",
)  # fmt: skip


def company_timeline(ctx, company: str, name: str) -> tuple:
    """The company's dated announcements on a timeline, and the data it draws (None: none)."""
    lang = ctx.lang
    history = cluster.company_announcements(company)
    dated = history[history["announced_date"].notna()].copy()
    if dated.empty:
        return None, None
    status_labels = {code: label(STATUSES, code, lang) for code in STATUSES}
    dated["hover"] = [
        f"<b>{c}</b><br>{label(EVENT_TYPES, e, lang)} · {fmt_date(d, p, lang)}<br>"
        + (fmt_musd(m, lang) if pd.notna(m) else ctx.text("monto no indicado", "amount not stated"))
        + (f"<br>{fmt_number(j, lang)} {t('jobs', lang).lower()}" if pd.notna(j) else "")
        + f"<br>{label(STATUSES, s, lang)}"
        for c, e, d, p, m, j, s in zip(
            dated["company"], dated["event_type"], dated["announced_date"],
            dated["date_precision"], dated["amount_musd"], dated["jobs"], dated["status"],
            strict=True,
        )
    ]  # fmt: skip
    dated["status_code"] = dated["status"].fillna("unknown")
    no_amount = int(dated["amount_musd"].isna().sum())
    subtitle = ctx.text(
        "Cada punto es un anuncio en su fecha, con el color de su estatus; la altura es el monto",
        "Each dot is an announcement at its date, coloured by its status; its height is the amount",
    )
    if no_amount:
        subtitle += ctx.text(
            f"; círculos vacíos sobre el eje: {fmt_number(no_amount, lang)} sin monto",
            f"; open circles on the axis: {fmt_number(no_amount, lang)} without an amount",
        )
    fig = charts.timeline(
        dated, "announced_date", "amount_musd", "status_code", status_labels,
        charts.STATUS_COLORS, "hover",
        ctx.text(f"{name}: anuncios de inversión en SLP", f"{name}: investment announcements in SLP"),
        lang, ctx.text("MDD", "US$M"), subtitle=subtitle,
    )  # fmt: skip
    return fig, dated[["company", "event_type", "announced_date", "date_precision", "amount_musd",
                       "jobs", "status", "source_url"]]  # fmt: skip


# Built once per company and language for every session (ui.figure): a group's history can be long.
fig, drawn = ui.figure(company_timeline, ctx, chosen, profile["name"])
if fig is not None:
    ui.chart(ctx, fig, drawn, "historia_empresa")
undated = history[history["announced_date"].isna()]
if not undated.empty:
    st.markdown(
        ctx.text(
            f"**Sin fecha ({fmt_number(len(undated), lang)}), fuera de la línea de tiempo:** ",
            f"**Undated ({fmt_number(len(undated), lang)}), not on the timeline:** ",
        )
        + "; ".join(
            f"{c} ({label(EVENT_TYPES, e, lang)}, {label(STATUSES, s, lang)})"
            for c, e, s in zip(
                undated["company"], undated["event_type"], undated["status"], strict=True
            )
        )  # fmt: skip
    )
st.markdown(ctx.text("**Todos sus anuncios**", "**All its announcements**"))
cluster_ui.announcement_table(ctx, history, "anuncios_de_la_empresa")

names_used = cluster.company_names(chosen)
names_shown = ui.on_request(
    ctx.text(f"Nombres en las fuentes ({len(names_used)})",
             f"Names in the sources ({len(names_used)})"),
    "company_names",
)  # fmt: skip
if names_shown.open:
    with names_shown:
        rules = {
            "name": ctx.text("único nombre", "its only name"),
            "rules": ctx.text("mismo nombre sin sitio ni forma legal",
                              "same name without site or legal form"),
            "alias": ctx.text("alias de la lista", "alias from the list"),
            "unnamed": ctx.text("empresa aún sin nombre", "company not yet named"),
        }  # fmt: skip
        st.dataframe(
            pd.DataFrame(
                {
                    ctx.text("Nombre como aparece", "Name as written"): names_used["company"],
                    ctx.text("Anuncios", "Announcements"): names_used["announcements"],
                    ctx.text("Regla", "Rule"): names_used["rule"].map(rules),
                    ctx.text("Motivo del alias", "Reason for the alias"): names_used["reason"],
                    ctx.text("Fuente del alias", "Source of the alias"): names_used["source_url"],
                }
            ),
            hide_index=True,
            width="stretch",
            key="table_names",
        )
        st.caption(
            ctx.text(
                "Los alias se editan en Datos (cada cambio queda en el historial).",
                "Aliases are edited on the Data page (every change is kept in the history).",
            )
        )

siblings = cluster.group_companies(chosen)
if not siblings.empty:
    st.markdown(
        ctx.text(
            f"**Otras empresas del grupo {profile['parent_group']}:**",
            f"**Other companies of the group {profile['parent_group']}:**",
        )
    )
    for column, row in zip(st.columns(min(len(siblings), 4)), siblings.head(4).itertuples(),
                           strict=False):  # fmt: skip
        column.button(
            row.name,
            key=f"sibling_{row.company_id}",
            on_click=st.session_state.__setitem__,
            args=("company_choice", row.company_id),
        )

ui.page_foot(ctx, "empresas")
