"""The meeting pack: slides, titles, pictures and KPI values of generated decks, opened with
python-pptx, checked against the warehouse; the command line; the page."""

import io
import re
import zipfile
from datetime import date

import duckdb
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Inches

from analytics import cluster_slides, pack, pipeline, render
from analytics import deck as layout
from analytics.__main__ import main as cli
from analytics.context import load_context
from analytics.filters import Filters
from analytics.i18n import fmt_musd, fmt_number, fmt_pct
from tests.conftest import TODAY, run_app

YEAR = (date(2024, 1, 1), date(2024, 12, 31))
BIMESTER = (date(2024, 1, 1), date(2024, 2, 29))
EMPTY = (date(2026, 9, 1), date(2026, 10, 31))
ENGLISH_WORDS = re.compile(r"\b(the|of|announced|investment|period|Source|against|Sources)\b")
SPANISH_WORDS = re.compile(r"\b(inversión|anunciad[oa]s?|periodo|Fuente|frente|anuncios)\b")


@pytest.fixture(scope="module")
def warehouse(shipped_warehouse):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DB", str(shipped_warehouse))
        yield shipped_warehouse


def context(lang, period, **lists):
    return load_context(lang, pack.meeting_filters(*period, Filters(**lists)))


@pytest.fixture(scope="module")
def year_es(warehouse):
    return pack.make(context("es", YEAR), TODAY)


@pytest.fixture(scope="module")
def bimester_en(warehouse):
    return pack.make(context("en", BIMESTER), TODAY)


@pytest.fixture(scope="module")
def empty_es(warehouse):
    return pack.make(context("es", EMPTY), TODAY)


def deck(result):
    return Presentation(io.BytesIO(result.pptx))


def texts(slide, tables=False) -> list[str]:
    """Every text on a slide (table cells only when asked: they hold company names as written)."""
    out = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text]
    if tables:
        for shape in slide.shapes:
            if shape.has_table:
                out += [c.text_frame.text for row in shape.table.rows for c in row.cells]
    return out


def warehouse_kpis(db, period, where="TRUE") -> tuple:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT coalesce(sum(amount_musd), 0), coalesce(sum(jobs), 0), count(*), "
            "count(DISTINCT lower(company)) FROM announcements "
            f"WHERE announced_date >= ? AND announced_until <= ? AND {where}",
            list(period),
        ).fetchall()[0]


# ---------------------------------------------------------------- the deck


def test_year_pack_slides_and_spanish_titles(year_es, warehouse):
    slides = deck(year_es).slides
    titles = [s.shapes.title.text_frame.text for s in slides]
    # Ten on the announcements and the official side, the pipeline's two (analytics/pipeline.py),
    # then the cluster's (analytics/cluster_slides.py).
    assert len(slides) == 12 + len(cluster_slides.slides(year_es.pack.ctx, TODAY))
    assert titles[0] == "Reunión bimestral de comités"
    assert titles[-1] == "Fuentes y notas"
    assert titles[2] == "China concentra 87 % de la inversión anunciada del periodo"
    assert titles[5].startswith("2024 cerró con 671.5 MDD anunciados")
    # The official side: the newest original release's quarters up to the period's end (2024 Q4,
    # its flow derived from the cumulative Jan-Dec less Jan-Sep), then its latest year to date.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        q3, q4, ytd = (
            con.execute(
                "SELECT cumulative_musd FROM fdi_state_flows WHERE release_id = "
                "'se-original-2025T3' AND cve_ent = '24' AND code = 'total' AND year = ? "
                "AND quarter = ?",
                period,
            ).fetchall()[0][0]
            for period in ((2024, 3), (2024, 4), (2025, 3))
        )
    assert titles[7].startswith(f"2024 T4: flujo de {fmt_musd(q4 - q3, 'es')} en SLP")
    assert titles[8].startswith(f"IED en SLP, ene–sep 2025: {fmt_musd(ytd, 'es')}")
    assert "corte al 30-sep-2025" in titles[8]
    for slide in slides:
        for text in texts(slide):
            assert not ENGLISH_WORDS.search(text), text
    cover = " ".join(texts(slides[0]))
    assert "2024" in cover and "22 de noviembre de 2026" in cover and "Sin filtros" in cover


def test_titles_state_findings_from_the_data(warehouse, year_es):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT origin_iso2, sum(amount_musd) FROM announcements WHERE announced_date >= ? "
            "AND announced_until <= ? GROUP BY 1 ORDER BY 2 DESC NULLS LAST",
            list(YEAR),
        ).fetchall()
    total = sum(v for _, v in rows if v)
    share = fmt_pct(rows[0][1] / total, "es")
    assert rows[0][0] == "CN"
    assert (
        year_es.pack.slides[2].title
        == f"China concentra {share} de la inversión anunciada del periodo"
    )


def test_english_pack_has_english_titles(bimester_en):
    slides = deck(bimester_en).slides
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert titles[0] == "Bimonthly committee meeting"
    assert titles[-1] == "Sources and notes"
    assert titles[1].startswith("US$36.5M announced in 1 project")
    assert "January–February 2024" in " ".join(texts(slides[0]))
    for slide in slides:
        for text in texts(slide):
            assert not SPANISH_WORDS.search(text), text


def test_chart_slides_hold_pictures_of_the_right_size(year_es):
    model = year_es.pack.slides
    checked = 0
    for slide, s in zip(deck(year_es).slides, model, strict=True):
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert len(pictures) == len(s.charts)
        for picture, box in zip(pictures, layout.slide_boxes(s), strict=True):
            left, top, width, height = box
            assert (picture.left, picture.top) == (Inches(left), Inches(top))
            assert (
                abs(picture.width - Inches(width)) <= 1
                and abs(picture.height - Inches(height)) <= 1
            )
            pixels = Image.open(io.BytesIO(picture.image.blob)).size
            css = layout.slide_pixels(box)
            assert pixels == (css[0] * layout.SLIDE_SCALE, css[1] * layout.SLIDE_SCALE)
            # Same shape as its box: the picture is not stretched.
            assert abs(pixels[0] / pixels[1] - width / height) < 0.01
            assert picture.left + picture.width <= Emu(Inches(layout.SLIDE_W))
            assert picture.top + picture.height <= Inches(layout.FOOTER_TOP)
            checked += 1
    # country, region, sector x tier, tier, map, municipalities, trend; the official side: quarters
    # of each series, then year to date, exports and jobs; the pipeline's two
    assert checked == len(pack.CHARTS) + len(pipeline.CHART_NAMES) == 14


def test_zip_holds_1920x1080_pngs_and_their_data(year_es):
    archive = zipfile.ZipFile(io.BytesIO(year_es.zip))
    pngs = sorted(n for n in archive.namelist() if n.endswith(".png"))
    assert pngs == sorted(f"{name}.png" for name in [*pack.CHARTS, *pipeline.CHART_NAMES])
    for name in pngs:
        assert Image.open(archive.open(name)).size == (1920, 1080)
    assert len([n for n in archive.namelist() if n.endswith(".csv")]) == len(pngs) + 1
    assert layout.ANNOUNCEMENTS_CSV in archive.namelist()


def test_kpis_match_the_warehouse(warehouse, year_es, bimester_en):
    for result, period, previous in (
        (year_es, YEAR, (date(2023, 1, 1), date(2023, 12, 31))),
        (bimester_en, BIMESTER, (date(2023, 11, 1), date(2023, 12, 31))),
    ):
        lang = result.pack.lang
        musd, jobs, projects, companies = warehouse_kpis(warehouse, period)
        before = warehouse_kpis(warehouse, previous)
        frame = result.pack.slides[1].kpis
        assert frame["now"].tolist() == pytest.approx([musd, jobs, projects, companies])
        assert frame["previous"].tolist() == pytest.approx(list(before))
        shown = texts(deck(result).slides[1])
        for value in (fmt_musd(musd, lang), fmt_number(jobs, lang), str(projects)):
            assert value in shown
        if before[0]:
            assert fmt_pct(musd / before[0] - 1, lang, signed=True) in shown


def test_filters_in_force_reach_the_cover_and_the_figures(warehouse):
    ctx = context("es", (date(2019, 1, 1), date(2025, 12, 31)), countries=("CN",))
    built = pack.build(ctx, TODAY)
    assert "País de origen: China" in built.slides[0].lines[2]
    musd, jobs, projects, _ = warehouse_kpis(
        warehouse, (date(2019, 1, 1), date(2025, 12, 31)), "origin_iso2 = 'CN'"
    )
    assert built.slides[1].kpis["now"]["musd"] == pytest.approx(musd)
    assert built.slides[1].kpis["now"]["projects"] == projects


def test_an_empty_period_gives_a_valid_pack_that_says_so(empty_es):
    slides = deck(empty_es).slides
    titles = [s.shapes.title.text_frame.text for s in slides]
    # The pipeline's two too (they cover every project up to the period), then the cluster's.
    assert len(slides) == 9 + len(cluster_slides.slides(empty_es.pack.ctx, TODAY))
    assert titles[1] == "Sin anuncios de inversión en septiembre–octubre de 2026"
    assert titles[2] == "Sin anuncios con fecha en septiembre–octubre de 2026"
    assert "Continental" in " ".join(texts(slides[2]))  # the last one dated before the period
    assert empty_es.pack.slides[1].kpis["now"].sum() == 0


# ---------------------------------------------------------------- text that fits


def blank_images(built: pack.Pack) -> render.Images:
    """Plain PNGs of the right size, for decks whose pictures are not under test."""
    images = render.Images({}, {})
    for s in built.slides:
        for chart, box in zip(s.charts, layout.slide_boxes(s), strict=True):
            out = io.BytesIO()
            w, h = layout.slide_pixels(box)
            Image.new("RGB", (w * layout.SLIDE_SCALE, h * layout.SLIDE_SCALE), "white").save(
                out, "PNG"
            )
            images.slide[chart.name] = images.full[chart.name] = out.getvalue()
    return images


def test_long_tables_are_cut_with_and_n_more(warehouse):
    built = pack.build(context("es", (date(2012, 1, 1), date(2026, 12, 31))), TODAY)
    table_slide = next(s for s in built.slides if s.kind == "table")
    total = len(table_slide.table)
    assert total > layout.TABLE_ROWS
    slide = deck_of(built).slides[built.slides.index(table_slide)]
    table = next(shape for shape in slide.shapes if shape.has_table).table
    assert len(table.rows) == layout.TABLE_ROWS + 1  # header, TABLE_ROWS - 1 rows, "… y N más"
    more = total - (layout.TABLE_ROWS - 1)
    assert table.cell(len(table.rows) - 1, 0).text_frame.text.startswith(f"… y {more} más")
    assert table_slide.title.startswith(f"{total} anuncios en el periodo")


def deck_of(built):
    return Presentation(io.BytesIO(layout.to_pptx(built, blank_images(built))))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_text_fits_its_box(warehouse, lang):
    built = pack.build(context(lang, (date(2012, 1, 1), date(2026, 12, 31))), TODAY)
    for slide in deck_of(built).slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            width = shape.width / 914400 - 0.2
            height = shape.height / 914400 - 0.1
            lines = 0
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    size = run.font.size.pt
                    lines += (
                        len(layout.wrap(run.text, width, size, run.font.bold)) * size * 1.2 / 72
                    )
            assert lines <= height + 0.01, shape.text_frame.text
            assert shape.left + shape.width <= Inches(layout.SLIDE_W) + 1
            assert shape.top + shape.height <= Inches(layout.SLIDE_H) + 1
    for cell_text in (c.text_frame.text for s in deck_of(built).slides for sh in s.shapes
                      if sh.has_table for r in sh.table.rows for c in r.cells):  # fmt: skip
        assert len(cell_text) < 90


def test_fit_cuts_with_an_ellipsis():
    text = "Shandong Golden Empire Precision Machinery Technology " * 6
    fitted, size = layout.fit(text, 4.0, 0.6, [20, 16])
    assert size == 16 and fitted.endswith("…")
    assert len(layout.wrap(fitted, 3.8, 16)) <= 1
    assert layout.ellipsize("corto", 3.0, 12) == "corto"


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("today", "preset", "expected"),
    [
        (date(2026, 11, 22), "two_months", (date(2026, 9, 1), date(2026, 10, 31))),
        (date(2026, 12, 5), "two_months", (date(2026, 10, 1), date(2026, 11, 30))),
        (date(2026, 12, 5), "bimester", (date(2026, 9, 1), date(2026, 10, 31))),
        (date(2026, 1, 10), "bimester", (date(2025, 11, 1), date(2025, 12, 31))),
        (date(2024, 3, 1), "bimester", (date(2024, 1, 1), date(2024, 2, 29))),
        (date(2026, 2, 1), "quarter", (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 11, 22), "ytd", (date(2026, 1, 1), date(2026, 11, 22))),
        (date(2026, 11, 22), "year", (date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_presets(today, preset, expected):
    assert pack.preset_period(preset, today) == expected


# ---------------------------------------------------------------- command line and page


def test_command_line_writes_the_pack_and_the_pngs(warehouse, tmp_path, capsys):
    out, pngs = tmp_path / "pack.pptx", tmp_path / "png"
    code = cli(
        ["pack", "--from", "2019-01-01", "--to", "2025-12-31", "--lang", "es", "--out", str(out),
         "--png-dir", str(pngs), "--db", str(warehouse), "--country", "CN", "--country", "JP"]
    )  # fmt: skip
    assert code == 0
    slides = Presentation(str(out)).slides
    assert "País de origen: China, Japón" in " ".join(texts(slides[0]))
    charts = [*pack.CHARTS, *pipeline.CHART_NAMES]
    assert sorted(p.name for p in pngs.iterdir()) == sorted(f"{n}.png" for n in charts)
    assert "Time:" in capsys.readouterr().out


def test_command_line_refuses_unknown_codes_and_half_periods(warehouse, tmp_path):
    base = ["pack", "--db", str(warehouse), "--out", str(tmp_path / "x.pptx")]
    assert cli([*base, "--from", "2024-01-01"]) == 2
    assert cli([*base, "--from", "2024-03-01", "--to", "2024-01-01"]) == 2
    assert cli([*base, "--from", "2024-01-01", "--to", "2024-02-29", "--country", "XX"]) == 2
    assert cli([*base[:1], "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert not (tmp_path / "x.pptx").exists()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_page_prepares_previews_and_offers_downloads(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, page="reunion", lang=lang)
    assert app.title[0].value == ("Reunión bimestral" if lang == "es" else "Meeting pack")
    app.selectbox(key="pack_preset").set_value("custom").run()
    app.date_input(key="pack_dates").set_value(BIMESTER).run()
    app.button(key="pack_make").click().run()
    assert not app.exception, [e.value for e in app.exception]
    request, result = app.session_state["meeting_pack"]
    assert result.pack.ctx.filters.date_from == BIMESTER[0]
    assert result.pack.lang == lang
    titles = [e.label for e in app.expander]
    assert len(titles) == len(result.pack.slides)
    assert titles[0].endswith("Reunión bimestral de comités" if lang == "es"
                              else "Bimonthly committee meeting")  # fmt: skip
    assert len(app.get("download_button")) == 2
    assert len(app.get("image")) == len(result.pack.charts) == len(pack.CHARTS) + 2
    musd = result.pack.slides[1].kpis["now"]["musd"]
    assert app.metric[0].value == fmt_musd(musd, lang)


def test_page_applies_the_sidebar_filters(monkeypatch, shipped_warehouse):
    app = run_app(monkeypatch, shipped_warehouse, page="reunion", params={"pais": ["CN"]})
    assert app.toggle(key="pack_filters").value is True
    assert any("País de origen: China" in c.value for c in app.caption)
