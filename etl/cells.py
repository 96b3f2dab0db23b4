"""The cells of an intake, column by column: coded by distinct value (Coded), or kept as Arrow text
(Texts) for free text where nearly every value differs; and the problems found in them (Problems).

Files of a million rows repeat their countries, municipalities, dates and currencies: work is done
per distinct value and indexed by row, and only rows with a problem are visited one by one.
"""

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.parse import CellError

TEXT = pa.large_string()  # Arrow's text as pandas' "str" columns hold it


def is_blank(value) -> bool:
    return (
        value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""
    )


def nones(rows: int) -> np.ndarray:
    """None in every row, as an object column (what pandas makes of a list of None, but without
    inspecting a million list items)."""
    return np.full(rows, None, dtype=object)


def objects(items: list) -> np.ndarray:
    """A one-dimensional object array of items (tuples stay whole)."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


@dataclass
class Coded:
    """A column as codes into its distinct values: work is done per distinct value, then indexed by
    code. Files of a million rows repeat their countries, municipalities, dates and currencies, so
    this keeps the intake close to the reader's speed."""

    codes: np.ndarray  # per row: the position of its value in values
    values: np.ndarray  # object array, one entry per distinct value
    blank: np.ndarray | None = None  # per distinct value: an empty cell (raw columns only)

    @classmethod
    def of(cls, cells: pd.Series) -> "Coded":
        """Cells that are not only text (numbers, dates), coded by pandas."""
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        blank = np.fromiter(map(is_blank, uniques), dtype=bool, count=len(uniques))
        return cls(codes, np.asarray(uniques, dtype=object), blank)

    @classmethod
    def of_text(cls, text: pa.Array | pa.ChunkedArray) -> "Coded":
        """Arrow text, coded by Arrow (hashed in C++)."""
        whole = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
        encoded = pc.dictionary_encode(whole, null_encoding="encode")
        uniques = encoded.dictionary  # Arrow strips as str.strip does
        blank = pc.or_kleene(pc.is_null(uniques), pc.equal(pc.utf8_trim_whitespace(uniques), ""))
        codes = encoded.indices.to_numpy()  # no nulls: a null cell has its own code
        values = uniques.to_numpy(zero_copy_only=False)
        return cls(codes, values, pc.fill_null(blank, True).to_numpy(zero_copy_only=False))

    @classmethod
    def of_objects(cls, items: np.ndarray) -> "Coded":
        """Python objects (dates, None) coded as they are: None stays None."""
        codes, uniques = pd.factorize(items)  # None gets code -1
        values = objects([*uniques, None])
        return cls(np.where(codes < 0, len(uniques), codes), values)

    @classmethod
    def constant(cls, rows: int, value=None) -> "Coded":
        return cls(np.zeros(rows, dtype=np.intp), objects([value]))

    def take(self, rows: np.ndarray) -> "Coded":
        """The rows at positions rows (ascending, as np.flatnonzero gives them)."""
        if len(rows) == len(self.codes):  # every row kept: no copy (codes are never modified)
            return self
        return Coded(self.codes[rows], self.values, self.blank)

    def blank_rows(self) -> np.ndarray:
        return self.blank[self.codes]

    def value_at(self, pos: int):
        return self.values[self.codes[pos]]

    def coded(self) -> "Coded":
        return self

    def missing_rows(self) -> np.ndarray:
        return self.flags(lambda v: v is None)

    def used(self) -> "Coded":
        """Only the values some row has (after take)."""
        present = np.bincount(self.codes, minlength=len(self.values)) > 0
        kept = np.flatnonzero(present)  # as np.unique(codes) gives them: ascending
        renumber = np.cumsum(present) - 1
        return Coded(renumber[self.codes], self.values[kept])

    def map(self, fn) -> "Coded":
        return Coded(self.codes, objects([fn(v) for v in self.values]))

    def compact(self) -> "Coded":
        """Equal values under one code (after a map that merges values)."""
        index: dict = {}
        inner = np.fromiter(
            (index.setdefault(v, len(index)) for v in self.values), np.intp, len(self.values)
        )
        return Coded(inner[self.codes], objects(list(index)))

    def flags(self, fn) -> np.ndarray:
        """fn(value) for every row, as booleans."""
        per_value = np.fromiter(map(fn, self.values), dtype=bool, count=len(self.values))
        return per_value[self.codes]

    def floats(self) -> np.ndarray:
        """Numbers (None: NaN) for every row."""
        per_value = np.array([np.nan if v is None else v for v in self.values], dtype=float)
        return per_value[self.codes]

    def arrow(self, type_: pa.DataType = TEXT) -> pa.Array:
        """The value of every row as Arrow (None: null), gathered from the distinct values by
        Arrow without a Python object per row; a column of no value at all is of Arrow's null type
        (pandas makes it None throughout)."""
        if all(v is None for v in self.values):
            return pa.nulls(len(self.codes))
        values = pa.array(list(self.values), type=type_)
        return pa.DictionaryArray.from_arrays(self.codes, values).dictionary_decode()

    def arrow_codes(self) -> pa.DictionaryArray:
        """The text as Arrow codes into the distinct values ("" for none), without a copy per row."""
        values = pa.array(["" if v is None else v for v in self.values], pa.string())
        return pa.DictionaryArray.from_arrays(self.codes, values)


@dataclass
class Texts:
    """A free-text column of a CSV (names, URLs, notes) as Arrow text, None where empty. Nearly
    every value differs, so Arrow's string functions check the whole column at once instead of a
    parser per distinct value (Arrow strips the same whitespace as str.strip)."""

    cells: pa.Array

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

    def take(self, rows: np.ndarray) -> "Texts":
        if len(rows) == len(self.cells):  # every row kept (rows are ascending): no copy
            return self
        return Texts(self.cells.take(pa.array(rows)))

    def value_at(self, pos: int):
        return self.cells[int(pos)].as_py()

    def coded(self) -> Coded:
        return Coded.of_objects(self.cells.to_pandas())

    def missing_rows(self) -> np.ndarray:
        return pc.is_null(self.cells).to_numpy(zero_copy_only=False)

    def arrow_codes(self) -> pa.Array:
        return self.cells

    def arrow(self) -> pa.Array:
        if self.cells.null_count == len(self.cells):
            return pa.nulls(len(self.cells))
        return self.cells


def parse_column(column: "Coded | Texts", parser) -> tuple["Coded | Texts", dict]:
    """Apply parser to each distinct value once; the parsed column and its errors by row."""
    if isinstance(column, Texts):
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
    return Coded(column.codes, objects(results)), errors


@dataclass
class Problems:
    """Collects reject records; one per problem cell."""

    records: list[dict] = field(default_factory=list)

    def add(self, row_number: int, column: str, value, error: CellError) -> None:
        self.records.append(
            {
                "row_number": row_number,
                "column": column,
                "value": None if is_blank(value) else str(value),
                "reason": error.es,
                "reason_en": error.en,
            }
        )

    def frame(self) -> pd.DataFrame:
        columns = ["row_number", "column", "value", "reason", "reason_en"]
        return pd.DataFrame(self.records, columns=columns).astype({"row_number": "int64"})
