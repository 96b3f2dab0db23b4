"""The bimonthly committee meeting pack: a 16:9 PowerPoint deck and a ZIP of 1920x1080 PNG charts
for a period, in Spanish or English, built from the warehouse in one call.

    ctx = load_context("es", meeting_filters(date(2024, 1, 1), date(2024, 2, 29)))
    result = make(ctx)            # result.pptx, result.zip (bytes), result.pack (the slides' content)

This module says what the slides say: `build` gathers their content (data, findings, figures; no
images). analytics.render draws every chart twice with the process's headless Chromium
(analytics.chromium; started once and reused): at the slide's box size without the in-figure title
(the slide says it) and at 1920x1080 with it (the PNG download); analytics.deck lays out and writes
the PowerPoint and the ZIP. The pack's periods and presets are in analytics.periods. The page
pages/reunion.py and the command line `python -m analytics pack` both call `make`.
"""

import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analytics import figures, official_pack, pipeline, queries
from analytics.chromium import Renderer, shared_renderer
from analytics.context import Context
from analytics.deck import to_pptx, to_zip
from analytics.i18n import (
    fmt_date,
    fmt_months,
    fmt_musd,
    fmt_number,
    fmt_pct,
    t,
)
from analytics.periods import (  # noqa: F401 - the pack's periods, as pages and tests name them
    DEFAULT_PRESET,
    PRESETS,
    meeting_filters,
    preset_period,
)
from analytics.render import Images, render

# ---------------------------------------------------------------- the pack's content

# Every chart of the pack by name (file stem of its PNG and CSV), in slide order.
CHARTS = {**figures.CHARTS, **official_pack.CHARTS}


@dataclass
class Chart:
    name: str  # file stem of its PNG and CSV
    fig: go.Figure
    data: pd.DataFrame

    @property
    def title(self) -> str:
        return figures.headline(self.fig)[0]

    @property
    def caption(self) -> str:
        return figures.headline(self.fig)[1]


@dataclass
class Slide:
    kind: str  # cover, kpis, charts, table, message, lines (bullets), notes
    title: str
    subtitle: str = ""
    charts: list[Chart] = field(default_factory=list)
    table: pd.DataFrame | None = None
    lines: list[str] = field(default_factory=list)
    kpis: pd.DataFrame | None = None
    source: str = ""
    weights: tuple[
        float, ...
    ] = ()  # relative widths of the charts side by side (or of a table's columns)


@dataclass
class Pack:
    ctx: Context
    period: str
    prepared: date
    slides: list[Slide]

    @property
    def lang(self) -> str:
        return self.ctx.lang

    @property
    def charts(self) -> list[Chart]:
        return [c for s in self.slides for c in s.charts]

    @property
    def empty(self) -> bool:
        return any(s.kind == "message" for s in self.slides)

    def file_stem(self) -> str:
        f = self.ctx.filters
        word = "reunion" if self.lang == "es" else "meeting"
        return f"{word}_{f.date_from:%Y-%m-%d}_{f.date_to:%Y-%m-%d}_{self.lang}"


def _source(key: str, lang: str) -> str:
    short = {
        "announcements": (
            "Fuente: anuncios públicos de inversión compilados por el observatorio, cada uno con su "
            "fuente; montos en MDD al tipo de referencia del BCE de la fecha del anuncio.",
            "Source: public investment announcements compiled by the observatory, each with its "
            "source; amounts in USD M at the ECB reference rate of the announcement date.",
        ),
    }
    if key in short:
        return short[key][0 if lang == "es" else 1]
    return t(key, lang)


def kpi_title(ctx: Context, frame: pd.DataFrame, previous: str) -> str:
    lang = ctx.lang
    now, before = frame["now"], frame["previous"]
    period = figures.period_text(ctx)
    if now["projects"] == 0:
        return ctx.text(f"Sin anuncios de inversión en {period}",
                        f"No investment announcements in {period}")  # fmt: skip
    projects = fmt_number(now["projects"], lang)
    if now["musd"] == 0:
        return ctx.text(
            f"{projects} proyecto{'s' if now['projects'] != 1 else ''} anunciado"
            f"{'s' if now['projects'] != 1 else ''} en {period}, ninguno con monto",
            f"{projects} project{'s' if now['projects'] != 1 else ''} announced in {period}, "
            "none with an amount",
        )
    head = ctx.text(
        f"Se anunciaron {fmt_musd(now['musd'], lang)} en {projects} proyecto"
        f"{'s' if now['projects'] != 1 else ''}",
        f"{fmt_musd(now['musd'], lang)} announced in {projects} project"
        f"{'s' if now['projects'] != 1 else ''}",
    )
    if pd.isna(before["musd"]):
        return head
    if before["musd"] == 0:
        return head + ctx.text(f"; {previous} no tuvo montos anunciados",
                               f"; {previous} had no announced amounts")  # fmt: skip
    change = fmt_pct(now["musd"] / before["musd"] - 1, lang, signed=True)
    return head + ctx.text(f", {change} frente a {previous}", f", {change} on {previous}")


def build(ctx: Context, today: date | None = None) -> Pack:
    """The slides' content for ctx.filters' period (which must have both dates)."""
    f = ctx.filters
    if not (f.date_from and f.date_to):
        raise ValueError("a meeting pack needs a period with a start and an end date")
    lang, today = ctx.lang, today or date.today()
    period = fmt_months(f.date_from, f.date_to, lang)
    before, year_before = f.previous_period(), f.year_earlier()
    previous = fmt_months(before.date_from, before.date_to, lang)
    earlier = fmt_months(year_before.date_from, year_before.date_to, lang)
    kpis = figures.kpis(ctx)
    now = kpis["now"]
    announcements = _source("announcements", lang)

    def chart(name: str) -> Chart:
        fig, data = CHARTS[name](ctx)
        return Chart(name, fig, data)

    def pair(first: str, second: str, source: str = announcements) -> Slide:
        a, b = chart(first), chart(second)
        return Slide("charts", a.title, b.title, [a, b], source=source)

    filters = ctx.filters_text()
    cover = [
        period,
        ctx.text(f"Preparado el {fmt_date(today, 'day', 'es')}",
                 f"Prepared on {fmt_date(today, 'day', 'en')}"),
        ctx.text(f"Filtros: {filters}", f"Filters: {filters}") if filters else ctx.text(
            "Sin filtros: todos los anuncios con fecha dentro del periodo",
            "No filters: every announcement dated within the period"),
    ]  # fmt: skip
    slides = [
        Slide(
            "cover",
            ctx.text("Reunión bimestral de comités", "Bimonthly committee meeting"),
            ctx.text(
                "Inversión en el clúster automotriz de San Luis Potosí · Comités de desarrollo de "
                "proveedores, académico, de desarrollo de abasto y de capital humano",
                "Investment in the San Luis Potosí automotive cluster · Supplier development, "
                "academic, supply development and human capital committees",
            ),
            lines=cover,
        ),
        Slide(
            "kpis",
            kpi_title(ctx, kpis, previous),
            ctx.text(
                f"{period} frente a {previous} (periodo anterior) y {earlier} (un año antes)",
                f"{period} against {previous} (previous period) and {earlier} (a year earlier)",
            )
            if previous != earlier
            else ctx.text(f"{period} frente a {previous}", f"{period} against {previous}"),
            kpis=kpis,
            lines=[previous, earlier],
            source=announcements,
        ),
    ]
    if now["projects"] == 0:
        before = kpis["previous"]["projects"]
        slides.append(
            Slide(
                "message",
                ctx.text(
                    f"Sin anuncios con fecha en {period}", f"No dated announcements in {period}"
                ),  # fmt: skip
                ctx.text(
                    "Origen, sectores, municipios y anuncios del periodo: sin datos",
                    "Origin, sectors, municipalities and announcements: no data",
                ),
                lines=[
                    ctx.text(
                        f"Ningún anuncio de inversión con fecha dentro de {period}"
                        + (" cumple los filtros." if filters else "."),
                        f"No investment announcement dated within {period}"
                        + (" matches the filters." if filters else "."),
                    ),
                    ctx.text(
                        f"Periodo anterior ({previous}): {_count(before, 'es')}; un año antes "
                        f"({earlier}): {_count(kpis['year_earlier']['projects'], 'es')}.",
                        f"Previous period ({previous}): {_count(before, 'en')}; a year earlier "
                        f"({earlier}): {_count(kpis['year_earlier']['projects'], 'en')}.",
                    ),
                    *_latest_before(ctx),
                    ctx.text(
                        "Los anuncios fechados solo con el año cuentan en periodos de año "
                        "completo; los anuncios sin fecha no se incluyen.",
                        "Announcements dated by year only count in whole-year periods; undated "
                        "announcements are not included.",
                    ),
                ],
                source=announcements,
            )
        )
    else:
        slides += [
            pair("01_inversion_por_pais", "02_inversion_por_region"),
            pair("03_sector_y_nivel", "04_nivel"),
            _map_slide(ctx, chart("05_mapa_municipal"), chart("06_municipios"),
                       f"{announcements} {t('source_inegi', lang)}"),
        ]  # fmt: skip
    trend = chart("07_tendencia_anual")
    slides.append(Slide("charts", trend.title, "", [trend], source=announcements))
    if now["projects"] > 0:
        table = figures.announcement_rows(ctx)
        slides.append(
            Slide(
                "table",
                figures.announcements_title(ctx),
                ctx.text("Ordenados por monto; montos en millones de dólares",
                         "Largest first; amounts in millions of US dollars"),
                table=table,
                source=announcements,
            )
        )  # fmt: skip
    slides += official_pack.slides(ctx, chart)
    slides += pipeline.slides(ctx, today)  # how far the announced projects have come
    from analytics import cluster_slides  # it builds Slides of this module

    slides += cluster_slides.slides(ctx, today)  # supplier programme, opportunities, actions
    slides.append(
        Slide(
            "notes",
            ctx.text("Fuentes y notas", "Sources and notes"),
            period,
            lines=_notes(ctx, kpis, previous, earlier, today),
        )
    )
    return Pack(ctx, period, today, slides)


def _map_slide(ctx: Context, municipal_map: Chart, ranking: Chart, source: str) -> Slide:
    """The map wider than the ranking beside it; the subtitle says what the map cannot show."""
    unplaced = queries.unplaced(ctx.filters)
    n = int(unplaced["projects"])
    note = ctx.text(
        f"{_count(n, 'es')} sin municipio declarado no aparece{'n' if n != 1 else ''} en el mapa"
        + (f" ({fmt_musd(unplaced['musd'], 'es')})" if unplaced["musd"] else ""),
        f"{_count(n, 'en')} without a stated municipality {'are' if n != 1 else 'is'} not on "
        "the map" + (f" ({fmt_musd(unplaced['musd'], 'en')})" if unplaced["musd"] else ""),
    )
    return Slide(
        "charts",
        municipal_map.title,
        note if n else "",
        [municipal_map, ranking],
        source=source,
        weights=(1.45, 1.0),
    )


def _latest_before(ctx: Context) -> list[str]:
    """The last dated announcement before the period (what the committee heard of last)."""
    f = ctx.filters
    earlier = queries.announcements(replace(f, date_from=None, date_to=f.date_from - timedelta(1)))
    if earlier.empty:
        return []
    row, lang = earlier.iloc[0], ctx.lang
    when = fmt_date(row["announced_date"], row["date_precision"], lang)
    amount = f", {fmt_musd(row['amount_musd'], lang)}" if pd.notna(row["amount_musd"]) else ""
    who = f"{row['company']} ({ctx.country(row['origin_iso2'])}{amount})"
    return [
        ctx.text(
            f"El anuncio con fecha más reciente antes del periodo: {who}, {when}.",
            f"The latest dated announcement before the period: {who}, {when}.",
        )
    ]


def _count(n: float, lang: str) -> str:
    n = int(n)
    if lang == "es":
        return f"{fmt_number(n, lang)} anuncio{'s' if n != 1 else ''}"
    return f"{fmt_number(n, lang)} announcement{'s' if n != 1 else ''}"


def _notes(ctx: Context, kpis: pd.DataFrame, previous: str, earlier: str, today: date) -> list:
    lang = ctx.lang
    head = queries.headline(ctx.filters)
    built = queries.warehouse_built_at()
    built_text = fmt_date(built.date(), "day", lang) if built is not None else "–"
    undated = ctx.options.get("undated", 0)
    return [
        t("source_announcements", lang),
        t("source_se", lang),
        t("source_etef", lang),
        t("source_imss", lang),
        t("source_inegi", lang),
        ctx.text(
            "Periodo: un anuncio cuenta si su fecha declarada (día, mes o año) cae completa dentro "
            f"del periodo; los fechados solo con el año cuentan en periodos de año completo. Los "
            f"{fmt_number(undated, 'es')} anuncios sin fecha del almacén no se incluyen.",
            "Period: an announcement counts when its stated date (day, month or year) lies wholly "
            "within the period; those dated by year only count in whole-year periods. The "
            f"warehouse's {fmt_number(undated, 'en')} undated announcements are not included.",
        ),
        ctx.text(
            f"Comparaciones: periodo anterior {previous}; un año antes {earlier}.",
            f"Comparisons: previous period {previous}; a year earlier {earlier}.",
        ),
        ctx.text(
            "Montos: intenciones de inversión, a menudo multianuales"
            + (
                f"; {fmt_number(head['with_amount'], 'es')} de "
                f"{fmt_number(head['projects'], 'es')} anuncios del periodo indican monto."
                if head["projects"]
                else "."
            ),
            "Amounts: investment intentions, often over several years"
            + (
                f"; {fmt_number(head['with_amount'], 'en')} of "
                f"{fmt_number(head['projects'], 'en')} announcements of the period state an amount."
                if head["projects"]
                else "."
            ),
        ),
        ctx.text(
            "Villa de Pozos (municipio creado en 2024) se cuenta dentro de San Luis Potosí en el "
            "mapa, que usa los límites de 2023.",
            "Villa de Pozos (a municipality created in 2024) counts within San Luis Potosí on the "
            "map, which uses the 2023 boundaries.",
        ),
        ctx.text(
            f"Datos del almacén construido el {built_text}; presentación preparada el "
            f"{fmt_date(today, 'day', 'es')} con el observatorio (python -m analytics pack).",
            f"Data from the warehouse built on {built_text}; pack prepared on "
            f"{fmt_date(today, 'day', 'en')} with the observatory (python -m analytics pack).",
        ),
    ]


# ---------------------------------------------------------------- one call


@dataclass
class Result:
    pack: Pack
    images: Images
    pptx: bytes
    zip: bytes
    seconds: dict[str, float]


def make(ctx: Context, today: date | None = None, renderer: Renderer | None = None) -> Result:
    """Build, render and write the pack; `seconds` says how long each step took."""
    clock = time.perf_counter()
    renderer = renderer or shared_renderer()
    renderer.warm_up()
    pack = build(ctx, today)
    built = time.perf_counter()
    images = render(pack, renderer)
    rendered = time.perf_counter()
    pptx, archive = to_pptx(pack, images), to_zip(pack, images)
    done = time.perf_counter()
    seconds = {
        "data": built - clock,
        "images": rendered - built,
        "files": done - rendered,
        "total": done - clock,
    }
    return Result(pack, images, pptx, archive, {k: round(v, 2) for k, v in seconds.items()})
