"""The bimonthly committee meeting pack: a 16:9 PowerPoint deck and a ZIP of 1920x1080 PNG charts
for a period, in Spanish or English, built from the warehouse in one call.

    ctx = load_context("es", meeting_filters(date(2024, 1, 1), date(2024, 2, 29)))
    result = make(ctx)            # result.pptx, result.zip (bytes), result.pack (the slides' content)

`build` gathers the slides' content (data, findings, figures; no images), `render` draws every
chart twice with one headless Chromium (kaleido; started once per process and reused): at the
slide's box size without the in-figure title (the slide says it) and at 1920x1080 with it (the
PNG download); `to_pptx` and `to_zip` write the files. The page pages/reunion.py and the
command line `python -m analytics pack` both call `make`.
"""

import io
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analytics import charts, figures, queries
from analytics.context import Context
from analytics.filters import Filters
from analytics.i18n import (
    EVENT_TYPES,
    STATUSES,
    TIERS,
    fmt_date,
    fmt_months,
    fmt_musd,
    fmt_number,
    fmt_pct,
    label,
    pick,
    t,
)
from etl.export import spreadsheet_safe

# ---------------------------------------------------------------- geometry (inches)

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.5
TITLE_TOP, TITLE_H = 0.3, 1.0
SUBTITLE_TOP, SUBTITLE_H = 1.3, 0.45
BODY_TOP, BODY_BOTTOM = 1.85, 6.85
FOOTER_TOP, FOOTER_H = 6.95, 0.4
GAP = 0.35
CAPTION_H = 0.5
# Slide pictures: 80 CSS pixels per inch keeps the charts' 14 px text at about 12.6 pt on the
# slide; scale 2 gives 160 dpi (a full-width chart is 1,970 pixels wide).
PX_PER_IN, SLIDE_SCALE = 80, 2

INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x61, 0x6E, 0x7C)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
LIGHT = RGBColor(0xF1, 0xF4, 0xF7)
UP, DOWN = RGBColor(0x1B, 0x7F, 0x5B), RGBColor(0xC0, 0x39, 0x2B)
FONT = "Arial"  # Liberation Sans on Linux has the same metrics, so LibreOffice lays out alike

TABLE_ROWS = 12
ANNOUNCEMENTS_CSV = "datos/anuncios_del_periodo.csv"  # in the ZIP: every announcement, full record
LANG_TAGS = {"es": "es-MX", "en": "en-US"}


# ---------------------------------------------------------------- periods


def _month_start(index: int) -> date:
    """First day of the month `index` months after January of year 0."""
    return date(index // 12, index % 12 + 1, 1)


def _months(index: int, count: int) -> tuple[date, date]:
    """From the first day of month `index` to the last day of `count` months later."""
    return _month_start(index), _month_start(index + count) - timedelta(days=1)


def last_full_months(today: date, months: int) -> tuple[date, date]:
    """The `months` whole calendar months before today's month."""
    return _months(today.year * 12 + today.month - 1 - months, months)


def last_bimester(today: date) -> tuple[date, date]:
    """The last closed bimonthly period of the calendar (Jan–Feb, Mar–Apr, …, Nov–Dec)."""
    index = today.year * 12 + today.month - 1
    return _months(index - index % 2 - 2, 2)


def last_quarter(today: date) -> tuple[date, date]:
    index = today.year * 12 + today.month - 1
    return _months(index - index % 3 - 3, 3)


# name: ((es, en) label, today -> (date_from, date_to))
PRESETS: dict[str, tuple[tuple[str, str], Callable[[date], tuple[date, date]]]] = {
    "two_months": (("Últimos dos meses completos", "Last two full months"),
                   lambda today: last_full_months(today, 2)),
    "bimester": (("Último bimestre (ene–feb, mar–abr, …)", "Last bimonthly period (Jan–Feb, …)"),
                 last_bimester),
    "quarter": (("Último trimestre", "Last quarter"), last_quarter),
    "ytd": (("Año en curso", "Year to date"), lambda today: (date(today.year, 1, 1), today)),
    "year": (("Último año completo", "Last full year"),
             lambda today: (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
}  # fmt: skip
DEFAULT_PRESET = "two_months"


def preset_period(name: str, today: date | None = None) -> tuple[date, date]:
    return PRESETS[name][1](today or date.today())


def meeting_filters(date_from: date, date_to: date, base: Filters | None = None) -> Filters:
    """The period (dated announcements only) with the list filters of `base` (the sidebar's)."""
    return replace(base or Filters(), date_from=date_from, date_to=date_to, include_undated=False)


# ---------------------------------------------------------------- the pack's content


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
    kind: str  # cover, kpis, charts, table, message, notes
    title: str
    subtitle: str = ""
    charts: list[Chart] = field(default_factory=list)
    table: pd.DataFrame | None = None
    lines: list[str] = field(default_factory=list)
    kpis: pd.DataFrame | None = None
    source: str = ""
    weights: tuple[float, ...] = ()  # relative widths of the charts side by side


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


def filters_text(ctx: Context, filters: Filters | None = None) -> str:
    """The list filters in force, as a reader says them; '' when there are none."""
    f = filters or ctx.filters
    lang = ctx.lang
    namers = {
        "regions": ("region", ctx.region),
        "countries": ("country", ctx.country),
        "sectors": ("sector", ctx.sector),
        "tiers": ("tier", lambda c: label(TIERS, c, lang)),
        "places": ("municipality", str),
        "event_types": ("event_type", lambda c: label(EVENT_TYPES, c, lang)),
        "statuses": ("status", lambda c: label(STATUSES, c, lang)),
    }
    parts = []
    for name, values in f.active().items():
        key, namer = namers[name]
        parts.append(f"{t(key, lang)}: {', '.join(namer(v) for v in values)}")
    return " · ".join(parts)


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
        fig, data = figures.CHARTS[name](ctx)
        return Chart(name, fig, data)

    def pair(first: str, second: str, source: str = announcements) -> Slide:
        a, b = chart(first), chart(second)
        return Slide("charts", a.title, b.title, [a, b], source=source)

    filters = filters_text(ctx)
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
    fdi = chart("08_ied_oficial")
    slides.append(Slide("charts", fdi.title, "", [fdi], source=t("source_fdi", lang)))
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
        t("source_fdi", lang),
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


# ---------------------------------------------------------------- layout


def chart_boxes(n: int, weights: tuple[float, ...] = ()) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) in inches of each chart's picture, below its caption; side by
    side, widths in proportion to `weights` (equal by default)."""
    if n == 0:
        return []
    weights = weights or (1.0,) * n
    room = SLIDE_W - 2 * MARGIN - GAP * (n - 1)
    top, boxes, left = BODY_TOP + CAPTION_H, [], MARGIN
    for weight in weights:
        width = room * weight / sum(weights)
        boxes.append((left, top, width, BODY_BOTTOM - top))
        left += width + GAP
    return boxes


def slide_boxes(s: "Slide") -> list[tuple[float, float, float, float]]:
    return chart_boxes(len(s.charts), s.weights)


def slide_pixels(box: tuple[float, float, float, float]) -> tuple[int, int]:
    """CSS pixel size a chart is drawn at for a box (times SLIDE_SCALE in the PNG)."""
    return round(box[2] * PX_PER_IN), round(box[3] * PX_PER_IN)


def slide_figure(fig: go.Figure, height: int) -> go.Figure:
    """The figure as a slide shows it: no in-figure title (the slide's title and the caption above
    the picture say it), slightly larger text, bars no thicker than a label needs."""
    out = go.Figure(fig)
    out.update_layout(title={"text": ""}, margin={"t": 16}, font={"size": 15})
    return thin_bars(out, height - 16 - 40)


def export_figure(fig: go.Figure) -> go.Figure:
    """The figure as the 1920x1080 PNG shows it: with its title and subtitle."""
    out = go.Figure(fig)
    out.update_layout(width=charts.EXPORT_WIDTH, height=charts.EXPORT_HEIGHT)
    top = out.layout.margin.t or 80
    return thin_bars(out, charts.EXPORT_HEIGHT - top - 40)


def thin_bars(fig: go.Figure, plot_height: float, thickness: float = 44) -> go.Figure:
    """Horizontal bars drawn at a fixed picture height: few categories would make slabs."""
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.orientation == "h"]
    if bars:
        categories = {y for tr in bars if tr.y is not None for y in tr.y}
        per_category = plot_height / max(len(categories), 1)
        fig.update_layout(bargap=min(max(1 - thickness / per_category, 0.2), 0.85))
    return fig


# ---------------------------------------------------------------- rendering


class Renderer:
    """One headless Chromium (kaleido's sync server) for every image of the process.

    Started on first use and kept for the next pack; calls are serialised (the server is one
    queue). `tabs` pages render in parallel.
    """

    def __init__(self, tabs: int = 2, timeout: float = 180):
        self.tabs, self.timeout = tabs, timeout
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        import kaleido

        return kaleido._global_server.is_running()  # noqa: SLF001

    def start(self) -> None:
        import kaleido

        if not self.running:
            kaleido.start_sync_server(n=self.tabs, mathjax=False, silence_warnings=True)

    def stop(self) -> None:
        import kaleido

        with self._lock:
            kaleido.stop_sync_server(silence_warnings=True)

    def png(self, jobs: list[tuple[go.Figure, int, int, int]]) -> list[bytes]:
        """PNG bytes of each (figure, width, height, scale), in order."""
        import kaleido

        if not jobs:
            return []
        with self._lock, tempfile.TemporaryDirectory(prefix="pack-") as folder:
            self.start()
            paths = [Path(folder) / f"{i:03d}.png" for i in range(len(jobs))]
            specs = [
                {"fig": fig, "path": path,
                 "opts": {"format": "png", "width": w, "height": h, "scale": s}}
                for (fig, w, h, s), path in zip(jobs, paths, strict=True)
            ]  # fmt: skip
            outcome: list = []
            worker = threading.Thread(
                target=lambda: outcome.append(_call(kaleido.write_fig_from_object_sync, specs)),
                daemon=True,
            )
            worker.start()
            worker.join(self.timeout)
            if worker.is_alive() or not outcome:
                raise RuntimeError("chart export timed out (is Chromium installed?)")
            if isinstance(outcome[0], BaseException):
                raise RuntimeError(f"chart export failed: {outcome[0]}") from outcome[0]
            errors = [e for e in (outcome[0] or ()) if isinstance(e, BaseException)]
            if errors:
                raise RuntimeError(f"chart export failed: {errors[0]}") from errors[0]
            return [path.read_bytes() for path in paths]


def _call(fn, *args):
    try:
        return fn(*args)
    except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
        return error


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> Renderer:
    """The process's renderer (the app's sessions and repeated CLI packs share one browser)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Renderer()
        return _shared


@dataclass
class Images:
    slide: dict[str, bytes]  # chart name -> PNG at its slide box size, no in-figure title
    full: dict[str, bytes]  # chart name -> 1920x1080 PNG with its title


def render(pack: Pack, renderer: Renderer | None = None) -> Images:
    renderer = renderer or shared_renderer()
    jobs, keys = [], []
    for s in pack.slides:
        for chart, box in zip(s.charts, slide_boxes(s), strict=True):
            width, height = slide_pixels(box)
            jobs.append((slide_figure(chart.fig, height), width, height, SLIDE_SCALE))
            keys.append(("slide", chart.name))
            jobs.append(
                (export_figure(chart.fig), charts.EXPORT_WIDTH, charts.EXPORT_HEIGHT,
                 charts.EXPORT_SCALE)
            )  # fmt: skip
            keys.append(("full", chart.name))
    images = Images({}, {})
    for (kind, name), png in zip(keys, renderer.png(jobs), strict=True):
        getattr(images, kind)[name] = png
    return images


# ---------------------------------------------------------------- text that fits


def _em(char: str) -> float:
    """Approximate advance width of a character in Arial, in ems."""
    if char in "ijl|!.,:;'·":
        return 0.26
    if char in "ftrI ()[]-–":
        return 0.34
    if char in "mwMW%@":
        return 0.86
    if char.isupper():
        return 0.69
    if char.isdigit():
        return 0.56
    return 0.54


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Approximate width in inches of one line of text at `size` points."""
    return sum(_em(c) for c in text) * size / 72 * (1.07 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap into lines no wider than `width` inches (a long word is cut)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
        while text_width(line, size, bold) > width and len(line) > 1:
            cut = ellipsize(line, width, size, bold)[:-1]
            lines.append(cut)
            line = line[len(cut) :]
    if line:
        lines.append(line)
    return lines


def ellipsize(text: str, width: float, size: float, bold: bool = False) -> str:
    """The text cut with '…' so that it fits in one line of `width` inches."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip(" ,;:·-–(") + "…"


def fit(text: str, width: float, height: float, sizes, bold=False, spacing=1.2):
    """(text, size): the largest size at which the wrapped text fits the box; at the smallest
    size, the text cut with '…' to the lines that fit."""
    width -= 0.2  # the text box's own left and right insets
    for size in sizes:
        lines = wrap(text, width, size, bold)
        if len(lines) * size * spacing / 72 <= height - 0.1:
            return text, size
    size = sizes[-1]
    room = max(1, int((height - 0.1) / (size * spacing / 72)))
    lines = wrap(text, width, size, bold)
    if len(lines) > room:
        lines = lines[:room]
        lines[-1] = ellipsize(lines[-1] + " …", width, size, bold)
        if not lines[-1].endswith("…"):
            lines[-1] += "…"
    return " ".join(lines), size


# ---------------------------------------------------------------- PowerPoint


def _textbox(slide, box, text, sizes, *, bold=False, color=INK, lang="es", align=PP_ALIGN.LEFT,
             anchor=MSO_ANCHOR.TOP, shape=None):  # fmt: skip
    left, top, width, height = box
    text, size = fit(text, width, height, sizes if isinstance(sizes, list | tuple) else [sizes],
                     bold)  # fmt: skip
    if shape is None:
        shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    else:
        shape.left, shape.top = Inches(left), Inches(top)
        shape.width, shape.height = Inches(width), Inches(height)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.1)
    frame.margin_top = frame.margin_bottom = Inches(0.05)
    frame.text = ""
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    _style(run, size, bold, color, lang)
    return shape


def _style(run, size, bold, color, lang):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = color
    run.font._rPr.set("lang", LANG_TAGS[lang])  # noqa: SLF001 - spell-check language


def _rect(slide, box, color):
    left, top, width, height = box
    shape = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height)
    )
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False
    tree = slide.shapes._spTree  # noqa: SLF001 - behind the text: first after the group's header
    tree.remove(shape._element)  # noqa: SLF001
    tree.insert(2, shape._element)  # noqa: SLF001
    return shape


def _header(slide, s: Slide, lang: str):
    _rect(slide, (0, 0, SLIDE_W, 0.12), ACCENT)
    _textbox(slide, (MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H), s.title,
             [28, 26, 24, 22, 20], bold=True, lang=lang, anchor=MSO_ANCHOR.BOTTOM,
             shape=slide.shapes.title)  # fmt: skip
    if s.subtitle:
        _textbox(slide, (MARGIN, SUBTITLE_TOP, SLIDE_W - 2 * MARGIN, SUBTITLE_H), s.subtitle,
                 [16, 15, 14, 13], color=MUTED, lang=lang)  # fmt: skip


def _footer(slide, pack: Pack, s: Slide, number: int, total: int):
    lang = pack.lang
    _textbox(slide, (MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN - 1.0, FOOTER_H), s.source,
             [10, 9, 8], color=MUTED, lang=lang)  # fmt: skip
    _textbox(slide, (SLIDE_W - MARGIN - 1.0, FOOTER_TOP, 1.0, FOOTER_H), f"{number} / {total}",
             [10], color=MUTED, lang=lang, align=PP_ALIGN.RIGHT)  # fmt: skip


def _cover(slide, pack: Pack, s: Slide):
    lang = pack.lang
    _rect(slide, (0, 0, SLIDE_W, 4.1), ACCENT)
    _textbox(slide, (0.8, 1.0, SLIDE_W - 1.6, 1.4), s.title, [44, 40, 36], bold=True,
             color=RGBColor(0xFF, 0xFF, 0xFF), lang=lang, anchor=MSO_ANCHOR.BOTTOM,
             shape=slide.shapes.title)  # fmt: skip
    _textbox(slide, (0.8, 2.5, SLIDE_W - 1.6, 1.3), s.subtitle, [20, 18, 16],
             color=RGBColor(0xDB, 0xE4, 0xEE), lang=lang)  # fmt: skip
    period, prepared, filters = s.lines
    _textbox(slide, (0.8, 4.45, SLIDE_W - 1.6, 0.8), period, [32, 28, 24], bold=True, lang=lang)
    _textbox(slide, (0.8, 5.25, SLIDE_W - 1.6, 0.5), prepared, [18, 16], color=MUTED, lang=lang)
    _textbox(slide, (0.8, 5.8, SLIDE_W - 1.6, 1.1), filters, [16, 14, 12], color=MUTED, lang=lang)


def _kpi_cards(slide, pack: Pack, s: Slide):
    """One card per measure: its value, then its change against each comparison period."""
    ctx, lang = pack.ctx, pack.lang
    frame = s.kpis
    previous, earlier = s.lines
    names = {
        "musd": t("investment", lang),
        "jobs": t("jobs", lang),
        "projects": t("projects", lang),
        "companies": t("companies", lang),
    }
    comparisons = [("previous", previous)] + ([("year_earlier", earlier)] if earlier != previous
                                              else [])  # fmt: skip
    n = len(figures.KPI_KEYS)
    width = (SLIDE_W - 2 * MARGIN - GAP * (n - 1)) / n
    inner = width - 0.3
    top, block = BODY_TOP + 0.1, 1.25
    height = 1.45 + block * len(comparisons)
    for i, key in enumerate(figures.KPI_KEYS):
        left = MARGIN + i * (width + GAP)
        _rect(slide, (left, top, width, height), LIGHT)
        _rect(slide, (left, top, 0.08, height), ACCENT)
        row = frame.loc[key]
        musd = key == "musd"
        value = fmt_musd(row["now"], lang) if musd else fmt_number(row["now"], lang)
        x = left + 0.18
        _textbox(slide, (x, top + 0.12, inner, 0.45), names[key], [16, 14], color=MUTED,
                 lang=lang)  # fmt: skip
        _textbox(slide, (x, top + 0.55, inner, 0.8), value, [36, 32, 28, 24], bold=True,
                 lang=lang)  # fmt: skip
        y = top + 1.45
        for column, period in comparisons:
            before = row[column]
            change, was = figures.change_parts(ctx, row["now"], before, musd=musd)
            color = INK
            if not pd.isna(before) and row["now"] != before:
                color = UP if row["now"] > before else DOWN
            _textbox(slide, (x, y, inner, 0.36), f"vs. {period}", [14, 13, 12, 11],
                     color=MUTED, lang=lang)  # fmt: skip
            _textbox(slide, (x, y + 0.32, inner, 0.5), change, [22, 20, 18], bold=True,
                     color=color, lang=lang)  # fmt: skip
            _textbox(slide, (x, y + 0.78, inner, 0.36), was, [14, 13, 12], color=MUTED,
                     lang=lang)  # fmt: skip
            y += block
    head = queries.headline(ctx.filters)
    note = ctx.text(
        f"{fmt_number(head['with_amount'], 'es')} de {fmt_number(head['projects'], 'es')} "
        "anuncios del periodo indican monto; empleos directos según cada anuncio. Solo anuncios "
        "con fecha dentro de cada periodo.",
        f"{fmt_number(head['with_amount'], 'en')} of {fmt_number(head['projects'], 'en')} "
        "announcements of the period state an amount; direct jobs as each announcement says. "
        "Dated announcements within each period only.",
    )
    if not head["projects"]:
        return
    _textbox(slide, (MARGIN, top + height + 0.25, SLIDE_W - 2 * MARGIN, 0.7), note,
             [15, 14, 13, 12], color=MUTED, lang=lang)  # fmt: skip


def _charts(slide, pack: Pack, s: Slide, images: Images):
    for chart, box in zip(s.charts, slide_boxes(s), strict=True):
        left, top, width, height = box
        _textbox(slide, (left, top - CAPTION_H, width, CAPTION_H), chart.caption, [13, 12, 11],
                 bold=True, color=MUTED, lang=pack.lang)  # fmt: skip
        slide.shapes.add_picture(
            io.BytesIO(images.slide[chart.name]),
            Inches(left),
            Inches(top),
            Inches(width),
            Inches(height),
        )


def table_rows(frame: pd.DataFrame, limit: int = TABLE_ROWS) -> tuple[pd.DataFrame, int]:
    """The rows a slide shows and how many are left out (for '… y N más')."""
    if len(frame) <= limit:
        return frame, 0
    return frame.head(limit - 1), len(frame) - (limit - 1)


# Share of the table's width per column: company, origin, municipality, date, amount, jobs, status.
TABLE_WIDTHS = (0.31, 0.12, 0.14, 0.11, 0.11, 0.08, 0.13)


def _table(slide, pack: Pack, s: Slide):
    lang = pack.lang
    shown, more = table_rows(s.table)
    rows = len(shown) + 1 + (1 if more else 0)
    width = SLIDE_W - 2 * MARGIN
    row_h = 0.36
    shape = slide.shapes.add_table(
        rows, len(shown.columns), Inches(MARGIN), Inches(BODY_TOP), Inches(width),
        Inches(row_h * rows),
    )  # fmt: skip
    table = shape.table
    size = 12
    numeric = {pick(figures.TABLE_HEADERS[k], lang) for k in figures.NUMERIC_COLUMNS}
    for j, (column, share) in enumerate(zip(shown.columns, TABLE_WIDTHS, strict=True)):
        table.columns[j].width = Inches(width * share)
        cells = [column, *shown[column].astype(str)]
        for i, text in enumerate(cells):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            bold = i == 0
            fitted = ellipsize(text, width * share - 0.14, size, bold)
            frame = cell.text_frame
            frame.word_wrap = True
            frame.text = ""
            paragraph = frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.RIGHT if column in numeric else PP_ALIGN.LEFT
            run = paragraph.add_run()
            run.text = fitted
            _style(run, size, bold, RGBColor(0xFF, 0xFF, 0xFF) if i == 0 else INK, lang)
            cell.fill.solid()
            cell.fill.fore_color.rgb = (
                ACCENT if i == 0 else (LIGHT if i % 2 else RGBColor(0xFF, 0xFF, 0xFF))
            )
    for i in range(rows):
        table.rows[i].height = Inches(row_h)
    if more:
        last = rows - 1
        first = table.cell(last, 0)
        first.merge(table.cell(last, len(shown.columns) - 1))
        first.text_frame.text = ""
        run = first.text_frame.paragraphs[0].add_run()
        run.text = pack.ctx.text(
            f"… y {fmt_number(more, 'es')} más: la lista completa está en el ZIP de gráficas "
            f"({ANNOUNCEMENTS_CSV})",
            f"… and {fmt_number(more, 'en')} more: the full list is in the charts ZIP "
            f"({ANNOUNCEMENTS_CSV})",
        )
        _style(run, size, False, MUTED, lang)
        run.font.italic = True
        first.fill.solid()
        first.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _lines(slide, pack: Pack, s: Slide, sizes=(16, 15, 14, 13, 12, 11)):
    """Paragraphs (bullets) in the body; the largest size at which all of them fit."""
    left, top, width, height = MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, BODY_BOTTOM - BODY_TOP
    size = sizes[-1]
    for candidate in sizes:
        needed = sum(len(wrap(line, width - 0.5, candidate)) * candidate * 1.2 / 72
                     + candidate * 0.5 / 72 for line in s.lines)  # fmt: skip
        if needed <= height - 0.2:
            size = candidate
            break
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    room = int((height - 0.2) / (size * 1.7 / 72))
    for i, line in enumerate(s.lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size * 0.5)
        run = paragraph.add_run()
        lines = wrap(line, width - 0.5, size)
        run.text = "• " + (line if len(lines) <= room else " ".join(lines[:room]) + "…")
        room -= len(lines)
        _style(run, size, False, INK, pack.lang)


def to_pptx(pack: Pack, images: Images) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(Inches(SLIDE_W)), Emu(Inches(SLIDE_H))
    deck.core_properties.title = f"{pack.slides[0].title} · {pack.period}"
    deck.core_properties.language = LANG_TAGS[pack.lang]
    deck.core_properties.author = pack.ctx.text("Observatorio automotriz SLP",
                                                "SLP automotive observatory")  # fmt: skip
    total = len(pack.slides)
    for number, s in enumerate(pack.slides, start=1):
        layout = deck.slide_layouts[0 if s.kind == "cover" else 5]
        slide = deck.slides.add_slide(layout)
        for placeholder in list(slide.placeholders):
            if placeholder.placeholder_format.idx != 0:  # only the title placeholder is used
                placeholder._element.getparent().remove(placeholder._element)  # noqa: SLF001
        if s.kind == "cover":
            _cover(slide, pack, s)
            continue
        _header(slide, s, pack.lang)
        if s.kind == "kpis":
            _kpi_cards(slide, pack, s)
        elif s.kind == "charts":
            _charts(slide, pack, s, images)
        elif s.kind == "table":
            _table(slide, pack, s)
        else:
            _lines(slide, pack, s)
        _footer(slide, pack, s, number, total)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def to_zip(pack: Pack, images: Images) -> bytes:
    """The charts as 1920x1080 PNGs, with the data each one draws as CSV (UTF-8, Excel-ready)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for chart in pack.charts:
            archive.writestr(f"{chart.name}.png", images.full[chart.name])
            csv = spreadsheet_safe(chart.data).to_csv(index=False).encode("utf-8-sig")
            archive.writestr(f"datos/{chart.name}.csv", csv)
        listed = queries.announcements(pack.ctx.filters, order="amount")
        csv = spreadsheet_safe(listed).to_csv(index=False).encode("utf-8-sig")
        archive.writestr(ANNOUNCEMENTS_CSV, csv)
    return out.getvalue()


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


def slide_titles(pptx: bytes) -> list[str]:
    """Titles of a deck's slides (tests and the CLI's summary)."""
    deck = Presentation(io.BytesIO(pptx))
    return [s.shapes.title.text_frame.text if s.shapes.title else "" for s in deck.slides]


__all__ = [
    "DEFAULT_PRESET",
    "PRESETS",
    "Chart",
    "Images",
    "Pack",
    "Renderer",
    "Result",
    "Slide",
    "build",
    "chart_boxes",
    "filters_text",
    "make",
    "meeting_filters",
    "preset_period",
    "render",
    "shared_renderer",
    "slide_pixels",
    "slide_titles",
    "to_pptx",
    "to_zip",
]
