"""Intake of an announcements spreadsheet: read, find the header, parse every cell, keep every reject.

The result holds the valid rows (ready for the `announcements` table, less load_id) and one reject
per problem cell. A row with any problem is rejected whole, so rows read = rows valid + rows rejected.
Cells are parsed column by column, each distinct value once: files of a million rows repeat their
countries, municipalities, dates and currencies, and this keeps the intake close to the reader's speed.
"""

import csv
import functools
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from etl import parse
from etl.countries import match_country
from etl.parse import CellError
from etl.places import MunicipalityMatcher

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
HEADER_SEARCH_ROWS = 30
MAX_FILE_BYTES = 60 * 1024 * 1024
PLAUSIBLE_MUSD = (0.1, 20_000.0)
# The template's example row: its company cell starts with "EJEMPLO:" (any case; "EXAMPLE:" too).
# Such rows are skipped, not read: they count neither as loaded nor as rejected.
EXAMPLE_MARK = re.compile(r"\s*(?:ejemplo|example)\s*:", re.IGNORECASE)


class FileUnusable(Exception):
    """The file as a whole cannot be used (exit status 2); nothing from it is loaded."""

    def __init__(self, es: str, en: str):
        super().__init__(es)
        self.es, self.en = es, en


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

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].nunique()


# ---------------------------------------------------------------- reading


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_grid(path: Path, sheet: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """All cells of the file as an object grid (no header yet), and the sheet read (XLSX)."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise FileUnusable(f"No existe el archivo {name}.", f"The file {name} does not exist.")
    size = path.stat().st_size
    if size == 0:
        raise FileUnusable(f"El archivo {name} está vacío.", f"The file {name} is empty.")
    if size > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise FileUnusable(
            f"El archivo {name} pesa más de {mb} MB; divídalo en archivos más pequeños.",
            f"The file {name} is larger than {mb} MB; split it into smaller files.",
        )
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, sheet)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileUnusable(
            f"{name} es un libro de Excel antiguo (.xls). Guárdelo como .xlsx o .csv.",
            f"{name} is an old Excel workbook (.xls). Save it as .xlsx or .csv.",
        )
    return _read_csv(path), None


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    utf16 = _utf16_without_bom(raw[:65536])
    if utf16:
        try:
            return raw.decode(utf16)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: reported as binary below
    if b"\x00" in raw[:65536]:
        raise FileUnusable(
            f"{name} no es un archivo de texto CSV ni un libro XLSX (contiene datos binarios).",
            f"{name} is neither a CSV text file nor an XLSX workbook (it holds binary data).",
        )
    # UTF-8 first (with or without BOM); spreadsheets saved on Windows are cp1252, a superset of
    # Latin-1's printable characters; latin-1 decodes anything as the last resort.
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = sum(ch < " " and ch not in "\r\n\t" for ch in text[:65536])
    if controls > 0.01 * min(len(text), 65536):
        raise FileUnusable(
            f"{name} no parece un archivo CSV: contiene caracteres de control.",
            f"{name} does not look like a CSV file: it holds control characters.",
        )
    return text


# UTF-8 accents that were decoded as Latin-1 and saved again: "Ã©" for "é", "Ã±" for "ñ".
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]")


def _utf16_without_bom(head: bytes) -> str | None:
    """The codec of text saved as UTF-16 without a BOM (mostly ASCII: every other byte is 0)."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 4 or len(head) % 2:
        return None
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _read_csv(path: Path) -> pd.DataFrame:
    text = _decode(path.read_bytes(), path.name)
    sample = "\n".join(text.splitlines()[:50])
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise FileUnusable(f"El archivo {path.name} está vacío.", f"The file {path.name} is empty.")
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    # How many fields each line had: a line split by another delimiter, or a value with an unquoted
    # delimiter, shows up as a different count from the header's (see _ragged_rows).
    # (an array, not a list: pandas deep-copies attrs on every operation)
    grid.attrs["field_counts"] = np.fromiter(
        (len(r) for r in rows), dtype=np.int64, count=len(rows)
    )
    grid.attrs["delimiter"] = delimiter
    grid.attrs["mojibake"] = len(_MOJIBAKE.findall(sample)) >= 2
    return grid


def _read_xlsx(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str]:
    import openpyxl  # only needed for workbooks

    try:
        # data_only: formulas are never evaluated, their last saved value is read (or nothing).
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged zip
        raise FileUnusable(
            f"No se pudo abrir {path.name} como libro XLSX ({type(exc).__name__}).",
            f"{path.name} could not be opened as an XLSX workbook ({type(exc).__name__}).",
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise FileUnusable(
                f"{path.name} no tiene la hoja «{sheet}». Hojas: {names}.",
                f"{path.name} has no sheet '{sheet}'. Sheets: {names}.",
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        title = ws.title
    finally:
        book.close()
    if not rows:
        raise FileUnusable(
            f"La hoja «{title}» de {path.name} está vacía.",
            f"Sheet '{title}' of {path.name} is empty.",
        )
    unsaved = _formulas_without_values(path, title, rows) if _has_formulas(path) else 0
    width = max(len(r) for r in rows)
    grid = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    grid.attrs["unsaved_formulas"] = unsaved
    return grid, title


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (an <f> element), read as bytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as xml:
                    tail = b""
                    while chunk := xml.read(1 << 20):
                        if re.search(rb"<(?:\w+:)?f[ >/]", tail + chunk):
                            return True
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError):
        return False
    return False


def _formulas_without_values(path: Path, title: str, rows: list[list]) -> int:
    """Put the text of formulas that have no saved value into rows; return how many.

    Formulas are never evaluated. Excel saves each formula's last value, which is what the intake
    reads; a workbook written by a program may hold formulas without values, which would otherwise
    read as blank cells and lose what was written: their text is read instead (and is usually
    rejected with the formula shown).
    """
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    unsaved = 0
    try:
        for r, formulas in enumerate(book[title].iter_rows(values_only=True)):
            if r >= len(rows):
                break
            for c, formula in enumerate(formulas):
                text = formula if isinstance(formula, str) else getattr(formula, "text", None)
                missing = c < len(rows[r]) and rows[r][c] is None
                if missing and isinstance(text, str) and text.startswith("="):
                    rows[r][c] = text
                    unsaved += 1
    finally:
        book.close()
    return unsaved


# ---------------------------------------------------------------- header


def map_header(cell) -> str | None:
    """The canonical field a header cell names, or None."""
    norm = parse.normalize(cell)
    if not norm:
        return None
    for field_name, aliases in HEADER_ALIASES.items():
        if norm in aliases:
            return field_name
    if norm.split()[0] in AMOUNT_HEADER_STARTS:
        return "amount"
    return None


def locate_header(grid: pd.DataFrame, name: str) -> tuple[int, dict[str, int]]:
    """The first of the top rows that names a company column and at least one more known field."""
    for index in range(min(HEADER_SEARCH_ROWS, len(grid))):
        fields: dict[str, int] = {}
        for col, cell in enumerate(grid.iloc[index]):
            field_name = map_header(cell)
            if field_name is None:
                continue
            if field_name in fields:
                first = grid.iloc[index, fields[field_name]]
                raise FileUnusable(
                    f"En {name}, las columnas «{first}» y «{cell}» parecen ser la misma "
                    f"({FIELD_LABELS[field_name][0]}). Renombre o quite una.",
                    f"In {name}, columns '{first}' and '{cell}' look like the same field "
                    f"({FIELD_LABELS[field_name][1]}). Rename or remove one.",
                )
            fields[field_name] = col
        if "company" in fields and len(fields) >= 2:
            return index, fields
    known = ", ".join(sorted({aliases[0] for aliases in HEADER_ALIASES.values()}))
    raise FileUnusable(
        f"No se reconocen las columnas de {name}: se necesita al menos «empresa» y otra columna "
        f"conocida en las primeras {HEADER_SEARCH_ROWS} filas. Columnas conocidas: {known}.",
        f"The columns of {name} are not recognised: at least 'empresa' (company) and one more "
        f"known column are needed in the first {HEADER_SEARCH_ROWS} rows. Known columns: {known}.",
    )


def _single_header_row(grid: pd.DataFrame, header_index: int, name: str) -> None:
    """A second row of headers under the first (a two-level header, merged cells) is refused:
    its parts would be read as data, and the columns under merged cells would be misplaced."""
    if header_index + 1 >= len(grid):
        return
    below = {map_header(cell) for cell in grid.iloc[header_index + 1]} - {None}
    if len(below) >= 2:
        first, second = header_index + 1, header_index + 2
        raise FileUnusable(
            f"En {name}, las filas {first} y {second} parecen ser ambas encabezados (¿encabezado "
            "en dos filas o celdas combinadas?). Deje los encabezados en una sola fila, con una "
            "columna por dato y sin celdas combinadas.",
            f"In {name}, rows {first} and {second} both look like headers (a two-row header or "
            "merged cells?). Keep the headers in a single row, one column per field and no "
            "merged cells.",
        )


# ---------------------------------------------------------------- cells


def _blank(value) -> bool:
    return (
        value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""
    )


def _parse_column(values: pd.Series, parser) -> tuple[list, dict[int, CellError]]:
    """Apply parser to each distinct value once; errors by row position."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results, failures = [], {}
    for code, value in enumerate(uniques):
        try:
            results.append(None if _blank(value) else parser(value))
        except CellError as exc:
            results.append(None)
            failures[code] = exc
    parsed = [results[c] for c in codes]
    errors = {pos: failures[c] for pos, c in enumerate(codes) if c in failures}
    return parsed, errors


def _text(limit: int, label: tuple[str, str]):
    def parser(value) -> str:
        if isinstance(value, datetime) and value.time() == time():
            value = value.date()  # a date cell in a text column ("fecha de la fuente")
        text = str(value).strip()
        if len(text) > limit:
            raise CellError(
                es=f"El texto de {label[0]} tiene {len(text):,} caracteres; el máximo es {limit:,}.",
                en=f"The {label[1]} text has {len(text):,} characters; the maximum is {limit:,}.",
            )
        return text

    return parser


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


def read_announcements(
    path: Path,
    matcher: MunicipalityMatcher,
    rates: parse.Rates,
    today: date,
    sheet: str | None = None,
) -> IntakeResult:
    """Read and validate an announcements file. Raises FileUnusable when nothing can be used."""
    path = Path(path)
    grid, sheet_read = read_grid(path, sheet)
    header_index, fields = locate_header(grid, path.name)
    _single_header_row(grid, header_index, path.name)
    header = grid.iloc[header_index]
    body = grid.iloc[header_index + 1 :]
    if not body.empty:
        body = body[~body.apply(lambda row: all(_blank(v) for v in row), axis=1)]
    is_example = [
        isinstance(v, str) and bool(EXAMPLE_MARK.match(v)) for v in body.iloc[:, fields["company"]]
    ]
    example_rows = [int(i) + 1 for i, e in zip(body.index, is_example, strict=True) if e]
    body = body[[not e for e in is_example]]
    if body.empty and not example_rows:
        raise FileUnusable(
            f"{path.name} tiene encabezados pero ninguna fila de datos.",
            f"{path.name} has headers but no data rows.",
        )
    row_numbers = (body.index + 1).to_numpy()  # grid row 0 is spreadsheet row 1
    problems = _Problems()
    column_names = {f: str(header.iloc[c]).strip() for f, c in fields.items()}
    notes = _notes(grid, example_rows)
    ragged = _ragged_rows(grid, header_index, body, problems)

    try:
        amount_unit = parse.header_unit(column_names["amount"]) if "amount" in fields else None
    except CellError as exc:  # "Monto (USD / MXN)": no single unit for the whole column
        raise FileUnusable(f"{path.name}: {exc.es}", f"{path.name}: {exc.en}") from exc
    parsers = {
        "company": _text(TEXT_LIMITS["company"], FIELD_LABELS["company"]),
        "origin_country": match_country,
        "sector": parse.SECTORS.parse,
        "tier": parse.TIERS.parse,
        "event_type": parse.EVENT_TYPES.parse,
        "municipality": matcher.match,
        "announced_date": lambda v: parse.parse_date(v, today),
        "amount": functools.partial(parse.parse_amount, unit=amount_unit),
        "currency": parse.parse_currency,
        "jobs": parse.parse_jobs,
        "status": parse.STATUSES.parse,
    }
    for text_field in (
        "parent_group",
        "park",
        "source_url",
        "source_title",
        "source_date",
        "notes",
    ):
        parsers[text_field] = _text(TEXT_LIMITS[text_field], FIELD_LABELS[text_field])

    parsed: dict[str, list] = {}
    errors_by_field: dict[str, dict[int, CellError]] = {}
    for field_name, parser in parsers.items():
        if field_name not in fields:
            parsed[field_name] = [None] * len(body)
            continue
        values = body.iloc[:, fields[field_name]].reset_index(drop=True)
        parsed[field_name], errors = _parse_column(values, parser)
        errors_by_field[field_name] = errors
        for pos, error in errors.items():
            problems.add(int(row_numbers[pos]), column_names[field_name], values[pos], error)

    # A row needs a company to be an announcement at all.
    if "company" in fields:
        for pos, company in enumerate(parsed["company"]):
            if company is None and pos not in errors_by_field["company"]:
                missing = CellError(
                    es="Falta el nombre de la empresa.", en="The company is missing."
                )
                problems.add(int(row_numbers[pos]), column_names["company"], None, missing)

    frame = _assemble(parsed, row_numbers, today, rates, problems, column_names)
    if ragged:  # cells of a misaligned row sit under the wrong headers: one reason says it all
        problems.records = [
            r for r in problems.records if r["row_number"] not in ragged or r["column"] == "*"
        ]
    rejects = problems.frame()
    valid = frame[~frame["source_row"].isin(rejects["row_number"])].reset_index(drop=True)
    return IntakeResult(
        file_name=path.name,
        sha256=file_sha256(path),
        header_row=header_index + 1,
        columns=column_names,
        unused_columns=[
            str(h).strip()
            for c, h in enumerate(header)
            if c not in fields.values() and not _blank(h)
        ],
        rows_read=len(body),
        valid=valid,
        rejects=rejects.sort_values(["row_number", "column"], kind="stable").reset_index(drop=True),
        sheet=sheet_read,
        notes=notes,
        example_rows=example_rows,
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
    grid: pd.DataFrame, header_index: int, body: pd.DataFrame, problems: _Problems
) -> set[int]:
    """CSV lines whose fields do not line up with the header are rejected whole; their numbers.

    A line of one field under a header of several was written with another delimiter; a line with
    filled fields beyond the header has a value holding the delimiter without quotes, which shifts
    every later column. Loading either would put values in the wrong columns.
    """
    counts = grid.attrs.get("field_counts")
    if counts is None:
        return set()
    header = grid.iloc[header_index]
    used = max(c for c, h in enumerate(header) if not _blank(h)) + 1
    delimiter = grid.attrs["delimiter"]
    shown = {"\t": "tabulador", ",": "«,»", ";": "«;»"}[delimiter]
    shown_en = {"\t": "tab", ",": "','", ";": "';'"}[delimiter]
    rows = body.index.to_numpy()
    row_counts = counts[rows]
    ragged = set()
    for index in rows[((row_counts == 1) & (used > 1)) | (row_counts > used)]:
        count = counts[index]
        cells = grid.iloc[index]
        extra = any(not _blank(v) for v in cells.iloc[used:count])
        if not (count == 1 and used > 1) and not extra:
            continue
        line = delimiter.join("" if v is None else str(v) for v in cells.iloc[:count])
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
    parsed: dict[str, list],
    row_numbers: np.ndarray,
    today: date,
    rates: parse.Rates,
    problems: _Problems,
    column_names: dict[str, str],
) -> pd.DataFrame:
    """Row-level rules across cells (currency, conversion, flags) and the announcements columns."""
    dates = parsed["announced_date"]
    places = parsed["municipality"]
    amounts = parsed["amount"]
    out = pd.DataFrame(
        {
            "company": parsed["company"],
            "parent_group": parsed["parent_group"],
            "origin_iso2": parsed["origin_country"],
            "sector": parsed["sector"],
            "tier": parsed["tier"],
            "event_type": parsed["event_type"],
            "municipality": [p[0] if p else None for p in places],
            "cvegeo": [p[1] if p else None for p in places],
            "park": parsed["park"],
            "announced_date": [d.start if d else None for d in dates],
            "date_precision": [d.precision if d else None for d in dates],
            "announced_until": [d.end if d else None for d in dates],
            "announced_year": pd.array([d.start.year if d else None for d in dates], "Int32"),
            "amount": [a.value if a else None for a in amounts],
            "currency": None,
            "amount_musd": np.nan,
            "fx_rate_date": None,
            "jobs": pd.array(parsed["jobs"], dtype="Int64"),
            "status": parsed["status"],
            "source_url": parsed["source_url"],
            "source_title": parsed["source_title"],
            "source_date": parsed["source_date"],
            "notes": parsed["notes"],
            "review_flags": "",
            "source_row": row_numbers.astype("int64"),
        }
    )
    currency_column = column_names.get("currency", column_names.get("amount", "moneda"))
    currencies, fx_dates, flags = [], [], []
    for pos, amount in enumerate(amounts):
        stated = parsed["currency"][pos]
        row_flags = []
        currency = None
        if amount is not None:
            currency = amount.currency or stated
            if amount.currency and stated and amount.currency != stated:
                problems.add(
                    int(row_numbers[pos]),
                    currency_column,
                    stated,
                    CellError(
                        es=f"La moneda {stated} no coincide con la del monto ({amount.currency}).",
                        en=f"Currency {stated} does not match the amount's ({amount.currency}).",
                    ),
                )
            elif currency is None:
                problems.add(
                    int(row_numbers[pos]),
                    column_names["amount"],
                    amount.value,
                    CellError(
                        es="El monto no indica moneda: escríbala en la columna moneda "
                        "(USD, MXN, EUR…) o en el monto (150 mdd).",
                        en="The amount states no currency: write it in the currency column "
                        "(USD, MXN, EUR…) or in the amount (150 mdd).",
                    ),
                )
        fx_on = _fx_reference_date(dates[pos], parsed["source_date"][pos], today)
        if currency and currency != "USD" and fx_on is None:
            fx_on = today  # no date to take a rate from: today's, and a flag for review
            row_flags.append("fx_date_assumed")
        currencies.append(currency)
        fx_dates.append(fx_on if currency else None)
        flags.append(row_flags)
    out["currency"] = currencies

    rate_cache: dict[tuple[str, date], tuple[float, date]] = {}
    musd, rate_dates = [], []
    for amount, currency, on in zip(amounts, currencies, fx_dates, strict=True):
        if amount is None or currency is None:
            musd.append(np.nan)
            rate_dates.append(None)
            continue
        if (currency, on) not in rate_cache:
            rate_cache[currency, on] = rates.to_usd(1.0, currency, on)
        rate, rate_date = rate_cache[currency, on]
        musd.append(amount.value * rate / 1e6)
        rate_dates.append(rate_date)
    out["amount_musd"] = musd
    out["fx_rate_date"] = rate_dates
    low, high = PLAUSIBLE_MUSD
    implausible = (out["amount_musd"] < low) | (out["amount_musd"] > high)
    for pos in np.flatnonzero(implausible.to_numpy()):
        flags[pos].append("implausible_amount")
    out["review_flags"] = [";".join(f) for f in flags]
    out["announcement_id"] = _content_ids(out)
    return out


def _fx_reference_date(announced, source_date_text, today: date) -> date | None:
    """The announcement date (midpoint of a month or year), else the source's date if readable."""
    if announced is not None:
        return announced.midpoint
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


def _content_ids(frame: pd.DataFrame) -> list[str]:
    """A stable id from the row's content: the same row gets the same id in every rebuild."""
    ids = []
    for values in frame[ID_FIELDS].itertuples(index=False):
        text = "\x1f".join("" if _blank(v) or v is pd.NA else str(v) for v in values)
        ids.append("A" + hashlib.sha1(text.encode()).hexdigest()[:12])
    return ids
