"""Avance de proyectos / Project pipeline: how many announced projects became operating, how long
it took, and what is stalled, by origin and by year; what the cluster asks at every meeting."""

from datetime import date

import streamlit as st

from analytics import pipeline, ui
from analytics.i18n import STATUSES, each, fmt_date, fmt_number, label

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
today = date.today()
ui.page_header(
    ctx,
    ("Avance de proyectos", "Project pipeline"),
    (
        "Cuántos proyectos anunciados ya operan, cuánto tardaron y cuáles llevan más de un año sin "
        "noticias. Cuenta los anuncios vigentes (no las cancelaciones como evento); el estatus es "
        "el último registrado, con la fecha de la fuente de cada cambio.",
        "How many announced projects are operating, how long they took, and which have had no "
        "news for more than a year. Counts the active announcements (not cancellation events); "
        "the status is the latest recorded, with the date of each change's source.",
    ),
)

s = pipeline.summary(f, today)
if ui.no_data(ctx, None if s["projects"] == 0 else s.to_frame()):
    ui.stop(ctx, "avance")

projects = s["projects"]
st.markdown(f"**{pipeline.headline(ctx, s)}.**")
median = "–" if not s["dated_operation"] else fmt_number(s["median_months"], lang)
ui.kpis(
    [
        (ctx.text("Proyectos", "Projects"), fmt_number(projects, lang), None),
        (ctx.text("En operación", "Operating"), fmt_number(s["operating"], lang), None),
        (ctx.text("En construcción", "Under construction"),
         fmt_number(s["under_construction"], lang), None),
        (ctx.text("Anunciados", "Announced"), fmt_number(s["announced"], lang), None),
        (ctx.text("Sin noticias en 12 meses", "No news in 12 months"),
         fmt_number(s["stalled"], lang), None),
        (ctx.text("Mediana (meses)", "Median (months)"), median, None),
    ]
)  # fmt: skip
st.caption(pipeline.median_text(ctx, s))
if s["undated_open"]:
    st.caption(
        ctx.text(
            f"{fmt_number(s['undated_open'], lang)} proyectos anunciados o en construcción no "
            "tienen ninguna noticia fechada (ni fecha de anuncio ni de fuente): se cuentan con su "
            "estatus, y la vista de seguimiento de Datos los lista para completarlos.",
            f"{fmt_number(s['undated_open'], lang)} announced or under-construction projects have "
            "no dated news at all (no announcement or source date): they count with their status, "
            "and the follow-up view in Data lists them to be completed.",
        )
    )

# Full width each: their titles state the finding, and the years need the room.
fig, data = ui.figure(pipeline.by_origin_figure, ctx, today)
ui.chart(ctx, fig, data, "avance_por_origen", source="source_pipeline")
fig, data = ui.figure(pipeline.by_year_figure, ctx, today)
ui.chart(ctx, fig, data, "avance_por_anio", source="source_pipeline")

st.subheader(ctx.text("Proyectos sin noticias en más de 12 meses",
                      "Projects without news for more than 12 months"))  # fmt: skip
stalled = pipeline.stalled(f, today, limit=ui.TABLE_ROWS)
if stalled.empty:
    st.info(ctx.text("Ningún proyecto anunciado o en construcción lleva más de un año sin noticias.",
                     "No announced or under-construction project has gone a year without news."))  # fmt: skip
else:
    dates = zip(stalled["announced_date"], stalled["date_precision"], strict=True)
    ui.record_table(
        ctx,
        stalled.assign(
            country=each(stalled["origin_iso2"], ctx.country),
            status=each(stalled["status"], lambda c: label(STATUSES, c, lang)),
            announced=each(dates, lambda d: fmt_date(d[0], d[1], lang)),
            news=each(stalled["last_news"], lambda d: fmt_date(d, "day", lang)),
        )[["company", "country", "status", "announced", "news", "months_without_news"]].set_axis(
            [ctx.text("Empresa", "Company"), ctx.text("País", "Country"), ctx.text("Estatus", "Status"),
             ctx.text("Anuncio", "Announced"), ctx.text("Última noticia", "Latest news"),
             ctx.text("Meses sin noticias", "Months without news")], axis=1,
        ),
        stalled["announcement_id"],
        "proyectos_sin_noticias",
        height=420 if len(stalled) > 11 else None,
    )  # fmt: skip
    st.caption(
        ctx.text(
            "Última noticia: la más reciente entre la fecha del anuncio, la de su fuente y la de "
            "la fuente de cada cambio registrado. Abra la ficha para registrar un cambio de estatus.",
            "Latest news: the most recent of the announcement's date, its source's date and the "
            "source date of each recorded change. Open the record to enter a status change.",
        )
    )

operated = pipeline.operated(f, today, limit=ui.TABLE_ROWS)
if not operated.empty:
    st.subheader(ctx.text("Del anuncio a la operación", "From announcement to operation"))
    dates = zip(operated["announced_date"], operated["date_precision"], strict=True)
    ui.record_table(
        ctx,
        operated.assign(
            country=each(operated["origin_iso2"], ctx.country),
            announced=each(dates, lambda d: fmt_date(d[0], d[1], lang)),
            since=each(operated["operating_since"], lambda d: fmt_date(d, "day", lang)),
            months=operated["months_to_operation"].round(0),
        )[["company", "country", "announced", "since", "months"]].set_axis(
            [ctx.text("Empresa", "Company"), ctx.text("País", "Country"),
             ctx.text("Anuncio", "Announced"), ctx.text("En operación desde", "Operating since"),
             ctx.text("Meses", "Months")], axis=1,
        ),
        operated["announcement_id"],
        "del_anuncio_a_la_operacion",
    )  # fmt: skip

ui.page_foot(ctx, "avance")
