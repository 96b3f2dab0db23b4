"""Resumen / Overview: the period's headline figures, the trend by year and the largest projects."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import charts, queries, records, ui
from analytics.i18n import (
    EVENT_TYPES,
    count_text,
    fmt_date,
    fmt_musd,
    fmt_number,
    fmt_pct,
    fmt_period,
    label,
    t,
)

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(ctx, ("Resumen", "Overview"))

now = queries.headline(f)
if ui.no_data(ctx, None if now["projects"] == 0 else now.to_frame()):
    ui.stop(ctx, "")

# Comparisons use dated announcements only: an undated one belongs to no period.
dated = replace(f, include_undated=False)
now_dated, previous = queries.headline(dated), f.previous_period()
before = queries.headline(previous) if previous else None


def delta(key: str) -> str | None:
    if before is None or before[key] == 0:
        return None
    return fmt_pct(now_dated[key] / before[key] - 1, lang, signed=True)


period = fmt_period(f.date_from, f.date_to, lang)
st.markdown(
    ctx.text(
        f"**{period}:** {fmt_number(now['projects'], lang)} proyectos de "
        f"{fmt_number(now['companies'], lang)} empresas, con **{fmt_musd(now['musd'], lang)}** "
        f"anunciados ({fmt_number(now['with_amount'], lang)} proyectos indican monto) y "
        f"{fmt_number(now['jobs'], lang)} empleos directos anunciados.",
        f"**{period}:** {fmt_number(now['projects'], lang)} projects by "
        f"{fmt_number(now['companies'], lang)} companies, with **{fmt_musd(now['musd'], lang)}** "
        f"announced ({fmt_number(now['with_amount'], lang)} projects state an amount) and "
        f"{fmt_number(now['jobs'], lang)} direct jobs announced.",
    )
)
ui.kpis(
    [
        (t("investment_musd", lang), fmt_musd(now["musd"], lang), delta("musd")),
        (t("jobs", lang), fmt_number(now["jobs"], lang), delta("jobs")),
        (t("projects", lang), fmt_number(now["projects"], lang), delta("projects")),
        (t("companies", lang), fmt_number(now["companies"], lang), delta("companies")),
    ]
)
if previous:
    compared = fmt_period(previous.date_from, previous.date_to, lang)
    st.caption(
        ctx.text(
            f"Cambios frente a {compared} (mismo número de años), solo anuncios con fecha."
            if before is not None and before["projects"]
            else f"Sin anuncios con fecha en {compared} para comparar.",
            f"Changes against {compared} (same length), dated announcements only."
            if before is not None and before["projects"]
            else f"No dated announcements in {compared} to compare with.",
        )
    )

# The data are kept up to date: what changed in the last two months (additions and corrections).
since = (pd.Timestamp.today() - pd.DateOffset(months=2)).date()
recent = records.changes_since(since)
st.markdown(
    ctx.text(
        f"**Datos al día:** desde el {fmt_date(since, 'day', 'es')} se agregaron "
        f"{count_text(recent['added'], 'announcements', 'es')} y se registraron "
        f"{fmt_number(recent['corrections'], 'es')} correcciones "
        f"({fmt_number(recent['status_changes'], 'es')} de estatus). "
        f"[Ver el seguimiento en Datos]({records.RECORD_PAGE}?lang=es)",
        f"**Kept up to date:** since {fmt_date(since, 'day', 'en')}, "
        f"{count_text(recent['added'], 'announcements', 'en')} were added and "
        f"{fmt_number(recent['corrections'], 'en')} corrections recorded "
        f"({fmt_number(recent['status_changes'], 'en')} of status). "
        f"[See the follow-up in Data]({records.RECORD_PAGE}?lang=en)",
    )
)

left, right = st.columns([3, 2])
with left:
    yearly = queries.by_year_and(f, "event_type")
    labels = {code: label(EVENT_TYPES, code, lang) for code in EVENT_TYPES}
    colors = {"new_plant": "#1f5fa8", "expansion": "#52b788", "new_line": "#a6c4e8",
              "relocation": "#e08e0b", "cancellation": "#c0392b"}  # fmt: skip
    fig = ui.figure(charts.stacked_bars,
        yearly, "year", "musd", "code", labels, colors,
        ctx.text("Inversión anunciada por año (MDD)", "Announced investment by year (USD M)"),
        lang,
        subtitle=ctx.text("Por tipo de evento; anuncios con fecha y monto",
                          "By event type; announcements with date and amount"),
    )  # fmt: skip
    if not ui.no_data(ctx, yearly):
        ui.chart(
            ctx, fig, yearly.assign(event_type=yearly["code"].map(labels)), "inversion_por_anio"
        )

with right:
    mix = queries.by_group(f, "event_type")
    total = mix["musd"].sum()
    new = mix.loc[mix["code"] == "new_plant", "musd"].sum()
    grown = mix.loc[mix["code"].isin(["expansion", "new_line"]), "musd"].sum()
    if total > 0:
        st.markdown(
            ctx.text(
                f"Las **nuevas plantas** suman {fmt_pct(new / total, lang)} de la inversión con "
                f"monto; las **expansiones y nuevas líneas** de empresas ya instaladas, "
                f"{fmt_pct(grown / total, lang)}.",
                f"**New plants** account for {fmt_pct(new / total, lang)} of the investment with "
                f"an amount; **expansions and new lines** of companies already present, "
                f"{fmt_pct(grown / total, lang)}.",
            )
        )
    mix = mix[mix["musd"] > 0]  # the Ford cancellation has no amount of its own
    mix = mix.assign(name=mix["code"].map(lambda c: label(EVENT_TYPES, c, lang)))
    fig = ui.figure(charts.bar_ranking,
        mix, "name", "musd", [colors.get(c, charts.MUTED) for c in mix["code"]],
        ctx.text("Nuevas plantas frente a expansiones", "New plants versus expansions"), lang,
        hover_extra=mix["projects"].map(lambda n: f"{fmt_number(n, lang)} " + t("projects", lang).lower()),
        subtitle=ctx.text("Inversión anunciada (MDD)", "Announced investment (USD M)"),
    )  # fmt: skip
    ui.chart(ctx, fig, mix[["name", "musd", "projects", "jobs"]], "nuevas_vs_expansiones")

st.subheader(ctx.text("Mayores anuncios del periodo", "Largest announcements of the period"))
ui.announcement_table(ctx, queries.largest(f, 10), "mayores_anuncios")

ui.page_foot(ctx, "")
