"""The journal (every change kept under data/raw/journal and replayed by build) and the one change
log mechanism (etl/changes.py), on small inputs."""

import json
from datetime import date, datetime

import duckdb
import pytest

from etl import changes, journal
from etl.load import append, build, ensure_built
from etl.warehouse import SCHEMA_SQL
from tests.conftest import FIXTURES, TODAY, raw_copy

ROWS = [
    "empresa,país,municipio,fecha,monto,moneda,empleos",
    "Epsilon Frenos Sintética,Japón,Villa de Reyes,2025-02-10,25 mdd,,120",
    "Zeta Arneses Sintética,Corea,Soledad de G. S.,2025-03,40 mdd,,300",
]


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


# ---------------------------------------------------------------- entries


def test_record_keeps_the_input_as_it_is_and_finds_it_again(tmp_path):
    raw = tmp_path / "raw"
    source = write(tmp_path / "nuevos.csv", ROWS)
    at = datetime(2026, 12, 1, 9, 30)
    entry, new = journal.record(raw, source, "announcements", "nuevos.csv", "ana", "ab" * 32,
                                {"sheet": None}, now=at)  # fmt: skip
    assert new and entry.path.read_bytes() == source.read_bytes()
    assert entry.path.parent == raw / "journal"
    meta = json.loads(entry.meta_path.read_text(encoding="utf-8"))
    assert meta == {"kind": "announcements", "file_name": "nuevos.csv", "recorded_by": "ana",
                    "recorded_at": "2026-12-01T09:30:00", "sha256": "ab" * 32,
                    "options": {"sheet": None}}  # fmt: skip
    again, new_again = journal.record(raw, source, "announcements", "otra.csv", "luis", "ab" * 32)
    assert not new_again and again == entry
    assert journal.find(raw, "announcements", "ab" * 32) == entry
    assert journal.find(raw, "corrections", "ab" * 32) is None  # same bytes, another kind
    assert journal.entries(raw) == [entry]


def test_entries_come_in_recorded_order_and_leftovers_are_skipped(tmp_path):
    raw = tmp_path / "raw"
    source = write(tmp_path / "a.csv", ROWS)
    late, _ = journal.record(raw, source, "announcements", "a", "x", "1" * 64,
                             now=datetime(2026, 12, 2))  # fmt: skip
    early, _ = journal.record(raw, source, "corrections", "b", "x", "2" * 64,
                              now=datetime(2026, 12, 1))  # fmt: skip
    (raw / "journal" / ".tmp-123-partial.csv").write_text("half", encoding="utf-8")
    (raw / "journal" / "20261203T000000000000_announcements_orphan.csv.json").write_text("{}")
    assert journal.entries(raw) == [early, late]
    journal.forget(late)
    assert journal.entries(raw) == [early]


def test_files_appended_by_earlier_versions_move_into_the_journal(tmp_path):
    raw, legacy = tmp_path / "raw", tmp_path / "loads"
    legacy.mkdir()
    write(legacy / "20261120T101500_0123456789abcdef.csv", ROWS)
    meta = {"file_name": "viejo.csv", "loaded_by": "ana", "sheet": None}
    (legacy / "20261120T101500_0123456789abcdef.csv.json").write_text(json.dumps(meta))
    assert journal.adopt_legacy_loads(raw, legacy) == 1
    (entry,) = journal.entries(raw)
    assert (entry.kind, entry.file_name, entry.recorded_by) == ("announcements", "viejo.csv", "ana")
    assert entry.recorded_at == datetime(2026, 11, 20, 10, 15)
    assert list(legacy.iterdir()) == []


# ---------------------------------------------------------------- replay


def test_a_rebuild_replays_the_journal_and_gives_the_same_warehouse(tmp_path):
    raw = raw_copy(tmp_path, FIXTURES / "small_announcements.csv")
    live = tmp_path / "live" / "warehouse.duckdb"
    build(live, raw, today=TODAY)
    outcome = append(write(tmp_path / "n.csv", ROWS), live, raw, loaded_by="ana", today=TODAY)
    assert outcome.archived_as.parent == raw / "journal"
    rebuilt = tmp_path / "rebuilt" / "warehouse.duckdb"
    build(rebuilt, raw, today=TODAY)
    for sql in (
        "SELECT * FROM announcements ORDER BY announcement_id",
        "SELECT * FROM load_log WHERE kind <> 'build' ORDER BY load_id",
        "SELECT * FROM rejects ORDER BY load_id, row_number",
    ):
        assert table(live, sql) == table(rebuilt, sql)
    assert table(rebuilt, "SELECT count(*) FROM announcements") == [(7,)]


def test_an_old_warehouse_is_rebuilt_with_the_files_it_had_appended(tmp_path):
    raw = raw_copy(tmp_path, FIXTURES / "small_announcements.csv")
    db = tmp_path / "wh" / "warehouse.duckdb"
    build(db, raw, today=TODAY)
    legacy = db.parent / "loads"
    legacy.mkdir()
    write(legacy / "20261120T101500_0123456789abcdef.csv", ROWS)
    meta = {"file_name": "viejo.csv", "loaded_by": "ana", "sheet": None}
    (legacy / "20261120T101500_0123456789abcdef.csv.json").write_text(json.dumps(meta))
    assert ensure_built(db, raw)
    assert table(db, "SELECT count(*) FROM announcements") == [(7,)]
    assert table(db, "SELECT file_name, loaded_by FROM load_log WHERE kind = 'append'") == [
        ("viejo.csv", "ana")
    ]


# ---------------------------------------------------------------- the change log


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(
        "CREATE TABLE things (thing_id VARCHAR, status VARCHAR, amount DOUBLE, musd DOUBLE)"
    )
    con.execute("INSERT INTO things VALUES ('a', 'announced', 67000000, 67)")
    return con


def change(field, old, new, **extra):
    return changes.Change("things", "a", field, old, new, "https://example.org/nota", "ana",
                          datetime(2026, 12, 1, 10), 7, **extra)  # fmt: skip


def test_a_change_updates_the_row_and_logs_old_and_new(con):
    done = changes.apply(
        con, change("amount", "67000000", 70e6, derived={"musd": 70.0}, note="n"), "thing_id"
    )
    assert (done.status, done.current, done.change_id) == ("applied", "67000000", 1)
    assert con.execute("SELECT amount, musd FROM things").fetchall() == [(70e6, 70.0)]
    assert con.execute(
        "SELECT change_id, entity, entity_id, field, old_value, new_value, source_url, note, "
        "changed_by, changed_at, load_id FROM changes"
    ).fetchall() == [
        (1, "things", "a", "amount", "67000000", "70000000", "https://example.org/nota", "n",
         "ana", datetime(2026, 12, 1, 10), 7)
    ]  # fmt: skip


def test_the_same_change_again_is_unchanged_and_a_stale_one_is_refused(con):
    changes.apply(con, change("status", "announced", "operating"), "thing_id")
    again = changes.apply(con, change("status", "announced", "operating"), "thing_id")
    assert again.status == "unchanged"
    stale = changes.apply(con, change("status", "announced", "cancelled"), "thing_id")
    assert (stale.status, stale.current) == ("stale", "operating")
    assert con.execute("SELECT status FROM things").fetchall() == [("operating",)]
    assert con.execute("SELECT count(*) FROM changes").fetchall() == [(1,)]
    gone = changes.Change("things", "zz", "status", None, "x", "u", "ana", datetime.now(), 1)
    assert changes.apply(con, gone, "thing_id").status == "missing"


def test_values_as_text():
    assert changes.as_text(None) is None and changes.as_text(float("nan")) is None
    assert changes.as_text(70000000.0) == "70000000" and changes.as_text(1.5) == "1.5"
    assert changes.as_text(date(2017, 10, 1)) == "2017-10-01" and changes.as_text("  ") is None
