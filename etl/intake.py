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
from dataclasses import dataclass, field
from datetime import date
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


def _read_csv(path: Path) -> pd.DataFrame:
    text = _decode(path.read_bytes(), path.name)
    sample = "\n".join(text.splitlines()[:50])
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise FileUnusable(f"El archivo {path.name} está vacío.", f"The file {path.name} is empty.")
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


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
    return pd.DataFrame(rows, dtype=object), title


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
    header = grid.iloc[header_index]
    body = grid.iloc[header_index + 1 :]
    body = body[~body.apply(lambda row: all(_blank(v) for v in row), axis=1)]
    if body.empty:
        raise FileUnusable(
            f"{path.name} tiene encabezados pero ninguna fila de datos.",
            f"{path.name} has headers but no data rows.",
        )
    row_numbers = (body.index + 1).to_numpy()  # grid row 0 is spreadsheet row 1
    problems = _Problems()
    column_names = {f: str(header.iloc[c]).strip() for f, c in fields.items()}

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
    )


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
