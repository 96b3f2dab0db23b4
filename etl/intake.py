"""Intake of an announcements spreadsheet: read, find the header, parse every cell, keep every reject.

The result holds the valid rows (ready for the `announcements` table, less load_id: as Arrow, which
the load inserts, and as pandas for the callers that ask) and one reject per problem cell. A row
with any problem is rejected whole, so rows read = rows valid + rows rejected.
Cells are parsed column by column, each distinct value once: files of a million rows repeat their
countries, municipalities, dates and currencies, and this keeps the intake close to the reader's speed.
The columns of cells are in etl/cells.py, the rules across a row's cells in etl/announcement_rows.py.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import parse
from etl.announcement_rows import announcements_frame, assemble
from etl.cells import Coded, Problems, Texts, is_blank, nones, parse_column
from etl.countries import match_country
from etl.files import reading_ahead
from etl.parse import CellError
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

# Canonical field -> header spellings (after parse.normalize). Documented in README.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "company": ("empresa", "compania", "company", "nombre de la empresa", "razon social", "firma"),
    "parent_group": (
        "grupo",
        "grupo corporativo",
        "corporativo",
        "matriz",
        "parent group",
        "parent",
    ),
    "origin_country": (
        "pais de origen",
        "pais",
        "origen",
        "origin country",
        "origin",
        "country",
        "nacionalidad",
        "country of origin",
        "pais origen",
    ),
    "sector": ("sector", "giro", "industria", "actividad"),
    "tier": ("tier", "nivel", "nivel de proveeduria", "nivel proveedor"),
    "event_type": ("tipo de evento", "tipo", "evento", "tipo de proyecto", "event type", "event"),
    "municipality": ("municipio", "municipality", "mpio", "ubicacion", "location"),
    "park": ("parque industrial", "parque", "park", "industrial park"),
    "announced_date": (
        "fecha",
        "fecha de anuncio",
        "fecha anuncio",
        "date",
        "announced date",
        "announcement date",
    ),
    "amount": (
        "monto",
        "inversion",
        "monto de inversion",
        "monto inversion",
        "amount",
        "investment",
    ),
    "currency": ("moneda", "currency", "divisa"),
    "jobs": ("empleos", "empleos directos", "empleo", "jobs", "direct jobs", "puestos de trabajo"),
    "status": ("estatus", "status", "estado", "situacion", "etapa"),
    "source_url": ("fuente", "url", "source", "source url", "enlace", "liga", "url de la fuente"),
    "source_title": ("titulo de la fuente", "titulo", "source title", "title"),
    "source_date": ("fecha de la fuente", "fecha fuente", "source date", "fecha de publicacion"),
    "notes": ("notas", "nota", "observaciones", "comentarios", "notes", "comments"),
}
# Headers that start with one of these words are amounts whatever follows ("Monto (MDD)").
AMOUNT_HEADER_STARTS = ("monto", "inversion", "amount", "investment")
FIELD_LABELS = {  # column names as a clerk reads them in messages
    "company": ("empresa", "company"),
    "parent_group": ("grupo", "parent group"),
    "origin_country": ("país de origen", "origin country"),
    "sector": ("sector", "sector"),
    "tier": ("tier", "tier"),
    "event_type": ("tipo de evento", "event type"),
    "municipality": ("municipio", "municipality"),
    "park": ("parque industrial", "industrial park"),
    "announced_date": ("fecha", "date"),
    "amount": ("monto", "amount"),
    "currency": ("moneda", "currency"),
    "jobs": ("empleos", "jobs"),
    "status": ("estatus", "status"),
    "source_url": ("fuente", "source"),
    "source_title": ("título de la fuente", "source title"),
    "source_date": ("fecha de la fuente", "source date"),
    "notes": ("notas", "notes"),
}
TEXT_LIMITS = {"company": 200, "parent_group": 200, "park": 200, "source_url": 2000,
               "source_title": 500, "source_date": 50, "notes": 5000}  # fmt: skip
ANNOUNCEMENT_HEADERS = Headers(
    aliases=HEADER_ALIASES,
    labels=FIELD_LABELS,
    required="company",
    starts={"amount": AMOUNT_HEADER_STARTS},
)


def map_header(cell) -> str | None:
    """The announcements field a header cell names, or None."""
    return ANNOUNCEMENT_HEADERS.field_of(cell)


# The template's example row: its company cell starts with "EJEMPLO:" (any case; "EXAMPLE:" too).
# Such rows are skipped, not read: they count neither as loaded nor as rejected.
EXAMPLE_MARK = re.compile(r"\s*(?:ejemplo|example)\s*:", re.IGNORECASE)


@dataclass
class IntakeResult:
    file_name: str
    sha256: str
    header_row: int  # as a spreadsheet numbers rows (1 = first row)
    columns: dict[str, str]  # canonical field -> header as written
    unused_columns: list[str]
    rows_read: int
    rows: pa.Table  # every row read (rejected ones too): announcements columns, plus source_row
    rejects: pd.DataFrame  # row_number, column, value, reason, reason_en
    sheet: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (es, en) remarks for the report
    example_rows: list[int] = field(default_factory=list)  # template example rows, skipped
    # (es, en) lists of the accepted values of each vocabulary a rejected cell was outside of:
    # said once per report, not on every rejected row.
    accepted: list[tuple[str, str]] = field(default_factory=list)

    @functools.cached_property
    def table(self) -> pa.Table:
        """The valid rows as Arrow, as they are loaded."""
        if self.rejects.empty:
            return self.rows
        rejected = pa.array(self.rejects["row_number"].unique(), pa.int64())
        return self.rows.filter(pc.invert(pc.is_in(self.rows["source_row"], rejected)))

    @functools.cached_property
    def valid(self) -> pd.DataFrame:
        """The valid rows as pandas, built when a caller asks (the data desk, previews): a load
        of a million rows goes from Arrow to DuckDB without it."""
        frame = announcements_frame(self.rows, typed_when_empty=False)
        if self.rejects.empty:
            return frame
        return frame[~frame["source_row"].isin(self.rejects["row_number"])].reset_index(drop=True)

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].nunique()


@dataclass(frozen=True)
class _Text:
    """Free text up to a length: a date cell in it reads as the date."""

    limit: int
    label: tuple[str, str]

    def __call__(self, value) -> str:
        if isinstance(value, datetime) and value.time() == time():
            value = value.date()  # a date cell in a text column ("fecha de la fuente")
        text = str(value).strip()
        if len(text) > self.limit:
            raise self._too_long(len(text))
        return text

    def check(self, column: Texts) -> tuple[Texts, dict[int, CellError]]:
        """The same for a whole CSV column at once."""
        sizes = column.sizes
        longer = np.flatnonzero(sizes > self.limit)  # in bytes: only these can be too long
        lengths = column.lengths_at(longer)
        too_long = np.zeros(len(sizes), dtype=bool)
        too_long[longer[lengths > self.limit]] = True
        errors = {
            int(pos): self._too_long(int(length))
            for pos, length in zip(longer, lengths, strict=True)
            if length > self.limit
        }
        drop = too_long | (sizes == 0)
        stripped = column.stripped
        if not drop.any():  # nothing blank or too long: the stripped text as it is
            return Texts(stripped), errors
        if drop.all():
            return Texts(pa.chunked_array([pa.nulls(len(drop), stripped.type)])), errors
        return Texts(pc.if_else(pa.array(drop), pa.scalar(None, stripped.type), stripped)), errors

    def _too_long(self, length: int) -> CellError:
        es, en = self.label
        return CellError(
            es=f"El texto de {es} tiene {length:,} caracteres; el máximo es {self.limit:,}.",
            en=f"The {en} text has {length:,} characters; the maximum is {self.limit:,}.",
        )


def _example_rows(company: "Coded | Texts") -> np.ndarray:
    """Rows whose company cell marks the template's example row ("EJEMPLO: ...")."""
    if isinstance(company, Coded):
        return company.flags(lambda v: isinstance(v, str) and bool(EXAMPLE_MARK.match(v)))
    # The mark needs a colon: Arrow finds the few candidates, the pattern decides.
    rows = np.zeros(len(company.cells), dtype=bool)
    candidates = pc.match_substring(company.cells, ":").to_numpy(zero_copy_only=False)
    for pos in np.flatnonzero(candidates):
        rows[pos] = bool(EXAMPLE_MARK.match(company.value_at(pos)))
    return rows


# Fields matched against a controlled vocabulary (etl.parse.Vocabulary).
VOCABULARIES = {
    "sector": parse.SECTORS,
    "tier": parse.TIERS,
    "event_type": parse.EVENT_TYPES,
    "status": parse.STATUSES,
}


def cell_parsers(matcher: MunicipalityMatcher, today: date, amount_unit=None) -> dict:
    """Field -> the parser of one of its cells, as the intake validates them. Corrections and the
    data desk's form use the same, so a value is accepted or refused alike everywhere. Vocabulary
    fields give a parse.Guess for a close but uncertain match."""
    parsers = {
        "company": _Text(TEXT_LIMITS["company"], FIELD_LABELS["company"]),
        "origin_country": match_country,
        **{name: vocabulary.read for name, vocabulary in VOCABULARIES.items()},
        "municipality": matcher.match,
        "announced_date": lambda v: parse.parse_date(v, today),
        "amount": functools.partial(parse.parse_amount, unit=amount_unit),
        "currency": parse.parse_currency,
        "jobs": parse.parse_jobs,
    }
    for text_field in ("parent_group", "park", "source_url", "source_title", "source_date",
                       "notes"):  # fmt: skip
        parsers[text_field] = _Text(TEXT_LIMITS[text_field], FIELD_LABELS[text_field])
    return parsers


def guess_note(field_name: str, guess: parse.Guess) -> str:
    """What a review note says of a guessed value: the field, as written, and the code read."""
    return f"{field_name} «{guess.written}» → {guess.code}"


def _take_guesses(parsed: dict) -> dict[int, list[str]]:
    """Replace each guessed vocabulary value by its code; the guesses' notes by row position."""
    notes: dict[int, list[str]] = {}
    for name in VOCABULARIES:
        column = parsed[name]
        guessed = column.flags(lambda v: isinstance(v, parse.Guess))
        if not guessed.any():
            continue
        for pos in np.flatnonzero(guessed):
            notes.setdefault(int(pos), []).append(guess_note(name, column.value_at(pos)))
        parsed[name] = column.map(lambda v: v.code if isinstance(v, parse.Guess) else v)
    return notes


# A company recorded before its name is public ("empresa china, por confirmar"): loaded, and
# flagged so that the follow-up view asks for its name.
UNNAMED_COMPANY = re.compile(
    r"por confirmar|por definir|sin nombre|no revelad|confidencial|to be confirmed|undisclosed|"
    r"unnamed|not yet named",
    re.IGNORECASE,
)


def _unnamed_rows(company: "Coded | Texts") -> np.ndarray:
    if isinstance(company, Coded):
        return company.flags(lambda v: isinstance(v, str) and bool(UNNAMED_COMPANY.search(v)))
    found = pc.match_substring_regex(company.cells, UNNAMED_COMPANY.pattern, ignore_case=True)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def add_flag(flags: str | None, flag: str) -> str:
    """review_flags with one more flag (';'-separated, each once)."""
    present = [f for f in str(flags or "").split(";") if f]
    return ";".join(present if flag in present else [*present, flag])


def _flag_for_review(table: pa.Table, guesses: dict, unnamed: np.ndarray) -> pa.Table:
    """Flag the rows with a guessed vocabulary value (noting what each was read as) and the
    companies not yet named; the table with review_notes. Such rows are few: they are visited one
    by one."""
    notes = nones(table.num_rows)
    notes[list(guesses)] = ["; ".join(guesses[pos]) for pos in guesses]
    rows = sorted(set(guesses) | set(np.flatnonzero(unnamed).tolist()))
    if rows:
        flags = table["review_flags"].combine_chunks()
        changed = []
        for pos in rows:
            flag = flags[pos].as_py()
            if pos in guesses:
                flag = add_flag(flag, "uncertain_match")
            if unnamed[pos]:
                flag = add_flag(flag, "company_unnamed")
            changed.append(flag)
        mask = np.zeros(table.num_rows, dtype=bool)
        mask[rows] = True
        flags = pc.replace_with_mask(flags, pa.array(mask), pa.array(changed, flags.type))
        table = table.set_column(
            table.schema.get_field_index("review_flags"), "review_flags", flags
        )
    return table.append_column("review_notes", pa.array(notes, pa.large_string()))


def read_announcements(
    path: Path,
    matcher: MunicipalityMatcher,
    rates: parse.Rates,
    today: date,
    sheet: str | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> IntakeResult:
    """Read and validate an announcements file. Raises FileUnusable when nothing can be used."""
    path = Path(path)
    if reading_ahead(path, sheet):
        # While the sheet is parsed in the background, what the cells' parsers would otherwise
        # load on first use, after the parse: the exchange rates, the country names' index.
        rates.preload()
        match_country("MX")
    grid, sheet_read = read_grid(path, sheet, max_bytes)
    header_index, fields = locate_header(grid, path.name, ANNOUNCEMENT_HEADERS)
    single_header_row(grid, header_index, path.name, ANNOUNCEMENT_HEADERS)
    header = grid.iloc[header_index]
    below = grid.iloc[header_index + 1 :]
    # Text columns that are not parsed into codes stay Arrow text (see Texts).
    coded = {c for f, c in fields.items() if f not in TEXT_LIMITS}
    cells = {c: _cells_of(below[c], c in coded) for c in grid.columns}
    blank_row = np.logical_and.reduce([col.blank_rows() for col in cells.values()])
    is_example = _example_rows(cells[fields["company"]])
    first_row = header_index + 2  # spreadsheet number of the first row below the header
    example_rows = (np.flatnonzero(is_example & ~blank_row) + first_row).tolist()
    kept = np.flatnonzero(~blank_row & ~is_example)
    if len(kept) == 0 and not example_rows:
        raise FileUnusable(
            f"{path.name} tiene encabezados pero ninguna fila de datos.",
            f"{path.name} has headers but no data rows.",
        )
    cells = {c: col.take(kept) for c, col in cells.items()}
    row_numbers = (kept + first_row).astype(np.int64)
    problems = Problems()
    column_names = {f: str(header.iloc[c]).strip() for f, c in fields.items()}
    notes = _notes(grid, example_rows)
    ragged = _ragged_rows(grid, header_index, row_numbers - 1, cells, problems)

    try:
        amount_unit = parse.header_unit(column_names["amount"]) if "amount" in fields else None
    except CellError as exc:  # "Monto (USD / MXN)": no single unit for the whole column
        raise FileUnusable(f"{path.name}: {exc.es}", f"{path.name}: {exc.en}") from exc
    parsers = cell_parsers(matcher, today, amount_unit)
    parsed: dict[str, Coded | Texts] = {}
    company_errors: dict[int, CellError] = {}
    outside: list[parse.Vocabulary] = []  # vocabularies with a rejected value: listed once
    for field_name, parser in parsers.items():
        if field_name not in fields:
            parsed[field_name] = Coded.constant(len(kept))
            continue
        column = cells[fields[field_name]]
        parsed[field_name], errors = parse_column(column, parser)
        if field_name == "company":
            company_errors = errors
        for pos, error in errors.items():
            name = column_names[field_name]
            problems.add(int(row_numbers[pos]), name, column.value_at(pos), error)
            if isinstance(error, parse.VocabularyError) and error.vocabulary not in outside:
                outside.append(error.vocabulary)
    guesses = _take_guesses(parsed)

    # A row needs a company to be an announcement at all.
    if "company" in fields:
        missing = parsed["company"].missing_rows()
        missing[list(company_errors)] = False
        for pos in np.flatnonzero(missing):
            error = CellError(es="Falta el nombre de la empresa.", en="The company is missing.")
            problems.add(int(row_numbers[pos]), column_names["company"], None, error)

    rows = assemble(parsed, row_numbers, today, rates, problems, column_names)
    rows = _flag_for_review(rows, guesses, _unnamed_rows(parsed["company"]))
    if ragged:  # cells of a misaligned row sit under the wrong headers: one reason says it all
        problems.records = [
            r for r in problems.records if r["row_number"] not in ragged or r["column"] == "*"
        ]
    rejects = problems.frame()
    return IntakeResult(
        file_name=path.name,
        sha256=grid.attrs.get("sha256") or file_sha256(path),
        header_row=header_index + 1,
        columns=column_names,
        unused_columns=[
            str(h).strip()
            for c, h in enumerate(header)
            if c not in fields.values() and not is_blank(h)
        ],
        rows_read=len(kept),
        rows=rows,
        rejects=rejects.sort_values(["row_number", "column"], kind="stable").reset_index(drop=True),
        sheet=sheet_read,
        notes=notes,
        example_rows=example_rows,
        accepted=[vocabulary.accepted() for vocabulary in outside],
    )


def _cells_of(column: pd.Series, coded: bool) -> Coded | Texts:
    """A column below the header: coded by distinct value, or free text as Arrow text.

    A workbook's column of text cells is read as a CSV's is (Arrow text, "" where empty), so that
    both go through the same vectorised checks; numbers and dates are parsed one distinct value at
    a time."""
    if isinstance(column.dtype, pd.StringDtype):
        text = pa.array(column)
    else:
        try:
            text = pc.fill_null(pa.array(column.to_numpy(dtype=object), pa.large_string()), "")
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not only text
            return Coded.of(column)
    return Coded.of_text(text) if coded else Texts(text)


def _notes(grid: pd.DataFrame, example_rows: list[int]) -> list[tuple[str, str]]:
    notes = []
    if example_rows:
        rows = ", ".join(map(str, example_rows))
        notes.append(
            (
                f"Se omitió la fila de ejemplo de la plantilla (fila {rows}: la empresa empieza "
                "con «EJEMPLO:»); no se lee ni se carga.",
                f"The template's example row was skipped (row {rows}: the company starts with "
                "'EJEMPLO:'); it is neither read nor loaded.",
            )
        )
    if grid.attrs.get("mojibake"):
        notes.append(
            (
                "El texto parece tener acentos dañados («Ã©» en lugar de «é»): el archivo se "
                "guardó dos veces con codificaciones distintas. Ábralo de nuevo desde el original "
                "y guárdelo como «CSV UTF-8».",
                "The text seems to have damaged accents ('Ã©' instead of 'é'): the file was saved "
                "twice with different encodings. Reopen the original and save it as 'CSV UTF-8'.",
            )
        )
    unsaved = grid.attrs.get("unsaved_formulas", 0)
    if unsaved:
        notes.append(
            (
                f"{unsaved:,} celdas tienen fórmulas sin valor guardado: se leyó el texto de la "
                "fórmula (las fórmulas nunca se calculan). Abra y guarde el libro en Excel para "
                "guardar sus valores.",
                f"{unsaved:,} cells hold formulas without a saved value: the formula's text was "
                "read (formulas are never evaluated). Open and save the workbook in Excel to "
                "store their values.",
            )
        )
    return notes


def _ragged_rows(
    grid: pd.DataFrame,
    header_index: int,
    rows: np.ndarray,
    cells: dict[int, "Coded | Texts"],
    problems: Problems,
) -> set[int]:
    """CSV lines whose fields do not line up with the header are rejected whole; their numbers.

    A line of one field under a header of several was written with another delimiter; a line with
    filled fields beyond the header has a value holding the delimiter without quotes, which shifts
    every later column. Loading either would put values in the wrong columns. rows: the grid rows
    read (positions as in cells).
    """
    counts = grid.attrs.get("field_counts")
    if counts is None:
        return set()
    if isinstance(counts, int):  # every line as wide as the grid
        counts = np.full(len(grid), counts, dtype=np.int64)
    header = grid.iloc[header_index]
    used = max(c for c, h in enumerate(header) if not is_blank(h)) + 1
    delimiter = grid.attrs["delimiter"]
    shown = {"\t": "tabulador", ",": "«,»", ";": "«;»"}[delimiter]
    shown_en = {"\t": "tab", ",": "','", ";": "';'"}[delimiter]
    row_counts = counts[rows]
    extra = np.zeros(len(rows), dtype=bool)  # a filled cell beyond the header's last column
    for c in range(used, grid.shape[1]):
        extra |= ~cells[c].blank_rows() & (row_counts > c)
    ragged = set()
    for index in rows[((row_counts == 1) & (used > 1)) | ((row_counts > used) & extra)]:
        count = counts[index]
        cells_of_row = grid.iloc[index]
        line = delimiter.join("" if v is None else str(v) for v in cells_of_row.iloc[:count])
        ragged.add(int(index) + 1)
        problems.add(
            int(index) + 1,
            "*",
            line[:200],
            CellError(
                es=f"La fila tiene {count} campo(s) separados por {shown} y el encabezado "
                f"{used}: las columnas no coinciden. Revise el separador (coma o punto y coma) "
                "y ponga entre comillas los valores que lo contienen.",
                en=f"The row has {count} field(s) separated by {shown_en} and the header has "
                f"{used}: the columns do not line up. Check the delimiter (comma or semicolon) "
                "and quote values that contain it.",
            ),
        )
    return ragged
