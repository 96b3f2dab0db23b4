"""The cluster's journal kinds: how each is read, checked against the warehouse and written. The
same functions serve a rebuild's replay (etl.load.REPLAYS), a live write and a preview."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl import journal
from etl.cluster import actions, edits, roster, vocabulary
from etl.cluster.sheet_intake import PartKind, SheetFile, read_file
from etl.cluster.store import Plan, record_load
from etl.sheets import MAX_FILE_BYTES


@dataclass(frozen=True)
class SheetKind:
    name: str  # the journal kind
    label: tuple[str, str]
    parts: Callable[[object], list[PartKind]]  # Inputs -> the sheets it reads
    review: Callable[[duckdb.DuckDBPyConnection, SheetFile, date], Plan]
    apply: Callable[[duckdb.DuckDBPyConnection, Plan, int, str, datetime], None]
    help_sheets: tuple[str, ...] = ("valores aceptados", "instrucciones")


def _roster_parts(inputs) -> list[PartKind]:
    processes = vocabulary.process_vocabulary(vocabulary.processes_frame(inputs.raw_dir))
    return roster.supplier_kinds(inputs.matcher, processes, inputs.today)


KINDS = {
    kind.name: kind
    for kind in (
        SheetKind("suppliers", ("padrón de proveedores", "supplier roster"), _roster_parts,
                  lambda con, file, _: roster.review(con, file), roster.apply),
        SheetKind("actions", ("acuerdos de comités", "committee actions"),
                  lambda inputs: actions.action_kinds(inputs.matcher, inputs.today),
                  actions.review, actions.apply),
        SheetKind(edits.ALIASES, ("alias de empresas", "company aliases"),
                  lambda inputs: edits.alias_kinds(), edits.review_aliases, edits.apply),
        SheetKind(edits.COORDINATES, ("coordenadas de parques", "park coordinates"),
                  lambda inputs: edits.coordinate_kinds(), edits.review_coordinates, edits.apply),
    )
}  # fmt: skip


@dataclass
class SheetOutcome:
    kind: str
    file: SheetFile
    plan: Plan | None = None
    load_id: int | None = None  # None: nothing written (a preview, or a file already loaded)
    already_loaded: dict | None = None  # load_log row of an earlier load of the same bytes
    archived_as: Path | None = None

    @property
    def rows_rejected(self) -> int:
        return self.file.rows_rejected

    @property
    def rows_loaded(self) -> int:
        return self.file.rows_read - self.file.rows_rejected

    def report(self, lang: str, loaded: bool = True) -> list[str]:
        return report(self, lang, loaded)


def read(kind: str, path: Path, inputs, max_bytes: int | None = MAX_FILE_BYTES) -> SheetFile:
    spec = KINDS[kind]
    return read_file(path, spec.parts(inputs), max_bytes, spec.help_sheets)


def preview(
    con: duckdb.DuckDBPyConnection, kind: str, file: SheetFile, today: date
) -> SheetOutcome:
    """What loading the file would do, against a read-only warehouse: nothing is written."""
    return SheetOutcome(kind, file, KINDS[kind].review(con, file, today))


def write(con, kind: str, file: SheetFile, by: str, at: datetime) -> SheetOutcome:
    """Review and write a file into this version of the warehouse (a replay or a live write)."""
    spec = KINDS[kind]
    plan = spec.review(con, file, at.date())
    load_id = record_load(con, kind, file, by, at)
    spec.apply(con, plan, load_id, by, at)
    return SheetOutcome(kind, file, plan, load_id)


def replay(con: duckdb.DuckDBPyConnection, entry: journal.Entry, inputs) -> SheetOutcome:
    # No size limit here: journal entries were accepted when they were recorded.
    file = read(entry.kind, entry.path, inputs, max_bytes=None)
    file.file_name = entry.file_name
    outcome = write(con, entry.kind, file, entry.recorded_by, entry.recorded_at)
    outcome.archived_as = entry.path
    return outcome


REPLAYS = {name: replay for name in KINDS}

# ---------------------------------------------------------------- the clerk's report

COUNT_LABELS = {
    "suppliers_new": ("proveedores nuevos", "new suppliers"),
    "suppliers_updated": ("proveedores actualizados", "suppliers updated"),
    "suppliers_unchanged": ("proveedores sin cambios", "suppliers unchanged"),
    "milestones_new": ("hitos nuevos", "new milestones"),
    "milestones_updated": ("hitos actualizados", "milestones updated"),
    "milestones_unchanged": ("hitos sin cambios", "milestones unchanged"),
    "actions_new": ("acuerdos nuevos", "new actions"),
    "actions_updated": ("acuerdos actualizados", "actions updated"),
    "actions_unchanged": ("acuerdos sin cambios", "actions unchanged"),
    "notes_new": ("avances nuevos", "new progress notes"),
    "notes_unchanged": ("avances ya registrados", "progress notes already kept"),
    "aliases_new": ("alias nuevos", "new aliases"),
    "aliases_updated": ("alias cambiados", "aliases changed"),
    "aliases_unchanged": ("alias sin cambios", "aliases unchanged"),
    "coordinates_updated": ("parques con coordenadas nuevas", "parks with new coordinates"),
    "coordinates_unchanged": ("coordenadas sin cambios", "coordinates unchanged"),
}
MAX_REJECTS_SHOWN = 50


def report(outcome: SheetOutcome, lang: str, loaded: bool = True) -> list[str]:
    """The clerk's report of one file: parts, counts, then every rejected cell."""
    es = lang == "es"
    file = outcome.file
    lines = [("Archivo: " if es else "File: ") + file.file_name]
    for part in file.parts:
        where = (
            (f"hoja «{part.sheet}», " if es else f"sheet '{part.sheet}', ") if part.sheet else ""
        )
        lines.append(
            f"  {where}"
            + (f"encabezados en la fila {part.header_row}" if es else f"headers in row {part.header_row}")
            + f": {part.rows_read:,} "
            + ("filas leídas" if es else "rows read")
        )  # fmt: skip
    if outcome.already_loaded:
        prior = outcome.already_loaded
        when = f"{prior['finished_at']:%Y-%m-%d %H:%M}"
        lines.append(
            f"Este archivo ya se cargó (carga {prior['load_id']}, {when}). No se agregó nada."
            if es
            else f"This file was already loaded (load {prior['load_id']}, {when}). Nothing was added."
        )
        return lines
    lines += [n[0] if es else n[1] for n in file.notes]
    verb = ("cargadas" if es else "loaded") if loaded else ("válidas" if es else "valid")
    lines.append(
        ("Filas leídas" if es else "Rows read")
        + f": {file.rows_read:,} · {verb}: {outcome.rows_loaded:,} · "
        + ("rechazadas" if es else "rejected")
        + f": {outcome.rows_rejected:,}"
    )
    if outcome.plan and outcome.plan.counts:
        counts = outcome.plan.counts
        lines.append(" · ".join(
            f"{(COUNT_LABELS[k][0] if es else COUNT_LABELS[k][1])}: {counts[k]:,}"
            for k in COUNT_LABELS if k in counts
        ))  # fmt: skip
    if outcome.load_id:
        lines.append(
            f"Carga número {outcome.load_id}." if es else f"Load number {outcome.load_id}."
        )
    for part in file.parts:
        if part.unused_columns:
            lines.append(("Columnas no usadas: " if es else "Columns not used: ")
                         + ", ".join(part.unused_columns))  # fmt: skip
    rejects = file.rejects.sort_values(["sheet", "row_number"], kind="stable", na_position="first")
    if not rejects.empty:
        lines.append("Rechazos:" if es else "Rejects:")
    for rec in rejects.head(MAX_REJECTS_SHOWN).itertuples():
        sheet = f"«{rec.sheet}» " if isinstance(rec.sheet, str) else ""
        value = "" if rec.value is None else f" «{str(rec.value)[:80]}»"
        lines.append(
            (f"  {sheet}fila {rec.row_number}, columna «{rec.column}»" if es
             else f"  {sheet}row {rec.row_number}, column '{rec.column}'")
            + f"{value}: {rec.reason if es else rec.reason_en}"
        )  # fmt: skip
    if len(rejects) > MAX_REJECTS_SHOWN:
        more = len(rejects) - MAX_REJECTS_SHOWN
        lines.append(f"  … y {more:,} más en el CSV de rechazos." if es
                     else f"  … and {more:,} more in the rejects CSV.")  # fmt: skip
    return lines
