"""`etl correct`: corrections (etl/corrections.py) applied to the warehouse, line by line, as change
events of the announcements (etl/changes.py).

Each line is resolved to its announcement against the warehouse as it was before the file (so a
line that identifies a row by the date another line corrects still finds it), then applied in
order: its changes are checked together (a stale one refuses the whole line), the derived columns
recomputed from the row as it is then, and each change logged with the line's source. The live
command and a rebuild's replay of the journal entry run the same apply_file, so both give the same
warehouse.
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
from rapidfuzz import process

from etl import changes, journal, parse
from etl.announcement_rows import PLAUSIBLE_MUSD, source_fx_date
from etl.corrections import (
    ENTITY,
    FLAG_ORDER,
    KIND,
    REJECT_COLUMNS,
    SHOWN_SQL,
    STATE_FIELDS,
    CorrectionsFile,
    Line,
    field_label,
    read_corrections,
    shown,
)
from etl.intake import UNNAMED_COMPANY, add_flag, guess_note
from etl.load import Inputs, check_keys, require_warehouse, write_entry
from etl.parse import CellError, PartialDate
from etl.sheets import MAX_FILE_BYTES
from etl.warehouse import DEFAULT_RAW, writer_lock

APPLIED, UNCHANGED = "applied", "unchanged"
# What a line's announcement is shown with in messages and reports.
ROW_COLUMNS = (
    f"announcement_id, company, {SHOWN_SQL['announced_date']} AS shown_date, municipality, "
    "amount_musd, record_state"
)


@dataclass
class LineOutcome:
    line: Line
    status: str  # APPLIED or UNCHANGED
    announcement_id: str
    company: str
    logged: list[tuple[str, str | None, str | None]]  # (field, old, new) of each change applied
    flagged: bool = False  # the new value was a guess (loaded, and flagged for review)
    after: dict = field(default_factory=dict)  # the row once applied (derived columns included)


@dataclass
class CorrectionsOutcome:
    file: CorrectionsFile
    lines: list[LineOutcome]  # applied and unchanged lines, in file order
    rejects: pd.DataFrame  # of the file and of the warehouse: row_number, column, value, reasons
    load_id: int | None = None  # None when nothing was written (a check, or nothing to change)
    already_applied: dict | None = None  # load_log row of an earlier application of these bytes
    archived_as: Path | None = None

    @property
    def applied(self) -> list[LineOutcome]:
        return [o for o in self.lines if o.status == APPLIED]

    @property
    def unchanged(self) -> list[LineOutcome]:
        return [o for o in self.lines if o.status == UNCHANGED]

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].nunique()


# ---------------------------------------------------------------- which announcement


def _describe(row) -> str:
    """An announcement in a few words, for a list of candidates."""

    def given(value, blank: str) -> str:
        return blank if value is None or pd.isna(value) else str(value)

    amount = row["amount_musd"]
    parts = [
        row["announcement_id"],
        given(row["shown_date"], "sin fecha / undated"),
        given(row["municipality"], "–"),
        "–" if pd.isna(amount) else f"{amount:,.1f} MDD",
    ]
    state = "" if row["record_state"] == "active" else f" [{row['record_state']}]"
    return f"{' · '.join(parts)}{state}"


def _former(con, field_name: str, ids: list[str] | None = None) -> dict[str, set[str]]:
    """Values announcements had before a correction: announcement_id -> old values of field."""
    frame = con.execute(
        "SELECT entity_id, old_value FROM changes WHERE entity = ? AND field = ? "
        "AND old_value IS NOT NULL AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], "
        "entity_id))",
        [ENTITY, field_name, ids, ids],
    ).df()
    former: dict[str, set[str]] = {}
    for entity_id, old in zip(frame["entity_id"], frame["old_value"], strict=True):
        former.setdefault(entity_id, set()).add(old)
    return former


def resolve(con: duckdb.DuckDBPyConnection, lines: list[Line]) -> dict[int, str | CellError]:
    """Each line's announcement_id (by row number), or the error naming the candidates."""
    found: dict[int, str | CellError] = {}
    ids = sorted({line.announcement_id for line in lines if line.announcement_id})
    known = {r[0] for r in con.execute(
        "SELECT announcement_id FROM announcements "
        "WHERE list_contains(?::VARCHAR[], announcement_id)",
        [ids],
    ).fetchall()}  # fmt: skip
    by_company = [line for line in lines if not line.announcement_id]
    for line in lines:
        if line.announcement_id:
            found[line.row_number] = line.announcement_id if line.announcement_id in known else (
                CellError(f"No hay ningún anuncio con el id {line.announcement_id}.",
                          f"There is no announcement with id {line.announcement_id}.")
            )  # fmt: skip
    if not by_company:
        return found
    names: dict[str, set[str]] = {}  # normalized company -> names as kept
    for (company,) in con.execute("SELECT DISTINCT company FROM announcements").fetchall():
        names.setdefault(parse.normalize(company), set()).add(company)
    renamed: dict[str, set[str]] = {}  # normalized former name -> announcement ids
    for entity_id, olds in _former(con, "company").items():
        for old in olds:
            renamed.setdefault(parse.normalize(old), set()).add(entity_id)
    for line in by_company:
        key = parse.normalize(line.company)
        rows = con.execute(
            f"SELECT {ROW_COLUMNS} FROM announcements "  # noqa: S608 (fixed columns)
            "WHERE list_contains(?::VARCHAR[], company) "
            "OR list_contains(?::VARCHAR[], announcement_id) "
            "ORDER BY announced_date NULLS LAST, announcement_id",
            [sorted(names.get(key, ())), sorted(renamed.get(key, ()))],
        ).df()
        found[line.row_number] = _choose(con, line, rows, names)
    return found


def _choose(con, line: Line, rows: pd.DataFrame, names: dict) -> str | CellError:
    """The one announcement of the line's company (and date), or the error with candidates."""
    company = line.company
    if rows.empty:
        similar = [n for n, _, _ in process.extract(parse.normalize(company), list(names), limit=3)]
        shown_names = ", ".join(f"«{min(names[n])}»" for n in similar)
        return CellError(
            f"No hay ningún anuncio de «{company}». Empresas parecidas: {shown_names}.",
            f"There is no announcement by '{company}'. Similar companies: {shown_names}.",
        )
    candidates = rows
    if line.known_date:
        former = _former(con, "announced_date", rows["announcement_id"].tolist())
        exact = rows[[
            d == line.known_date or line.known_date in former.get(i, ())
            for i, d in zip(rows["announcement_id"], rows["shown_date"], strict=True)
        ]]  # fmt: skip
        within = rows[rows["shown_date"].fillna("").str.startswith(line.known_date + "-")]
        candidates = exact if not exact.empty else within
        if candidates.empty:
            listed = "; ".join(_describe(r) for _, r in rows.iterrows())
            return CellError(
                f"«{company}» no tiene ningún anuncio con fecha {line.known_date}. Sus anuncios: "
                f"{listed}.",
                f"'{company}' has no announcement dated {line.known_date}. Its announcements: "
                f"{listed}.",
            )
    if len(candidates) > 1 and line.field not in STATE_FIELDS:
        active = candidates[candidates["record_state"] == "active"]
        candidates = active if len(active) == 1 else candidates  # the kept row of a merge
    if len(candidates) == 1:
        return candidates.iloc[0]["announcement_id"]
    listed = "; ".join(_describe(r) for _, r in candidates.iterrows())
    return CellError(
        f"{len(candidates)} anuncios de «{company}» coinciden: {listed}. Escriba la fecha del "
        "anuncio o su announcement_id para decir cuál.",
        f"{len(candidates)} announcements by '{company}' match: {listed}. Write the "
        "announcement's date or its announcement_id to say which.",
    )


# ---------------------------------------------------------------- what a line changes


def _flags(current: str | None, remove: tuple[str, ...] = (), add: tuple[str, ...] = ()) -> str:
    present = {f for f in str(current or "").split(";") if f} - set(remove) | set(add)
    ordered = [f for f in FLAG_ORDER if f in present] + sorted(present - set(FLAG_ORDER))
    return ";".join(ordered)


def money(row: dict, today: date, rates: parse.Rates) -> dict:
    """amount_musd, fx_rate_date and the money flags of a row, as the intake computes them: at
    the rate of the announcement date's midpoint, else of the source's date, else today's (and
    flagged fx_date_assumed)."""
    amount, currency = row["amount"], row["currency"]
    flags = ("fx_date_assumed", "implausible_amount")
    if amount is None or pd.isna(amount) or currency is None:
        return {"amount_musd": None, "fx_rate_date": None,
                "review_flags": _flags(row["review_flags"], remove=flags)}  # fmt: skip
    if row["announced_date"] is not None:
        on = PartialDate(row["announced_date"], row["date_precision"]).midpoint
    else:
        on = source_fx_date(row["source_date"], today)
    assumed = on is None and currency != "USD"
    rate, rate_date = rates.to_usd(1.0, currency, today if assumed else on)
    musd = amount * rate / 1e6
    low, high = PLAUSIBLE_MUSD
    raised = (("fx_date_assumed",) if assumed else ()) + (
        ("implausible_amount",) if not low <= musd <= high else ()
    )
    return {"amount_musd": musd, "fx_rate_date": rate_date,
            "review_flags": _flags(row["review_flags"], remove=flags, add=raised)}  # fmt: skip


@dataclass
class _Context:
    con: duckdb.DuckDBPyConnection
    today: date
    rates: parse.Rates
    changed_by: str
    changed_at: datetime
    load_id: int


def _changes(line: Line, row: dict, ctx: _Context) -> list[changes.Change]:
    """The change events of one line on its row (the first is the field the line names; the
    others follow from it). Raises CellError for a line that cannot apply to this row."""

    def change(column: str, new, old=None, derived=None, text=None) -> changes.Change:
        return changes.Change(
            ENTITY, row["announcement_id"], column, old, new, line.source_url, ctx.changed_by,
            ctx.changed_at, ctx.load_id, line.source_title, line.note, line.effective_date,
            line.row_number, derived or {}, text,
        )  # fmt: skip

    value, old = line.new_value, line.old_text
    name = line.field
    if isinstance(value, parse.Guess):  # loaded as the code it resembles, and flagged for review
        notes = "; ".join(filter(None, [row["review_notes"], guess_note(name, value)]))
        flagged = {"review_flags": add_flag(row["review_flags"], "uncertain_match"),
                   "review_notes": notes}  # fmt: skip
        return [change(name, value.code, old, flagged)]
    if name == "announced_date":
        after = {**row, "announced_date": value and value.start,
                 "date_precision": value and value.precision}  # fmt: skip
        derived = {
            "date_precision": value and value.precision,
            "announced_until": value and value.end,
            "announced_year": value and value.start.year,
            **money(after, ctx.today, ctx.rates),
        }
        return [change(name, value and value.start, old, derived, shown(name, value))]
    if name == "amount":
        currency = (value.currency or row["currency"]) if value else None
        if value is not None and currency is None:
            raise CellError(
                "El monto no indica moneda y el anuncio no tiene una: escríbala en el monto "
                "(70 mdd, 2,500 millones de pesos).",
                "The amount states no currency and the announcement has none: write it in the "
                "amount (USD 70 million, 70 mdd).",
            )
        after = {**row, "amount": value and value.value, "currency": currency}
        derived = money(after, ctx.today, ctx.rates)
        result = [change(name, value and value.value, old, derived)]
        if currency != row["currency"]:  # the amount comes in another currency (or none)
            result.append(change("currency", currency, None, derived))
        return result
    if name == "currency" and (value is None or row["amount"] is None):
        raise CellError(
            "Un monto necesita su moneda: para quitarla, deje en blanco el monto."
            if value is None
            else "El anuncio no tiene monto: corrija el monto, con su moneda.",
            "An amount needs its currency: to remove it, clear the amount."
            if value is None
            else "The announcement has no amount: correct the amount, with its currency.",
        )
    if name in ("currency", "source_date"):  # the rate (or the date it is taken on) changes
        return [change(name, value, old, money({**row, name: value}, ctx.today, ctx.rates))]
    if name == "municipality":
        place, key = value if value else (None, None)
        return [change(name, place, old, {"cvegeo": key})]
    if name == "company":
        unnamed = bool(UNNAMED_COMPANY.search(value))
        flags = _flags(row["review_flags"], remove=("company_unnamed",),
                       add=("company_unnamed",) if unnamed else ())  # fmt: skip
        return [change(name, value, old, {"review_flags": flags})]
    if name == "record_state":
        return _state_changes(line, row, value, change)
    if name == "merged_into":
        return _merge_changes(line, row, value, ctx, change)
    return [change(line.column, value, old)]


def _reason_needed(line: Line) -> None:
    if not line.note:
        raise CellError(
            "Escriba el motivo en la nota (por ejemplo, «anuncio repetido» o «la empresa "
            "desistió»): se muestra junto al registro.",
            "Write the reason in the note (e.g. 'repeated announcement' or 'the company "
            "withdrew'): it is shown with the record.",
        )


def _state_changes(line: Line, row: dict, state: str, change) -> list[changes.Change]:
    """Withdraw (with a reason) or make active again; a merged row also forgets its kept row."""
    if state == "withdrawn":
        _reason_needed(line)
    reason = line.note if state == "withdrawn" else None
    result = [change("record_state", state, line.old_text, {"state_reason": reason})]
    if row["merged_into"] is not None:
        result.append(change("merged_into", None))
    return result


def _merge_changes(line: Line, row: dict, kept: str | None, ctx: _Context, change):
    """Mark as a duplicate of the kept row (totals count it once), or undo (new value blank)."""
    if kept is None:
        return [change("merged_into", None, line.old_text),
                change("record_state", "active", None, {"state_reason": None})]  # fmt: skip
    _reason_needed(line)
    state = ctx.con.execute(
        "SELECT record_state FROM announcements WHERE announcement_id = ?", [kept]
    ).fetchall()
    if kept == row["announcement_id"]:
        why = ("es el mismo anuncio", "it is the same announcement")
    elif not state or state[0][0] != "active":
        why = ("no existe o no está vigente", "it does not exist or is not active")
    else:
        why = None
    if why:
        raise CellError(
            f"No se puede marcar como duplicado de {kept}: {why[0]}. Nombre el anuncio vigente "
            "que se conserva.",
            f"Cannot mark as a duplicate of {kept}: {why[1]}. Name the active announcement kept.",
        )
    return [change("merged_into", kept, line.old_text),
            change("record_state", "merged", None, {"state_reason": line.note})]  # fmt: skip


# ---------------------------------------------------------------- applying a file


def _row(con, announcement_id: str) -> dict:
    """The announcement's columns as Python values (dates as dates, blanks as None)."""
    cursor = con.execute("SELECT * FROM announcements WHERE announcement_id = ?", [announcement_id])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def _stale(line: Line, current: str | None) -> CellError:
    es, en = field_label(line.field)
    now, stated = current or "(en blanco)", line.old_text or "(en blanco)"
    now_en, stated_en = current or "(blank)", line.old_text or "(blank)"
    return CellError(
        f"El valor actual de {es} es «{now}», no «{stated}» como dice la línea: alguien lo "
        "cambió después de que se preparó. No se aplicó; revise el valor actual y repita la "
        "corrección si sigue siendo necesaria.",
        f"The current {en} is '{now_en}', not '{stated_en}' as the line says: somebody changed "
        "it since the line was written. Not applied; check the current value and correct it "
        "again if still needed.",
    )


def apply_file(
    con: duckdb.DuckDBPyConnection,
    file: CorrectionsFile,
    inputs: Inputs,
    changed_by: str,
    changed_at: datetime,
    log_load: bool = True,
) -> CorrectionsOutcome:
    """Apply every line of file to the warehouse behind con; with log_load, as a load of its own
    (load_log, rejects) and with the keys checked. What the live command and a replay both run."""
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchall()[0][0]
    ctx = _Context(con, inputs.today, inputs.rates, changed_by, changed_at, load_id)
    targets = resolve(con, file.lines)
    rejects, outcomes = [file.rejects], []
    columns = file.columns
    for line in file.lines:
        target = targets[line.row_number]
        try:
            if isinstance(target, CellError):
                column = "announcement_id" if line.announcement_id else "company"
                raise _Refused(column, line.announcement_id or line.company, target)
            outcomes.append(_apply_line(con, line, _row(con, target), ctx))
        except _Refused as refused:
            rejects.append(pd.DataFrame([{
                "row_number": line.row_number, "column": columns.get(refused.column, refused.column),
                "value": refused.value, "reason": refused.error.es, "reason_en": refused.error.en,
            }]))  # fmt: skip
    outcome = CorrectionsOutcome(
        file, outcomes, pd.concat(rejects, ignore_index=True)[REJECT_COLUMNS], load_id
    )
    if log_load:
        _log_load(con, outcome, changed_by, changed_at)
        check_keys(con)
    return outcome


class _Refused(Exception):
    def __init__(self, column: str, value, error: CellError):
        super().__init__(error.es)
        self.column, self.value, self.error = column, value, error


def _apply_line(con, line: Line, row: dict, ctx: _Context) -> LineOutcome:
    try:
        proposed = _changes(line, row, ctx)
    except CellError as error:
        raise _Refused("new_value", line.new_written, error) from None
    key = "announcement_id"
    checks = [changes.check(con, c, key, shown=SHOWN_SQL.get(c.field)) for c in proposed]
    stale = [k for k in checks if k.status == changes.STALE]
    if stale:  # the line's own field: implied changes state no old value
        raise _Refused("old_value", line.old_text, _stale(line, stale[0].current))
    todo = [c for c, k in zip(proposed, checks, strict=True) if k.status == changes.APPLIED]
    logged = []
    for c in todo:
        done = changes.apply(con, c, key, shown=SHOWN_SQL.get(c.field))
        logged.append((c.field, done.current, changes.new_text(c)))
    return LineOutcome(
        line, APPLIED if todo else UNCHANGED, row["announcement_id"], row["company"], logged,
        flagged=bool(todo) and isinstance(line.new_value, parse.Guess),
        after=_row(con, row["announcement_id"]) if todo else row,
    )  # fmt: skip


def _log_load(con, outcome: CorrectionsOutcome, by: str, at: datetime) -> None:
    file = outcome.file
    applied, unchanged = len(outcome.applied), len(outcome.unchanged)
    if applied + unchanged + outcome.rows_rejected != file.rows_read:
        raise AssertionError("lines read must equal lines applied, already so and rejected")
    con.execute(
        "INSERT INTO load_log (load_id, kind, file_name, sha256, loaded_by, rows_read, "
        "rows_loaded, rows_rejected, rows_flagged, started_at, finished_at, rows_unchanged) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [outcome.load_id, KIND, file.file_name, file.sha256, by, file.rows_read, applied,
         outcome.rows_rejected, sum(o.flagged for o in outcome.lines), at, at, unchanged],
    )  # fmt: skip
    if not outcome.rejects.empty:
        con.register("incoming_rejects", outcome.rejects.assign(load_id=outcome.load_id))
        try:
            con.execute("INSERT INTO rejects BY NAME SELECT * FROM incoming_rejects")
        finally:
            con.unregister("incoming_rejects")


@contextlib.contextmanager
def _scratch(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy in memory of what corrections read and write, over the warehouse opened
    read-only: a check applies the lines there and the warehouse never changes."""
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS current (READ_ONLY)", [str(db)])
        for table in ("announcements", "changes", "load_log"):
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM current.{table}")  # noqa: S608
        con.execute("DETACH current")
        yield con


def check(file: CorrectionsFile, db: Path, inputs: Inputs, by: str) -> CorrectionsOutcome:
    """What applying file would do now, writing nothing (a preview, or `etl correct --check`)."""
    with _scratch(db) as con:
        return apply_file(con, file, inputs, by, datetime.now(), log_load=False)


def _earlier(db: Path, sha256: str) -> dict | None:
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.execute(
            "SELECT load_id, file_name, loaded_by, finished_at FROM load_log "
            "WHERE sha256 = ? AND kind = ? ORDER BY load_id LIMIT 1",
            [sha256, KIND],
        ).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def correct(
    path: Path,
    db: Path,
    raw_dir: Path = DEFAULT_RAW,
    corrected_by: str = "cli",
    sheet: str | None = None,
    today: date | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
    file_name: str | None = None,
    dry_run: bool = False,
) -> CorrectionsOutcome:
    """Apply a corrections file, kept in the journal. Raises FileUnusable (nothing written).

    Nothing is recorded when the file changes nothing (every line already so, or the same bytes
    applied before): the outcome says so. dry_run: only say what would happen."""
    inputs = Inputs(raw_dir, today or date.today())
    file = read_corrections(path, inputs.matcher, inputs.today, sheet, max_bytes)
    file.file_name = file_name or file.file_name
    with writer_lock(db):
        require_warehouse(db)
        preview = check(file, db, inputs, corrected_by)
        preview.load_id = None
        preview.already_applied = _earlier(db, file.sha256)
        nothing = not preview.applied and preview.rows_rejected == 0
        if dry_run or nothing or preview.already_applied:
            return preview

        def apply(con: duckdb.DuckDBPyConnection, entry: journal.Entry) -> CorrectionsOutcome:
            return apply_file(con, file, inputs, corrected_by, entry.recorded_at)

        outcome, entry = write_entry(
            db, raw_dir, path, KIND, file.file_name, corrected_by, file.sha256, apply,
            {"sheet": sheet},
        )  # fmt: skip
    outcome.archived_as = entry.path
    return outcome


def replay(con: duckdb.DuckDBPyConnection, entry: journal.Entry, inputs: Inputs):
    """A corrections entry of the journal, applied again by a rebuild."""
    file = read_corrections(
        entry.path, inputs.matcher, inputs.today, entry.options.get("sheet"), max_bytes=None
    )
    file.file_name = entry.file_name
    return apply_file(con, file, inputs, entry.recorded_by, entry.recorded_at)
