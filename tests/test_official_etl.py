"""The official-statistics ETL: SE's workbook read as published (and as SE changes its layout),
vintages, flows derived within the year, `etl official` (refusals, reloads, rejects, replay) and
the ETEF and IMSS publishers' files. Expected figures are those data/SOURCES.md gives for checks
and sums computed here from the raw files."""

import csv
import shutil
import zipfile
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.__main__ import main
from etl.cell_text import CellError
from etl.journal import entries
from etl.load import build
from etl.official.reference import StateMatcher, match_origin, origin_code, state_names
from etl.official.se_origins import SE_ORIGINS
from etl.official.se_release import flows_of, quarterly_flows, read_release, repeats_a_period
from etl.official.store import SHIPPED_RELEASES, insert_se_release
from etl.warehouse import DEFAULT_RAW
from tests.conftest import TODAY, raw_copy
from tests.official_files import (
    ETEF_SHIPPED,
    IMSS_SHIPPED,
    SHIPPED_RELEASE,
    add_quarter,
    imss_state_series,
    national_etef,
    next_release,
    sheet_row,
    shipped_sheets,
    workbook_value,
    workbook_value_under,
    write_workbook,
)

REVISED = DEFAULT_RAW / "fdi" / "se_revised"


@pytest.fixture(scope="module")
def con(shipped_warehouse):
    with duckdb.connect(str(shipped_warehouse), read_only=True) as connection:
        yield connection


def one(con, sql: str, params=None):
    return con.execute(sql, params or []).fetchall()[0][0]


def cumulative(con, release: str, cve: str, year: int, quarter: int, code: str = "total"):
    return one(
        con,
        "SELECT cumulative_musd FROM fdi_state_flows WHERE release_id = ? AND cve_ent = ? "
        "AND year = ? AND quarter = ? AND code = ?",
        [release, cve, year, quarter, code],
    )


# ---------------------------------------------------------------- the shipped release


@pytest.mark.parametrize(
    ("cve", "state", "year", "quarter", "sources_figure"),
    [
        ("24", "San Luis Potosí", 2025, 3, 378.09),  # SOURCES: SLP Jan-Sep 2025
        ("24", "San Luis Potosí", 2023, 4, 1115.66),  # SLP 2023 (press: 1,116)
        ("24", "San Luis Potosí", 2024, 2, 1064.23),  # SLP H1 2024
        ("24", "San Luis Potosí", 2024, 4, 843.68),  # original 2024
        ("24", "San Luis Potosí", 2018, 4, 1342.91),  # SLP 2018 first published
        ("00", "Total general", 2025, 2, 34264.57),  # national Jan-Jun 2025
    ],
)
def test_shipped_release_as_published(con, cve, state, year, quarter, sources_figure):
    value = cumulative(con, "se-original-2025T3", cve, year, quarter)
    assert value == pytest.approx(sources_figure, abs=0.005)
    assert value == pytest.approx(workbook_value("Tipo de inversión", state, year, quarter))


def test_shipped_release_keeps_every_state_and_its_breakdowns(con):
    assert one(con, "SELECT series || ' ' || cut_off || ' ' || states FROM fdi_releases "
                    "WHERE release_id = 'se-original-2025T3'") == "original 2025-09-30 32"  # fmt: skip
    states = con.execute(
        "SELECT dimension, count(DISTINCT cve_ent) FROM fdi_state_flows "
        "WHERE release_id = 'se-original-2025T3' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # The national line ('00') has only its total; every state has all three breakdowns.
    assert states == [("activity", 32), ("country", 32), ("type", 33)]
    # SLP's types add up to its total, and 336 with its ramas is there from 2023 Q3.
    parts = one(con, "SELECT sum(cumulative_musd) FROM fdi_state_flows WHERE release_id = "
                     "'se-original-2025T3' AND cve_ent = '24' AND year = 2025 AND quarter = 3 "
                     "AND dimension = 'type' AND code <> 'total'")  # fmt: skip
    assert parts == pytest.approx(378.09, abs=0.01)
    ramas = con.execute(
        "SELECT DISTINCT code FROM fdi_state_flows WHERE release_id = 'se-original-2025T3' "
        "AND parent_code = '336' ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in ramas] == ["3361", "3362", "3363", "3364", "3365", "3366", "3369"]
    first = one(con, "SELECT min(year * 10 + quarter) FROM fdi_state_flows WHERE release_id = "
                     "'se-original-2025T3' AND code = '336'")  # fmt: skip
    assert first == 20233
    china = cumulative(con, "se-original-2025T3", "24", 2025, 3, "CN")
    assert china == pytest.approx(
        workbook_value_under("Origen", "San Luis Potosí", "China, República Popular de", 2025, 3)
    )


def test_revised_series_and_older_vintages(con):
    checks = {  # SOURCES: revised 2018 = 1,766.43, 2024 = 850.00, H1 2025 = 89.84
        (2018, 4): 1766.43, (2024, 4): 850.00, (2025, 2): 89.84, (2013, 4): 2008.13,
    }  # fmt: skip
    for (year, quarter), figure in checks.items():
        assert cumulative(con, "se-revised-2025T2", "24", year, quarter) == pytest.approx(
            figure, abs=0.005
        )
    # The datos.gob.mx file holds flows: its cumulative values are running sums within the year.
    with open(DEFAULT_RAW / "fdi" / "ied_slp_por_pais.csv", encoding="utf-8") as f:
        flows = [r for r in csv.DictReader(f) if r["anio"] == "2024"]
    h1 = sum(float(r["millones_de_dolares"]) for r in flows if r["trimestre"] in ("1", "2"))
    assert cumulative(con, "datosgob-revised-2024T2", "24", 2024, 2) == pytest.approx(h1)
    assert cumulative(con, "datamexico-revised-2024T4", "24", 2024, 4) == pytest.approx(
        843.68, abs=0.005
    )
    releases = con.execute(
        "SELECT release_id, series, cut_off FROM fdi_releases ORDER BY cut_off DESC"
    ).fetchall()
    assert releases[:2] == [("se-original-2025T3", "original", date(2025, 9, 30)),
                            ("se-revised-2025T2", "revised", date(2025, 6, 30))]  # fmt: skip


def test_the_origins_se_lists_have_the_codes_the_country_matcher_gives():
    assert len(SE_ORIGINS) > 140
    for label, code in SE_ORIGINS.items():
        assert match_origin(label) == code, label
    # An origin SE adds later goes to the matcher; a label that is no country is refused.
    assert "Nueva Caledonia" not in SE_ORIGINS and origin_code("Nueva Caledonia") == "NC"
    with pytest.raises(CellError, match="no es un país reconocido"):
        origin_code("Atlántida, República de")


# ---------------------------------------------------------------- flows within the year


def test_flows_are_derived_within_each_year_only():
    frame = pd.DataFrame(
        {
            "cve_ent": ["24"] * 6,
            "dimension": ["type"] * 6,
            "code": ["total"] * 6,
            "year": [2024, 2024, 2024, 2025, 2025, 2025],
            "quarter": [3, 4, 2, 1, 2, 3],  # out of order; 2024 starts at Q2
            "cumulative_musd": [984.0, 843.0, 1064.0, 125.0, np.nan, 378.0],  # 2025 Q2 "C"
        }
    )
    flows = quarterly_flows(frame, ["cve_ent", "dimension", "code"])
    expected = [984.0 - 1064.0, 843.0 - 984.0, np.nan, 125.0, np.nan, np.nan]
    # 2024 Q2 has no Q1 before it; 2025 Q1 is its own value (never 2025 Q1 - 2024 Q4); a
    # confidential Q2 leaves Q2 and Q3 without a flow.
    np.testing.assert_allclose(flows.to_numpy(), expected)


def test_flows_of_values_in_order_are_those_of_the_same_values_shuffled():
    rng = np.random.default_rng(7)
    key = np.repeat(np.arange(40), 12)
    year = np.tile(np.repeat([2024, 2025, 2026], 4), 40)
    quarter = np.tile([1, 2, 3, 4], 120)
    cumulative = rng.normal(100, 50, len(key)).round(2)
    cumulative[rng.random(len(key)) < 0.1] = np.nan  # confidential cells
    in_order = flows_of(key, year, quarter, cumulative)  # as a workbook's cells come: no sort
    shuffle = rng.permutation(len(key))
    shuffled = flows_of(key[shuffle], year[shuffle], quarter[shuffle], cumulative[shuffle])
    np.testing.assert_array_equal(in_order[shuffle], shuffled)
    first_quarters = quarter == 1
    np.testing.assert_array_equal(in_order[first_quarters], cumulative[first_quarters])


def test_a_key_and_quarter_given_twice_is_found_in_order_or_not():
    key, year, quarter = np.array([0, 0, 1, 1]), np.array([2025] * 4), np.array([1, 2, 1, 2])
    assert not repeats_a_period(key, year, quarter)
    assert repeats_a_period(key, year, np.array([1, 2, 1, 1]))
    assert repeats_a_period(np.array([1, 0, 1, 0]), year, np.array([2, 1, 2, 3]))  # apart
    assert not repeats_a_period(key[::-1], year, quarter[::-1])  # out of order, each once


def test_a_release_whose_cells_are_not_line_by_line_is_inserted_whole(shipped_warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    shipped = sorted((DEFAULT_RAW / SHIPPED_RELEASES).glob("*.xlsx"))[-1]
    release = read_release(shipped, StateMatcher(state_names(DEFAULT_RAW)), max_bytes=None)
    shuffle = np.random.default_rng(3).permutation(len(release.cells["line"]))
    release.cells = {c: v[shuffle] for c, v in release.cells.items()}
    columns = "cve_ent, year, quarter, dimension, code, label, level, parent_code, " \
              "cumulative_musd, flow_musd, confidential, sheet, source_row"  # fmt: skip
    with duckdb.connect(str(db)) as con:
        insert_se_release(con, release, "se-shuffled", "test", datetime.now(), None)
        shuffled, shipped_rows = (
            con.execute(f"SELECT {columns} FROM fdi_state_flows WHERE release_id = ? "  # noqa: S608
                        "ORDER BY ALL", [r]).fetchall()
            for r in ("se-shuffled", "se-original-2025T3")
        )  # fmt: skip
    assert len(shuffled) == len(shuffle) and shuffled == shipped_rows


def test_a_release_holding_a_key_twice_is_not_inserted(shipped_warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    shipped = sorted((DEFAULT_RAW / SHIPPED_RELEASES).glob("*.xlsx"))[-1]
    release = read_release(shipped, StateMatcher(state_names(DEFAULT_RAW)), max_bytes=None)
    release.cells = {c: np.r_[v, v[-1:]] for c, v in release.cells.items()}  # the last cell again
    with duckdb.connect(str(db)) as con, pytest.raises(AssertionError, match="one value per key"):
        insert_se_release(con, release, "se-test", "test", datetime.now(), None)


def test_flows_in_the_warehouse_add_up_to_the_cumulative_value(con):
    rows = con.execute(
        "SELECT quarter, cumulative_musd, flow_musd FROM fdi_state_flows WHERE release_id = "
        "'se-original-2025T3' AND cve_ent = '24' AND code = 'total' AND year = 2025 ORDER BY 1"
    ).fetchall()
    assert rows[0][2] == rows[0][1]  # Q1 flow = Jan-Mar
    assert sum(r[2] for r in rows) == pytest.approx(rows[-1][1])  # Q1+Q2+Q3 = Jan-Sep
    with open(REVISED / "ied_slp_se_actualizada_tipo_trimestral_acum_2006T1_2025T2.csv",
              encoding="utf-8") as f:  # fmt: skip
        published = {(int(r["anio"]), int(r["trimestre"])): float(r["flujo_trimestral_derivado"])
                     for r in csv.DictReader(f) if r["concepto"] == "Total"
                     and r["flujo_trimestral_derivado"]}  # fmt: skip
    ours = dict(
        ((y, q), v)
        for y, q, v in con.execute(
            "SELECT year, quarter, flow_musd FROM fdi_state_flows WHERE release_id = "
            "'se-revised-2025T2' AND dimension = 'type' AND code = 'total'"
        ).fetchall()
    )
    assert ours.keys() >= published.keys()
    assert all(ours[k] == pytest.approx(v, abs=1e-6) for k, v in published.items())


# ---------------------------------------------------------------- etl official


@pytest.fixture(scope="module")
def sheets():
    return shipped_sheets()


@pytest.fixture
def place(tmp_path, shipped_warehouse):
    """A private copy of the shipped warehouse and of data/raw (empty journal) to load into."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copyfile(shipped_warehouse, db)
    raw = raw_copy(tmp_path)
    return db, raw


def run(place, *argv) -> int:
    db, raw = place
    return main([*argv, "--db", str(db), "--raw", str(raw)])


def test_a_new_release_with_another_layout_loads_and_replays(place, sheets, tmp_path, capsys):
    db, raw = place
    path, values = next_release(sheets, tmp_path)
    assert run(place, "official", str(path), "--by", "ana@example.org") == 0
    out = capsys.readouterr().out
    assert "corte al 31/12/2025" in out and "«Tipo de inversión »" in out
    with duckdb.connect(str(db), read_only=True) as c:
        slp_row = sheet_row(sheets["Tipo de inversión"], "San Luis Potosí")
        assert cumulative(c, "se-original-2025T4", "24", 2025, 4) == pytest.approx(values[slp_row])
        assert one(c, "SELECT flow_musd FROM fdi_state_flows WHERE release_id = "
                      "'se-original-2025T4' AND cve_ent = '24' AND code = 'total' AND year = 2025 "
                      "AND quarter = 4") == pytest.approx(values[slp_row] - 378.0925691556344)  # fmt: skip
        assert one(c, "SELECT load_id IS NOT NULL AND loaded_by = 'ana@example.org' FROM "
                      "fdi_releases WHERE release_id = 'se-original-2025T4'")  # fmt: skip
        before = c.execute(
            "SELECT cve_ent, dimension, code, year, quarter, cumulative_musd, flow_musd "
            "FROM fdi_state_flows WHERE release_id = 'se-original-2025T4' ORDER BY ALL"
        ).fetchall()
    # The same bytes again add nothing, and say so.
    assert run(place, "official", str(path)) == 0
    assert "ya se cargó" in capsys.readouterr().out
    assert [e.kind for e in entries(raw)] == ["fdi_release"]
    # A rebuild from the raw folder replays the journal entry into the same values.
    rebuilt = tmp_path / "rebuilt.duckdb"
    build(rebuilt, raw, today=TODAY)
    with duckdb.connect(str(rebuilt), read_only=True) as c:
        again = c.execute(
            "SELECT cve_ent, dimension, code, year, quarter, cumulative_musd, flow_musd "
            "FROM fdi_state_flows WHERE release_id = 'se-original-2025T4' ORDER BY ALL"
        ).fetchall()
    assert len(again) == len(before) and again == before


def test_a_release_needs_a_built_warehouse(tmp_path, capsys):
    raw = raw_copy(tmp_path)
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("not a warehouse", encoding="utf-8")
    unbuilt = tmp_path / "unbuilt.duckdb"
    duckdb.connect(str(unbuilt)).close()  # a DuckDB file without build_info
    for db in (tmp_path / "missing" / "warehouse.duckdb", not_duckdb, unbuilt):
        assert run((db, raw), "official", str(SHIPPED_RELEASE)) == 2
        assert f"No hay almacén en {db}; créelo primero" in capsys.readouterr().err
    assert entries(raw) == []  # nothing kept in the journal


def test_one_more_year_column_and_an_empty_placeholder(sheets, tmp_path):
    """A release that starts a year earlier (2017 Q4 added before 2018) and carries an empty
    column for the next quarter: every value is read under its own year and quarter."""
    rows = [list(r) for r in sheets["Tipo de inversión"]]
    header = sheet_row(rows, "Entidad Federativa / Tipo de Inversión")
    for i, row in enumerate(rows):
        row.insert(1, 2017 if i == header else 4 if i == header + 1 else
                   (1.5 if i > header + 1 and isinstance(row[1], float | int) else None))  # fmt: skip
    add_quarter(rows, 2025, 4, {})  # SE's placeholder: a heading and no values
    path = write_workbook(tmp_path / "IED_orig_2017.xlsx", {"Tipo de inversión": rows})
    release = read_release(path, StateMatcher(state_names(DEFAULT_RAW)))
    assert release.cut_off == date(2025, 9, 30)  # the empty column is not a quarter
    assert release.quarters()[0] == (2017, 4)
    totals = release.values[release.values["code"] == "total"]
    total = totals.set_index(["cve_ent", "year", "quarter"])["cumulative_musd"]
    assert total[("24", 2025, 3)] == pytest.approx(378.09, abs=0.005)
    assert total[("24", 2017, 4)] == 1.5
    assert any("no trae el desglose" in es for es, _ in release.notes)


def test_a_formula_saved_without_its_value_is_read_as_its_text(sheets, tmp_path):
    """Calamine reads such a cell as empty (a quarter SE did not publish); the workbook goes
    through read_grid instead, and the cell is rejected, showing the formula."""
    rows = [list(r) for r in sheets["Tipo de inversión"]]
    slp = sheet_row(rows, "San Luis Potosí")
    rows[slp][1] = "=1+1"  # openpyxl saves it as a formula, without a value
    path = write_workbook(tmp_path / "IED_orig_formula.xlsx", {"Tipo de inversión": rows})
    release = read_release(path, StateMatcher(state_names(DEFAULT_RAW)))
    assert release.rows_rejected == 1
    assert [(r["column"], r["value"]) for r in release.reject_rows] == [
        (f"Tipo de inversión!B{slp + 1}", "=1+1")
    ]


def test_truncated_and_foreign_files_are_refused(place, sheets, tmp_path, capsys):
    db, raw = place
    before = db.read_bytes()
    cut = tmp_path / "IED_orig_cortado.xlsx"
    cut.write_bytes(SHIPPED_RELEASE.read_bytes()[:200_000])
    assert run(place, "official", str(cut)) == 2
    assert "No se cargó nada" in capsys.readouterr().err
    # A sheet cut short: the states after Michoacán are missing.
    rows = sheets["Tipo de inversión"]
    short = rows[: sheet_row(rows, "Morelos")]
    path = write_workbook(tmp_path / "IED_orig_incompleto.xlsx", {"Tipo de inversión": short})
    assert run(place, "official", str(path)) == 2
    err = capsys.readouterr().err
    assert "le faltan 16 de las 33 líneas" in err and "Zacatecas" in err
    # A workbook of another shape: the announcements template.
    template = tmp_path / "plantilla.xlsx"
    assert main(["template", str(template)]) == 0
    assert main(["--lang", "en", "official", str(template), "--db", str(db), "--raw",
                 str(raw)]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "expected the Secretaría de Economía's workbook 'Flujos por entidad federativa'" in err
    assert db.read_bytes() == before and entries(raw) == []


def test_series_from_the_title_the_file_name_or_the_user(place, sheets, tmp_path, capsys):
    rows = [list(r) for r in sheets["Tipo de inversión"]]
    plain = write_workbook(tmp_path / "flujos_2025.xlsx", {"Tipo de inversión": rows})
    assert run(place, "official", str(plain), "--check") == 2
    assert "--series original" in capsys.readouterr().err
    assert run(place, "official", str(plain), "--check", "--series", "revised") == 0
    assert "cifras actualizadas (indicada por el usuario)" in capsys.readouterr().out
    titled = [list(r) for r in rows]
    titled[0][0] = "IED por entidad federativa. Cifras actualizadas, en millones de dólares"
    path = write_workbook(tmp_path / "flujos_2025b.xlsx", {"Tipo de inversión": titled})
    assert run(place, "official", str(path), "--check") == 0
    assert "cifras actualizadas (según el título)" in capsys.readouterr().out
    assert run(place, "official", str(path), "--check", "--series", "original") == 2
    assert "el título indica la serie «cifras actualizadas»" in capsys.readouterr().err


def test_a_cell_that_is_not_a_figure_rejects_its_line(place, sheets, tmp_path, capsys):
    db, _ = place
    rows = [list(r) for r in sheets["Tipo de inversión"]]
    slp = sheet_row(rows, "San Luis Potosí")
    rows[slp + 1][5] = "n.d."
    path = write_workbook(tmp_path / "IED_orig_nd.xlsx", {"Tipo de inversión": rows})
    assert run(place, "official", str(path)) == 1
    out = capsys.readouterr().out
    assert f"Tipo de inversión!F{slp + 2} «n.d.»" in out
    with duckdb.connect(str(db), read_only=True) as c:
        read, loaded, rejected = c.execute(
            "SELECT rows_read, rows_loaded, rows_rejected FROM load_log WHERE kind = 'fdi_release'"
        ).fetchall()[0]
        lines = sum(1 for r in rows if r[0] is not None) - 4  # less title, header, two footnotes
        assert (read, loaded, rejected) == (lines, lines - 1, 1)
        assert one(c, "SELECT count(*) FROM fdi_state_flows WHERE release_id = "
                      "'se-original-2025T3-2' AND cve_ent = '24' AND code = 'new'") == 0  # fmt: skip


# ---------------------------------------------------------------- ETEF and IMSS, the publishers' files


def test_inegi_national_etef_keeps_slp(place, tmp_path, capsys):
    db, _ = place
    path = national_etef(tmp_path / "eef_trimestral_tr_cifra_2007_2026.csv")
    assert run(place, "official", str(path)) == 0
    assert "15,066 filas de otras entidades no se guardan" in capsys.readouterr().out
    with open(ETEF_SHIPPED, encoding="utf-8") as f:
        shipped = list(csv.DictReader(f))
    total_2024 = sum(float(r["VAL_USD_miles"] or 0) for r in shipped if r["ANIO"] == "2024")
    share_336 = sum(float(r["VAL_USD_miles"] or 0) for r in shipped
                    if r["ANIO"] == "2024" and r["CODIGO_SCIAN"] == "336") / total_2024  # fmt: skip
    assert total_2024 == 23_362_046 and round(share_336, 3) == 0.687  # SOURCES
    with duckdb.connect(str(db), read_only=True) as c:
        loaded = c.execute(
            "SELECT sum(value_kusd), sum(value_kusd) FILTER (scian_code = '336') FROM "
            "exports_quarterly WHERE release_id = 'exports-2026T2-2' AND year = 2024"
        ).fetchall()[0]
    assert loaded == (total_2024, pytest.approx(share_336 * total_2024))
    # INEGI's ZIP as downloaded is read the same way (checked here, not loaded again).
    archive = tmp_path / "conjunto_de_datos_eef_trimestral_csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(path, f"conjunto_de_datos/{path.name}")
    assert run(place, "official", str(archive), "--check") == 0
    assert "15,066 filas de otras entidades" in capsys.readouterr().out


def test_imss_state_series_keeps_slp(place, tmp_path):
    db, _ = place
    path = imss_state_series(tmp_path / "Nacional_empleo.csv")
    assert run(place, "official", str(path)) == 0
    with open(IMSS_SHIPPED, encoding="utf-8") as f:
        shipped = {(int(r["anio"]), int(r["mes_num"])): int(r["puestos_de_trabajo_afiliados_imss"])
                   for r in csv.DictReader(f)}  # fmt: skip
    with duckdb.connect(str(db), read_only=True) as c:
        loaded = dict(((y, m), j) for y, m, j in c.execute(
            "SELECT year, month, jobs FROM jobs_monthly WHERE release_id = 'jobs-2026-04-2'"
        ).fetchall())  # fmt: skip
    assert loaded == shipped and loaded[(2026, 4)] == 486_094  # SOURCES: Apr 2026
