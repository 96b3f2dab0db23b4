"""Shared fixtures: warehouses built from the shipped data, or from the shipped reference data with
a small announcements file whose totals the tests know exactly."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from etl.journal import JOURNAL
from etl.load import build
from etl.warehouse import DEFAULT_RAW

FIXTURES = Path(__file__).parent / "fixtures"
# Fixed so that "future date" checks and exchange-rate fallbacks do not drift with the calendar.
TODAY = date(2026, 11, 22)


def raw_copy(target: Path, announcements: Path | None = None, journal: bool = False) -> Path:
    """A copy of data/raw, optionally with another announcements file in place of the shipped one.

    The shipped journal (additions and corrections brought in after the base file) is copied only
    when asked: fixtures with their own announcements start with an empty journal."""
    raw = target / "raw"
    ignore = None if journal else shutil.ignore_patterns(JOURNAL)
    shutil.copytree(DEFAULT_RAW, raw, ignore=ignore)
    if announcements is not None:
        shutil.copyfile(announcements, raw / "announcements" / "slp_announcements.csv")
    return raw


@pytest.fixture(scope="session")
def shipped_warehouse(tmp_path_factory) -> Path:
    """The warehouse built from the shipped data, as `python -m etl build` makes it."""
    db = tmp_path_factory.mktemp("shipped") / "warehouse.duckdb"
    build(db, DEFAULT_RAW, today=TODAY)
    return db


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory) -> Path:
    """Real reference data with the five announcements of fixtures/small_announcements.csv."""
    base = tmp_path_factory.mktemp("small")
    raw = raw_copy(base, FIXTURES / "small_announcements.csv")
    db = base / "warehouse.duckdb"
    build(db, raw, today=TODAY)
    return db


def run_app(
    monkeypatch,
    db: Path,
    page: str | None = None,
    lang: str = "es",
    params: dict[str, str | list[str]] | None = None,
):
    """Run dashboard.py against db, optionally switched to pages/<page>.py, like a browser would.

    params are URL query parameters (filters); lang chooses the language through the URL too.
    """
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    app = AppTest.from_file(str(Path(__file__).parent.parent / "dashboard.py"), default_timeout=60)
    app.query_params.update({"lang": lang, **(params or {})})
    app.run()
    if page:
        app.switch_page(f"pages/{page}.py")
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


# ---------------------------------------------------------------- the cluster (synthetic roster)


@pytest.fixture(scope="session")
def synthetic_cluster(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The shipped data with a SYNTHETIC supplier roster (40 suppliers and their milestones) and
    action plan (25 actions with notes) loaded as staff would (benchmarks/generate_cluster.py,
    seeded): (warehouse, its raw folder, the generated sheets). Tests that run the app on it set
    WAREHOUSE_RAW to the raw folder, so the app finds the warehouse fresh."""
    from benchmarks.generate_cluster import action_plan, roster, write_workbook
    from etl.cluster.writes import load_file

    base = tmp_path_factory.mktemp("cluster")
    raw = raw_copy(base, journal=True)
    db = base / "warehouse.duckdb"
    build(db, raw, today=TODAY)
    suppliers, milestones = roster(40, TODAY)
    actions, notes = action_plan(25, TODAY)
    files = base / "files"
    padron = write_workbook({"Proveedores": suppliers, "Hitos": milestones}, files / "padron.xlsx")
    acuerdos = write_workbook({"Acciones": actions, "Avances": notes}, files / "acuerdos.xlsx")
    for path, kind in ((padron, "suppliers"), (acuerdos, "actions")):
        outcome = load_file(path, db, kind, raw, "sintetico@example.org", today=TODAY)
        assert outcome.rows_rejected == 0, outcome.report("en")
    sheets = {"suppliers": suppliers, "milestones": milestones, "actions": actions, "notes": notes}
    return db, raw, sheets
