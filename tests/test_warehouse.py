"""End to end on the shipped data: the warehouse's totals against sums computed independently from
the raw files with the csv module, and its keys and relationships (dbt-style tests)."""

import csv
import json
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from etl.warehouse import DEFAULT_RAW
from tests.conftest import shipped_announcements, shipped_loads

pytestmark = pytest.mark.slow


def raw_rows(relative: str) -> list[dict]:
    with open(DEFAULT_RAW / relative, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def con(shipped_warehouse: Path):
    with duckdb.connect(str(shipped_warehouse), read_only=True) as connection:
        yield connection


def one(con, sql: str):
    return con.execute(sql).fetchall()[0][0]


def test_municipal_population_and_census(con):
    census = [
        r for r in raw_rows("municipal/slp_municipios_censo2020.csv") if r["nivel"] == "municipio"
    ]
    assert one(con, "SELECT count(*) FROM municipalities") == 58
    assert one(con, "SELECT sum(population_2020) FROM municipalities") == 2_822_255
    assert one(con, "SELECT sum(population_2020) FROM municipalities") == sum(
        int(r["pobtot"]) for r in census
    )
    assert one(con, "SELECT sum(economically_active_2020) FROM municipalities") == sum(
        int(r["pea"]) for r in census
    )
    assert one(con, "SELECT sum(households_2020) FROM municipalities") == sum(
        int(r["tothog"]) for r in census
    )
    assert one(con, "SELECT sum(area_km2) FROM municipalities") == pytest.approx(61_138.0, abs=0.5)
    geometry = json.loads(one(con, "SELECT geometry FROM municipalities WHERE cvegeo = '24028'"))
    assert geometry["type"] in {"Polygon", "MultiPolygon"}


def test_fdi_by_country_totals(con):
    by_year = defaultdict(float)
    for r in raw_rows("fdi/ied_slp_por_pais.csv"):
        by_year[int(r["anio"])] += float(r["millones_de_dolares"])
    assert one(con, "SELECT count(*) FROM fdi_by_country") == 2738
    got = dict(
        con.execute("SELECT year, sum(amount_musd) FROM fdi_by_country GROUP BY 1").fetchall()
    )
    assert got == pytest.approx(dict(by_year))
    assert got[2013] == pytest.approx(2008, abs=1)  # the figure SE reported in the press
    assert one(con, "SELECT count(*) FROM fdi_by_country WHERE iso2 IS NULL") == 74  # Otros países
    assert one(con, "SELECT min(amount_musd) FROM fdi_by_country") < 0  # disinvestment is kept
    assert one(con, "SELECT DISTINCT vintage FROM fdi_by_country") == "2024-Q2"


def test_fdi_by_sector_keeps_unpublished_cells_missing(con):
    raw = raw_rows("fdi/ied_slp_por_sector_anual.csv")
    zeros = sum(float(r["valor_mdd"]) == 0 for r in raw)
    assert one(con, "SELECT count(*) FROM fdi_by_sector") == len(raw) == 323
    assert one(con, "SELECT count(*) FROM fdi_by_sector WHERE amount_musd IS NULL") == zeros
    assert one(con, "SELECT sum(amount_musd) FROM fdi_by_sector") == pytest.approx(
        sum(float(r["valor_mdd"]) for r in raw)
    )
    assert one(con, "SELECT bool_and(is_partial_year = (year = 2024)) FROM fdi_by_sector")


def test_every_shipped_announcement_is_accounted_for(con):
    """The base file's rows, then the journal's files (additions, corrections): every row or line
    read is loaded, rejected or (a correction already so) unchanged."""
    raw = raw_rows("announcements/slp_announcements.csv")
    read, loaded, rejected = con.execute(
        "SELECT rows_read, rows_loaded, rows_rejected FROM load_log WHERE kind = 'build'"
    ).fetchall()[0]
    assert read == len(raw)
    assert read == loaded + rejected
    assert one(con, "SELECT count(*) FROM load_log") == shipped_loads()
    assert one(con, "SELECT count(*) FILTER (rows_read <> rows_loaded + rows_rejected + "
                    "rows_unchanged) FROM load_log") == 0  # fmt: skip
    assert one(con, "SELECT sum(rows_rejected) FROM load_log") == one(
        con, "SELECT count(*) FROM (SELECT DISTINCT load_id, row_number FROM rejects)"
    )
    added = one(con, "SELECT sum(rows_loaded) FROM load_log WHERE kind IN ('build', 'append')")
    assert one(con, "SELECT count(*) FROM announcements") == added == len(shipped_announcements())


def test_shipped_announcements_match_the_raw_files(con):
    """Base file plus the journal's additions, with its corrections applied (tests/conftest.py)."""
    raw = shipped_announcements()
    by_origin = defaultdict(int)
    for r in raw:
        by_origin[r["origin_country"]] += 1
    got = dict(con.execute("SELECT origin_iso2, count(*) FROM announcements GROUP BY 1").fetchall())
    assert got == dict(by_origin)
    usd = sum(float(r["amount"]) / 1e6 for r in raw if r["currency"] == "USD" and r["amount"])
    assert one(con, "SELECT sum(amount_musd) FROM announcements WHERE currency = 'USD'") == (
        pytest.approx(usd)
    )
    pozos = sum(r["municipality"] == "Villa de Pozos" for r in raw)
    assert one(con, "SELECT count(*) FROM announcements WHERE municipality = 'Villa de Pozos' "
                    "AND cvegeo = '24028'") == pozos  # fmt: skip
    unplaced = sum(r["municipality"] == "" for r in raw)
    assert one(con, "SELECT count(*) FROM announcements WHERE cvegeo IS NULL") == unplaced


def test_shipped_corrections_are_current_values_with_their_history_and_source(con):
    """Constellium operating, Metal Technologies phase 1 dated 2017-10 at 70 MUSD: each change in
    the log with the source and quote of the shipped corrections file, the row's id kept."""
    (fixes,) = [p for p in (DEFAULT_RAW / "journal").glob("*_corrections_*.csv")]
    with open(fixes, encoding="utf-8", newline="") as f:
        lines = list(csv.DictReader(f))
    for line in lines:
        found = con.execute(
            "SELECT c.old_value, c.new_value, c.source_url, c.note, c.effective_date, "
            "a.announcement_id FROM announcement_changes c JOIN announcements a USING "
            "(announcement_id) WHERE a.company = ? AND c.field = ?",
            [line["company"], line["field"]],
        ).fetchall()
        assert len(found) == 1, line
        old, new, source, note, effective, _ = found[0]
        assert (old, new, source, note) == (
            line["old_value"], line["new_value"], line["source_url"], line["quote"]
        )  # fmt: skip
        assert str(effective or "") == line["source_date"]
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT company, status, announced_date, date_precision, amount_musd, announcement_id "
        "FROM announcements WHERE company LIKE 'Constellium%' OR company LIKE 'Metal Tech% 1'"
    ).fetchall()}  # fmt: skip
    assert rows["Constellium Automotive México"][0] == "operating"
    status, day, precision, musd, _ = rows["Metal Technologies (SLP plant) - phase 1"]
    assert (day.isoformat()[:7], precision, musd) == ("2017-10", "month", pytest.approx(70.0))


@pytest.mark.parametrize(
    ("child", "column", "parent", "key"),
    [
        ("announcements", "cvegeo", "municipalities", "cvegeo"),
        ("announcements", "origin_iso2", "countries", "iso2"),
        ("announcements", "sector", "sectors", "sector"),
        ("announcements", "load_id", "load_log", "load_id"),
        ("fdi_by_country", "iso2", "countries", "iso2"),
        ("places", "cvegeo", "municipalities", "cvegeo"),
    ],
)
def test_relationships(con, child, column, parent, key):
    orphans = one(
        con,
        f"SELECT count(*) FROM {child} WHERE {column} IS NOT NULL "
        f"AND {column} NOT IN (SELECT {key} FROM {parent})",
    )
    assert orphans == 0


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("announcements", "announcement_id"),
        ("municipalities", "cvegeo"),
        ("countries", "iso2"),
        ("load_log", "load_id"),
    ],
)
def test_keys_are_unique_and_present(con, table, key):
    total, distinct, nulls = con.execute(
        f"SELECT count(*), count(DISTINCT {key}), count(*) FILTER (WHERE {key} IS NULL) FROM {table}"
    ).fetchall()[0]
    assert total == distinct and nulls == 0


def test_coded_columns_hold_only_known_codes(con):
    assert {r[0] for r in con.execute("SELECT DISTINCT event_type FROM announcements").fetchall()} <= {
        "new_plant", "expansion", "new_line", "relocation", "cancellation", None,
    }  # fmt: skip
    assert {r[0] for r in con.execute("SELECT DISTINCT status FROM announcements").fetchall()} <= {
        "announced", "under_construction", "operating", "cancelled", "unknown", None,
    }  # fmt: skip
    assert {r[0] for r in con.execute("SELECT DISTINCT region FROM countries").fetchall()} == {
        "asia", "europe", "north_america", "mexico", "latin_america", "other",
    }  # fmt: skip
