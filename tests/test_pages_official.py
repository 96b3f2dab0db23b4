"""AppTest of the official-statistics pages (IED, peer states, exports and jobs, the DENUE part of
Municipios) and of the data desk's official releases, in Spanish and English. Expected figures are
read here from the shipped files (SE's workbook with openpyxl, the CSVs with csv)."""

import base64
import csv
import json
from datetime import date

import duckdb
import numpy as np
import openpyxl
import pytest

from analytics.context import load_context
from analytics.i18n import fmt_musd, fmt_number, fmt_pct, t
from analytics.official import latest_release
from analytics.official_pack import release_change
from analytics.pack import meeting_filters
from etl.journal import entries
from etl.template import template_bytes
from etl.warehouse import DEFAULT_RAW
from tests.conftest import run_app
from tests.official_files import (
    ETEF_SHIPPED,
    IMSS_SHIPPED,
    SHIPPED_RELEASE,
    next_release,
    shipped_sheets,
    workbook_value,
    workbook_value_under,
)
from tests.test_data_desk import AUTH, EDITOR, SIGNED_IN, desk

REVISED_TYPES = (
    DEFAULT_RAW
    / "fdi"
    / "se_revised"
    / "ied_slp_se_actualizada_tipo_trimestral_acum_2006T1_2025T2.csv"
)
TYPE_SHEET = "Tipo de inversión"
NOT_STATES = {"Nuevas inversiones", "Reinversión de utilidades", "Cuentas entre compañías",
              "Total general"}  # fmt: skip


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def figures(app) -> dict[str, dict]:
    """The page's plotly figures by their finding (the title kept as plain text in meta)."""
    specs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    return {s["layout"].get("meta", {}).get("title", ""): s for s in specs}


def figure(app, words: str) -> dict:
    found = [f for title, f in figures(app).items() if words in title]
    assert found, list(figures(app))
    return found[0]


# The IED page's tabs (drawn only while open), by what a test reads in them.
IED_SECTIONS = {
    "composition": ("Tipo, origen y actividad", "Type, origin and activity"),
    "revisions": ("Revisiones", "Revisions"),
    "compared": ("Anunciado frente a registrado", "Announced versus recorded"),
}


def open_section(app, section: str, lang: str) -> None:
    """Click the IED page's tab (as the browser would: a rerun with it selected)."""
    app.session_state["ied_section"] = IED_SECTIONS[section][lang == "en"]
    app.run()
    assert not app.exception, [e.value for e in app.exception]


def numbers(array) -> list[float]:
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def revised(year: int, quarter: int) -> float:
    with open(REVISED_TYPES, encoding="utf-8") as f:
        return next(
            float(r["millones_de_dolares_acumulado"])
            for r in csv.DictReader(f)
            if r["concepto"] == "Total" and (r["anio"], r["trimestre"]) == (str(year), str(quarter))
        )


def states_jan_sep_2025() -> dict[str, float]:
    """Every state's Jan-Sep 2025 total, from the workbook's type sheet (state lines only)."""
    book = openpyxl.load_workbook(SHIPPED_RELEASE, read_only=True, data_only=True)
    rows = [list(r) for r in book[TYPE_SHEET].iter_rows(values_only=True)]
    book.close()
    header = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Entidad Federativa"))
    values = {}
    for row in rows[header + 2 :]:
        label = str(row[0]).strip() if row[0] else ""
        if label and label not in NOT_STATES and isinstance(row[31], float | int):
            values[label] = row[31]  # column AF: 2025 Q3 (Jan-Sep)
    return values


# ---------------------------------------------------------------- IED


@pytest.mark.parametrize("lang", ["es", "en"])
def test_ied_page_quotes_the_latest_release_of_each_series(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, page="ied", lang=lang)
    ytd = workbook_value(TYPE_SHEET, "San Luis Potosí", 2025, 3)
    before = workbook_value(TYPE_SHEET, "San Luis Potosí", 2024, 3)
    span = "ene–sep 2025" if lang == "es" else "Jan–Sep 2025"
    shown = metrics(app)
    assert shown[f"IED {span}" if lang == "es" else f"FDI {span}"] == fmt_musd(ytd, lang)
    assert fmt_musd(ytd, lang) == fmt_musd(378.09, lang)  # SOURCES
    assert fmt_musd(before, lang) in shown.values()
    label = ("cifras originalmente publicadas, corte al 30-sep-2025" if lang == "es"
             else "figures as originally published, cut-off 30-Sep-2025")  # fmt: skip
    assert app.radio(key="fdi_series").value == "original"
    # Every chart of the release says its series and cut-off: the first tab's two, the next's four.
    charts = list(figures(app).values())
    assert len(charts) == 2
    # The same quarter's flow is the cumulative value less the quarter before.
    flows = figure(app, "2025 T3" if lang == "es" else "2025 Q3")
    assert numbers(flows["data"][0]["y"])[-1] == pytest.approx(
        ytd - workbook_value(TYPE_SHEET, "San Luis Potosí", 2025, 2)
    )
    open_section(app, "composition", lang)
    charts += list(figures(app).values())
    assert len(charts) == 6 and all(label in s["layout"]["meta"]["subtitle"] for s in charts)
    # Disinvestment stays negative in the types chart (new investment, Jan-Sep 2025).
    types = figure(app, "desinversión neta" if lang == "es" else "net disinvestment")
    new = numbers(types["data"][0]["y"])[-1]
    assert new < 0 and new == pytest.approx(
        workbook_value_under(TYPE_SHEET, "San Luis Potosí", "Nuevas inversiones", 2025, 3)
    )
    # The revised series: its own figures, labelled so.
    app.radio(key="fdi_series").set_value("revised").run()
    span = "ene–jun 2025" if lang == "es" else "Jan–Jun 2025"
    assert metrics(app)[f"IED {span}" if lang == "es" else f"FDI {span}"] == fmt_musd(
        revised(2025, 2), lang
    )


@pytest.mark.parametrize("lang", ["es"])
def test_revisions_put_one_period_of_every_release_side_by_side(
    monkeypatch, shipped_warehouse, lang
):
    app = run_app(monkeypatch, shipped_warehouse, page="ied", lang=lang)
    open_section(app, "revisions", lang)
    assert app.selectbox(key="fdi_revision_period").value == (2025, 2)
    chart = figure(app, "SLP, ene–jun 2025" if lang == "es" else "SLP, Jan–Jun 2025")
    first = workbook_value(TYPE_SHEET, "San Luis Potosí", 2025, 2)
    assert sorted(numbers(chart["data"][0]["x"])) == pytest.approx(
        sorted([first, revised(2025, 2)])
    )
    assert round(first, 2) == 223.03 and round(revised(2025, 2), 2) == 89.84  # SOURCES
    app.selectbox(key="fdi_revision_period").set_value((2018, 4)).run()
    chart = figure(app, "SLP, 2018")
    values = numbers(chart["data"][0]["x"])
    assert min(values) == pytest.approx(workbook_value(TYPE_SHEET, "San Luis Potosí", 2018, 4))
    assert max(values) == pytest.approx(revised(2018, 4)) and round(max(values), 2) == 1766.43


@pytest.mark.parametrize("lang", ["en"])
def test_announced_against_recorded_beside_the_explanation(monkeypatch, shipped_warehouse, lang):
    params = {"desde": "2019-01-01", "hasta": "2025-12-31", "pais": ["CN"]}
    app = run_app(monkeypatch, shipped_warehouse, page="ied", lang=lang, params=params)
    open_section(app, "compared", lang)
    assert t("announcements_vs_fdi", lang) in [m.value for m in app.markdown]
    chart = figure(app, "registrado" if lang == "es" else "recorded")
    recorded = sum(
        workbook_value_under("Origen", "San Luis Potosí", "China, República Popular de", y, q)
        for y, q in [(y, 4) for y in range(2019, 2025)] + [(2025, 3)]
    )
    bars = {tr["name"]: numbers(tr["x"]) for tr in chart["data"]}
    recorded_name = "IED registrada (SE)" if lang == "es" else "Recorded FDI (SE)"
    assert [tr["y"] for tr in chart["data"]] == [["China"], ["China"]]  # the filter's origin only
    assert bars[recorded_name] == pytest.approx([recorded])


# ---------------------------------------------------------------- peer states


@pytest.mark.parametrize("lang", ["es", "en"])
def test_peer_states_rank_share_and_336(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, page="estados", lang=lang)
    states = states_jan_sep_2025()
    assert len(states) == 32
    rank = 1 + sum(v > states["San Luis Potosí"] for v in states.values())
    national = workbook_value(TYPE_SHEET, "Total general", 2025, 3)
    shown = metrics(app)
    assert str(rank) in shown.values() and rank == 14
    assert fmt_pct(states["San Luis Potosí"] / national, lang, decimals=1) in shown.values()
    transport = workbook_value_under(
        "Actividad económica_SCIAN 2023", "San Luis Potosí",
        "336 Fabricación de equipo de transporte", 2025, 3,
    )  # fmt: skip
    assert fmt_pct(transport / states["San Luis Potosí"], lang) in shown.values()
    # SLP and the six peers by default; the map has the 32 states.
    chart = figure(app, "SLP, lugar 14" if lang == "es" else "SLP ranks 14")
    assert len(numbers(chart["data"][0]["x"])) == 7
    shapes = figure(app, "la mayor IED" if lang == "es" else "the largest FDI")
    assert sum(1 for tr in shapes["data"] if tr.get("fill") == "toself") == 32
    app.multiselect(key="peer_states").set_value(["01"]).run()
    chart = figure(app, "SLP, lugar 14" if lang == "es" else "SLP ranks 14")
    assert len(numbers(chart["data"][0]["x"])) == 2


# ---------------------------------------------------------------- exports and jobs


@pytest.mark.parametrize("lang", ["es", "en"])
def test_exports_and_jobs_with_their_cut_offs(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, page="indicadores", lang=lang)
    with open(ETEF_SHIPPED, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    def total(year, quarter, code=None):
        return sum(float(r["VAL_USD_miles"] or 0) for r in rows
                   if (r["ANIO"], r["trimestre_num"]) == (str(year), str(quarter))
                   and (code is None or r["CODIGO_SCIAN"] == code))  # fmt: skip

    now, before = total(2026, 2), total(2025, 2)
    label = "Exportaciones 2026 T2" if lang == "es" else "Exports 2026 Q2"
    shown = metrics(app)
    assert shown[label] == fmt_musd(now / 1000, lang, 0)
    assert fmt_pct(total(2026, 2, "336") / now, lang, decimals=1) in shown.values()
    deltas = [m.proto.delta for m in app.metric]
    assert any(fmt_pct(now / before - 1, lang, signed=True, decimals=1) in d for d in deltas)
    # The yearly table in thousands of dollars as published (SOURCES: 2024 = 23,362,046).
    table = app.dataframe[0].value
    assert fmt_number(23_362_046, lang) in table.iloc[:, 1].tolist()
    with open(IMSS_SHIPPED, encoding="utf-8") as f:
        jobs = {(int(r["anio"]), int(r["mes_num"])): int(r["puestos_de_trabajo_afiliados_imss"])
                for r in csv.DictReader(f)}  # fmt: skip
    assert fmt_number(jobs[(2026, 4)], lang) == "486,094"
    assert fmt_number(jobs[(2026, 4)], lang) in shown.values()
    change = jobs[(2026, 4)] - jobs[(2025, 4)]
    assert f"{'+' if change >= 0 else '−'}{fmt_number(abs(change), lang)}" in shown.values()
    cut = "corte al 30-jun-2026" if lang == "es" else "cut-off 30-Jun-2026"
    assert cut in app.caption[-1].value


@pytest.mark.parametrize("lang", ["es"])
def test_municipal_page_shows_denue_change(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, page="municipios", lang=lang)
    picked = app.session_state["municipality_pick"]
    with open(DEFAULT_RAW / "establishments" / "denue_slp_municipio_total_altas_bajas_2015_2019.csv",
              encoding="utf-8") as f:  # fmt: skip
        row = next(r for r in csv.DictReader(f) if r["cve_mun"] == picked)
    shown = metrics(app)
    units_2019 = "Unidades 2019" if lang == "es" else "Units 2019"
    assert shown[units_2019] == fmt_number(int(row["total_2019"]), lang)
    assert shown["Unidades 2015" if lang == "es" else "Units 2015"] == fmt_number(
        int(row["total_2015"]), lang
    )
    chart = figure(app, "2019")
    assert "DENUE" in " ".join(c.value for c in app.caption)
    assert chart["layout"]["barmode"] == "relative"


# ---------------------------------------------------------------- the data desk


@pytest.fixture
def desk_warehouse(private_warehouse):
    return private_warehouse


def official_uploader(app):
    """The uploader of the «Publicaciones oficiales» tab, found by its key (the desk's tabs each
    have their own)."""
    return next(u for u in app.get("file_uploader") if "desk_official_upload" in u.proto.id)


@pytest.mark.parametrize("lang", ["en"])
def test_desk_previews_then_loads_a_release(monkeypatch, desk_warehouse, tmp_path, lang):
    path, _ = next_release(shipped_sheets(), tmp_path)
    before = desk_warehouse.read_bytes()
    app = desk(monkeypatch, desk_warehouse, secrets=AUTH, user=SIGNED_IN, lang=lang)
    official_uploader(app).set_value((path.name, path.read_bytes(), "application/xlsx"))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    page = "\n".join(m.value for m in app.markdown)
    assert ("31-dic-2025" if lang == "es" else "31-Dec-2025") in page
    assert ("según el nombre del archivo" if lang == "es" else "from the file name") in page
    assert "se-original-2025T4" in page
    assert desk_warehouse.read_bytes() == before  # the preview writes nothing
    app.button(key="desk_official_confirm").click().run()
    assert not app.exception, [e.value for e in app.exception]
    with duckdb.connect(str(desk_warehouse), read_only=True) as con:
        log = con.execute(
            "SELECT kind, loaded_by FROM load_log WHERE kind = 'fdi_release'"
        ).fetchall()
    assert log == [("fdi_release", EDITOR)]
    kinds = [e.kind for e in entries(desk_warehouse.parent / "raw")]
    assert kinds[-1] == "fdi_release" and kinds.count("fdi_release") == 1  # after the shipped ones
    assert "se-original-2025T4" in app.success[-1].value
    # The meeting pack's overview now says what the new release changed.
    ctx = load_context(lang, meeting_filters(date(2026, 1, 1), date(2026, 2, 28)))
    change = release_change(ctx, latest_release("original"))
    assert ("agrega 2025 T4" if lang == "es" else "adds 2025 Q4") in change
    assert ("ene–sep 2025 sin cambio" if lang == "es" else "Jan–Sep 2025 unchanged") in change


def test_desk_refuses_a_foreign_workbook(monkeypatch, desk_warehouse):
    app = desk(monkeypatch, desk_warehouse, secrets=AUTH, user=SIGNED_IN)
    official_uploader(app).set_value(("plantilla.xlsx", template_bytes(), "application/xlsx"))
    app.run()
    assert "Flujos por entidad federativa" in app.error[-1].value
    assert not [b for b in app.button if b.key == "desk_official_confirm"]
