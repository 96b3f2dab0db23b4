"""Live writes of the cluster's files (command line and data desk): validate (nothing written) or
load (kept in the journal and applied to a new version of the warehouse, as a rebuild replays it)."""

from datetime import date
from pathlib import Path

import duckdb

from etl.cluster import kinds
from etl.cluster.kinds import SheetOutcome
from etl.load import Inputs, require_warehouse, write_entry
from etl.sheets import MAX_FILE_BYTES
from etl.warehouse import DEFAULT_RAW, writer_lock


def validate_file(path: Path, db: Path, kind: str, raw_dir: Path = DEFAULT_RAW,
                  today: date | None = None,
                  max_bytes: int | None = MAX_FILE_BYTES) -> SheetOutcome:  # fmt: skip
    """Everything load_file does except writing. Raises FileUnusable."""
    inputs = Inputs(raw_dir, today or date.today())
    file = kinds.read(kind, path, inputs, max_bytes)
    require_warehouse(db)
    with duckdb.connect(str(db), read_only=True) as con:
        outcome = kinds.preview(con, kind, file, inputs.today)
        outcome.already_loaded = _earlier(con, kind, file.sha256)
    return outcome


def load_file(path: Path, db: Path, kind: str, raw_dir: Path = DEFAULT_RAW, loaded_by: str = "cli",
              today: date | None = None,
              max_bytes: int | None = MAX_FILE_BYTES) -> SheetOutcome:  # fmt: skip
    """Validate a file and load its valid rows; the same bytes twice add nothing. Raises
    FileUnusable (nothing written)."""
    inputs = Inputs(raw_dir, today or date.today())
    file = kinds.read(kind, path, inputs, max_bytes)
    with writer_lock(db):
        require_warehouse(db)
        with duckdb.connect(str(db), read_only=True) as con:
            earlier = _earlier(con, kind, file.sha256)
        if earlier or file.rows_read == 0:  # the same bytes again, or only the example row
            return SheetOutcome(kind, file, already_loaded=earlier)

        def apply(con: duckdb.DuckDBPyConnection, entry) -> SheetOutcome:
            return kinds.write(con, kind, file, loaded_by, entry.recorded_at)

        outcome, entry = write_entry(
            db, raw_dir, path, kind, file.file_name, loaded_by, file.sha256, apply
        )
    outcome.archived_as = entry.path
    return outcome


def _earlier(con: duckdb.DuckDBPyConnection, kind: str, sha256: str) -> dict | None:
    found = con.execute(
        "SELECT load_id, file_name, finished_at FROM load_log WHERE kind = ? AND sha256 = ? "
        "ORDER BY load_id LIMIT 1",
        [kind, sha256],
    ).df()
    return None if found.empty else found.iloc[0].to_dict()
