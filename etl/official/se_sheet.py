"""One sheet of SE's workbook "Flujos por entidad federativa", found by content: the header cell
"Entidad Federativa / …", the year over its quarters, the lines of the national total and the
states with their breakdown, the "Con información al …" footnote; and its cells read as
figures, "C" (confidential) or blanks. se_release puts the sheets of a workbook together.
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path

import numpy as np

from etl.cell_text import CellError, normalize
from etl.files import has_formulas
from etl.official.reference import StateMatcher, origin_code

# The types of investment as SE writes them, and the warehouse's codes.
TYPE_CODES = {
    "nuevas inversiones": "new",
    "reinversion de utilidades": "reinvestment",
    "cuentas entre companias": "intercompany",
}
HEADER_WORDS = "entidad federativa"
FOOT_WORDS = ("fuente", "con informacion", "nota", "notas", "cifras preliminares")
SCIAN_LABEL = re.compile(r"^\s*(\d{2}-\d{2}|\d{2,6})\s+(.+?)\s*$")
MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
CUT_OFF_TEXT = re.compile(r"con informacion al (\d{1,2}) de ([a-z]+) de (\d{4})")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


# ---------------------------------------------------------------- cells


def _year(cell) -> int | None:
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float) and cell == cell and float(cell).is_integer():
        year = int(cell)
    else:
        found = re.fullmatch(r"\s*((?:19|20)\d{2})\s*(?:[*p]|p/|\(p\))?\s*", str(cell).lower())
        if not found:
            return None
        year = int(found[1])
    return year if 1990 <= year <= 2100 else None


def _quarter(cell) -> int | None:
    """1-4 from 1, '1', 'I', 'T1', '1T', 'Q1', 'Trim. 1'."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        return int(cell) if float(cell) in (1.0, 2.0, 3.0, 4.0) else None
    text = normalize(cell).replace(" ", "")
    if text in ROMAN:
        return ROMAN[text]
    found = re.fullmatch(r"(?:t|q|trim|trimestre)?([1-4])(?:t|q|er|o|do|to)?", text)
    return int(found[1]) if found else None


def _value(cell) -> tuple[float | None, bool, bool]:
    """(millions of USD or None, confidential, readable) of one cell that is not a plain number."""
    if cell is None or isinstance(cell, bool):
        return None, False, cell is None
    if isinstance(cell, int | float):
        return (float(cell), False, True) if np.isfinite(cell) else (None, False, cell != cell)
    text = str(cell).strip()
    if not text:
        return None, False, True
    if text.upper() == "C":
        return None, True, True
    try:
        return float(text.replace(",", "")), False, True
    except ValueError:
        return None, False, False


# What calamine gives a number or an empty cell as: read into an array at once.
_PLAIN = {float, int, type(None)}


def read_cells(block: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(amounts, confidential, unreadable) of a block of cells (lines of equal length). Lines of
    plain numbers and blanks (nearly all) are converted at once; only the other cells are looked
    at one by one (True and False read as 1 and 0, as a spreadsheet sums them)."""
    width = len(block[0]) if block else 0
    confidential = np.zeros((len(block), width), dtype=bool)
    unreadable = np.zeros((len(block), width), dtype=bool)
    numbers = []
    for i, line in enumerate(block):
        if not set(map(type, line)) <= _PLAIN:
            line = list(line)
            for j, cell in enumerate(line):
                if type(cell) in _PLAIN:
                    continue
                if isinstance(cell, bool):
                    line[j] = float(cell)
                    continue
                amount, confidential[i, j], readable = _value(cell)
                line[j] = amount
                unreadable[i, j] = not readable
        numbers.append(line)
    amounts = np.array(numbers, dtype=float).reshape(len(block), width)  # None: NaN
    return amounts, confidential, unreadable


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- one sheet


@dataclass
class Sheet:
    name: str
    title: str
    label_col: int
    columns: list[tuple[int, int, int]]  # (grid column, year, quarter)
    rows: list[int]  # sheet row (as a spreadsheet numbers it) of each line
    labels: list[str]
    state_of_line: list[str | None]  # the state's key on a state's own line, else None
    owner: list[str | None]  # the state each line belongs to (None: before the first state)
    cells: list[tuple]  # per line, its cells under the columns, as read
    cut_off_text: date | None
    dimension: str | None = None

    def items(self) -> list[int]:
        """Positions of the breakdown lines (under a state, not a state's own line)."""
        return [i for i, s in enumerate(self.state_of_line) if s is None and self.owner[i]]

    def blocks(self) -> list[int]:
        return [i for i, s in enumerate(self.state_of_line) if s is not None]

    def orphans(self) -> list[int]:
        return [i for i, o in enumerate(self.owner) if o is None]


def read_rows(path: Path, names: list[str]) -> dict[str, list[list]]:
    """Every named sheet's cells from A1, as rows of calamine's values, the workbook opened once.

    A workbook holding formulas, a damaged or an empty sheet go through read_grid, as every
    workbook the intake reads: it reads the text of a formula saved without its value, and names
    what is wrong with the file."""
    from python_calamine import CalamineWorkbook

    stat = path.stat()
    if has_formulas(path.resolve(), stat.st_mtime_ns, stat.st_size):
        return {n: _grid_rows(path, n) for n in names}
    rows = {}
    try:
        book = CalamineWorkbook.from_path(str(path))
        try:
            for name in names:
                rows[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        finally:
            book.close()
    except Exception:
        for name in names:
            _grid_rows(path, name)  # raises FileUnusable, naming the problem
        raise
    for name, sheet_rows in rows.items():
        if not any(sheet_rows):
            _grid_rows(path, name)  # "the sheet is empty"
    return rows


def _grid_rows(path: Path, name: str) -> list[list]:
    from etl.sheets import read_grid  # pandas: imported only for the files that need it

    return read_grid(path, name, max_bytes=None)[0].to_numpy(dtype=object).tolist()


def as_read(cell):
    """A label or heading cell as read_grid gives it to the other readers: whole numbers as int,
    dates as datetimes, empty text as None."""
    if type(cell) is float and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    if type(cell) is date:
        return datetime(cell.year, cell.month, cell.day)
    return None if cell == "" else cell


def _header(rows: list[list]) -> tuple[int, int] | None:
    """(row, column) of the "Entidad Federativa / …" header cell, within the top rows."""
    for r in range(min(40, len(rows))):
        for c, cell in enumerate(rows[r]):
            if isinstance(cell, str) and normalize(cell).startswith(HEADER_WORDS):
                return r, c
    return None


def read_sheet(name: str, rows: list[list], states: StateMatcher) -> Sheet | None:
    """One sheet from its rows (read_rows), or None when it is not a sheet of SE's release."""
    width = max(map(len, rows), default=0)
    rows = [row if len(row) == width else [*row, *[None] * (width - len(row))] for row in rows]
    found = _header(rows)
    if found is None or found[0] + 1 >= len(rows):
        return None
    header_row, label_col = found
    title = " ".join(
        str(cell).strip()
        for r in range(header_row)
        for cell in rows[r]
        if isinstance(cell, str) and cell.strip()
    )
    columns, year = [], None
    for c in range(label_col + 1, width):
        year = _year(as_read(rows[header_row][c])) or year  # written once over its quarters
        quarter = _quarter(as_read(rows[header_row + 1][c]))
        if year is not None and quarter is not None:
            columns.append((c, year, quarter))
    if not columns:
        return None
    value_cols = [c for c, _, _ in columns]
    cells_of = itemgetter(*value_cols) if len(value_cols) > 1 else lambda row: (row[value_cols[0]],)
    lines, labels, state_of_line, owner, cells, cut_off_text, current = (
        [],
        [],
        [],
        [],
        [],
        None,
        None,
    )
    # SE's labels repeat once per state: each text is normalized and looked up once.
    seen: dict[str, tuple[str, bool, str | None]] = {}  # text -> (normalized, foot, state key)
    for r, row in enumerate(rows[header_row + 2 :]):
        label = row[label_col]
        if type(label) is not str:  # a text is its own as_read, but for "" (text "" too)
            label = as_read(label)
        text = str(label).strip() if label is not None else ""
        known = seen.get(text)
        if known is None:
            norm = normalize(text)
            key = states.key(text, norm) if text else None
            known = seen[text] = (norm, norm.startswith(FOOT_WORDS), key)
        norm, foot, key = known
        if foot:
            stamp = CUT_OFF_TEXT.search(norm)
            if stamp and stamp[2] in MONTHS:
                cut_off_text = date(int(stamp[3]), MONTHS[stamp[2]], int(stamp[1]))
            continue
        values = cells_of(row)
        if not text and all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # a blank line
        current = key or current
        lines.append(r)
        labels.append(text)
        state_of_line.append(key)
        owner.append(current if text else None)
        cells.append(values)
    return Sheet(name, title, label_col, columns, [header_row + 3 + r for r in lines], labels,
                  state_of_line, owner, cells, cut_off_text)  # fmt: skip


def dimension_of(sheet: Sheet) -> str | None:
    """What a sheet breaks the states down by, from its lines (SE's sheet names and titles vary)."""
    items = Counter(sheet.labels[i] for i in sheet.items())  # each label once, with its lines
    labels = {normalize(label) for label in items}
    if not labels:
        return None
    if sum(n for label, n in items.items() if SCIAN_LABEL.match(label)) > 0.8 * items.total():
        return "activity"
    if labels <= set(TYPE_CODES) or len(labels & set(TYPE_CODES)) == len(TYPE_CODES):
        return "type"
    countries = 0
    for label in labels:
        try:
            origin_code(label)
            countries += 1
        except CellError:
            pass
    return "country" if countries > 0.5 * len(labels) else None
