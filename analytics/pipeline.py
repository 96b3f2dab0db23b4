"""The status pipeline: how many announced projects became operating, how long it took, and what is
stalled, by origin and by year. What the cluster asks at every meeting; read by the page
Avance de proyectos (pages/avance.py) and by the meeting pack's pipeline slide.

A project is an active announcement other than a cancellation event. Its stage is its status,
except that one still announced or under construction whose latest dated news (its announcement
date, its source's date, or the date of a change's source) is more than STALE_MONTHS old is
stalled. Months to operation are counted only for projects with a dated change to operating (the
date of its source): the median says on how many it rests.
"""

from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics import charts, queries
from analytics.context import Context
from analytics.db import query
from analytics.filters import Filters
from analytics.i18n import STATUSES, fmt_number, fmt_pct, pick, t

STALE_MONTHS = 12
CHART_NAMES = ("13_avance_por_origen", "14_avance_por_anio")  # the pack's pipeline charts
# Stages in the order charts stack them; labels and colours.
STAGES = {
    "operating": (pick(STATUSES["operating"], "es"), pick(STATUSES["operating"], "en")),
    "under_construction": STATUSES["under_construction"],
    "announced": STATUSES["announced"],
    "stalled": ("Sin noticias en 12 meses", "No news in 12 months"),
    "cancelled": STATUSES["cancelled"],
    "unknown": ("Sin estatus", "No status"),
}
STAGE_COLORS = {
    "operating": "#1b7f5b",
    "under_construction": "#52b788",
    "announced": "#a6c4e8",
    "stalled": "#e08e0b",
    "cancelled": "#c0392b",
    "unknown": charts.MUTED,
}
# The date a source gives as text (2017-10-25, 2017-10, 2017), read as the day it starts.
SOURCE_DAY_SQL = (
    "coalesce(try_strptime(source_date, '%Y-%m-%d'), try_strptime(source_date, '%Y-%m'), "
    "try_strptime(source_date, '%Y'))::DATE"
)
# Per announcement: the latest dated news in its changes (a status change recorded without its
# source's date counts from the day it was recorded), and when it became operating.
CHANGE_NEWS = """
    SELECT entity_id AS announcement_id,
           max(coalesce(effective_date,
                        CASE WHEN field = 'status' THEN CAST(changed_at AS DATE) END)) AS change_news,
           min(effective_date) FILTER (WHERE field = 'status' AND new_value = 'operating')
               AS operating_since
    FROM changes WHERE entity = 'announcements' GROUP BY 1
"""
# The middle of a date stated by month or year, to count months from.
MIDDLE_SQL = (
    "announced_date + CASE date_precision WHEN 'year' THEN 182 WHEN 'month' THEN 14 ELSE 0 END"
)


def staged(f: Filters, today: date) -> tuple[str, dict]:
    """The filtered projects with their last news, stage and (if dated) months to operation."""
    source, params = queries.filtered(f)
    sql = f"""(
        SELECT p.*,
               CASE WHEN status IN ('announced', 'under_construction')
                         AND last_news < $today - INTERVAL {STALE_MONTHS} MONTH THEN 'stalled'
                    ELSE coalesce(status, 'unknown') END AS stage,
               CASE WHEN status = 'operating' AND operating_since IS NOT NULL
                         AND announced_date IS NOT NULL
                    -- an announcement dated after the opening it reports counts as 0 months
                    THEN greatest(0, date_diff('day', {MIDDLE_SQL}, operating_since) / 30.4375)
               END AS months_to_operation
        FROM (
            SELECT s.*, n.operating_since,
                   greatest(s.announced_until, {SOURCE_DAY_SQL}, n.change_news) AS last_news
            FROM {source} s LEFT JOIN ({CHANGE_NEWS}) n USING (announcement_id)
            WHERE s.event_type IS DISTINCT FROM 'cancellation'
        ) p
    )"""  # noqa: S608 (fixed SQL; values are bound)
    return sql, {**params, "today": today}


def summary(f: Filters, today: date) -> pd.Series:
    """Projects, by stage, and the median months to operation with how many it rests on."""
    source, params = staged(f, today)
    return query(
        f"""
        SELECT count(*) AS projects,
               count(*) FILTER (WHERE stage = 'operating') AS operating,
               count(*) FILTER (WHERE stage = 'under_construction') AS under_construction,
               count(*) FILTER (WHERE stage = 'announced') AS announced,
               count(*) FILTER (WHERE stage = 'stalled') AS stalled,
               count(*) FILTER (WHERE stage = 'cancelled') AS cancelled,
               count(*) FILTER (WHERE status IN ('announced', 'under_construction')
                                AND last_news IS NULL) AS undated_open,
               count(months_to_operation) AS dated_operation,
               median(months_to_operation) AS median_months
        FROM {source}
        """,  # noqa: S608
        params,
    ).iloc[0]


def by_stage(f: Filters, today: date, column: str) -> pd.DataFrame:
    """Projects by origin country or by year of announcement, and stage."""
    key = {"origin": "origin_iso2", "year": "announced_year"}[column]
    source, params = staged(f, today)
    return query(
        f"""
        SELECT {key} AS key, stage, count(*) AS projects
        FROM {source} {"WHERE announced_year IS NOT NULL" if column == "year" else ""}
        GROUP BY 1, 2 ORDER BY 1, 2
        """,  # noqa: S608
        params,
    )


def stalled(f: Filters, today: date, limit: int | None = None) -> pd.DataFrame:
    """The stalled projects, longest without news first."""
    source, params = staged(f, today)
    return query(
        f"""
        SELECT announcement_id, company, origin_iso2, status, announced_date, date_precision,
               last_news, date_diff('month', last_news, $today) AS months_without_news,
               amount_musd, municipality, source_url
        FROM {source} WHERE stage = 'stalled'
        ORDER BY last_news, amount_musd DESC NULLS LAST, announcement_id LIMIT $limit
        """,  # noqa: S608
        {**params, "limit": limit},
    )


def operated(f: Filters, today: date, limit: int | None = None) -> pd.DataFrame:
    """The projects whose months to operation are known, quickest first."""
    source, params = staged(f, today)
    return query(
        f"""
        SELECT announcement_id, company, origin_iso2, announced_date, date_precision,
               operating_since, months_to_operation
        FROM {source} WHERE months_to_operation IS NOT NULL
        ORDER BY months_to_operation, announcement_id LIMIT $limit
        """,  # noqa: S608
        {**params, "limit": limit},
    )


def as_of(f: Filters) -> Filters:
    """A meeting period's filters for the pipeline: every project announced up to its end (and
    the undated ones), not only those of the period."""
    return replace(f, date_from=None, include_undated=True)


# ---------------------------------------------------------------- figures (Context in, (fig, data) out)


def _stage_labels(lang: str) -> dict[str, str]:
    return {code: pick(names, lang) for code, names in STAGES.items()}


def headline(ctx: Context, s: pd.Series) -> str:
    """'31 de 92 proyectos ya operan; 12 llevan más de un año sin noticias'."""
    lang = ctx.lang
    if not s["projects"]:
        return ctx.text("Sin proyectos con estos filtros", "No projects with these filters")
    operating = f"{fmt_number(s['operating'], lang)} / {fmt_number(s['projects'], lang)}"
    return ctx.text(
        f"{operating} proyectos anunciados ya operan "
        f"({fmt_pct(s['operating'] / s['projects'], lang)}); {fmt_number(s['stalled'], lang)} "
        "llevan más de un año sin noticias",
        f"{operating} announced projects are operating "
        f"({fmt_pct(s['operating'] / s['projects'], lang)}); {fmt_number(s['stalled'], lang)} "
        "have had no news for over a year",
    )


def median_text(ctx: Context, s: pd.Series) -> str:
    """The median months to operation and, always, how many projects it rests on."""
    lang, n = ctx.lang, int(s["dated_operation"])
    if n == 0:
        return ctx.text(
            f"Ninguno de los {fmt_number(s['operating'], lang)} proyectos en operación tiene aún "
            "un cambio de estatus fechado (la fecha de su fuente): la mediana de meses del anuncio "
            "a la operación se calculará cuando se registren.",
            f"None of the {fmt_number(s['operating'], lang)} operating projects has a dated status "
            "change yet (its source's date): the median months from announcement to operation "
            "will be computed once they are recorded.",
        )
    months = fmt_number(s["median_months"], lang, 0)
    return ctx.text(
        f"Mediana (meses): {months} meses del anuncio a la operación, calculada sobre "
        f"{fmt_number(n, lang)} de {fmt_number(s['operating'], lang)} proyectos en operación (los "
        "que tienen un cambio de estatus fechado).",
        f"Median (months): {months} months from announcement to operation, based on "
        f"{fmt_number(n, lang)} of {fmt_number(s['operating'], lang)} operating projects (those "
        "with a dated status change).",
    )


def median_short(ctx: Context, s: pd.Series) -> str:
    """The median in a slide's subtitle: its value and what it rests on, or why there is none."""
    n = int(s["dated_operation"])
    if n == 0:
        return ctx.text(
            "Meses del anuncio a la operación: sin cambios de estatus fechados todavía",
            "Months from announcement to operation: no dated status change yet",
        )
    return ctx.text(
        f"Mediana del anuncio a la operación: {fmt_number(s['median_months'], 'es')} meses "
        f"(sobre {fmt_number(n, 'es')} proyectos con cambio de estatus fechado); estatus al "
        "día de hoy",
        f"Median from announcement to operation: {fmt_number(s['median_months'], 'en')} months "
        f"(based on {fmt_number(n, 'en')} projects with a dated status change); status as of today",
    )


def _told(fig: go.Figure, title: str, subtitle: str) -> go.Figure:
    """Keep the finding and the metric line as plain text, as the pack's figures do
    (analytics.figures.headline reads them for the slides)."""
    fig.update_layout(meta={"title": title, "subtitle": subtitle})
    return fig


def by_origin_figure(ctx: Context, today: date) -> tuple[go.Figure, pd.DataFrame]:
    frame = by_stage(ctx.filters, today, "origin")
    lang = ctx.lang
    frame = frame.assign(name=frame["key"].map(ctx.country))
    stalled_by = frame[frame["stage"] == "stalled"].groupby("name")["projects"].sum()
    if stalled_by.empty:
        title = ctx.text("Ningún origen tiene proyectos sin noticias en 12 meses",
                         "No origin has projects without news in 12 months")  # fmt: skip
    else:
        top = stalled_by.sort_values(ascending=False)
        title = ctx.text(
            f"{top.index[0]}: {fmt_number(top.iloc[0], 'es')} de los "
            f"{fmt_number(top.sum(), 'es')} proyectos sin noticias en 12 meses",
            f"{top.index[0]}: {fmt_number(top.iloc[0], 'en')} of the "
            f"{fmt_number(top.sum(), 'en')} projects without news in 12 months",
        )
    subtitle = ctx.text("Proyectos por país de origen y etapa", "Projects by origin and stage")
    fig = charts.stacked_ranking(
        frame, "name", "projects", "stage", _stage_labels(lang), STAGE_COLORS, title, lang,
        subtitle=subtitle, musd=False,
    )  # fmt: skip
    fig = _told(fig, title, subtitle)
    data = frame.assign(stage=frame["stage"].map(_stage_labels(lang)))
    return fig, data[["name", "stage", "projects"]]


def by_year_figure(ctx: Context, today: date) -> tuple[go.Figure, pd.DataFrame]:
    frame = by_stage(ctx.filters, today, "year")
    lang = ctx.lang
    title = ctx.text("Etapa de los proyectos por año de anuncio", "Stage of projects by year")
    if not frame.empty:
        split = today.year - 3  # announced three years ago or earlier: time enough to open
        old, recent = frame[frame["key"] <= split], frame[frame["key"] > split]

        def share(part: pd.DataFrame) -> float | None:
            total = part["projects"].sum()
            return (
                part.loc[part["stage"] == "operating", "projects"].sum() / total if total else None
            )

        if share(old) is not None and share(recent) is not None:
            title = ctx.text(
                f"Opera {fmt_pct(share(old), 'es')} de lo anunciado hasta {split} y "
                f"{fmt_pct(share(recent), 'es')} de lo anunciado desde {split + 1}",
                f"{fmt_pct(share(old), 'en')} of what was announced up to {split} is operating, "
                f"{fmt_pct(share(recent), 'en')} of what was announced since {split + 1}",
            )
    subtitle = ctx.text("Proyectos con fecha por año de anuncio y etapa",
                        "Dated projects by year of announcement and stage")  # fmt: skip
    fig = charts.stacked_bars(
        frame, "key", "projects", "stage", _stage_labels(lang), STAGE_COLORS, title, lang,
        subtitle=subtitle, musd=False,
    )  # fmt: skip
    fig.update_layout(legend={"traceorder": "normal"})  # the stages in their order
    fig = _told(fig, title, subtitle)
    data = frame.rename(columns={"key": "year"})
    return fig, data.assign(stage=data["stage"].map(_stage_labels(lang)))


def slides(ctx: Context, today: date) -> list:
    """The meeting pack's pipeline slides (projects announced up to the period's end): by
    origin, with what the cluster asks first as title; by year of announcement. Each chart full
    width: the stages' legend does not fit beside another chart."""
    from analytics.pack import Chart, Slide  # the pack imports this module

    as_of_ctx = replace(ctx, filters=as_of(ctx.filters))
    s = summary(as_of_ctx.filters, today)
    if not s["projects"]:
        return []
    source = t("source_pipeline", ctx.lang)
    origin, origin_data = by_origin_figure(as_of_ctx, today)
    year, year_data = by_year_figure(as_of_ctx, today)
    by_origin = Chart(CHART_NAMES[0], origin, origin_data)
    by_year = Chart(CHART_NAMES[1], year, year_data)
    return [
        Slide("charts", headline(ctx, s), by_origin.title, [by_origin], source=source),
        Slide("charts", by_year.title, median_short(ctx, s), [by_year], source=source),
    ]  # fmt: skip
