"""Reading any spreadsheet a user brings: CSV (encodings, delimiters, ragged lines) or XLSX (sheets,
saved formula values), as a grid of cells; then finding its header row with the caller's vocabulary.

The reader knows no domain: announcements, corrections, official releases and rosters pass their own
Headers. A file that cannot be used at all raises FileUnusable, with the message in both languages.
"""

import codecs
import csv
import functools
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import parse
from etl.files import (  # noqa: F401 (FileUnusable, file_sha256 and sheet_names: read from here too)
    MAX_FILE_BYTES,
    FileUnusable,
    file_sha256,
    read_bytes,
    read_sheet,
    sheet_names,
)

HEADER_SEARCH_ROWS = 30


# ---------------------------------------------------------------- reading


def read_grid(
    path: Path, sheet: str | None = None, max_bytes: int | None = MAX_FILE_BYTES
) -> tuple[pd.DataFrame, str | None]:
    """All cells of the file as a grid (no header yet), and the sheet read (XLSX).

    max_bytes guards uploads and clerks' files; None reads any size (bulk loads, rebuilds that replay
    files already accepted)."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise FileUnusable(f"No existe el archivo {name}.", f"The file {name} does not exist.")
    size = path.stat().st_size
    if size == 0:
        raise FileUnusable(f"El archivo {name} está vacío.", f"The file {name} is empty.")
    if max_bytes is not None and size > max_bytes:
        mb = max_bytes // (1024 * 1024)
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


class _Decoded:
    """The text of a CSV file. UTF-8 text (most files) is checked by Arrow and decoded only as far
    as it is looked at: Arrow reads the bytes themselves, and only the csv module's path (lines of
    different lengths) needs the whole text."""

    def __init__(self, raw: bytes, encoding: str, text: str | None = None):
        self.raw, self.encoding = raw, encoding
        if text is not None:
            self.text = text  # the cached_property's slot

    @functools.cached_property
    def text(self) -> str:
        return self.raw.decode(self.encoding)

    def head(self, chars: int) -> str:
        """text[:chars], decoding no more bytes than those characters can take (4 each)."""
        size = 4 * chars + len(codecs.BOM_UTF8)
        if "text" in self.__dict__ or size >= len(self.raw):
            return self.text[:chars]
        decoder = codecs.getincrementaldecoder(self.encoding)()
        return decoder.decode(self.raw[:size], final=False)[:chars]


def _valid_utf8(raw: bytes) -> bool:
    """Whether raw.decode("utf-8") would succeed, checked by Arrow without building the text
    (several times faster than decoding a file of a million lines)."""
    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        whole.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _decode(raw: bytes, name: str) -> _Decoded:
    """The text of a CSV file, with the encoding it was read with."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _Decoded(raw, "utf-16", raw.decode("utf-16"))
    utf16 = _utf16_without_bom(raw[:65536])
    if utf16:
        try:
            return _Decoded(raw, utf16, raw.decode(utf16))
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: reported as binary below
    if b"\x00" in raw[:65536]:
        raise FileUnusable(
            f"{name} no es un archivo de texto CSV ni un libro XLSX (contiene datos binarios).",
            f"{name} is neither a CSV text file nor an XLSX workbook (it holds binary data).",
        )
    # UTF-8 first (with or without BOM); spreadsheets saved on Windows are cp1252, a superset of
    # Latin-1's printable characters; latin-1 decodes anything as the last resort.
    if _valid_utf8(raw):
        decoded = _Decoded(raw, "utf-8-sig")
    else:
        for encoding in ("cp1252", "latin-1"):
            try:
                decoded = _Decoded(raw, encoding, raw.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
    head = decoded.head(65536)
    controls = sum(ch < " " and ch not in "\r\n\t" for ch in head)
    if controls > 0.01 * len(head):
        raise FileUnusable(
            f"{name} no parece un archivo CSV: contiene caracteres de control.",
            f"{name} does not look like a CSV file: it holds control characters.",
        )
    return decoded


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
    raw, sha256 = read_bytes(path)
    decoded = _decode(raw, path.name)
    sample = "\n".join(_first_lines(decoded, 50))
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    # Tab-separated exports (Excel's "Unicode text", Tableau's crosstabs) write thousands with
    # commas: tabs on most lines mean tabs, however many commas the numbers carry.
    lines = sample.splitlines()
    if lines and sum("\t" in line for line in lines) >= 0.8 * len(lines):
        delimiter = "\t"
    # Arrow reads UTF-8: the file's own bytes when it is UTF-8 (no copy), else the decoded text.
    utf8 = (
        raw.removeprefix(codecs.BOM_UTF8)
        if decoded.encoding == "utf-8-sig"
        else decoded.text.encode()
    )
    grid = _regular_grid(utf8, decoded.head(1 << 20), delimiter)
    if grid is not None:
        counts = grid.shape[1]  # every line as wide as the first
    else:  # lines of different lengths: the csv module reads them one by one, and counts them
        rows = list(csv.reader(io.StringIO(decoded.text, newline=""), delimiter=delimiter))
        if not rows:
            raise FileUnusable(
                f"El archivo {path.name} está vacío.", f"The file {path.name} is empty."
            )
        width = max(len(r) for r in rows)
        grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
        counts = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    # How many fields each line had: a line split by another delimiter, or a value with an unquoted
    # delimiter, shows up as a different count from the header's (see _ragged_rows). One number
    # when every line has as many (pandas deep-copies attrs on every operation: an array of a
    # million counts cost a tenth of a second), else an array, not a list.
    grid.attrs["field_counts"] = counts
    grid.attrs["delimiter"] = delimiter
    grid.attrs["mojibake"] = len(_MOJIBAKE.findall(sample)) >= 2
    grid.attrs["sha256"] = sha256  # of the bytes read: no second read
    return grid


def _first_lines(decoded: _Decoded, n: int) -> list[str]:
    """text.splitlines()[:n] without splitting (or decoding) a whole file of a million lines."""
    size = 1 << 16
    while True:
        head = decoded.head(size)
        lines = head.splitlines()
        if len(lines) > n or len(head) < size:
            return lines[:n]
        size *= 4


def _regular_grid(utf8: bytes, head: str, delimiter: str) -> pd.DataFrame | None:
    """The common case, every line with as many fields as the first, read by Arrow's C++ reader
    (about 20 times faster than the csv module); None when lines differ in length.

    It splits fields, quotes and line breaks as the csv module does; an empty line becomes a row of
    empty cells, which is dropped as a blank row either way.
    """
    from pyarrow import csv as arrow_csv

    first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), None)
    if not first:
        return None
    names = [str(i) for i in range(len(first))]
    try:
        table = arrow_csv.read_csv(
            io.BytesIO(utf8),
            read_options=arrow_csv.ReadOptions(column_names=names),
            parse_options=arrow_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            # Every cell as text, empty cells as "" (the csv module's way): no type guessing.
            # large_string is what pandas' "str" columns hold: no copy into the DataFrame.
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # checked (or encoded from text) before
            ),
        )
    except pa.ArrowInvalid:
        return None
    grid = table.to_pandas()
    grid.columns = range(len(names))  # as the csv path numbers them
    return grid


def _read_xlsx(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str]:
    rows, title, any_formulas = read_sheet(path, sheet)
    width = max((len(r) for r in rows), default=0)
    if not rows or width == 0:
        raise FileUnusable(
            f"La hoja «{title}» de {path.name} está vacía.",
            f"Sheet '{title}' of {path.name} is empty.",
        )
    cells = np.empty((len(rows), width), dtype=object)
    if all(len(row) == width for row in rows):  # as calamine gives them: as wide as the sheet
        cells[:] = rows  # (numpy copies the rows in C, ten times faster than one by one)
    else:
        for r, row in enumerate(rows):
            cells[r, : len(row)] = row
    for c in range(width):
        cells[:, c] = _as_cells(cells[:, c])
    grid = pd.DataFrame(cells, dtype=object, copy=False)
    grid, unsaved = _formulas_without_values(path, title, grid) if any_formulas else (grid, 0)
    grid.attrs["unsaved_formulas"] = unsaved
    return grid, title


# Numbers calamine reads as floats that Excel wrote as whole numbers ("5", not "5.0"); below this
# Excel writes every digit, above it an exponent (read as a float).
_WHOLE_LIMIT = 1e15


def _as_cells(column: np.ndarray) -> np.ndarray:
    """A column of calamine's values as the rest of the intake reads cells: empty cells None, whole
    numbers int, dates as datetimes (Excel has no date type: a date is a day-formatted number).

    Text and numbers (nearly every cell) are converted a column at once; other cells one by one."""
    try:  # a column of text only (most of a workbook): Arrow checks it and finds the empty cells
        empty = pc.equal(pa.array(column, type=pa.large_string()), "")
        column[empty.to_numpy(zero_copy_only=False)] = None
        return column
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    kinds = np.fromiter(map(type, column), dtype=object, count=len(column))
    column[np.equal(kinds, str) & (column == "")] = None
    numbers = np.flatnonzero(np.equal(kinds, float))
    if len(numbers):
        values = column[numbers].astype(float)
        whole = (np.floor(values) == values) & (np.abs(values) < _WHOLE_LIMIT)
        column[numbers[whole]] = values[whole].astype(np.int64)  # as Python ints
    for pos in np.flatnonzero(np.equal(kinds, date)):
        value = column[pos]
        column[pos] = datetime(value.year, value.month, value.day)
    return column


def _formulas_without_values(
    path: Path, title: str, grid: pd.DataFrame
) -> tuple[pd.DataFrame, int]:
    """The grid with the text of formulas that have no saved value; how many there were.

    Formulas are never evaluated. Excel saves each formula's last value, which is what the intake
    reads; a workbook written by a program may hold formulas without values, which would otherwise
    read as blank cells and lose what was written: their text is read instead (and is usually
    rejected with the formula shown). Only workbooks with formulas come here: openpyxl reads them
    (calamine does not give a formula's text).
    """
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    rows, width = grid.shape
    found = []  # (row, column, text)
    try:
        for r, formulas in enumerate(book[title].iter_rows(values_only=True)):
            for c, formula in enumerate(formulas):
                text = formula if isinstance(formula, str) else getattr(formula, "text", None)
                if not (isinstance(text, str) and text.startswith("=")):
                    continue
                if r >= rows or c >= width or grid.iat[r, c] is None:
                    found.append((r, c, text))
    finally:
        book.close()
    if not found:
        return grid, 0
    # calamine's grid ends at the last cell with a value: formulas without one may lie beyond it.
    cells = np.full(
        (max(rows, *(r + 1 for r, _, _ in found)), max(width, *(c + 1 for _, c, _ in found))),
        None,
        dtype=object,
    )
    cells[:rows, :width] = grid.to_numpy(dtype=object)
    for r, c, text in found:
        cells[r, c] = text
    return pd.DataFrame(cells, dtype=object), len(found)


# ---------------------------------------------------------------- header


@dataclass(frozen=True)
class Headers:
    """A domain's header vocabulary, which the reader matches forgivingly (accents, case, spacing).

    aliases: canonical field -> spellings (as parse.normalize writes them); starts: fields whose
    header may be any text beginning with one of these words ("Monto (MDD)" is an amount); labels:
    (es, en) column names for messages; required: the field that a header row must name, with at
    least one more known field.
    """

    aliases: dict[str, tuple[str, ...]]
    labels: dict[str, tuple[str, str]]
    required: str
    starts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def field_of(self, cell) -> str | None:
        """The canonical field a header cell names, or None."""
        norm = parse.normalize(cell)
        if not norm:
            return None
        for field_name, aliases in self.aliases.items():
            if norm in aliases:
                return field_name
        first_word = norm.split()[0]
        for field_name, words in self.starts.items():
            if first_word in words:
                return field_name
        return None


def locate_header(grid: pd.DataFrame, name: str, headers: Headers) -> tuple[int, dict[str, int]]:
    """The first of the top rows that names the required column and at least one more known field."""
    for index in range(min(HEADER_SEARCH_ROWS, len(grid))):
        fields: dict[str, int] = {}
        for col, cell in enumerate(grid.iloc[index]):
            field_name = headers.field_of(cell)
            if field_name is None:
                continue
            if field_name in fields:
                first = grid.iloc[index, fields[field_name]]
                raise FileUnusable(
                    f"En {name}, las columnas «{first}» y «{cell}» parecen ser la misma "
                    f"({headers.labels[field_name][0]}). Renombre o quite una.",
                    f"In {name}, columns '{first}' and '{cell}' look like the same field "
                    f"({headers.labels[field_name][1]}). Rename or remove one.",
                )
            fields[field_name] = col
        if headers.required in fields and len(fields) >= 2:
            return index, fields
    known = ", ".join(sorted({aliases[0] for aliases in headers.aliases.values()}))
    es_name, en_name = headers.labels[headers.required]
    raise FileUnusable(
        f"No se reconocen las columnas de {name}: se necesita al menos «{es_name}» y otra columna "
        f"conocida en las primeras {HEADER_SEARCH_ROWS} filas. Columnas conocidas: {known}.",
        f"The columns of {name} are not recognised: at least '{es_name}' ({en_name}) and one more "
        f"known column are needed in the first {HEADER_SEARCH_ROWS} rows. Known columns: {known}.",
    )


def single_header_row(grid: pd.DataFrame, header_index: int, name: str, headers: Headers) -> None:
    """A second row of headers under the first (a two-level header, merged cells) is refused:
    its parts would be read as data, and the columns under merged cells would be misplaced."""
    if header_index + 1 >= len(grid):
        return
    below = {headers.field_of(cell) for cell in grid.iloc[header_index + 1]} - {None}
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


# ---------------------------------------------------------------- workbooks of several sheets
