"""python -m etl publish DIR: a read-only snapshot of the warehouse for any number of app replicas.

DIR/snapshots/<UTC time>-<sha>/ holds a copy of the warehouse file, a Parquet file per table and
manifest.json (row counts, the sha256 of every file, the schema version, the data's cut-offs). It
is written in a hidden folder and renamed once complete; then DIR/CURRENT, which names the
snapshot readers use, is replaced with one atomic rename. A reader sees the previous snapshot or
the new one, never half of one, and a publish killed at any point leaves CURRENT where it was.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.official.reference import SLP
from etl.warehouse import CURRENT, MANIFEST, SCHEMA_VERSION, SNAPSHOT_DB, SNAPSHOTS, _fsync

# Snapshots kept: the current one and the ones before it, for readers still in a query on them.
KEEP = 3
MANIFEST_FORMAT = 1
TEMP_PREFIX = ".publishing-"

# The release each series' freshness line names (analytics/official.py: latest_release for SLP,
# latest_indicator), and when the announcements last changed (analytics/records.py: latest_change).
CUT_OFFS_SQL = f"""
    SELECT 'fdi_' || series AS series, release_id, cut_off FROM (
        SELECT r.*, row_number() OVER (PARTITION BY series
                                       ORDER BY cut_off DESC, loaded_at DESC, release_id DESC) AS n
        FROM fdi_releases r WHERE EXISTS (
            SELECT 1 FROM fdi_state_flows f WHERE f.release_id = r.release_id AND f.cve_ent = '{SLP}')
    ) WHERE n = 1
    UNION ALL
    SELECT indicator, release_id, cut_off FROM (
        SELECT *, row_number() OVER (PARTITION BY indicator
                                     ORDER BY cut_off DESC NULLS LAST, loaded_at DESC,
                                              release_id DESC) AS n
        FROM indicator_releases
    ) WHERE n = 1
    ORDER BY 1
"""  # noqa: S608 (fixed SQL)
LATEST_CHANGE_SQL = """
    SELECT greatest((SELECT max(changed_at) FROM announcement_changes),
                    (SELECT max(finished_at) FROM load_log WHERE kind <> 'build'))
"""


@dataclass
class PublishOutcome:
    snapshot: Path  # the snapshot CURRENT names after the call
    manifest: dict
    already_published: bool  # the warehouse had not changed: nothing new was written

    def report(self, lang: str) -> list[str]:
        tables = self.manifest["tables"]
        rows = sum(t["rows"] for t in tables.values())
        if self.already_published:
            lines = [
                f"El almacén no cambió desde la copia {self.snapshot.name}; no se publicó nada."
                if lang == "es"
                else f"The warehouse has not changed since snapshot {self.snapshot.name}; "
                "nothing was published."
            ]
        else:
            lines = [
                f"Copia publicada: {self.snapshot} ({len(tables)} tablas, {rows:,} filas)."
                if lang == "es"
                else f"Snapshot published: {self.snapshot} ({len(tables)} tables, {rows:,} rows)."
            ]
        cuts = " · ".join(
            f"{series} {c['cut_off'] or '–'}" for series, c in self.manifest["cut_offs"].items()
        )
        lines.append(("Cortes: " if lang == "es" else "Cut-offs: ") + cuts)
        return lines


def publish(db: Path, publish_dir: Path, keep: int = KEEP) -> PublishOutcome:
    """Publish the warehouse file db into publish_dir (see the module's docstring)."""
    if not db.is_file():
        raise FileNotFoundError(f"No warehouse at {db}: python -m etl build")
    snapshots = publish_dir / SNAPSHOTS
    snapshots.mkdir(parents=True, exist_ok=True)
    # Every write swaps in a new warehouse file with a rename (etl/warehouse.py: new_version) and
    # never changes one in place: the file opened here stays one consistent version, hashed and
    # copied whole even while the writer swaps in the next. No writer lock is needed.
    with _publisher_lock(publish_dir), open(db, "rb") as source:
        _remove_leftovers(publish_dir)
        digest = _sha256(source)
        current = current_manifest(publish_dir)
        if current and current["warehouse"]["sha256"] == digest:
            return PublishOutcome(_current_dir(publish_dir), current, already_published=True)
        work = snapshots / f"{TEMP_PREFIX}{uuid.uuid4().hex[:8]}"
        (work / "tables").mkdir(parents=True)
        try:
            _copy(source, work / SNAPSHOT_DB)
            manifest = _write_snapshot(work, digest)
            final = snapshots / f"{manifest['created_at'].replace(':', '')}-{digest[:8]}"
            os.replace(work, final)
            _fsync(snapshots)
            _point_current(publish_dir, final.name)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _prune(snapshots, keep, final.name)
    return PublishOutcome(final, manifest, already_published=False)


def current_manifest(publish_dir: Path) -> dict | None:
    """The manifest of the snapshot CURRENT names, or None before the first publish."""
    if not (publish_dir / CURRENT).exists():
        return None
    return json.loads((_current_dir(publish_dir) / MANIFEST).read_text(encoding="utf-8"))


def file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return _sha256(f)


def _sha256(f) -> str:
    f.seek(0)
    digest = hashlib.sha256()
    while chunk := f.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _current_dir(publish_dir: Path) -> Path:
    name = (publish_dir / CURRENT).read_text(encoding="utf-8").strip()
    return publish_dir / SNAPSHOTS / name


def _copy(source, dst: Path) -> None:
    source.seek(0)
    with open(dst, "wb") as fout:
        shutil.copyfileobj(source, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())


def _write_snapshot(work: Path, digest: str) -> dict:
    """The Parquet files and, last, the manifest of the warehouse copy in work."""
    db_file = work / SNAPSHOT_DB
    tables = {}
    with duckdb.connect(str(db_file), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1"
        ).fetchall()]  # fmt: skip
        for name in names:
            target = work / "tables" / f"{name}.parquet"
            quoted = '"' + name.replace('"', '""') + '"'
            literal = "'" + str(target).replace("'", "''") + "'"
            con.execute(f"COPY {quoted} TO {literal} (FORMAT parquet)")
            (rows,) = con.execute(f"SELECT count(*) FROM {quoted}").fetchone()  # noqa: S608
            tables[name] = {"rows": rows, "file": f"tables/{name}.parquet",
                            "sha256": file_sha256(target), "bytes": target.stat().st_size}  # fmt: skip
        sources, built_at = con.execute(
            "SELECT sources_sha256, built_at FROM build_info"
        ).fetchone()
        cut_offs = {series: {"release_id": release, "cut_off": cut and cut.isoformat()}
                    for series, release, cut in con.execute(CUT_OFFS_SQL).fetchall()}  # fmt: skip
        (changed,) = con.execute(LATEST_CHANGE_SQL).fetchone()
    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "schema_version": SCHEMA_VERSION,
        "sources_sha256": sources,
        "built_at": built_at.isoformat(),
        "warehouse": {"file": SNAPSHOT_DB, "sha256": digest, "bytes": db_file.stat().st_size},
        "tables": tables,
        "cut_offs": cut_offs,
        "announcements_changed_at": changed and changed.isoformat(),
    }
    for path in (work / "tables").iterdir():
        _fsync(path)
    _write_synced(work / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    _fsync(work / "tables")
    _fsync(work)
    return manifest


def _point_current(publish_dir: Path, name: str) -> None:
    """CURRENT names the new snapshot, replaced in one rename: readers see the old or the new."""
    tmp = publish_dir / f".{CURRENT}-{uuid.uuid4().hex[:8]}"
    _write_synced(tmp, name + "\n")
    os.replace(tmp, publish_dir / CURRENT)
    _fsync(publish_dir)


def _prune(snapshots: Path, keep: int, current: str) -> None:
    """Remove all but the newest `keep` snapshots (names sort by time), never the current one."""
    complete = sorted(p.name for p in snapshots.iterdir() if not p.name.startswith(TEMP_PREFIX))
    for name in complete[: -max(keep, 1)]:
        if name != current:
            shutil.rmtree(snapshots / name, ignore_errors=True)


def _remove_leftovers(publish_dir: Path) -> None:
    """What publishes killed before their renames left (under the lock none is running)."""
    for path in (publish_dir / SNAPSHOTS).glob(f"{TEMP_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in publish_dir.glob(f".{CURRENT}-*"):
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def _publisher_lock(publish_dir: Path) -> Iterator[None]:
    with open(publish_dir / ".publish.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
