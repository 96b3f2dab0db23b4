"""Writing the cluster's journal entries: the load_log row and the rejects of each entry (private
values left out), and plain inserts."""

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from etl import changes
from etl.cluster.sheet_intake import SheetFile


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert frame's columns into table by name (table names are fixed by the callers)."""
    con.register("incoming_rows", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows")  # noqa: S608
    finally:
        con.unregister("incoming_rows")


def record_load(
    con: duckdb.DuckDBPyConnection, kind: str, file: SheetFile, by: str, at: datetime
) -> int:
    """The load_log row of an entry (rows read = loaded + rejected) and its rejects; its load_id."""
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchall()[0][0]
    rejected = file.rows_rejected
    log = pd.DataFrame(
        [
            {
                "load_id": load_id,
                "kind": kind,
                "file_name": file.file_name,
                "sha256": file.sha256,
                "loaded_by": by,
                "rows_read": file.rows_read,
                "rows_loaded": file.rows_read - rejected,
                "rows_rejected": rejected,
                "rows_flagged": 0,
                "started_at": at,
                "finished_at": at,
            }
        ]
    )
    insert(con, "load_log", log)
    rejects = file.stored_rejects()
    if not rejects.empty:
        insert(con, "rejects", rejects.assign(load_id=load_id))
    return load_id


@dataclass(frozen=True)
class Edit:
    """One field of one stored row to change, through the change log."""

    table: str
    key: str  # the table's key column
    key_value: str
    field: str
    value: object
    source_row: int
    derived: tuple = ()  # (column, value) pairs set with it, not logged
    source: str | None = None  # what backs it (default: the file and row that carried it)
    note: str | None = None


@dataclass
class Plan:
    """What a file does to the warehouse, worked out (and shown in a preview) before writing."""

    file: SheetFile
    new: dict[str, list[dict]] = field(default_factory=dict)  # table -> rows to insert
    edits: list[Edit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # e.g. suppliers_new, notes_unchanged

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def add(self, table: str, row: dict) -> None:
        self.new.setdefault(table, []).append(row)


def as_text(value) -> str | None:
    """A value as the change log writes it; a list (processes) as 'maquinado; estampado'."""
    if isinstance(value, list | tuple | np.ndarray):
        return "; ".join(map(str, value)) or None
    return changes.as_text(value)


def same(old, new) -> bool:
    return as_text(old) == as_text(new)


def apply_edits(
    con: duckdb.DuckDBPyConnection, plan: Plan, load_id: int, by: str, at: datetime
) -> None:
    """Apply the plan's edits through the change log; the source is the file's row."""
    for edit in plan.edits:
        changes.apply(
            con,
            changes.Change(
                entity=edit.table,
                entity_id=edit.key_value,
                field=edit.field,
                old_value=None,  # the file states the current truth: no stale check
                new_value=edit.value,
                source_url=edit.source or f"{plan.file.file_name}, fila {edit.source_row}",
                note=edit.note,
                changed_by=by,
                changed_at=at,
                load_id=load_id,
                source_row=edit.source_row,
                derived=dict(edit.derived),
            ),
            edit.key,
            as_text,
        )


def as_date(value) -> date | None:
    """A date as stored rows hold it (DuckDB gives pandas Timestamps in frames)."""
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return value.date() if isinstance(value, datetime | pd.Timestamp) else value
