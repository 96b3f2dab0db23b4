"""Shared fixtures: warehouses built from the shipped data, or from the shipped reference data with
a small announcements file whose totals the tests know exactly."""

import csv
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


# ---------------------------------------------------------------- the shipped data, read here
# What the shipped warehouse must hold, computed from the raw files without the ETL: the base file
# plus the journal's announcement files, with the journal's corrections applied (the shipped ones
# name each row by company and date, and change status, date or amount).


def _journal_files(kind: str) -> list[Path]:
    folder = DEFAULT_RAW / JOURNAL
    metas = sorted(folder.glob(f"*_{kind}_*.json")) if folder.is_dir() else []
    return [m.with_name(m.name.removesuffix(".json")) for m in metas]


def _csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def shipped_announcements() -> list[dict]:
    """The shipped announcements as the raw folder says they are now (one dict per row, the base
    file's columns as text)."""
    rows = _csv_rows(DEFAULT_RAW / "announcements" / "slp_announcements.csv")
    for path in _journal_files("announcements"):
        rows += _csv_rows(path)
    for path in _journal_files("corrections"):
        dated = [(r, r["announced_date"]) for r in rows]  # a file's lines name the dates before it
        for fix in _csv_rows(path):
            known = fix["existing_announced_date"]
            (row,) = [r for r, day in dated if r["company"] == fix["company"]
                      and (not known or day == known)]  # fmt: skip
            assert row[fix["field"]] == fix["old_value"], (row, fix)
            row[fix["field"]] = fix["new_value"]
    return rows


def shipped_loads() -> int:
    """Loads of the shipped warehouse: the base file, then one per journal entry."""
    return 1 + len(_journal_files("announcements")) + len(_journal_files("corrections"))


@pytest.fixture(scope="session")
def shipped_warehouse(tmp_path_factory) -> Path:
    """The warehouse built from the shipped data, as `python -m etl build` makes it."""
    db = tmp_path_factory.mktemp("shipped") / "warehouse.duckdb"
    build(db, DEFAULT_RAW, today=TODAY)
    return db


@pytest.fixture
def private_warehouse(shipped_warehouse, tmp_path, monkeypatch) -> Path:
    """A private copy of the shipped-data warehouse and of its raw folder (journal included), where
    the app writes (WAREHOUSE_RAW points at it; the copy is fresh for the app: no rebuild)."""
    db = tmp_path / "data" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copyfile(shipped_warehouse, db)
    monkeypatch.setenv("WAREHOUSE_RAW", str(raw_copy(db.parent, journal=True)))
    return db


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> tuple[Path, Path]:
    """Real reference data with the five announcements of fixtures/small_announcements.csv: the
    warehouse (one load) and its raw folder, built once. Tests that write copy both first."""
    base = tmp_path_factory.mktemp("small")
    raw = raw_copy(base, FIXTURES / "small_announcements.csv")
    db = base / "warehouse.duckdb"
    build(db, raw, today=TODAY)
    return db, raw


@pytest.fixture(scope="session")
def small_warehouse(small_build) -> Path:
    return small_build[0]


def run_app(
    monkeypatch,
    db: Path,
    page: str | None = None,
    lang: str = "es",
    params: dict[str, str | list[str]] | None = None,
    state: dict | None = None,
):
    """Run dashboard.py against db, optionally switched to pages/<page>.py, like a browser would.

    params are URL query parameters (filters); lang chooses the language through the URL too.
    state: session values set before the first run (a folded section opened by the user).
    """
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    app = AppTest.from_file(str(Path(__file__).parent.parent / "dashboard.py"), default_timeout=60)
    app.query_params.update({"lang": lang, **(params or {})})
    for key, value in (state or {}).items():
        app.session_state[key] = value
    app.run()
    if page:
        app.switch_page(f"pages/{page}.py")
        # As a browser opening the page's link: its own parameters (empresa, anuncio) reach it;
        # the default page's first run kept only the filters.
        app.query_params.update(params or {})
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_list(app, name: str, count: int | None = None, lang: str = "es"):
    """Open a folded table of announcements (ui.announcement_table(..., folded=True)) as a click
    would; with count, first check that its folded line names how many it lists."""
    if count is not None:
        from analytics.i18n import count_text

        folded = [
            e.label
            for e in app.expander
            if e.label.endswith(count_text(count, "announcements", lang))
        ]
        assert folded, [e.label for e in app.expander]
    app.session_state[f"open_{name}"] = True
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
