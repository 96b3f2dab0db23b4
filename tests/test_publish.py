"""python -m etl publish DIR: the snapshot's manifest against the warehouse's own counts and the
files' bytes, its cut-offs against the pages' freshness functions, idempotence, pruning, a failed
or killed publish leaving readers on the previous snapshot, and replicas that read a snapshot
without ever building or writing it. The browser test runs two app servers on one publish folder
while the writer appends and publishes."""

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from etl import publish as publish_module
from etl.__main__ import main
from etl.load import append
from etl.publish import current_manifest, file_sha256, publish
from etl.warehouse import (
    CURRENT,
    MANIFEST,
    ROOT,
    SNAPSHOTS,
    ReadOnlySnapshot,
    current_snapshot_db,
)
from tests.conftest import TODAY, run_app

NEW_ROWS = [
    "empresa,país,municipio,fecha,monto,moneda,empleos",
    "Epsilon Frenos Publicada,Japón,Villa de Reyes,2025-02-10,25 mdd,,120",
    "Zeta Arneses Publicada,Corea,Soledad de G. S.,2025-03,40 mdd,,300",
]


@pytest.fixture
def writer(small_build, tmp_path) -> tuple[Path, Path]:
    """A private copy of the writer's warehouse and raw folder: (db, raw)."""
    db, raw = tmp_path / "wh" / "warehouse.duckdb", tmp_path / "raw"
    db.parent.mkdir()
    shutil.copyfile(small_build[0], db)
    shutil.copytree(small_build[1], raw)
    return db, raw


def add_rows(db: Path, raw: Path, folder: Path, lines: list[str], name: str = "nuevos.csv"):
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = append(path, db, raw, today=TODAY)
    assert outcome.rows_rejected == 0 and outcome.rows_loaded == len(lines) - 1
    return outcome


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_counts(db: Path) -> dict[str, int]:
    """Every table's row count, asked of the warehouse file itself."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        return {
            n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
            for n in names
            if n not in views
        }


def active_count(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM active_announcements").fetchone()[0]


def snapshot_names(pub: Path) -> list[str]:
    return sorted(p.name for p in (pub / SNAPSHOTS).iterdir())


def test_manifest_counts_hashes_and_parquet_match_the_warehouse(writer, tmp_path):
    db, _ = writer
    pub = tmp_path / "pub"
    outcome = publish(db, pub)
    snapshot = outcome.snapshot
    manifest = json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
    assert manifest == outcome.manifest and not outcome.already_published
    assert current_snapshot_db(pub) == snapshot / "warehouse.duckdb"

    counts = table_counts(db)
    assert {name: t["rows"] for name, t in manifest["tables"].items()} == counts
    assert counts["announcements"] == 5 and "active_announcements" not in manifest["tables"]
    # The copy is the writer's file byte for byte; every Parquet file is as the manifest says.
    assert manifest["warehouse"]["sha256"] == sha256(db) == sha256(snapshot / "warehouse.duckdb")
    for name, table in manifest["tables"].items():
        path = snapshot / table["file"]
        assert table["sha256"] == sha256(path) and table["bytes"] == path.stat().st_size
        assert pq.read_metadata(path).num_rows == counts[name]
    companies = sorted(
        pq.read_table(snapshot / "tables/announcements.parquet")["company"].to_pylist()
    )
    with duckdb.connect(str(db), read_only=True) as con:
        assert companies == sorted(
            r[0] for r in con.execute("SELECT company FROM announcements").fetchall()
        )
        assert (
            manifest["sources_sha256"]
            == con.execute("SELECT sources_sha256 FROM build_info").fetchone()[0]
        )
    assert manifest["schema_version"] == publish_module.SCHEMA_VERSION


def test_cut_offs_are_what_the_pages_freshness_lines_say(writer, tmp_path, monkeypatch):
    """The manifest's cut-offs and latest change, against the app's own functions reading the
    published snapshot (WAREHOUSE_DB naming the publish folder)."""
    from analytics import official, records
    from analytics.db import warehouse_path

    db, raw = writer
    add_rows(db, raw, tmp_path, NEW_ROWS)
    pub = tmp_path / "pub"
    manifest = publish(db, pub).manifest
    monkeypatch.setenv("WAREHOUSE_DB", str(pub))
    assert warehouse_path() == current_snapshot_db(pub)

    freshness = official.freshness()
    assert set(manifest["cut_offs"]) == set(freshness["series"])
    for row in freshness.itertuples():
        published = manifest["cut_offs"][row.series]
        assert published["release_id"] == row.release_id
        assert published["cut_off"] == (row.cut_off.isoformat() if row.cut_off else None)
    assert manifest["cut_offs"]["fdi_original"]["cut_off"] is not None
    assert manifest["announcements_changed_at"] == records.latest_change().isoformat()


def test_an_unchanged_warehouse_is_published_once(writer, tmp_path, capsys):
    db, raw = writer
    pub = tmp_path / "pub"
    assert main(["publish", str(pub), "--db", str(db), "--lang", "en"]) == 0
    assert "Snapshot published" in capsys.readouterr().out
    first = (pub / CURRENT).read_text()
    assert main(["publish", str(pub), "--db", str(db), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "has not changed" in out and first.strip() in out
    assert (pub / CURRENT).read_text() == first and len(snapshot_names(pub)) == 1

    add_rows(db, raw, tmp_path, NEW_ROWS)
    second = publish(db, pub)
    assert not second.already_published and (pub / CURRENT).read_text().strip() != first.strip()
    assert second.manifest["tables"]["announcements"]["rows"] == 5 + 2
    assert len(snapshot_names(pub)) == 2


def test_old_snapshots_are_pruned_beyond_keep(writer, tmp_path):
    db, raw = writer
    pub = tmp_path / "pub"
    published = [publish(db, pub, keep=2).snapshot.name]
    for i, lines in enumerate(([NEW_ROWS[0], NEW_ROWS[1]], [NEW_ROWS[0], NEW_ROWS[2]])):
        add_rows(db, raw, tmp_path, lines, name=f"nuevos{i}.csv")
        published.append(publish(db, pub, keep=2).snapshot.name)
    assert snapshot_names(pub) == published[1:]
    assert (pub / CURRENT).read_text().strip() == published[-1]


def test_a_write_during_the_publish_does_not_mix_versions(writer, tmp_path, monkeypatch):
    """The writer swaps in a new file between the publish's hash and its copy: the snapshot is the
    version the publish opened, whole, and its manifest says so."""
    db, raw = writer
    hashed, original = [], publish_module._sha256

    def hash_then_write(f):
        digest = original(f)
        if not hashed:
            hashed.append(digest)
            add_rows(db, raw, tmp_path, NEW_ROWS)
        return digest

    monkeypatch.setattr(publish_module, "_sha256", hash_then_write)
    outcome = publish(db, tmp_path / "pub")
    snapshot_db = outcome.snapshot / "warehouse.duckdb"
    assert active_count(db) == 7 and active_count(snapshot_db) == 5
    assert outcome.manifest["tables"]["announcements"]["rows"] == 5
    assert file_sha256(snapshot_db) == outcome.manifest["warehouse"]["sha256"] == hashed[0]


def test_a_failed_publish_leaves_readers_on_the_previous_snapshot(writer, tmp_path, monkeypatch):
    db, raw = writer
    pub = tmp_path / "pub"
    before = publish(db, pub)
    add_rows(db, raw, tmp_path, NEW_ROWS)
    hashed, original = [], publish_module.file_sha256

    def failing_sha256(path):  # the disk fills up while the third table is written
        hashed.append(path)
        if len(hashed) == 3:
            raise OSError("No space left on device")
        return original(path)

    monkeypatch.setattr(publish_module, "file_sha256", failing_sha256)
    with pytest.raises(OSError, match="No space"):
        publish(db, pub)
    assert snapshot_names(pub) == [before.snapshot.name]  # the half-written folder is gone
    assert current_snapshot_db(pub) == before.snapshot / "warehouse.duckdb"
    assert current_manifest(pub) == before.manifest
    assert active_count(current_snapshot_db(pub)) == 5


KILL = """
import os, sys
from pathlib import Path
from etl import publish
def killed(*args, **kwargs):
    os._exit(9)  # as a kill -9: no cleanup runs
setattr(publish, sys.argv[1], killed)
publish.publish(Path(sys.argv[2]), Path(sys.argv[3]))
"""


@pytest.mark.parametrize(
    ("step", "left_behind"),
    [("_write_synced", ".publishing-"), ("_point_current", "")],
    ids=["while-writing-the-manifest", "before-switching-current"],
)
def test_a_killed_publish_leaves_current_on_the_previous_snapshot(
    writer, tmp_path, step, left_behind
):
    db, raw = writer
    pub = tmp_path / "pub"
    before = publish(db, pub)
    add_rows(db, raw, tmp_path, NEW_ROWS)
    killed = subprocess.run(
        [sys.executable, "-c", KILL, step, str(db), str(pub)], cwd=ROOT, capture_output=True
    )
    assert killed.returncode == 9, killed.stderr.decode()
    left = [n for n in snapshot_names(pub) if n != before.snapshot.name]
    assert len(left) == 1 and left[0].startswith(left_behind)
    if left_behind:  # killed mid-way: the folder has no manifest, and readers never look at it
        assert not (pub / SNAPSHOTS / left[0] / MANIFEST).exists()
    assert current_snapshot_db(pub) == before.snapshot / "warehouse.duckdb"
    assert active_count(current_snapshot_db(pub)) == 5

    after = publish(db, pub)  # the next publish clears what the killed one left half done
    assert current_snapshot_db(pub) == after.snapshot / "warehouse.duckdb"
    assert active_count(current_snapshot_db(pub)) == 7
    assert not [n for n in snapshot_names(pub) if n.startswith(".publishing-")]


def test_a_replica_reads_the_snapshot_and_never_builds_or_writes_it(writer, tmp_path, monkeypatch):
    """The app on a publish folder whose raw folder differs from the snapshot's (a writer would
    rebuild): it shows the snapshot as published and leaves its file as it was."""
    db, raw = writer
    pub = tmp_path / "pub"
    outcome = publish(db, pub)
    add_rows(db, raw, tmp_path, NEW_ROWS)  # the raw folder moves on; the snapshot does not
    monkeypatch.setenv("WAREHOUSE_RAW", str(raw))
    app = run_app(monkeypatch, pub)
    assert app.metric[2].value == "5"
    snapshot_db = outcome.snapshot / "warehouse.duckdb"
    assert sha256(snapshot_db) == outcome.manifest["warehouse"]["sha256"]
    assert sorted(p.name for p in outcome.snapshot.iterdir()) == [MANIFEST, "tables",
                                                                   "warehouse.duckdb"]  # fmt: skip
    with pytest.raises(ReadOnlySnapshot):
        add_rows(snapshot_db, raw, tmp_path, NEW_ROWS, name="otra.csv")
    assert sha256(snapshot_db) == outcome.manifest["warehouse"]["sha256"]


def test_a_replicas_data_desk_is_read_only_even_for_a_signed_in_editor(
    writer, tmp_path, monkeypatch
):
    """On a published snapshot the desk offers no upload, form or private field: it says where
    changes are made."""
    from tests.test_data_desk import AUTH, SIGNED_IN, desk

    db, raw = writer
    pub = tmp_path / "pub"
    publish(db, pub)
    monkeypatch.setenv("WAREHOUSE_RAW", str(raw))
    app = desk(monkeypatch, pub, secrets=AUTH, user=SIGNED_IN)
    assert "copia publicada" in app.info[0].value
    assert not app.get("file_uploader")
    assert not [b for b in app.button if b.key in ("desk_login", "desk_logout")]


def test_publishing_without_a_warehouse_is_exit_status_2(tmp_path, capsys):
    assert main(["publish", str(tmp_path / "pub"), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "none.duckdb" in capsys.readouterr().err


# ---------------------------------------------------------------- two replicas, one writer


def overview_count(browser, url: str) -> str:
    """The overview's count of announcements, as a browser shows it."""
    from tests.browser_support import open_page

    page = open_page(browser, f"{url}/?lang=en", charts=False)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        return page.locator('[data-testid="stMetricValue"]').nth(2).inner_text()
    finally:
        page.close()


class HealthPoller(threading.Thread):
    """Asks every server's /_stcore/health until stopped, keeping every answer."""

    def __init__(self, urls: list[str]):
        super().__init__(daemon=True)
        self.urls, self.answers, self.stopping = urls, [], threading.Event()

    def run(self):
        while not self.stopping.is_set():
            for url in self.urls:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as r:
                        self.answers.append((url, r.status))
                except OSError as exc:
                    self.answers.append((url, repr(exc)))
            self.stopping.wait(0.2)

    def stop(self) -> list[tuple[str, object]]:
        self.stopping.set()
        self.join()
        return self.answers


@pytest.mark.browser
def test_two_replicas_keep_answering_and_both_show_the_next_publish(writer, tmp_path):
    from tests.browser_support import chromium, streamlit_server

    db, raw = writer
    pub = tmp_path / "pub"
    publish(db, pub)
    before = active_count(current_snapshot_db(pub))
    with (
        streamlit_server(pub, raw) as first,
        streamlit_server(pub, raw) as second,
        chromium() as browser,
    ):
        servers = [first, second]
        assert [overview_count(browser, url) for url in servers] == [str(before)] * 2
        poller = HealthPoller(servers)
        poller.start()
        add_rows(db, raw, tmp_path, NEW_ROWS)  # the writer loads; replicas still show the snapshot
        during = [overview_count(browser, url) for url in servers]
        published = subprocess.run(
            [sys.executable, "-m", "etl", "publish", str(pub), "--db", str(db), "--lang", "en"],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        after = [overview_count(browser, url) for url in servers]
        answers = poller.stop()
    assert published.returncode == 0 and "Snapshot published" in published.stdout
    expected = active_count(current_snapshot_db(pub))
    assert expected == before + 2
    assert during == [str(before)] * 2
    assert after == [str(expected)] * 2
    assert {url for url, _ in answers} == set(servers)
    assert [a for a in answers if a[1] != 200] == []


def test_the_publish_benchmark_measures_every_figure(writer, tmp_path):
    """benchmarks/publish.py's measurement (not wired into benchmarks/run.py): every figure, and
    its second publish found nothing new to write."""
    from benchmarks.publish import publish_time

    db, _ = writer
    figures = publish_time(db, tmp_path)
    assert set(figures) == {"warehouse_mb", "publish_s", "publish_peak_mb", "unchanged_s",
                            "floor_s", "ratio_to_floor"}  # fmt: skip
    assert all(value > 0 for value in figures.values())
    assert len(snapshot_names(tmp_path / f"pub_{db.parent.name}")) == 1
