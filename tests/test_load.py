"""Build, append and validate against small fixture warehouses: counts, idempotence, exit status,
atomic swaps and a single build when several processes start together."""

import multiprocessing
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from currency_converter import CurrencyConverter

from etl import journal, load
from etl.load import append, build, ensure_built, validate
from etl.warehouse import ROOT, stored_fingerprint
from tests.conftest import FIXTURES, TODAY, raw_copy


def rows(db: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def fresh(tmp_path) -> tuple[Path, Path]:
    """A private warehouse built from the small fixture: (db, raw dir)."""
    raw = raw_copy(tmp_path, FIXTURES / "small_announcements.csv")
    db = tmp_path / "wh" / "warehouse.duckdb"
    build(db, raw, today=TODAY)
    return db, raw


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


NEW_ROWS = [
    "empresa,país,municipio,fecha,monto,moneda,empleos",
    "Epsilon Frenos Sintética,Japón,Villa de Reyes,2025-02-10,25 mdd,,120",
    "Zeta Arneses Sintética,Corea,Soledad de G. S.,2025-03,40 mdd,,300",
    "Eta Mala Sintética,Narnia,Villa de Reyes,2025-03,40 mdd,,300",
]


def test_small_build_holds_exactly_the_fixture(small_warehouse):
    got = rows(
        small_warehouse,
        "SELECT company, origin_iso2, municipality, cvegeo, date_precision, amount_musd, jobs "
        "FROM announcements ORDER BY source_row",
    )
    c = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    beta = c.convert(50e6, "EUR", "USD", date=date(2023, 6, 15)) / 1e6
    gamma = c.convert(2000e6, "MXN", "USD", date=date(2022, 7, 1)) / 1e6
    expected = [
        ("Alfa Motores Sintética", "CN", "Villa de Reyes", "24050", "day", 100.0, 500),
        ("Beta Estampados Sintética", "DE", "San Luis Potosí", "24028", "month", beta, 200),
        ("Gamma Plásticos Sintética", "JP", "Villa de Pozos", "24028", "year", gamma, 300),
        ("Delta Tren Motriz Sintética", "US", None, None, None, None, None),
        ("Alfa Motores Sintética", "CN", "Villa de Reyes", "24050", "day", 30.0, 100),
    ]
    assert [r[:5] for r in got] == [e[:5] for e in expected]
    assert [r[5] for r in got] == pytest.approx([e[5] for e in expected], nan_ok=True, rel=1e-9)
    assert rows(small_warehouse, "SELECT rows_read, rows_loaded, rows_rejected FROM load_log") == [
        (5, 5, 0)
    ]


def test_append_loads_valid_rows_keeps_rejects_and_is_idempotent(fresh, tmp_path):
    db, raw = fresh
    path = write_csv(tmp_path / "nuevos.csv", NEW_ROWS)
    outcome = append(path, db, raw, loaded_by="prueba", today=TODAY)
    assert (outcome.result.rows_read, outcome.rows_loaded, outcome.rows_rejected) == (3, 2, 1)
    assert rows(db, "SELECT count(*) FROM announcements")[0][0] == 7
    assert rows(db, 'SELECT row_number, "column", value FROM rejects WHERE load_id = 2') == [
        (4, "país", "Narnia")
    ]
    log = rows(db, "SELECT file_name, loaded_by, rows_read, rows_loaded, rows_rejected "
                   "FROM load_log WHERE load_id = 2")  # fmt: skip
    assert log == [("nuevos.csv", "prueba", 3, 2, 1)]
    assert outcome.archived_as.exists()

    again = append(path, db, raw, today=TODAY)
    assert again.already_loaded["load_id"] == 2 and again.load_id is None
    assert rows(db, "SELECT count(*) FROM announcements")[0][0] == 7


def test_rebuild_replays_appended_files_with_the_same_ids(fresh, tmp_path):
    db, raw = fresh
    append(write_csv(tmp_path / "nuevos.csv", NEW_ROWS), db, raw, today=TODAY)
    before = rows(db, "SELECT announcement_id FROM announcements ORDER BY 1")
    build(db, raw, today=TODAY)
    assert rows(db, "SELECT announcement_id FROM announcements ORDER BY 1") == before
    assert rows(db, "SELECT kind, file_name FROM load_log ORDER BY load_id") == [
        ("build", "slp_announcements.csv"),
        ("append", "nuevos.csv"),
    ]


def test_same_rows_in_another_file_are_rejected_as_already_loaded(fresh, tmp_path):
    db, raw = fresh
    append(write_csv(tmp_path / "a.csv", NEW_ROWS[:2]), db, raw, today=TODAY)
    # Same row, different file (extra blank line changes the bytes, not the content).
    outcome = append(write_csv(tmp_path / "b.csv", [*NEW_ROWS[:2], ""]), db, raw, today=TODAY)
    assert (outcome.rows_loaded, outcome.rows_rejected) == (0, 1)
    assert "Ya está en el almacén" in outcome.rejects.iloc[0]["reason"]


def test_suspected_duplicates_are_flagged_not_dropped(fresh, tmp_path):
    db, raw = fresh
    lines = [
        "empresa,país,municipio,fecha,monto,moneda",
        # Alfa's 2024-03-20 plant is 100 MUSD in Villa de Reyes: 105 MUSD a month later looks alike.
        "Alfa Motores Sintética,China,Villa de Reyes,2024-04-25,105 mdd,",
        "Alfa Motores Sintética,China,Villa de Reyes,2019-04-25,105 mdd,",
    ]
    outcome = append(write_csv(tmp_path / "dup.csv", lines), db, raw, today=TODAY)
    assert outcome.rows_loaded == 2
    flagged = rows(db, "SELECT announced_year, review_flags, possible_duplicate_of IS NOT NULL "
                       "FROM announcements WHERE load_id = 2 ORDER BY 1")  # fmt: skip
    assert flagged == [(2019, "", False), (2024, "possible_duplicate", True)]


def test_validate_writes_nothing(fresh, tmp_path):
    db, raw = fresh
    before = db.read_bytes()
    outcome = validate(write_csv(tmp_path / "v.csv", NEW_ROWS), db, raw, today=TODAY)
    assert (outcome.rows_loaded, outcome.rows_rejected) == (2, 1)
    assert db.read_bytes() == before


def test_a_failed_build_leaves_the_previous_warehouse_untouched(fresh, monkeypatch):
    db, raw = fresh
    before = db.read_bytes()
    reader = duckdb.connect(str(db), read_only=True)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(load, "read_announcements", broken)
    with pytest.raises(RuntimeError):
        build(db, raw, today=TODAY)
    assert db.read_bytes() == before
    assert reader.execute("SELECT count(*) FROM announcements").fetchall()[0][0] == 5
    assert not list(db.parent.glob(".building-*"))


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("announcement_id", "SAME", "announcement_id is unique"),
        ("origin_iso2", "XX", "origin_iso2 is in countries"),
        ("sector", "not a sector", "sector is in sectors"),
        ("cvegeo", "99999", "cvegeo is in municipalities"),
        ("load_id", 99, "load_id is in load_log"),
    ],
)
def test_a_broken_key_stops_the_append_and_leaves_the_warehouse_untouched(
    fresh, tmp_path, monkeypatch, column, value, rule
):
    """Keys of announcements are checked by the loader, not declared (see schema.sql): a row that
    breaks one, however it got past the intake, aborts the new version."""
    db, raw = fresh
    before = db.read_bytes()
    real_review = load.review

    def corrupting(con, valid):
        to_load, duplicates = real_review(con, valid)
        if column == "announcement_id":  # the same id as a row already loaded
            value_now = rows(db, "SELECT min(announcement_id) FROM announcements")[0][0]
        else:
            value_now = value
        if column == "load_id":
            return to_load, duplicates
        corrupted = pa.array([value_now] * to_load.num_rows, pa.large_string())
        return to_load.set_column(
            to_load.schema.get_field_index(column), column, corrupted
        ), duplicates

    monkeypatch.setattr(load, "review", corrupting)
    if column == "load_id":  # the load's own id is set by _load: give the rows another one
        real_insert = load._insert
        monkeypatch.setattr(
            load,
            "_insert",
            lambda con, table, frame: real_insert(
                con, table, frame.set_column(frame.schema.get_field_index("load_id"), "load_id",
                                             pa.array([value] * frame.num_rows, pa.int32()))
                if table == "announcements" else frame
            ),
        )  # fmt: skip
    with pytest.raises(AssertionError, match=rule):
        append(write_csv(tmp_path / "k.csv", NEW_ROWS), db, raw, today=TODAY)
    assert db.read_bytes() == before
    assert journal.entries(raw) == []  # not kept: a rebuild will not replay it


def test_readers_keep_their_version_while_an_append_swaps_the_file(fresh, tmp_path):
    db, raw = fresh
    reader = duckdb.connect(":memory:")
    reader.execute(f"ATTACH '{db}' AS w (READ_ONLY)")
    append(write_csv(tmp_path / "n.csv", NEW_ROWS), db, raw, today=TODAY)
    assert reader.execute("SELECT count(*) FROM w.announcements").fetchall()[0][0] == 5
    assert rows(db, "SELECT count(*) FROM announcements")[0][0] == 7


def _ensure(db: str, raw: str, queue) -> None:
    queue.put(ensure_built(Path(db), Path(raw)))


def test_concurrent_starts_build_once(tmp_path):
    raw = raw_copy(tmp_path, FIXTURES / "small_announcements.csv")
    db = tmp_path / "warehouse.duckdb"
    queue = multiprocessing.get_context("spawn").Queue()
    workers = [
        multiprocessing.get_context("spawn").Process(
            target=_ensure, args=(str(db), str(raw), queue)
        )
        for _ in range(3)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    results = sorted(queue.get(timeout=5) for _ in workers)
    assert results == [False, False, True]
    assert stored_fingerprint(db) is not None
    assert ensure_built(db, raw) is False  # fresh now
    (raw / "announcements" / "slp_announcements.csv").write_text(
        (FIXTURES / "small_announcements.csv").read_text(encoding="utf-8")[:-1] + "\n\n",
        encoding="utf-8",
    )
    assert ensure_built(db, raw) is True  # a changed source makes it stale


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_cli_exit_status_and_reports(fresh, tmp_path):
    db, raw = fresh
    good = write_csv(tmp_path / "bueno.csv", NEW_ROWS[:3])
    mixed = write_csv(tmp_path / "mixto.csv", [NEW_ROWS[0], NEW_ROWS[3]])
    unusable = tmp_path / "vacio.csv"
    unusable.write_bytes(b"")
    common = ["--db", str(db), "--raw", str(raw)]

    ok = run_cli("validate", str(good), *common)
    assert ok.returncode == 0, ok.stderr
    assert "Filas leídas: 2 · válidas: 2 · rechazadas: 0" in ok.stdout

    partial = run_cli("append", str(mixed), *common)
    assert partial.returncode == 1
    assert "fila 2, columna «país» «Narnia»" in partial.stdout
    rejects_csv = tmp_path / "mixto.rechazos.csv"
    assert (
        rejects_csv.read_text(encoding="utf-8-sig").splitlines()[0] == "fila,columna,valor,motivo"
    )

    again = run_cli("--lang", "en", "append", str(mixed), *common)
    assert again.returncode == 0 and "already loaded" in again.stdout

    before = db.read_bytes()
    fatal = run_cli("append", str(unusable), *common)
    assert fatal.returncode == 2 and "vacio.csv" in fatal.stderr
    assert db.read_bytes() == before


def test_cli_build_honours_the_environment_variable(tmp_path):
    raw = raw_copy(tmp_path, FIXTURES / "small_announcements.csv")
    db = tmp_path / "from_env.duckdb"
    env_run = subprocess.run(
        [sys.executable, "-m", "etl", "build", "--raw", str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "WAREHOUSE_DB": str(db)},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert rows(db, "SELECT count(*) FROM announcements")[0][0] == 5


def test_review_drops_repeats_and_leaves_the_intake_rows_untouched(fresh, tmp_path):
    """Exact repeats within a file are rejects pointing at the first; the intake's frame is left as
    it was, and with no lookalike possible_duplicate_of stays empty."""
    db, _ = fresh
    lines = [*NEW_ROWS[:3], NEW_ROWS[1], NEW_ROWS[2], NEW_ROWS[1]]
    outcome = validate(write_csv(tmp_path / "r.csv", lines), db, today=TODAY)
    valid = outcome.result.table
    before = valid.to_pylist()
    with duckdb.connect(str(db), read_only=True) as con:
        to_load, duplicates = load.review(con, valid)
    assert valid.to_pylist() == before
    assert to_load["source_row"].to_pylist() == [2, 3]
    assert duplicates["row_number"].tolist() == [4, 5, 6]
    assert duplicates["reason_en"].tolist() == [
        "Identical to row 2; loaded only once.",
        "Identical to row 3; loaded only once.",
        "Identical to row 2; loaded only once.",
    ]
    assert to_load["possible_duplicate_of"].null_count == to_load.num_rows
