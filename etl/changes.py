"""One change log for every kept record: a correction of an announcement, a company alias, a supplier
or an action edit is the same thing (entity, field, old value, new value, source, who, when).

A change names the value it replaces. When the record already holds the new value (checked first),
the change is unchanged and nothing is logged: applying the same file twice changes nothing. When the
value it replaces is no longer the current one (somebody else changed it since), it is stale and
refused, naming both values. Values are compared and logged as text (as_text), so one table holds
changes of every column type.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

APPLIED, UNCHANGED, STALE, MISSING = "applied", "unchanged", "stale", "missing"


def as_text(value) -> str | None:
    """A value as the change log writes it: None for blanks, ISO dates, whole numbers without '.0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


@dataclass
class Change:
    """One field of one record, from its old to its new value, with the source that says so."""

    entity: str  # the table changed (announcements, companies, suppliers, ...)
    entity_id: str  # the changed row's key in that table
    field: str  # column of that table
    # As the clerk states it (as_text form), checked against the current one; None: not stated
    # (not checked); "": stated as blank (the field was empty).
    old_value: str | None
    new_value: object  # typed as the table stores it
    source_url: str  # URL or document name backing the change
    changed_by: str
    changed_at: datetime  # when it was recorded (the journal entry's time)
    load_id: int  # load_log row of the file or form that carried it
    source_title: str | None = None
    note: str | None = None
    effective_date: date | None = None  # when it happened in the world (the source's date)
    source_row: int | None = None  # line of the file that carried it
    # Columns derived from this one, set with it and not logged (amount_musd with amount).
    derived: dict = field(default_factory=dict)
    # The new value as clerks see it, when the column's value alone does not say it (a date of
    # month precision is "2017-10"); compared and logged instead of current_text(new_value).
    new_text: str | None = None


@dataclass
class Applied:
    status: str  # APPLIED / UNCHANGED / STALE / MISSING
    current: str | None = None  # the value found, as text (what a stale change is refused against)
    change_id: int | None = None


def next_change_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(change_id), 0) + 1 FROM changes").fetchall()[0][0]


def log(con: duckdb.DuckDBPyConnection, change: Change, old_text: str | None) -> int:
    """Write the change log row of a change already made; its change_id."""
    change_id = next_change_id(con)
    con.execute(
        """
        INSERT INTO changes (change_id, entity, entity_id, field, old_value, new_value,
                             effective_date, source_url, source_title, note, changed_by,
                             changed_at, load_id, source_row)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            change_id,
            change.entity,
            change.entity_id,
            change.field,
            old_text,
            as_text(change.new_value),
            change.effective_date,
            change.source_url,
            change.source_title,
            change.note,
            change.changed_by,
            change.changed_at,
            change.load_id,
            change.source_row,
        ],
    )
    return change_id


def check(
    con: duckdb.DuckDBPyConnection,
    change: Change,
    key: str,
    current_text=as_text,
    shown: str | None = None,
) -> Applied:
    """What apply would do, without doing it: MISSING, UNCHANGED, STALE, or APPLIED (it would
    apply; no change_id yet). Lets a caller refuse a group of changes as a whole."""
    table, column = change.entity, change.field
    found = con.execute(
        f"SELECT {shown or column} FROM {table} WHERE {key} = ?",  # noqa: S608 (fixed names)
        [change.entity_id],
    ).fetchall()
    if not found:
        return Applied(MISSING)
    current = current_text(found[0][0])
    if current == new_text(change, current_text):  # already so (the same file applied again)
        return Applied(UNCHANGED, current)
    if change.old_value is not None and (change.old_value or None) != current:
        return Applied(STALE, current)
    return Applied(APPLIED, current)


def new_text(change: Change, current_text=as_text) -> str | None:
    """The new value as the log writes it."""
    return change.new_text if change.new_text is not None else current_text(change.new_value)


def apply(
    con: duckdb.DuckDBPyConnection,
    change: Change,
    key: str,
    current_text=as_text,
    shown: str | None = None,
) -> Applied:
    """Apply one change to the row of change.entity whose `key` column is change.entity_id.

    current_text(value) gives the text a clerk compares with; shown, an SQL expression over the
    row, gives it when the column alone does not (announcements show a date of year precision as
    '2019', not '2019-01-01': the expression reads date_precision too). The log keeps old and new
    values in that form. Table, column names and expressions come from the caller's fixed
    vocabulary, never from user input.
    """
    checked = check(con, change, key, current_text, shown)
    if checked.status != APPLIED:
        return checked
    columns = {change.field: change.new_value, **change.derived}
    assignments = ", ".join(f"{name} = ?" for name in columns)
    con.execute(
        f"UPDATE {change.entity} SET {assignments} WHERE {key} = ?",  # noqa: S608 (fixed names)
        [*columns.values(), change.entity_id],
    )
    logged = Change(**{**change.__dict__, "new_value": new_text(change, current_text)})
    return Applied(APPLIED, checked.current, log(con, logged, checked.current))
