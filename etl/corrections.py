"""Corrections of announcements: a file (or a data-desk form) of lines, each changing one field of
one existing announcement through the change log (etl/changes.py), so nothing is overwritten
without a trace. The columns are those of the shipped corrections file,

    company, existing_announced_date, field, old_value, new_value, source_url, source_title,
    source_date, quote

or announcement_id instead of company and date; Spanish names are read too (empresa, campo, valor
anterior, valor nuevo, fuente, nota...).

A line names its announcement by announcement_id, or by company and the date it is known by (its
date now, or one it had before a correction): a line that fits none or several is rejected with
the candidates. The new value is checked by the intake's own parsers (etl.intake.cell_parsers), and
the columns derived from it are recomputed as the intake computes them (amount_musd and the rate
date, the date's precision and year, the municipality's key, review flags). The old value is
compared with the current one as the data desk shows it (a date of month precision is 2017-10, an
amount the stated full units, 67000000): when somebody changed it since, the line is refused naming
both values. A line whose new value is already the current one changes nothing ("already so"), so
applying a file again changes nothing. Lines read = applied + already so + rejected.

Withdrawing an announcement (field record_state, new value withdrawn, the reason in the note),
marking it as a duplicate of another (field merged_into, the kept row's announcement_id) and
undoing either (record_state active) are lines too; totals count only active rows.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from etl import changes, parse
from etl.intake import (
    ANNOUNCEMENT_HEADERS,
    FIELD_LABELS,
    TEXT_LIMITS,
    cell_parsers,
)
from etl.parse import CellError, PartialDate
from etl.places import MunicipalityMatcher
from etl.sheets import (
    MAX_FILE_BYTES,
    FileUnusable,
    Headers,
    file_sha256,
    locate_header,
    read_grid,
    single_header_row,
)

KIND = "corrections"  # the journal's and load_log's name for these files
ENTITY = "announcements"

# Canonical column -> header spellings (after parse.normalize).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "announcement_id": ("announcement id", "id del anuncio", "id", "anuncio", "clave del anuncio"),
    "company": ("company", "empresa", "compania", "nombre de la empresa"),
    "existing_announced_date": ("existing announced date", "fecha del anuncio", "fecha actual",
                                "fecha registrada", "fecha de anuncio", "announced date"),
    "field": ("field", "campo", "dato", "columna"),
    "old_value": ("old value", "valor anterior", "valor actual", "antes"),
    "new_value": ("new value", "valor nuevo", "nuevo valor", "despues", "valor correcto"),
    "source_url": ("source url", "fuente", "url", "source", "url de la fuente", "documento"),
    "source_title": ("source title", "titulo de la fuente", "titulo"),
    "source_date": ("source date", "fecha de la fuente", "fecha fuente"),
    "note": ("quote", "cita", "note", "nota", "notas", "motivo", "reason", "observaciones"),
}  # fmt: skip
HEADER_LABELS = {
    "announcement_id": ("id del anuncio", "announcement_id"),
    "company": ("empresa", "company"),
    "existing_announced_date": ("fecha del anuncio", "existing_announced_date"),
    "field": ("campo", "field"),
    "old_value": ("valor anterior", "old_value"),
    "new_value": ("valor nuevo", "new_value"),
    "source_url": ("fuente", "source_url"),
    "source_title": ("título de la fuente", "source_title"),
    "source_date": ("fecha de la fuente", "source_date"),
    "note": ("nota", "quote"),
}
CORRECTION_HEADERS = Headers(aliases=HEADER_ALIASES, labels=HEADER_LABELS, required="field")

# Fields a line may change: the intake's columns, and the record's state. Field names are read
# as the intake reads its headers (monto, fecha, estatus, país...), plus these.
STATE_FIELDS = {"record_state": ("estado del registro", "record state"),
                "merged_into": ("duplicado de", "duplicate of")}  # fmt: skip
FIELD_NAMES = {
    "record state": "record_state", "estado del registro": "record_state", "registro": "record_state",
    "merged into": "merged_into", "duplicado de": "merged_into", "duplicate of": "merged_into",
    "duplicado": "merged_into", "origin iso2": "origin_country",
}  # fmt: skip
RECORD_STATES = {"active": "active", "activo": "active", "activa": "active", "vigente": "active",
                 "restituido": "active", "restored": "active", "withdrawn": "withdrawn",
                 "retirado": "withdrawn", "retirada": "withdrawn", "retirar": "withdrawn",
                 "withdraw": "withdrawn"}  # fmt: skip
# The warehouse column each field changes (the rest are named alike).
COLUMN_OF = {"origin_country": "origin_iso2"}
ANNOUNCEMENT_ID = re.compile(r"A[0-9a-f]{12}")


def shown_date_sql(table: str = "") -> str:
    """A date as the data desk shows it (2019, 2017-10 or 2017-10-25, by its precision), in SQL
    over the columns of an announcements row (of `table`, an alias, if given)."""
    of = f"{table}." if table else ""
    return (
        f"CASE {of}date_precision WHEN 'year' THEN strftime({of}announced_date, '%Y') "
        f"WHEN 'month' THEN strftime({of}announced_date, '%Y-%m') "
        f"ELSE strftime({of}announced_date, '%Y-%m-%d') END"
    )


SHOWN_DATE_SQL = shown_date_sql()
SHOWN_SQL = {"announced_date": SHOWN_DATE_SQL}
# Review flags in the order the intake writes them.
FLAG_ORDER = ("fx_date_assumed", "implausible_amount", "possible_duplicate", "uncertain_match",
              "company_unnamed")  # fmt: skip


def shown_date(day, precision) -> str | None:
    """A date as the data desk shows it (what SHOWN_DATE_SQL gives in SQL)."""
    if day is None or pd.isna(day):
        return None
    if hasattr(day, "date"):
        day = day.date()
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(precision, f"{day:%Y-%m-%d}")


def field_label(name: str) -> tuple[str, str]:
    """(es, en) name of a correctable field, for messages and the data desk."""
    return STATE_FIELDS.get(name) or FIELD_LABELS[name]


def field_of(cell) -> str | None:
    """The field a cell of the `field` column names (as the intake names its headers), or None."""
    key = parse.normalize(cell)
    return FIELD_NAMES.get(key) or ANNOUNCEMENT_HEADERS.field_of(cell)


# ---------------------------------------------------------------- one line


@dataclass
class Line:
    """One line of a corrections file, read and checked on its own (no warehouse needed)."""

    row_number: int  # as a spreadsheet numbers rows
    field: str  # canonical: an intake field, record_state or merged_into
    new_value: object  # parsed as the intake parses it (a parse.Guess for an uncertain match)
    new_written: str | None  # as written in the file
    old_text: str | None  # as the desk shows it; None: no old_value column; "": stated blank
    source_url: str
    announcement_id: str | None = None
    company: str | None = None
    known_date: str | None = None  # the date the announcement is known by, as the desk shows it
    source_title: str | None = None
    effective_date: date | None = None  # the source's date: when the change happened
    note: str | None = None

    @property
    def column(self) -> str:
        return COLUMN_OF.get(self.field, self.field)


def shown(field_name: str, value) -> str | None:
    """A parsed value as the data desk shows it and the change log writes it."""
    if value is None:
        return None
    if isinstance(value, parse.Guess):
        return value.code
    if isinstance(value, PartialDate):
        return shown_date(value.start, value.precision)
    if isinstance(value, parse.Amount):
        return changes.as_text(value.value)
    if field_name == "municipality":
        return value[0]
    return changes.as_text(value)


def _record_state(cell) -> str:
    state = RECORD_STATES.get(parse.normalize(cell))
    if state is None:
        raise CellError(
            f"'{str(cell).strip()}' no es un estado del registro: escriba «retirado» (sale de los "
            "totales) o «vigente» (vuelve a contar). Para marcar un duplicado use el campo "
            "«duplicado de» con el id del anuncio que se conserva.",
            f"'{str(cell).strip()}' is not a record state: write 'withdrawn' (leaves the totals) "
            "or 'active' (counts again). To mark a duplicate use the field 'merged_into' with the "
            "announcement_id of the row kept.",
        )
    return state


def _announcement_id(cell) -> str:
    text = str(cell).strip()
    if not ANNOUNCEMENT_ID.fullmatch(text):
        raise CellError(
            f"'{text}' no es un id de anuncio (una A y 12 caracteres, como en la ficha del "
            "anuncio en la página Datos).",
            f"'{text}' is not an announcement_id (an A and 12 characters, as on the "
            "announcement's page in Data).",
        )
    return text


def field_parsers(matcher: MunicipalityMatcher, today: date) -> dict:
    """Field -> parser of a new (or old) value: the intake's own, and the record's state."""
    return {
        **cell_parsers(matcher, today),
        "record_state": _record_state,
        "merged_into": _announcement_id,
    }


def _blank(cell) -> bool:
    return cell is None or parse.is_blank(cell)


def _text(cell, limit: int | None = None) -> str | None:
    if _blank(cell):
        return None
    if isinstance(cell, datetime):
        cell = cell.date()
    text = str(cell).strip()
    return text[:limit] if limit else text


# ---------------------------------------------------------------- reading a file


@dataclass
class CorrectionsFile:
    """A corrections file, read: its lines checked on their own, and the lines rejected so far."""

    file_name: str
    sha256: str
    header_row: int
    columns: dict[str, str]  # canonical column -> header as written
    unused_columns: list[str]
    rows_read: int
    lines: list[Line]
    rejects: pd.DataFrame  # row_number, column, value, reason, reason_en
    sheet: str | None = None
    accepted: list[tuple[str, str]] = field(default_factory=list)  # said once per report


REJECT_COLUMNS = ["row_number", "column", "value", "reason", "reason_en"]


def _reject(row_number: int, column: str, value, es: str, en: str) -> dict:
    return {"row_number": row_number, "column": column,
            "value": None if _blank(value) else str(value), "reason": es, "reason_en": en}  # fmt: skip


def read_corrections(
    path: Path,
    matcher: MunicipalityMatcher,
    today: date,
    sheet: str | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> CorrectionsFile:
    """Read a corrections file and check each line on its own. Raises FileUnusable."""
    path = Path(path)
    grid, sheet_read = read_grid(path, sheet, max_bytes)
    header_index, columns = locate_header(grid, path.name, CORRECTION_HEADERS)
    single_header_row(grid, header_index, path.name, CORRECTION_HEADERS)
    header = grid.iloc[header_index]
    names = {c: str(header.iloc[i]).strip() for c, i in columns.items()}
    if "new_value" not in columns or "source_url" not in columns:
        raise FileUnusable(
            f"{path.name}: faltan las columnas «valor nuevo» (new_value) y «fuente» (source_url).",
            f"{path.name}: the columns new_value and source_url are needed.",
        )
    if "announcement_id" not in columns and "company" not in columns:
        raise FileUnusable(
            f"{path.name}: falta cómo nombrar cada anuncio: una columna «announcement_id» o "
            "«empresa» (con «fecha del anuncio» si la empresa tiene varios).",
            f"{path.name}: each announcement must be named: an announcement_id column, or "
            "company (with existing_announced_date when the company has several).",
        )
    parsers = field_parsers(matcher, today)
    lines, rejects, outside = [], [], []
    rows_read = 0
    for index in range(header_index + 1, len(grid)):
        cells = {c: grid.iat[index, i] for c, i in columns.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        rows_read += 1
        line, problems = _read_line(index + 1, cells, names, parsers, today)
        rejects += problems
        outside += [p.pop("vocabulary") for p in problems if "vocabulary" in p]
        if line is not None and not problems:
            lines.append(line)
    if rows_read == 0:
        raise FileUnusable(
            f"{path.name} tiene encabezados pero ninguna línea de correcciones.",
            f"{path.name} has headers but no correction lines.",
        )
    return CorrectionsFile(
        file_name=path.name,
        sha256=grid.attrs.get("sha256") or file_sha256(path),
        header_row=header_index + 1,
        columns=names,
        unused_columns=[
            str(h).strip()
            for i, h in enumerate(header)
            if i not in columns.values() and not _blank(h)
        ],  # fmt: skip
        rows_read=rows_read,
        lines=lines,
        rejects=pd.DataFrame(rejects, columns=REJECT_COLUMNS).astype({"row_number": "int64"}),
        sheet=sheet_read,
        accepted=[v.accepted() for v in dict.fromkeys(outside)],
    )


def _read_line(row: int, cells: dict, names: dict, parsers: dict, today: date):
    """A Line and its problems (reject records): a line with any problem is rejected whole."""
    problems = []

    def problem(column: str, value, error: CellError) -> None:
        record = _reject(row, names.get(column, column), value, error.es, error.en)
        if isinstance(error, parse.VocabularyError):
            record["vocabulary"] = error.vocabulary
        problems.append(record)

    written_field = cells.get("field")
    name = field_of(written_field) if not _blank(written_field) else None
    if name is None:
        known = ", ".join([*FIELD_LABELS, *STATE_FIELDS])
        problem("field", written_field, CellError(
            f"'{_text(written_field) or ''}' no es un campo de los anuncios. Campos: {known}.",
            f"'{_text(written_field) or ''}' is not a field of the announcements. Fields: {known}.",
        ))  # fmt: skip
    new_cell, old_cell = cells.get("new_value"), cells.get("old_value")
    new_value = old_text = None
    if name is not None:
        try:
            new_value = None if _blank(new_cell) else parsers[name](new_cell)
        except CellError as error:
            problem("new_value", new_cell, error)
        if new_value is None and name in ("company", "record_state") and not problems:
            label_es, label_en = field_label(name)
            problem("new_value", new_cell, CellError(
                f"Falta el valor nuevo: {label_es} no puede quedar en blanco.",
                f"The new value is missing: {label_en} cannot be blank.",
            ))  # fmt: skip
        if "old_value" in cells:
            old_text = "" if _blank(old_cell) else _as_shown(name, old_cell, parsers)
    source_url = _text(cells.get("source_url"))
    if source_url is None:
        problem("source_url", None, CellError(
            "Falta la fuente (URL o documento) que respalda la corrección.",
            "The source (URL or document) backing the correction is missing.",
        ))  # fmt: skip
    elif len(source_url) > TEXT_LIMITS["source_url"]:
        problem("source_url", source_url[:200], CellError(
            f"La fuente tiene más de {TEXT_LIMITS['source_url']:,} caracteres.",
            f"The source is longer than {TEXT_LIMITS['source_url']:,} characters.",
        ))  # fmt: skip
    announcement_id = company = known_date = effective = None
    if not _blank(cells.get("announcement_id")):
        try:
            announcement_id = _announcement_id(cells["announcement_id"])
        except CellError as error:
            problem("announcement_id", cells["announcement_id"], error)
    company = _text(cells.get("company"), TEXT_LIMITS["company"])
    if announcement_id is None and company is None and not problems:
        problem("company", None, CellError(
            "Falta qué anuncio se corrige: escriba su announcement_id, o la empresa (y la fecha "
            "del anuncio si la empresa tiene varios).",
            "Which announcement is corrected is missing: write its announcement_id, or the "
            "company (and the announcement's date when the company has several).",
        ))  # fmt: skip
    for column in ("existing_announced_date", "source_date"):
        cell = cells.get(column)
        if _blank(cell):
            continue
        try:
            day = parse.parse_date(cell, today)
        except CellError as error:
            problem(column, cell, error)
            continue
        if column == "source_date":
            effective = day.start
        else:
            known_date = shown_date(day.start, day.precision)
    if problems:
        return None, problems
    return Line(
        row_number=row,
        field=name,
        new_value=new_value,
        new_written=_text(new_cell),
        old_text=old_text,
        source_url=source_url,
        announcement_id=announcement_id,
        company=company,
        known_date=known_date,
        source_title=_text(cells.get("source_title"), TEXT_LIMITS["source_title"]),
        effective_date=effective,
        note=_text(cells.get("note"), TEXT_LIMITS["notes"]),
    ), []


def _as_shown(name: str, cell, parsers: dict) -> str:
    """An old value as the desk shows it, read by the field's parser ("67 mdd" is 67000000,
    "Japón" is JP); as written when the parser cannot read it (it is then simply compared)."""
    try:
        return shown(name, parsers[name](cell)) or ""
    except CellError:
        return _text(cell) or ""
