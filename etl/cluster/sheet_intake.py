"""Reading the cluster's spreadsheets (supplier rosters and milestones, action plans and progress
notes, alias and coordinate edits) on top of etl.sheets: each sheet of a file is one part, found by
its headers; every cell is parsed by its field's parser; a row with any problem is rejected whole,
with one reject per problem cell (row, column, value, reason). Rows read = valid + rejected.

Rosters are hundreds of rows, so rows are parsed one by one: simple to read and to extend. A row
with a cell starting "EJEMPLO:" is the template's example: skipped, neither read nor rejected.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from etl import intake, parse
from etl.parse import CellError
from etl.sheets import (
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    FileUnusable,
    Headers,
    file_sha256,
    locate_header,
    read_grid,
    sheet_names,
    single_header_row,
)

REJECT_COLUMNS = ["row_number", "column", "value", "reason", "reason_en", "sheet"]
PRIVATE_VALUE = None  # what the warehouse keeps of a rejected private cell (the preview shows it)


@dataclass(frozen=True)
class Field:
    """One column of a part: how a cell is read (None for blank, CellError for a bad value)."""

    parse: Callable[[object], object]
    required: bool = False
    private: bool = False  # RFC, contacts, e-mails, phones: never written to the rejects table


@dataclass(frozen=True)
class PartKind:
    """A kind of sheet: its name, its header vocabulary and its fields."""

    name: str  # suppliers, milestones, actions, notes, aliases, coordinates
    label: tuple[str, str]  # what the sheet holds, for messages
    headers: Headers
    fields: dict[str, Field]
    key_header: str = ""  # the template's header of the required field («Proveedor»), for messages


@dataclass
class Part:
    kind: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]  # field -> header as written
    unused_columns: list[str]
    rows: pd.DataFrame  # valid rows: one column per field, plus source_row
    rejects: pd.DataFrame  # REJECT_COLUMNS
    rows_read: int
    example_rows: list[int] = field(default_factory=list)
    private_columns: set[str] = field(default_factory=set)  # headers of private fields

    def column(self, field_name: str) -> str:
        return self.columns.get(field_name, field_name)

    def reject(self, source_row: int, field_name: str, value, es: str, en: str) -> None:
        """Reject a valid row (a rule across rows or against the warehouse): it is not loaded."""
        record = _record(source_row, self.column(field_name), value, es, en, self.sheet)
        self.rejects = pd.concat([self.rejects, pd.DataFrame([record])], ignore_index=True)
        self.rows = self.rows[self.rows["source_row"] != source_row].reset_index(drop=True)

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].nunique()


@dataclass
class SheetFile:
    """A file of one or more parts (a workbook with two sheets, or one CSV)."""

    file_name: str
    sha256: str
    parts: list[Part]
    notes: list[tuple[str, str]] = field(default_factory=list)  # (es, en) for the report

    def part(self, kind: str) -> Part | None:
        return next((p for p in self.parts if p.kind == kind), None)

    @property
    def rows_read(self) -> int:
        return sum(p.rows_read for p in self.parts)

    @property
    def rows_rejected(self) -> int:
        return sum(p.rows_rejected for p in self.parts)

    @property
    def rejects(self) -> pd.DataFrame:
        frames = [p.rejects for p in self.parts if not p.rejects.empty]
        return pd.concat(frames, ignore_index=True) if frames else _empty_rejects()

    def rejects_csv(self, target: Path, lang: str) -> Path:
        """Every reject (values included: the clerk's own file) next to the input, for Excel."""
        from etl.export import spreadsheet_safe

        headers = {
            "es": {"sheet": "hoja", "row_number": "fila", "column": "columna", "value": "valor",
                   "reason": "motivo"},
            "en": {"sheet": "sheet", "row_number": "row", "column": "column", "value": "value",
                   "reason_en": "reason"},
        }[lang]  # fmt: skip
        frame = self.rejects[list(headers)].rename(columns=headers)
        spreadsheet_safe(frame).to_csv(target, index=False, encoding="utf-8-sig")
        return target

    def stored_rejects(self) -> pd.DataFrame:
        """The rejects as the warehouse keeps them: values of private columns left out."""
        frames = []
        for p in self.parts:
            masked = p.rejects.copy()
            private = masked["column"].isin(p.private_columns)
            masked.loc[private, "value"] = PRIVATE_VALUE
            frames.append(masked)
        return pd.concat(frames, ignore_index=True) if frames else _empty_rejects()


def _empty_rejects() -> pd.DataFrame:
    return pd.DataFrame(columns=REJECT_COLUMNS).astype({"row_number": "int64"})


def _record(row: int, column: str, value, es: str, en: str, sheet: str | None) -> dict:
    shown = None if parse.is_blank(value) else str(value)
    return {"row_number": int(row), "column": column, "value": shown, "reason": es,
            "reason_en": en, "sheet": sheet}  # fmt: skip


# ---------------------------------------------------------------- cell parsers shared by the parts


def text(limit: int, label: tuple[str, str]) -> Callable[[object], str | None]:
    """Free text up to `limit` characters (a date cell reads as its ISO date)."""

    def parse_text(cell) -> str | None:
        if parse.is_blank(cell):
            return None
        if hasattr(cell, "date") and hasattr(cell, "hour") and not (cell.hour or cell.minute):
            cell = cell.date()
        value = cell.isoformat() if isinstance(cell, date) else " ".join(str(cell).split())
        if len(value) > limit:
            raise CellError(
                f"El texto de {label[0]} tiene {len(value):,} caracteres; el máximo es {limit:,}.",
                f"The {label[1]} text has {len(value):,} characters; the maximum is {limit:,}.",
            )
        return value

    return parse_text


def day_or_month(today: date, future: bool = False) -> Callable[[object], date | None]:
    """A date to the day or the month (not only the year); in the future only when allowed."""

    def parse_day(cell) -> date | None:
        parsed = parse.parse_date(cell, date.max if future else today)
        if parsed is None:
            return None
        if parsed.precision == "year":
            raise CellError(
                f"«{str(cell).strip()}» solo indica el año; escriba el día o al menos el mes "
                "(2024-03-20, 20/03/2024 o marzo 2024).",
                f"'{str(cell).strip()}' states only the year; write the day or at least the "
                "month (2024-03-20, 20/03/2024 or March 2024).",
            )
        return parsed.start

    return parse_day


def vocabulary(vocab: parse.Vocabulary) -> Callable[[object], str | None]:
    return vocab.parse


# ---------------------------------------------------------------- reading a file


def read_part(grid: pd.DataFrame, name: str, sheet: str | None, kind: PartKind) -> Part:
    """Parse the rows of a grid whose header row names kind's fields."""
    header_index, found = locate_header(grid, name, kind.headers)
    single_header_row(grid, header_index, name, kind.headers)
    header = grid.iloc[header_index]
    columns = {f: str(header.iloc[c]).strip() for f, c in found.items()}
    unused = [
        str(h).strip()
        for c, h in enumerate(header)
        if c not in found.values() and not parse.is_blank(h)
    ]
    first = header_index + 2  # spreadsheet number of the first row below the header
    rows, rejects, examples, read = [], [], [], 0
    for offset, cells in enumerate(grid.iloc[header_index + 1 :].itertuples(index=False)):
        row_number = first + offset
        if all(parse.is_blank(v) for v in cells):
            continue
        if any(isinstance(c, str) and intake.EXAMPLE_MARK.match(c) for c in cells):
            examples.append(row_number)
            continue
        read += 1
        values, problems = {"source_row": row_number}, []
        for field_name, spec in kind.fields.items():
            cell = cells[found[field_name]] if field_name in found else None
            try:
                values[field_name] = spec.parse(cell)
            except CellError as exc:
                problems.append(
                    _record(row_number, columns[field_name], cell, exc.es, exc.en, sheet)
                )
                continue
            if spec.required and values[field_name] is None:
                label = kind.headers.labels[field_name]
                problems.append(
                    _record(row_number, columns.get(field_name, label[0]), None,
                            f"Falta {label[0]}.", f"The {label[1]} is missing.", sheet)
                )  # fmt: skip
        if problems:
            rejects += problems
        else:
            rows.append(values)
    if read == 0 and not examples:
        raise FileUnusable(
            f"{name}: {_where(sheet, 'es')}tiene encabezados pero ninguna fila de datos.",
            f"{name}: {_where(sheet, 'en')}has headers but no data rows.",
        )
    private = {columns[f] for f, spec in kind.fields.items() if spec.private and f in columns}
    frame = pd.DataFrame(rows, columns=["source_row", *kind.fields], dtype=object)
    frame["source_row"] = frame["source_row"].astype("int64")
    rejected = pd.DataFrame(rejects, columns=REJECT_COLUMNS) if rejects else _empty_rejects()
    return Part(kind.name, sheet, header_index + 1, columns, unused, frame, rejected, read,
                examples, private)  # fmt: skip


def _where(sheet: str | None, lang: str) -> str:
    if not sheet:
        return ""
    return f"la hoja «{sheet}» " if lang == "es" else f"sheet '{sheet}' "


def _kind_of(grid: pd.DataFrame, kinds: list[PartKind]) -> PartKind | None:
    """The first kind whose required header and one more of its headers share a top row."""
    for kind in kinds:
        for index in range(min(HEADER_SEARCH_ROWS, len(grid))):
            named = {kind.headers.field_of(cell) for cell in grid.iloc[index]} - {None}
            if kind.headers.required in named and len(named) >= 2:
                return kind
    return None


def _no_known_headers(name: str, sheet: str | None, kinds: list[PartKind]) -> FileUnusable:
    def expected(lang: int, joiner: str) -> str:
        return joiner.join(f"{k.label[lang]} («{k.key_header}»)" for k in kinds)

    return FileUnusable(
        f"{name}: {_where(sheet, 'es')}no tiene los encabezados de {expected(0, ' o ')} en sus "
        f"primeras {HEADER_SEARCH_ROWS} filas. Use la plantilla.",
        f"{name}: {_where(sheet, 'en')}does not have the headers of {expected(1, ' or ')} in its "
        f"first {HEADER_SEARCH_ROWS} rows. Use the template.",
    )


def read_file(path: Path, kinds: list[PartKind], max_bytes: int | None = MAX_FILE_BYTES,
              help_sheets: tuple[str, ...] = ()) -> SheetFile:  # fmt: skip
    """Every part of a CSV (one) or a workbook (one per sheet that has a kind's headers; other
    sheets are skipped and the report says so, the template's help sheets silently)."""
    path = Path(path)
    grid, first_sheet = read_grid(path, None, max_bytes)
    if first_sheet is None:  # CSV
        kind = _kind_of(grid, kinds)
        if kind is None:
            raise _no_known_headers(path.name, None, kinds)
        part = read_part(grid, path.name, None, kind)
        sha256 = grid.attrs.get("sha256") or file_sha256(path)
        return SheetFile(path.name, sha256, [part], _notes(grid, [part]))
    parts, notes = [], []
    for sheet in sheet_names(path, max_bytes=None):  # the size was checked by read_grid
        if parse.normalize(sheet) in help_sheets:
            continue
        sheet_grid = grid if sheet == first_sheet else read_grid(path, sheet, None)[0]
        kind = _kind_of(sheet_grid, kinds)
        if kind is None:
            notes.append(
                (f"Se omitió la hoja «{sheet}»: no tiene encabezados conocidos.",
                 f"Sheet '{sheet}' was skipped: it has no known headers.")
            )  # fmt: skip
            continue
        same = next((p for p in parts if p.kind == kind.name), None)
        if same is not None:
            raise FileUnusable(
                f"{path.name}: las hojas «{same.sheet}» y «{sheet}» son ambas de "
                f"{kind.label[0]}; deje una sola hoja de cada tipo.",
                f"{path.name}: sheets '{same.sheet}' and '{sheet}' both hold {kind.label[1]}; "
                "keep one sheet of each kind.",
            )
        part = read_part(sheet_grid, path.name, sheet, kind)
        parts.append(part)
        notes += _notes(sheet_grid, [part])
    if not parts:
        raise _no_known_headers(path.name, None, kinds)
    return SheetFile(path.name, file_sha256(path), parts, notes)


def _notes(grid: pd.DataFrame, parts: list[Part]) -> list[tuple[str, str]]:
    notes = intake._notes(grid, [])  # damaged accents, formulas without saved values
    for part in parts:
        if part.example_rows:
            rows = ", ".join(map(str, part.example_rows))
            where_es = f" de la hoja «{part.sheet}»" if part.sheet else ""
            where_en = f" of sheet '{part.sheet}'" if part.sheet else ""
            notes.append(
                (f"Se omitió la fila de ejemplo de la plantilla (fila {rows}{where_es}: empieza "
                 "con «EJEMPLO:»); no se lee ni se carga.",
                 f"The template's example row was skipped (row {rows}{where_en}: it starts with "
                 "'EJEMPLO:'); it is neither read nor loaded.")
            )  # fmt: skip
    return notes


def form_csv(row: dict[str, object]) -> bytes:
    """A data desk form entry as a one-row CSV with the headers its reader knows (UTF-8): kept in
    the journal and read like any file, so a form and a file are one loading path."""
    return pd.DataFrame([row]).to_csv(index=False).encode("utf-8")
