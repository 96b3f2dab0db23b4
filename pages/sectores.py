"""Sectores / Sectors: what the cluster makes (sector) and where in the supply chain (tier), and
whether the investment builds new plants or grows existing ones."""

import streamlit as st

from analytics import charts, queries, ui
from analytics.i18n import (
    EVENT_TYPES,
    TIERS,
    count_text,
    fmt_musd,
    fmt_number,
    fmt_period,
    fmt_share,
    label,
)

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(ctx, ("Sectores y niveles de proveeduría", "Sectors and supply-chain tiers"))

sectors = queries.by_group(f, "sector")
if ui.no_data(ctx, sectors):
    ui.stop(ctx, "sectores")

now = queries.headline(f)
tiers = queries.by_group(f, "tier")
events = queries.by_group(f, "event_type")


def tier_name(code) -> str:
    return label(TIERS, code, lang)


# ---------------------------------------------------------------- headline and KPIs

period = fmt_period(f.date_from, f.date_to, lang)
named = sectors.assign(name=sectors["code"].map(ctx.sector))
top_money = named.iloc[0]
top_count = named.sort_values(["projects", "musd"], ascending=False).iloc[0]
new = events.loc[events["code"] == "new_plant", "projects"].sum()
grown = events.loc[events["code"].isin(["expansion", "new_line"]), "projects"].sum()
sentence = ctx.text(
    f"**{period}:** {count_text(now['projects'], 'projects', lang)} en {fmt_number(len(named), lang)} "
    f"{'sectores' if len(named) != 1 else 'sector'}.",
    f"**{period}:** {count_text(now['projects'], 'projects', lang)} in {fmt_number(len(named), lang)} "
    f"{'sectors' if len(named) != 1 else 'sector'}.",
)
if top_money["musd"] > 0:
    sentence += ctx.text(
        f" **{top_money['name']}** concentra el mayor monto anunciado "
        f"({fmt_musd(top_money['musd'], lang)}, {fmt_share(top_money['musd'], now['musd'], lang)} del total)",
        f" **{top_money['name']}** holds the largest announced amount "
        f"({fmt_musd(top_money['musd'], lang)}, {fmt_share(top_money['musd'], now['musd'], lang)} of the "
        "total)",
    )
    sentence += (
        ctx.text(
            f"; **{top_count['name']}**, el mayor número de proyectos "
            f"({fmt_number(top_count['projects'], lang)}).",
            f"; **{top_count['name']}**, the most projects "
            f"({fmt_number(top_count['projects'], lang)}).",
        )
        if top_count["code"] != top_money["code"]
        else "."
    )
sentence += ctx.text(
    f" Nuevas plantas: {fmt_number(new, lang)} proyectos ({fmt_share(new, now['projects'], lang)}); "
    f"expansiones y nuevas líneas de empresas ya instaladas: {fmt_number(grown, lang)} "
    f"({fmt_share(grown, now['projects'], lang)}).",
    f" New plants: {fmt_number(new, lang)} projects ({fmt_share(new, now['projects'], lang)}); "
    f"expansions and new lines of companies already present: {fmt_number(grown, lang)} "
    f"({fmt_share(grown, now['projects'], lang)}).",
)
st.markdown(sentence)


def tier_total(code: str, column: str) -> float:
    return tiers.loc[tiers["code"] == code, column].sum()


no_tier = tier_total("unknown", "projects") + tiers.loc[tiers["code"].isna(), "projects"].sum()
oem_share = fmt_share(tier_total("OEM", "musd"), now["musd"], lang)
ui.kpis(
    [
        (ctx.text("Sectores con anuncios", "Sectors with announcements"),
         fmt_number(len(named), lang), None),
        (ctx.text(f"Armadoras (OEM): {oem_share} del monto",
                  f"OEMs (carmakers): {oem_share} of the amount"),
         fmt_musd(tier_total("OEM", "musd"), lang), None),
        (ctx.text("Proyectos Tier 1", "Tier 1 projects"),
         fmt_number(tier_total("Tier 1", "projects"), lang), None),
        (ctx.text("Proyectos sin nivel indicado", "Projects with no tier stated"),
         f"{fmt_number(no_tier, lang)} ({fmt_share(no_tier, now['projects'], lang)})", None),
    ]
)  # fmt: skip

# ---------------------------------------------------------------- tier → sector treemap

sizes = {  # one switch for both charts
    "musd": ctx.text("Inversión anunciada (MDD)", "Announced investment (USD M)"),
    "projects": ctx.text("Número de proyectos", "Number of projects"),
}
size = st.radio(
    ctx.text("Medir por", "Measure"),
    list(sizes),
    format_func=sizes.get,
    horizontal=True,
)
cells = queries.by_sector_and(f, "tier")
cells = cells.assign(
    tier=cells["code"].map(tier_name),
    sector_name=cells["sector"].map(ctx.sector),
)
cells["hover"] = [
    f"<b>{s}</b> · {tn}<br>{fmt_musd(m, lang)}<br>{count_text(p, 'projects', lang)}"
    for s, tn, m, p in zip(
        cells["sector_name"], cells["tier"], cells["musd"], cells["projects"], strict=True
    )
]
tier_hover = {
    code: f"<b>{tier_name(code)}</b><br>{fmt_musd(m, lang)}<br>{count_text(p, 'projects', lang)}"
    for code, m, p in zip(
        tiers["code"].fillna("unknown"), tiers["musd"], tiers["projects"], strict=True
    )
}
tier_labels = {code: tier_name(code) for code in [*TIERS, *sorted(set(cells["code"]) - set(TIERS))]}
left_out = cells.loc[cells[size] <= 0, "projects"].sum()
subtitle = ctx.text(
    "Cada bloque es un nivel de la cadena de proveeduría, dividido por sector",
    "Each block is a supply-chain tier, split by sector",
)
if size == "musd" and left_out:
    subtitle += ctx.text(
        f"; no aparecen {fmt_number(left_out, lang)} proyectos sin monto",
        f"; {fmt_number(left_out, lang)} projects without an amount are not shown",
    )
fig = ui.figure(charts.treemap,
    cells, "code", "sector_name", size, tier_labels, charts.TIER_COLORS,
    ctx.text("Inversión anunciada por nivel y sector (MDD)",
             "Announced investment by tier and sector (USD M)")
    if size == "musd"
    else ctx.text("Proyectos por nivel y sector", "Projects by tier and sector"),
    lang, hover_col="hover", parent_hover=tier_hover, subtitle=subtitle, musd=size == "musd",
)  # fmt: skip
if not ui.no_data(ctx, cells[cells[size] > 0]):
    ui.chart(
        ctx,
        fig,
        cells[["code", "tier", "sector", "sector_name", "musd", "projects"]].rename(
            columns={"code": "tier_code", "sector": "sector_code"}
        ),
        "nivel_y_sector",
    )

# ---------------------------------------------------------------- by sector and event type

mix = queries.by_sector_and(f, "event_type")
event_labels = {code: label(EVENT_TYPES, code, lang) for code in EVENT_TYPES}
mix = mix.assign(sector_name=mix["sector"].map(ctx.sector), event=mix["code"].map(event_labels))
mix["hover"] = [
    f"<b>{s}</b> · {e}<br>{fmt_musd(m, lang)}<br>{count_text(p, 'projects', lang)}"
    for s, e, p, m in zip(
        mix["sector_name"], mix["event"], mix["projects"], mix["musd"], strict=True
    )
]
shown = mix[mix[size] > 0]
if size == "musd":
    title = ctx.text(
        "Inversión anunciada por sector: nuevas plantas frente a expansiones (MDD)",
        "Announced investment by sector: new plants versus expansions (USD M)",
    )
    subtitle = ctx.text("Proyectos que indican monto, por tipo de evento",
                        "Projects that state an amount, by event type")  # fmt: skip
else:
    title = ctx.text(
        "Proyectos por sector: nuevas plantas frente a expansiones",
        "Projects by sector: new plants versus expansions",
    )
    subtitle = ctx.text("Número de proyectos por tipo de evento",
                        "Number of projects by event type")  # fmt: skip
fig = ui.figure(charts.stacked_ranking,
    shown, "sector_name", size, "code", event_labels, charts.EVENT_TYPE_COLORS, title, lang,
    hover_col="hover", musd=size == "musd", subtitle=subtitle,
)  # fmt: skip
if not ui.no_data(ctx, shown):
    ui.chart(
        ctx,
        fig,
        shown[["sector", "sector_name", "code", "event", "projects", "musd"]].rename(
            columns={"code": "event_type"}
        ),
        "sector_y_tipo_de_evento",
    )

ui.page_foot(ctx, "sectores")
