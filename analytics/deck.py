"""The meeting pack's PowerPoint layout: slide geometry, text that fits its box, and the deck and
ZIP files written from a Pack's content and its rendered images (analytics.render)."""

from __future__ import annotations  # the content types below are only named, for type checkers

import io
import zipfile
from typing import TYPE_CHECKING

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analytics import figures, queries
from analytics.i18n import fmt_musd, fmt_number, pick, t
from etl.export import spreadsheet_safe

if TYPE_CHECKING:  # the content's types; pack imports this module
    from analytics.pack import Pack, Slide
    from analytics.render import Images

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


# ---------------------------------------------------------------- chart boxes


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


def slide_boxes(s: Slide) -> list[tuple[float, float, float, float]]:
    return chart_boxes(len(s.charts), s.weights)


def slide_pixels(box: tuple[float, float, float, float]) -> tuple[int, int]:
    """CSS pixel size a chart is drawn at for a box (times SLIDE_SCALE in the PNG)."""
    return round(box[2] * PX_PER_IN), round(box[3] * PX_PER_IN)


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
    for j, (column, share) in enumerate(zip(shown.columns, s.weights or TABLE_WIDTHS, strict=True)):
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


def slide_titles(pptx: bytes) -> list[str]:
    """Titles of a deck's slides (tests and the CLI's summary)."""
    deck = Presentation(io.BytesIO(pptx))
    return [s.shapes.title.text_frame.text if s.shapes.title else "" for s in deck.slides]
