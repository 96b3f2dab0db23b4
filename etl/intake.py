"""Intake of an announcements spreadsheet: read, find the header, parse every cell, keep every reject.

The result holds the valid rows (ready for the `announcements` table, less load_id) and one reject
per problem cell. A row with any problem is rejected whole, so rows read = rows valid + rows rejected.
Cells are parsed column by column, each distinct value once: files of a million rows repeat their
countries, municipalities, dates and currencies, and this keeps the intake close to the reader's speed.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import parse
from etl.countries import match_country
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
PLAUSIBLE_MUSD = (0.1, 20_000.0)
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
    valid: pd.DataFrame  # announcements columns, plus source_row
    rejects: pd.DataFrame  # row_number, column, value, reason, reason_en
    sheet: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (es, en) remarks for the report
    example_rows: list[int] = field(default_factory=list)  # template example rows, skipped
    # (es, en) lists of the accepted values of each vocabulary a rejected cell was outside of:
    # said once per report, not on every rejected row.
    accepted: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].nunique()


# ---------------------------------------------------------------- reading


# ---------------------------------------------------------------- cells


def _blank(value) -> bool:
    return (
        value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""
    )


def _nones(rows: int) -> np.ndarray:
    """None in every row, as an object column (what pandas makes of a list of None, but without
    inspecting a million list items)."""
    return np.full(rows, None, dtype=object)


def _objects(items: list) -> np.ndarray:
    """A one-dimensional object array of items (tuples stay whole)."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


@dataclass
class _Coded:
    """A column as codes into its distinct values: work is done per distinct value, then indexed by
    code. Files of a million rows repeat their countries, municipalities, dates and currencies, so
    this keeps the intake close to the reader's speed."""

    codes: np.ndarray  # per row: the position of its value in values
    values: np.ndarray  # object array, one entry per distinct value
    blank: np.ndarray | None = None  # per distinct value: an empty cell (raw columns only)

    @classmethod
    def of(cls, cells: pd.Series) -> "_Coded":
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        if isinstance(uniques.dtype, pd.StringDtype):  # Arrow strips as str.strip does
            blank = np.asarray(uniques.isna() | (uniques.str.strip() == ""), dtype=bool)
        else:
            blank = np.fromiter(map(_blank, uniques), dtype=bool, count=len(uniques))
        return cls(codes, np.asarray(uniques, dtype=object), blank)

    @classmethod
    def of_objects(cls, items: np.ndarray) -> "_Coded":
        """Python objects (dates, None) coded as they are: None stays None."""
        codes, uniques = pd.factorize(items)  # None gets code -1
        values = _objects([*uniques, None])
        return cls(np.where(codes < 0, len(uniques), codes), values)

    @classmethod
    def constant(cls, rows: int, value=None) -> "_Coded":
        return cls(np.zeros(rows, dtype=np.intp), _objects([value]))

    def take(self, rows: np.ndarray) -> "_Coded":
        """The rows at positions rows (ascending, as np.flatnonzero gives them)."""
        if len(rows) == len(self.codes):  # every row kept: no copy (codes are never modified)
            return self
        return _Coded(self.codes[rows], self.values, self.blank)

    def blank_rows(self) -> np.ndarray:
        return self.blank[self.codes]

    def value_at(self, pos: int):
        return self.values[self.codes[pos]]

    def coded(self) -> "_Coded":
        return self

    def missing_rows(self) -> np.ndarray:
        return self.flags(lambda v: v is None)

    def used(self) -> "_Coded":
        """Only the values some row has (after take)."""
        present = np.bincount(self.codes, minlength=len(self.values)) > 0
        kept = np.flatnonzero(present)  # as np.unique(codes) gives them: ascending
        renumber = np.cumsum(present) - 1
        return _Coded(renumber[self.codes], self.values[kept])

    def map(self, fn) -> "_Coded":
        return _Coded(self.codes, _objects([fn(v) for v in self.values]))

    def compact(self) -> "_Coded":
        """Equal values under one code (after a map that merges values)."""
        index: dict = {}
        inner = np.fromiter(
            (index.setdefault(v, len(index)) for v in self.values), np.intp, len(self.values)
        )
        return _Coded(inner[self.codes], _objects(list(index)))

    def flags(self, fn) -> np.ndarray:
        """fn(value) for every row, as booleans."""
        per_value = np.fromiter(map(fn, self.values), dtype=bool, count=len(self.values))
        return per_value[self.codes]

    def rows(self) -> np.ndarray:
        return self.values[self.codes]

    def floats(self) -> np.ndarray:
        """Numbers (None: NaN) for every row."""
        per_value = np.array([np.nan if v is None else v for v in self.values], dtype=float)
        return per_value[self.codes]

    def integers(self, dtype: str) -> pd.arrays.IntegerArray:
        """Whole numbers (None: missing) for every row, as a nullable integer array."""
        missing = np.array([v is None for v in self.values], dtype=bool)
        numbers = np.array([0 if v is None else v for v in self.values], dtype=dtype.lower())
        return pd.arrays.IntegerArray(numbers[self.codes], missing[self.codes])

    def arrow_text(self) -> pa.Array:
        """The text of every row (None: missing), gathered by Arrow without a Python loop."""
        return pa.array(list(self.values), type=pa.large_string()).take(pa.array(self.codes))

    def arrow_codes(self) -> pa.DictionaryArray:
        """The text as Arrow codes into the distinct values ("" for none), without a copy per row."""
        values = pa.array(["" if v is None else v for v in self.values], pa.string())
        return pa.DictionaryArray.from_arrays(self.codes, values)

    def text(self) -> pd.Series | np.ndarray:
        if len(self.codes) == 0 or all(v is None for v in self.values):
            return _nones(len(self.codes))
        return self.arrow_text().to_pandas()


@dataclass
class _Texts:
    """A free-text column of a CSV (names, URLs, notes) as Arrow text, None where empty. Nearly
    every value differs, so Arrow's string functions check the whole column at once instead of a
    parser per distinct value (Arrow strips the same whitespace as str.strip)."""

    cells: pa.Array

    @classmethod
    def of(cls, cells: pd.Series) -> "_Texts":
        return cls(pa.array(cells))

    @functools.cached_property
    def stripped(self) -> pa.Array:
        return pc.utf8_trim_whitespace(self.cells)

    @functools.cached_property
    def sizes(self) -> np.ndarray:
        """Bytes of each stripped cell (0: blank), never fewer than its characters: read from
        Arrow's offsets, where counting characters would read every byte."""
        return pc.fill_null(pc.binary_length(self.stripped), 0).to_numpy(zero_copy_only=False)

    def lengths_at(self, rows: np.ndarray) -> np.ndarray:
        """Characters of the stripped cells at rows."""
        if len(rows) == 0:  # (Arrow's take would first join the column's chunks)
            return np.zeros(0, dtype=np.int64)
        chosen = self.stripped.take(pa.array(rows, type=pa.int64()))
        return pc.fill_null(pc.utf8_length(chosen), 0).to_numpy(zero_copy_only=False)

    def blank_rows(self) -> np.ndarray:
        return self.sizes == 0

    def take(self, rows: np.ndarray) -> "_Texts":
        if len(rows) == len(self.cells):  # every row kept (rows are ascending): no copy
            return self
        return _Texts(self.cells.take(pa.array(rows)))

    def value_at(self, pos: int):
        return self.cells[int(pos)].as_py()

    def coded(self) -> _Coded:
        return _Coded.of_objects(self.cells.to_pandas())

    def missing_rows(self) -> np.ndarray:
        return pc.is_null(self.cells).to_numpy(zero_copy_only=False)

    def arrow_codes(self) -> pa.Array:
        return self.cells

    def text(self) -> pd.Series | np.ndarray:
        if self.cells.null_count == len(self.cells):
            return _nones(len(self.cells))
        return self.cells.to_pandas()


def _parse_column(column: "_Coded | _Texts", parser) -> tuple["_Coded | _Texts", dict]:
    """Apply parser to each distinct value once; the parsed column and its errors by row."""
    if isinstance(column, _Texts):
        return parser.check(column)
    results, failures = [], {}
    for code, value in enumerate(column.values):
        if column.blank[code]:
            results.append(None)
            continue
        try:
            results.append(parser(value))
        except CellError as exc:
            results.append(None)
            failures[code] = exc
    # Only the rows with a bad value are visited.
    bad = np.flatnonzero(np.isin(column.codes, list(failures)))
    errors = {int(pos): failures[column.codes[pos]] for pos in bad}
    return _Coded(column.codes, _objects(results)), errors


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

    def check(self, column: _Texts) -> tuple[_Texts, dict[int, CellError]]:
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
            return _Texts(stripped), errors
        if drop.all():
            return _Texts(pa.chunked_array([pa.nulls(len(drop), stripped.type)])), errors
        return _Texts(pc.if_else(pa.array(drop), pa.scalar(None, stripped.type), stripped)), errors

    def _too_long(self, length: int) -> CellError:
        es, en = self.label
        return CellError(
            es=f"El texto de {es} tiene {length:,} caracteres; el máximo es {self.limit:,}.",
            en=f"The {en} text has {length:,} characters; the maximum is {self.limit:,}.",
        )


@dataclass
class _Problems:
    """Collects reject records; one per problem cell."""

    records: list[dict] = field(default_factory=list)

    def add(self, row_number: int, column: str, value, error: CellError) -> None:
        self.records.append(
            {
                "row_number": row_number,
                "column": column,
                "value": None if _blank(value) else str(value),
                "reason": error.es,
                "reason_en": error.en,
            }
        )

    def frame(self) -> pd.DataFrame:
        columns = ["row_number", "column", "value", "reason", "reason_en"]
        return pd.DataFrame(self.records, columns=columns).astype({"row_number": "int64"})


def _example_rows(company: "_Coded | _Texts") -> np.ndarray:
    """Rows whose company cell marks the template's example row ("EJEMPLO: ...")."""
    if isinstance(company, _Coded):
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


def _unnamed_rows(company: "_Coded | _Texts") -> np.ndarray:
    if isinstance(company, _Coded):
        return company.flags(lambda v: isinstance(v, str) and bool(UNNAMED_COMPANY.search(v)))
    found = pc.match_substring_regex(company.cells, UNNAMED_COMPANY.pattern, ignore_case=True)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def add_flag(flags: str | None, flag: str) -> str:
    """review_flags with one more flag (';'-separated, each once)."""
    present = [f for f in str(flags or "").split(";") if f]
    return ";".join(present if flag in present else [*present, flag])


def _flag_for_review(frame: pd.DataFrame, guesses: dict, unnamed: np.ndarray) -> None:
    """Flag the rows with a guessed vocabulary value (noting what each was read as) and the
    companies not yet named. Such rows are few: they are visited one by one."""
    frame["review_notes"] = _nones(len(frame))
    if guesses:
        rows = list(guesses)
        frame.loc[rows, "review_flags"] = [
            add_flag(f, "uncertain_match") for f in frame.loc[rows, "review_flags"]
        ]
        frame.loc[rows, "review_notes"] = ["; ".join(guesses[pos]) for pos in rows]
    rows = np.flatnonzero(unnamed)
    if len(rows):
        frame.loc[rows, "review_flags"] = [
            add_flag(f, "company_unnamed") for f in frame.loc[rows, "review_flags"]
        ]


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
    grid, sheet_read = read_grid(path, sheet, max_bytes)
    header_index, fields = locate_header(grid, path.name, ANNOUNCEMENT_HEADERS)
    single_header_row(grid, header_index, path.name, ANNOUNCEMENT_HEADERS)
    header = grid.iloc[header_index]
    below = grid.iloc[header_index + 1 :]
    # CSV text columns that are not parsed into codes stay Arrow text (see _Texts).
    coded = {c for f, c in fields.items() if f not in TEXT_LIMITS}
    cells = {
        c: _Coded.of(below[c])
        if c in coded or not isinstance(below[c].dtype, pd.StringDtype)
        else _Texts.of(below[c])
        for c in grid.columns
    }
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
    problems = _Problems()
    column_names = {f: str(header.iloc[c]).strip() for f, c in fields.items()}
    notes = _notes(grid, example_rows)
    ragged = _ragged_rows(grid, header_index, row_numbers - 1, cells, problems)

    try:
        amount_unit = parse.header_unit(column_names["amount"]) if "amount" in fields else None
    except CellError as exc:  # "Monto (USD / MXN)": no single unit for the whole column
        raise FileUnusable(f"{path.name}: {exc.es}", f"{path.name}: {exc.en}") from exc
    parsers = cell_parsers(matcher, today, amount_unit)
    parsed: dict[str, _Coded | _Texts] = {}
    company_errors: dict[int, CellError] = {}
    outside: list[parse.Vocabulary] = []  # vocabularies with a rejected value: listed once
    for field_name, parser in parsers.items():
        if field_name not in fields:
            parsed[field_name] = _Coded.constant(len(kept))
            continue
        column = cells[fields[field_name]]
        parsed[field_name], errors = _parse_column(column, parser)
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

    frame = _assemble(parsed, row_numbers, today, rates, problems, column_names)
    _flag_for_review(frame, guesses, _unnamed_rows(parsed["company"]))
    if ragged:  # cells of a misaligned row sit under the wrong headers: one reason says it all
        problems.records = [
            r for r in problems.records if r["row_number"] not in ragged or r["column"] == "*"
        ]
    rejects = problems.frame()
    if len(rejects):
        valid = frame[~frame["source_row"].isin(rejects["row_number"])].reset_index(drop=True)
    else:  # every row valid: the frame as it is (copy-on-write keeps it apart from any other)
        valid = frame
    return IntakeResult(
        file_name=path.name,
        sha256=grid.attrs.get("sha256") or file_sha256(path),
        header_row=header_index + 1,
        columns=column_names,
        unused_columns=[
            str(h).strip()
            for c, h in enumerate(header)
            if c not in fields.values() and not _blank(h)
        ],
        rows_read=len(kept),
        valid=valid,
        rejects=rejects.sort_values(["row_number", "column"], kind="stable").reset_index(drop=True),
        sheet=sheet_read,
        notes=notes,
        example_rows=example_rows,
        accepted=[vocabulary.accepted() for vocabulary in outside],
    )


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
    cells: dict[int, "_Coded | _Texts"],
    problems: _Problems,
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
    header = grid.iloc[header_index]
    used = max(c for c, h in enumerate(header) if not _blank(h)) + 1
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


def _assemble(
    parsed: dict[str, "_Coded | _Texts"],
    row_numbers: np.ndarray,
    today: date,
    rates: parse.Rates,
    problems: _Problems,
    column_names: dict[str, str],
) -> pd.DataFrame:
    """Row-level rules across cells (currency, conversion, flags) and the announcements columns.

    Every rule is worked out per distinct value (or pair of values) and indexed by row; only rows
    with a problem are visited one by one.
    """
    dates, places, amounts = parsed["announced_date"], parsed["municipality"], parsed["amount"]
    place_name = places.map(lambda p: p[0] if p else None)
    start = dates.map(lambda d: d.start if d else None)

    # The currency: the amount's own ("150 mdd") or the currency column's. Pairs are few.
    pairs = _pairs(amounts.map(lambda a: (a is not None, a and a.currency)).compact(),
                   parsed["currency"])  # fmt: skip
    currency = pairs.map(lambda pair: (pair[0][1] or pair[1]) if pair[0][0] else None)
    mismatch = pairs.flags(lambda pair: pair[0][1] and pair[1] and pair[0][1] != pair[1])
    no_currency = pairs.flags(lambda pair: pair[0][0] and not (pair[0][1] or pair[1]))
    currency_column = column_names.get("currency", column_names.get("amount", "moneda"))
    for pos in np.flatnonzero(mismatch | no_currency):
        (_, own), stated = pairs.values[pairs.codes[pos]]
        if mismatch[pos]:
            problems.add(
                int(row_numbers[pos]),
                currency_column,
                stated,
                CellError(
                    es=f"La moneda {stated} no coincide con la del monto ({own}).",
                    en=f"Currency {stated} does not match the amount's ({own}).",
                ),
            )
        else:
            problems.add(
                int(row_numbers[pos]),
                column_names["amount"],
                amounts.values[amounts.codes[pos]].value,
                CellError(
                    es="El monto no indica moneda: escríbala en la columna moneda "
                    "(USD, MXN, EUR…) o en el monto (150 mdd).",
                    en="The amount states no currency: write it in the currency column "
                    "(USD, MXN, EUR…) or in the amount (150 mdd).",
                ),
            )

    # The exchange rate's date: the announcement's (midpoint of a month or year), else the source's.
    # Coded as the dates are: values are dates (or None), one code per row.
    fx_on = dates.map(lambda d: d.midpoint if d else None)
    fx_values, fx_codes = list(fx_on.values), fx_on.codes.copy()
    undated = np.flatnonzero(~dates.flags(lambda d: d is not None))
    if len(undated):
        source = parsed["source_date"].take(undated).coded().used()
        fx_codes[undated] = len(fx_values) + source.codes
        fx_values += [source_fx_date(text, today) for text in source.values]
    has_currency = currency.flags(lambda c: c is not None)
    # No date to take a rate from: today's, and a flag for review.
    no_date = np.array([day is None for day in fx_values], dtype=bool)[fx_codes]
    assumed = currency.flags(lambda c: c is not None and c != "USD") & no_date
    fx_codes[assumed] = len(fx_values)
    fx_on = _Coded(fx_codes, _objects([*fx_values, today]))

    rate = np.full(len(row_numbers), np.nan)
    rate_date = np.full(len(row_numbers), None, dtype=object)
    converted = np.flatnonzero(has_currency)
    on = _pairs(currency.take(converted).used(), fx_on.take(converted).used().compact())
    per_pair = [rates.to_usd(1.0, c, day) for c, day in on.values]
    rate[converted] = np.array([r for r, _ in per_pair], dtype=float)[on.codes]
    rate_date[converted] = _objects([d for _, d in per_pair])[on.codes]
    amount = amounts.map(lambda a: a.value if a else None).used()
    n = len(row_numbers)
    musd = amount.floats() * rate / 1e6
    low, high = PLAUSIBLE_MUSD
    implausible = (musd < low) | (musd > high)
    flags = _Coded(
        assumed.astype(np.intp) * 2 + implausible,
        _objects(
            ["", "implausible_amount", "fx_date_assumed", "fx_date_assumed;implausible_amount"]
        ),
    )
    columns = {
        "company": parsed["company"].text(),
        "parent_group": parsed["parent_group"].text(),
        "origin_iso2": parsed["origin_country"].text(),
        "sector": parsed["sector"].text(),
        "tier": parsed["tier"].text(),
        "event_type": parsed["event_type"].text(),
        "municipality": place_name.text(),
        "cvegeo": places.map(lambda p: p[1] if p else None).text(),
        "park": parsed["park"].text(),
        "announced_date": start.rows(),
        "date_precision": dates.map(lambda d: d.precision if d else None).text(),
        "announced_until": dates.map(lambda d: d.end if d else None).rows(),
        "announced_year": dates.map(lambda d: d.start.year if d else None).integers("Int32"),
        # As pandas infers a list of them: floats (NaN for none), or None throughout.
        "amount": amount.floats() if any(v is not None for v in amount.values) else _nones(n),
        "currency": currency.text(),
        "amount_musd": musd,
        "fx_rate_date": rate_date,
        "jobs": parsed["jobs"].integers("Int64"),
        "status": parsed["status"].text(),
        "source_url": parsed["source_url"].text(),
        "source_title": parsed["source_title"].text(),
        "source_date": parsed["source_date"].text(),
        "notes": parsed["notes"].text(),
        "review_flags": flags.text(),
        "source_row": row_numbers.astype("int64"),
    }
    if len(row_numbers) == 0:  # nothing read (a template's example row): as pandas infers lists
        columns |= {
            k: [] for k, v in columns.items() if isinstance(v, np.ndarray) and k != "source_row"
        }
    out = pd.DataFrame(columns)
    as_text = {  # each ID_FIELDS value as str() writes it, "" for none
        "origin_iso2": parsed["origin_country"],
        "municipality": place_name,
        "announced_date": start.map(lambda d: "" if d is None else str(d)),
        "date_precision": dates.map(lambda d: d.precision if d else None),
        "amount": amounts.map(lambda a: "" if a is None else str(a.value)),
        "currency": currency,
        "jobs": parsed["jobs"].map(lambda j: "" if j is None else str(j)),
    }
    out["announcement_id"] = _content_ids([as_text.get(f) or parsed[f] for f in ID_FIELDS])
    return out


def _pairs(first: _Coded, second: _Coded) -> _Coded:
    """Each row's (first value, second value), each distinct pair once."""
    width = len(second.values)
    codes, keys = pd.factorize(first.codes.astype(np.int64) * width + second.codes)
    return _Coded(
        codes, _objects([(first.values[k // width], second.values[k % width]) for k in keys])
    )


def source_fx_date(source_date_text, today: date) -> date | None:
    """An undated announcement's rate date: its source's date (midpoint), if readable."""
    if source_date_text:
        try:
            source = parse.parse_date(source_date_text, today)
        except CellError:
            return None
        return source.midpoint if source else None
    return None


ID_FIELDS = [
    "company", "parent_group", "origin_iso2", "sector", "tier", "event_type", "municipality",
    "park", "announced_date", "date_precision", "amount", "currency", "jobs", "status",
    "source_url", "source_title", "source_date", "notes",
]  # fmt: skip


def _content_ids(columns: list["_Coded | _Texts"]) -> pd.Series | list:
    """A stable id from the row's content: the same row gets the same id in every rebuild.

    The sha1 of the ID_FIELDS values as text joined by \\x1f ("" for none); DuckDB hashes the rows
    in parallel, and gives the same digest as hashlib.
    """
    texts = pa.table({f"c{i}": col.arrow_codes() for i, col in enumerate(columns)})
    if texts.num_rows == 0:
        return []
    joined = ", ".join(f"coalesce({name}, '')" for name in texts.column_names)
    con = duckdb.connect()
    try:
        con.register("id_texts", texts)
        ids = con.sql(
            f"SELECT 'A' || left(sha1(concat_ws(chr(31), {joined})), 12) AS id FROM id_texts"  # noqa: S608
        ).to_arrow_table()
    finally:
        con.close()
    return ids.column("id").to_pandas()
