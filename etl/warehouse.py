"""Where the warehouse lives and how it is written.

Every write (a build, or a journal entry: an append, a correction, a release) goes to a new file
next to the warehouse, which is swapped in with one atomic rename. A failure or a kill at any
moment leaves the previous file intact, and readers that already have it open keep reading the old
inode until they reconnect.
"""

import contextlib
import fcntl
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"
DEFAULT_RAW = ROOT / "data" / "raw"
SCHEMA_SQL = Path(__file__).with_name("schema.sql")
# Reference tables written for this repository (short SCIAN names, state abbreviations): part of
# the fingerprint, so that an edit there rebuilds the warehouse as a change in data/raw does.
REFERENCE_DIR = ROOT / "data" / "reference"
# Bump when the schema or the meaning of a column changes: running apps then rebuild their warehouse.
# 2: announcements keys checked by the loader, not declared; 3: the journal under data/raw;
# 4: living announcements (record_state, merged_into, review_notes, active_announcements,
#    load_log.rows_unchanged); 5: the cluster (companies, parks, suppliers, actions;
#    announcements.company_id and park_id); 6: official statistics (fdi_releases,
#    fdi_state_flows, states, exports, jobs, establishments)
SCHEMA_VERSION = 6


def resolve_db(cli_value: str | os.PathLike | None = None) -> Path:
    """--db PATH wins, then the WAREHOUSE_DB environment variable, then data/warehouse.duckdb."""
    chosen = cli_value or os.environ.get("WAREHOUSE_DB") or DEFAULT_DB
    return Path(chosen).resolve()


def resolve_raw(cli_value: str | os.PathLike | None = None) -> Path:
    """--raw PATH wins, then the WAREHOUSE_RAW environment variable, then data/raw.

    The raw folder holds the base sources and the journal of every change (etl/journal.py)."""
    chosen = cli_value or os.environ.get("WAREHOUSE_RAW") or DEFAULT_RAW
    return Path(chosen).resolve()


# A published read side (etl/publish.py): DIR/CURRENT names the snapshot readers use, and
# DIR/snapshots/<name>/ holds its warehouse file, tables/<table>.parquet and manifest.json.
CURRENT = "CURRENT"
SNAPSHOTS = "snapshots"
MANIFEST = "manifest.json"
SNAPSHOT_DB = "warehouse.duckdb"


class ReadOnlySnapshot(Exception):
    """A write aimed at a published snapshot: only the writer's warehouse is written."""


def is_published(path: Path) -> bool:
    """A publish folder, or the warehouse file of one of its snapshots: read-only."""
    return path.is_dir() or (path.parent / MANIFEST).exists()


def current_snapshot_db(publish_dir: Path) -> Path:
    """The warehouse file of the snapshot publish_dir/CURRENT names. Read on every call (one small
    file), so that readers move to the next publish without a restart."""
    try:
        name = (publish_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"Nothing is published in {publish_dir} yet: python -m etl publish {publish_dir}"
        ) from None
    return publish_dir / SNAPSHOTS / name / SNAPSHOT_DB


def legacy_loads_dir(db: Path) -> Path:
    """Where versions before the journal archived appended files (beside the warehouse)."""
    return db.parent / "loads"


def sources_fingerprint(raw_dir: Path, known: dict[Path, str] | None = None) -> str:
    """sha256 over every raw file, journal included (path and bytes), and the schema version.

    known: the sha256 (hex) of files whose bytes were just hashed elsewhere (a file recorded in the
    journal by this write), so that a large file is not read and hashed a second time."""
    known = known or {}
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        digest.update(
            f"reference/{path.name}\n".encode() + hashlib.sha256(path.read_bytes()).digest()
        )
    for path in sorted(p for p in Path(raw_dir).rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(raw_dir)}\n".encode())
        if path in known:
            digest.update(bytes.fromhex(known[path]))
        else:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def stored_fingerprint(db: Path) -> str | None:
    """The fingerprint the warehouse was built from, or None if it is missing or unreadable."""
    if not db.exists():
        return None
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute("SELECT sources_sha256 FROM build_info").fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


@contextlib.contextmanager
def writer_lock(db: Path) -> Iterator[None]:
    """One writer at a time per warehouse, across processes (several app sessions starting at once)."""
    if is_published(db):
        raise ReadOnlySnapshot(
            f"{db} es una copia publicada, de solo lectura: los cambios se hacen en el almacén "
            f"del escritor y se publican. / {db} is a published, read-only snapshot: changes are "
            "made on the writer's warehouse, then published."
        )
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(db.name + ".lock"), "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


@contextlib.contextmanager
def new_version(db: Path, copy_current: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the next version of the warehouse; swapped in only if the block succeeds.

    Call inside writer_lock. With copy_current the new version starts as a copy of the current one
    (append); otherwise it starts empty with the schema created (build).
    """
    tmp = db.with_name(f".building-{db.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        if copy_current:
            _copy_file(db, tmp)
        con = duckdb.connect(str(tmp))
        try:
            if not copy_current:
                con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            # One transaction for the whole write: DuckDB then lays each table's rows out so
            # that the next version's checkpoint writes only what that write adds (after
            # several commits it rewrites the last row groups: 0.2 s for an SE release).
            con.execute("BEGIN")
            yield con
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _fsync(tmp)
        os.replace(tmp, db)
        _fsync(db.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def write_entry(
    db: Path,
    raw_dir: Path,
    source: Path,
    kind: str,
    file_name: str,
    recorded_by: str,
    sha256: str,
    apply: Callable[[duckdb.DuckDBPyConnection, Any], Any],
    options: dict | None = None,
):
    """Keep source in the journal and apply it to a new version of the warehouse; what apply
    returns, and the entry. Call inside writer_lock, after checking that the warehouse exists.

    apply(con, entry) must do what the entry's replay does (etl.load.REPLAYS), from the input
    already read: the live write and a later rebuild then give the same warehouse.

    A failure leaves the warehouse as it was and removes the entry (a rebuild must not bring back a
    change that failed). A kill after the entry is written and before the swap leaves the entry:
    the next start finds the warehouse older than its sources and rebuilds it with the change.
    """
    # Here, not in etl.load, and imported when used: an official release's load then imports
    # neither the intake of announcements nor the cluster's (pandas and the rest, 0.6 s).
    from etl import journal
    from etl.cluster import derive as cluster_derive

    entry, recorded_now = journal.record(
        raw_dir, source, kind, file_name, recorded_by, sha256, options
    )
    try:
        with new_version(db, copy_current=True) as con:
            outcome = apply(con, entry)
            cluster_derive.after_write(con, kind)  # companies and park links, as a build ends
            # The entry recorded now holds the bytes the reader hashed: not hashed again.
            known = {entry.path: sha256} if recorded_now else None
            con.execute(
                "UPDATE build_info SET sources_sha256 = ?", [sources_fingerprint(raw_dir, known)]
            )
    except Exception:
        if recorded_now:
            journal.forget(entry)
        raise
    return outcome, entry


def require_warehouse(db: Path) -> None:
    with warehouse_reader(db):
        pass


@contextlib.contextmanager
def warehouse_reader(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse, for what a write looks up before it starts (one
    connection instead of one per question: each opening reads the file's catalog).
    FileUnusable when there is no warehouse at db, as require_warehouse."""
    con = _built_warehouse(db)
    if con is None:
        from etl.files import FileUnusable

        raise FileUnusable(
            f"No hay almacén en {db}; créelo primero con: python -m etl build",
            f"There is no warehouse at {db}; build it first with: python -m etl build",
        )
    try:
        yield con
    finally:
        con.close()


def _built_warehouse(db: Path) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to db if it holds a fingerprint (stored_fingerprint), else None."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = con.execute("SELECT sources_sha256 FROM build_info").fetchall()
    except duckdb.Error:
        rows = []
    if rows and rows[0][0] is not None:
        return con
    con.close()
    return None


def _copy_file(src: Path, dst: Path) -> None:
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(1 << 20):
            fout.write(chunk)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
