"""SE's quarterly workbook of IED by state, "Flujos por entidad federativa", read as SE publishes it.

The workbook has one sheet per breakdown (type of investment, country of origin, SCIAN activity).
Each sheet: a title, a header row "Entidad Federativa / …" with the years (merged over their
quarters) and a row of quarters under it; then, for the national total ("Total general") and each
of the 32 states, the state's line followed by its breakdown lines; at the foot "Fuente: …" and
"Con información al 30 de septiembre de 2025". Values are **cumulative from January** (the
quarter-3 column of a year is Jan–Sep), in millions of current USD; "C" marks a confidential cell.

From one release to the next SE changes the title text, the sheet names (a trailing space), the
years shown and the number of columns: everything here is found by content, not by position. The
series (original, "cifras originalmente publicadas", or revised, "cifras actualizadas") is read
from the title or the file name ("orig", "OR", "actu"), or stated by the user.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from etl.cell_text import CellError, normalize
from etl.files import MAX_FILE_BYTES, FileUnusable, file_sha256, sheet_names
from etl.official.reference import NATIONAL, StateMatcher, origin_code, scian_level, scian_parent
from etl.official.se_sheet import (
    SCIAN_LABEL,
    TYPE_CODES,
    Sheet,
    as_read,
    column_letter,
    dimension_of,
    read_cells,
    read_rows,
    read_sheet,
)

SERIES = ("original", "revised")
SERIES_NAMES = {
    "original": ("cifras originalmente publicadas", "figures as originally published"),
    "revised": ("cifras actualizadas", "revised figures"),
}
DIMENSIONS = ("type", "country", "activity")
DIMENSION_NAMES = {
    "type": ("tipo de inversión", "type of investment"),
    "country": ("país de origen", "country of origin"),
    "activity": ("actividad económica (SCIAN)", "economic activity (SCIAN)"),
}
TOTAL_LABEL = "Total"
VALUE_COLUMNS = ["cve_ent", "year", "quarter", "dimension", "code", "label", "level",
                 "parent_code", "cumulative_musd", "confidential", "sheet", "source_row"]  # fmt: skip
# A release's values are kept as its lines (LINE_COLUMNS, one entry per accepted line) and its
# published cells (CELL_COLUMNS, cell k on line line[k]): the warehouse's long rows are their join,
# made by DuckDB when they are inserted, and pandas is not needed to load a release.
LINE_COLUMNS = ["cve_ent", "dimension", "code", "label", "level", "parent_code", "sheet",
                "source_row"]  # fmt: skip
CELL_COLUMNS = ["line", "year", "quarter", "cumulative_musd", "confidential"]
REJECT_COLUMNS = ["row_number", "column", "value", "reason", "reason_en"]


@dataclass
class Release:
    """One SE workbook as read: what it is (series, cut-off) and its values as published."""

    file_name: str
    sha256: str
    series: str
    series_source: tuple[str, str]  # how the series was known, (es, en)
    cut_off: date  # last day of the last quarter with values
    lines: dict[str, np.ndarray]  # LINE_COLUMNS
    cells: dict[str, np.ndarray]  # CELL_COLUMNS: cumulative values as published
    reject_rows: list[dict]  # REJECT_COLUMNS; row_number is the sheet's row, column "Sheet!C12"
    sheets: dict[str, str]  # dimension -> sheet name as written in the workbook
    rows_read: int
    rows_rejected: int
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected

    @functools.cached_property
    def values(self):
        """VALUE_COLUMNS, one row per published cell (a pandas DataFrame, for readers of it)."""
        import pandas as pd

        at = self.cells["line"]
        columns = {c: self.lines[c][at] for c in LINE_COLUMNS} | self.cells
        # parent_code as object, None where there is none (countries have no parent)
        columns["parent_code"] = pd.Series(columns["parent_code"], dtype=object)
        return pd.DataFrame({c: columns[c] for c in VALUE_COLUMNS})

    @functools.cached_property
    def rejects(self):
        """REJECT_COLUMNS as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.reject_rows, columns=REJECT_COLUMNS)

    def _keys_with_values(self) -> set[str]:
        with_values = np.zeros(len(self.lines["cve_ent"]), dtype=bool)
        with_values[self.cells["line"]] = True
        return set(self.lines["cve_ent"][with_values])

    @property
    def states(self) -> int:
        return len(self._keys_with_values() - {NATIONAL})

    @property
    def national(self) -> bool:
        return NATIONAL in self._keys_with_values()

    def quarters(self) -> list[tuple[int, int]]:
        periods = self.cells["year"] * 4 + self.cells["quarter"] - 1
        first = int(periods.min()) if len(periods) else 0
        present = np.flatnonzero(np.bincount(periods - first)) + first  # in order, once each
        return [(int(p // 4), int(p % 4) + 1) for p in present]


def quarter_end(year: int, quarter: int) -> date:
    month = 3 * quarter
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# ---------------------------------------------------------------- the series


def _series_from_text(text: str) -> str | None:
    norm = normalize(text)
    original = "originalmente publicad" in norm or "cifras originales" in norm
    revised = "actualizad" in norm or "revisad" in norm
    return (
        "original" if original and not revised else "revised" if revised and not original else None
    )


def _series_from_name(file_name: str) -> str | None:
    tokens = set(re.split(r"[^a-z]+", normalize(Path(file_name).stem).replace(" ", "_")))
    original = bool(tokens & {"orig", "or", "original", "originales", "originalmente"})
    revised = bool(tokens & {"actu", "act", "actualizada", "actualizadas", "actualizado", "rev"})
    return (
        "original" if original and not revised else "revised" if revised and not original else None
    )


def _series(file_name: str, titles: list[str], stated: str | None) -> tuple[str, tuple[str, str]]:
    in_title = next(filter(None, map(_series_from_text, titles)), None)
    in_name = _series_from_name(file_name)
    said = [(s, how) for s, how in ((in_title, ("el título", "the title")),
                                    (in_name, ("el nombre del archivo", "the file name"))) if s]  # fmt: skip
    for series, (how_es, how_en) in said:
        if stated and series != stated:
            raise FileUnusable(
                f"{file_name}: {how_es} indica la serie «{pick_es(series)}», pero se indicó "
                f"«{pick_es(stated)}». Revise el archivo o el valor de --series.",
                f"{file_name}: {how_en} says the series is '{pick_en(series)}', but "
                f"'{pick_en(stated)}' was stated. Check the file or the --series value.",
            )
    if len({s for s, _ in said}) > 1:
        raise FileUnusable(
            f"{file_name}: el título y el nombre del archivo indican series distintas; indique "
            "la serie (--series original o --series revised).",
            f"{file_name}: the title and the file name say different series; state the series "
            "(--series original or --series revised).",
        )
    if stated:
        return stated, ("indicada por el usuario", "stated by the user")
    if said:
        series, (how_es, how_en) = said[0]
        return series, (f"según {how_es}", f"from {how_en}")
    raise FileUnusable(
        f"{file_name}: ni el título ni el nombre del archivo dicen si son cifras originalmente "
        "publicadas o actualizadas. Indíquelo: python -m etl official ARCHIVO --series original "
        "(o revised), o elija la serie en el formulario.",
        f"{file_name}: neither the title nor the file name says whether these are original or "
        "revised figures. State it: python -m etl official FILE --series original (or revised), "
        "or choose the series on the form.",
    )


def pick_es(series: str) -> str:
    return SERIES_NAMES[series][0]


def pick_en(series: str) -> str:
    return SERIES_NAMES[series][1]


# ---------------------------------------------------------------- the workbook

EXPECTED = (
    "se esperaba el libro «Flujos por entidad federativa» de la Secretaría de Economía: hojas "
    "con un encabezado «Entidad Federativa / …», los años y sus trimestres en columnas, y una "
    "línea por entidad («Total general» y las 32 entidades) con su desglose por tipo de "
    "inversión, país de origen o actividad SCIAN",
    "expected the Secretaría de Economía's workbook 'Flujos por entidad federativa': sheets with "
    "an 'Entidad Federativa / …' header, the years and their quarters in columns, and a line per "
    "state ('Total general' and the 32 states) broken down by type of investment, country of "
    "origin or SCIAN activity",
)


def _not_a_release(file_name: str, why_es: str, why_en: str) -> FileUnusable:
    return FileUnusable(
        f"{file_name} no es una publicación de IED por entidad de la SE reconocible ({why_es}); "
        f"{EXPECTED[0]}. No se cargó nada.",
        f"{file_name} is not a recognisable SE release of FDI by state ({why_en}); "
        f"{EXPECTED[1]}. Nothing was loaded.",
    )


def read_release(
    path: Path,
    states: StateMatcher,
    series: str | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
    file_name: str | None = None,
) -> Release:
    """Read an SE workbook as published. FileUnusable (nothing loaded) when it is not one, when a
    state is missing, or when its series cannot be told."""
    path = Path(path)
    file_name = file_name or path.name
    if series is not None and series not in SERIES:
        raise ValueError(f"series must be one of {SERIES}, not {series!r}")
    names = sheet_names(path, max_bytes)
    rows = read_rows(path, names)
    read = [s for s in (read_sheet(n, rows.pop(n), states) for n in names) if s is not None]
    by_dimension: dict[str, Sheet] = {}
    for sheet in read:
        sheet.dimension = dimension_of(sheet)
        if sheet.dimension is None:
            continue
        if sheet.dimension in by_dimension:
            first = by_dimension[sheet.dimension].name
            es, en = DIMENSION_NAMES[sheet.dimension]
            raise _not_a_release(
                file_name,
                f"las hojas «{first}» y «{sheet.name}» parecen ambas por {es}",
                f"sheets '{first}' and '{sheet.name}' both look like the breakdown by {en}",
            )
        by_dimension[sheet.dimension] = sheet
    if not by_dimension:
        listed = ", ".join(f"«{n}»" for n in names)
        raise _not_a_release(file_name, f"hojas: {listed}", f"sheets: {listed}")
    _check_states(file_name, by_dimension, states)
    series_name, series_source = _series(file_name, [s.title for s in read], series)

    parts, rejects, rows_read, rows_rejected, notes = [], [], 0, 0, []
    totals = by_dimension.get("type") or next(iter(by_dimension.values()))
    for dimension, sheet in by_dimension.items():
        rows_read += len(sheet.labels)
        lines, items, rejected = [], [], set(sheet.orphans())
        for i in sheet.orphans():
            rejects.append(_reject(sheet, i, None,
                                   "Línea sin entidad: está antes de la primera entidad o sin "
                                   "nombre.", "A line without a state: before the first state "
                                   "or without a label."))  # fmt: skip
        if sheet is totals:
            for i in sheet.blocks():
                lines.append(i)
                items.append(("type", "total", TOTAL_LABEL, "total", None))
        known: dict[str, tuple | CellError] = {}
        for i in sheet.items():
            label = sheet.labels[i]
            if label not in known:
                try:
                    known[label] = (dimension, *_item(dimension, label))
                except CellError as exc:
                    known[label] = exc
            if isinstance(known[label], CellError):
                rejected.add(i)
                rejects.append(_reject(sheet, i, None, known[label].es, known[label].en))
            else:
                lines.append(i)
                items.append(known[label])
        part, bad_cells = _values(sheet, lines, items, rejects)
        parts.append(part)
        rows_rejected += len(rejected | bad_cells)
    release_lines, cells = _together(parts)
    cells, repeated = _drop_repeats(release_lines, cells, rejects)
    rows_rejected += repeated
    # Columns SE left empty (the next quarter's placeholder) have no published cell: they are not
    # quarters of this release.
    last = int((cells["year"] * 4 + cells["quarter"] - 1).max())
    last_year, last_quarter = last // 4, last % 4 + 1
    cut_off = quarter_end(last_year, last_quarter)
    stated = next((s.cut_off_text for s in read if s.cut_off_text), None)
    if stated is None:
        notes.append((
            "El libro no dice «Con información al …»: el corte es el último trimestre con valores.",
            "The workbook has no 'Con información al …' line: the cut-off is the last quarter "
            "with values.",
        ))  # fmt: skip
    elif stated != cut_off:
        notes.append((
            f"El pie dice «con información al {stated:%d/%m/%Y}», pero el último trimestre con "
            f"valores termina el {cut_off:%d/%m/%Y}; el corte es este último.",
            f"The footnote says 'con información al {stated:%d/%m/%Y}', but the last quarter "
            f"with values ends on {cut_off:%d/%m/%Y}; the cut-off is the latter.",
        ))  # fmt: skip
    notes += _consistency_notes(release_lines, cells, by_dimension)
    missing = [d for d in DIMENSIONS if d not in by_dimension]
    if missing:
        es = ", ".join(DIMENSION_NAMES[d][0] for d in missing)
        en = ", ".join(DIMENSION_NAMES[d][1] for d in missing)
        notes.append((f"El libro no trae el desglose por {es}.",
                      f"The workbook has no breakdown by {en}."))  # fmt: skip
    return Release(
        file_name=file_name,
        sha256=file_sha256(path),
        series=series_name,
        series_source=series_source,
        cut_off=cut_off,
        lines=release_lines,
        cells=cells,
        reject_rows=rejects,
        sheets={d: s.name for d, s in by_dimension.items()},
        rows_read=rows_read,
        rows_rejected=rows_rejected,
        notes=notes,
    )


def _check_states(file_name: str, sheets: dict[str, Sheet], states: StateMatcher) -> None:
    """Every recognised sheet has the national line and the 32 states, once each: a sheet cut
    short (or a state spelt beyond recognition) would otherwise load as a smaller country."""
    expected = {NATIONAL, *states.names}
    for sheet in sheets.values():
        keys = [sheet.state_of_line[i] for i in sheet.blocks()]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        missing = sorted(expected - set(keys))
        if not (missing or repeated):
            continue
        names = {NATIONAL: "Total general", **states.names}
        if missing:
            listed = ", ".join(names[k] for k in missing)
            es = f"a la hoja «{sheet.name}» le faltan {len(missing)} de las 33 líneas ({listed})"
            en = f"sheet '{sheet.name}' lacks {len(missing)} of the 33 lines ({listed})"
        else:
            listed = ", ".join(names[k] for k in repeated)
            es = f"en la hoja «{sheet.name}» se repite la línea de {listed}"
            en = f"sheet '{sheet.name}' repeats the line of {listed}"
        raise _not_a_release(file_name, es, en)


def _item(dimension: str, label: str) -> tuple[str, str, str, str | None]:
    """(code, label as SE writes it, level, parent code) of a breakdown line."""
    text = str(label).strip()
    if dimension == "type":
        code = TYPE_CODES.get(normalize(text))
        if code is None:
            known = ", ".join(f"«{k}»" for k in ("Nuevas inversiones", "Reinversión de utilidades",
                                                   "Cuentas entre compañías"))  # fmt: skip
            raise CellError(f"«{text}» no es un tipo de inversión de la SE ({known}).",
                            f"'{text}' is not an SE type of investment ({known}).")  # fmt: skip
        return code, text, code, "total"
    if dimension == "country":
        return origin_code(text), text, "country", None
    found = SCIAN_LABEL.match(text)
    if not found:
        raise CellError(
            f"«{text}» no empieza con un código SCIAN (p. ej. «336 Fabricación de equipo de "
            "transporte»).",
            f"'{text}' does not start with a SCIAN code (e.g. '336 Fabricación de equipo de "
            "transporte').",
        )
    code = found[1]
    return code, found[2], scian_level(code), scian_parent(code)


def _values(sheet: Sheet, lines: list[int], items: list[tuple], rejects: list) -> tuple:
    """The accepted lines (LINE_COLUMNS) and their published cells (CELL_COLUMNS, line: position
    in these lines), and the lines rejected for a cell that is neither a figure nor "C" (each such
    cell is a reject)."""
    amounts, confidential, unreadable = read_cells([sheet.cells[i] for i in lines])
    bad_lines = unreadable.any(axis=1) if len(lines) else np.zeros(0, dtype=bool)
    for li, ci in zip(*np.nonzero(unreadable), strict=True):
        col, year, quarter = sheet.columns[ci]
        value = as_read(sheet.cells[lines[li]][ci])
        rejects.append(_reject(
            sheet, lines[li], col, f"No es una cifra en millones de dólares ni «C» ({year} T{quarter}).",
            f"Not a figure in millions of dollars nor 'C' ({year} Q{quarter}).",
            value=value,
        ))  # fmt: skip
    keep_lines = np.flatnonzero(~bad_lines)
    kept = [lines[i] for i in keep_lines]
    meta = [items[i] for i in keep_lines]
    line_values = {
        "cve_ent": [sheet.owner[i] for i in kept],
        **{k: [m[n] for m in meta] for n, k in enumerate(LINE_COLUMNS[1:6])},
        "sheet": [sheet.name] * len(kept),
        "source_row": [sheet.rows[i] for i in kept],
    }
    amounts, confidential = amounts[keep_lines], confidential[keep_lines]
    # A blank cell is a period SE does not publish for that line (a breakdown that starts later).
    line, column = np.nonzero(~np.isnan(amounts) | confidential)
    cells = {
        "line": line,
        "year": np.array([y for _, y, _ in sheet.columns], dtype=np.int64)[column],
        "quarter": np.array([q for _, _, q in sheet.columns], dtype=np.int64)[column],
        "cumulative_musd": amounts[line, column],
        "confidential": confidential[line, column],
    }
    return (line_values, cells), {lines[i] for i in np.flatnonzero(bad_lines)}


def _together(parts: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """The lines and cells of every sheet, in the order of the sheets."""
    lines = {c: np.array([v for part, _ in parts for v in part[c]], dtype=object)
             for c in LINE_COLUMNS}  # fmt: skip
    lines["source_row"] = lines["source_row"].astype(np.int64)
    offsets = np.cumsum([0, *(len(part["sheet"]) for part, _ in parts)])
    cells = {c: np.concatenate([cells[c] for _, cells in parts]) for c in CELL_COLUMNS}
    cells["line"] = np.concatenate(
        [cells["line"] + offset for (_, cells), offset in zip(parts, offsets, strict=False)]
    ).astype(np.int64)
    return lines, cells


def _drop_repeats(lines: dict, cells: dict, rejects: list) -> tuple[dict, int]:
    """A second line with the same code under the same state (e.g. two spellings SE gives the
    same country) is rejected, naming the first: the warehouse holds one value per key."""
    keys = list(zip(lines["cve_ent"], lines["dimension"], lines["code"], strict=True))
    if len(set(keys)) == len(keys):
        return cells, 0
    key_ids = {k: n for n, k in enumerate(dict.fromkeys(keys))}
    line_key = np.array([key_ids[k] for k in keys], dtype=np.int64)
    cell_key = (line_key[cells["line"]] * 10_000 + cells["year"]) * 4 + cells["quarter"]
    _, first = np.unique(cell_key, return_index=True)
    repeated = np.ones(len(cell_key), dtype=bool)
    repeated[first] = False
    source_row_of = dict(zip(cell_key[first].tolist(),
                             lines["source_row"][cells["line"][first]].tolist(), strict=True))  # fmt: skip
    seen = set()
    for k in np.flatnonzero(repeated):
        line = int(cells["line"][k])
        if line in seen:
            continue
        seen.add(line)
        row, code = int(lines["source_row"][line]), lines["code"][line]
        other = source_row_of[int(cell_key[k])]
        rejects.append({
            "row_number": row, "column": f"{lines['sheet'][line].strip()}!{row}",
            "value": lines["label"][line],
            "reason": f"Repite el código {code} de la fila {other} para la misma entidad.",
            "reason_en": f"Repeats code {code} of row {other} for the same state.",
        })  # fmt: skip
    kept = ~np.isin(cells["line"], list(seen))
    return {c: v[kept] for c, v in cells.items()}, len(seen)


def _reject(sheet: Sheet, line: int, col: int | None, es: str, en: str, value=None) -> dict:
    row = sheet.rows[line]
    label_text = sheet.labels[line]
    return {
        "row_number": row,
        "column": f"{sheet.name.strip()}!{column_letter(sheet.label_col if col is None else col)}{row}",
        "value": label_text if col is None else (None if value is None else str(value)),
        "reason": es,
        "reason_en": en,
    }


def _consistency_notes(lines: dict, cells: dict, sheets: dict[str, Sheet]) -> list[tuple[str, str]]:
    """Where a breakdown's parts add up to more or less than the state's total (the types always
    should; countries and activities fall short where cells are confidential)."""
    if "type" not in sheets:
        return []
    parts, totals = {}, {}
    of_type = (lines["dimension"] == "type")[cells["line"]]
    for line, year, quarter, amount in zip(*(cells[c][of_type].tolist() for c in
                                             ("line", "year", "quarter", "cumulative_musd")),
                                           strict=True):  # fmt: skip
        key = (lines["cve_ent"][line], year, quarter)
        if lines["code"][line] == "total":
            totals[key] = amount
        else:  # a confidential part counts as nothing
            parts[key] = parts.get(key, 0.0) + (0.0 if amount != amount else amount)
    off = sum(abs(total - parts[key]) > 0.05 for key, total in totals.items() if key in parts)
    if not off:
        return []
    return [(
        f"En {off} casos la suma de los tres tipos de inversión no coincide con el total "
        "de la entidad (más de 0.05 MDD).",
        f"In {off} cases the three types of investment do not add up to the state's "
        "total (by more than 0.05 USD M).",
    )]  # fmt: skip


# ---------------------------------------------------------------- flows


def flows_of(key: np.ndarray, year: np.ndarray, quarter: np.ndarray,
             cumulative: np.ndarray) -> np.ndarray:  # fmt: skip
    """Each quarter's flow from cumulative Jan..quarter values, within each year only; key: an
    integer per breakdown line (state, dimension and code), one value per key and quarter.

    Q1 is its own cumulative value; Qn is cum(n) - cum(n-1) of the same year when quarter n-1 is
    there; otherwise (a breakdown that starts mid-year) and next to a confidential cell, no flow.
    Never across years: Q1 of a year is not compared with Q4 of the year before.
    """
    order = period_order(key, year, quarter)
    k, y, q, c = key[order], year[order], quarter[order], cumulative[order]
    follows = np.r_[False, (k[1:] == k[:-1]) & (y[1:] == y[:-1]) & (q[1:] == q[:-1] + 1)]
    previous = np.r_[np.nan, c[:-1]]
    flow = np.empty(len(order))
    flow[order] = np.where(q == 1, c, np.where(follows, c - previous, np.nan))
    return flow


def period_order(key: np.ndarray, year: np.ndarray, quarter: np.ndarray) -> np.ndarray:
    """The positions sorted by key, year and quarter; without sorting when they already are, as an
    SE workbook's cells come (line by line, its years and quarters left to right)."""
    period = (key * 10_000 + year) * 5 + quarter
    if (np.diff(period) > 0).all():
        return np.arange(len(period))
    return np.lexsort((quarter, year, key))


def repeats_a_period(key: np.ndarray, year: np.ndarray, quarter: np.ndarray) -> bool:
    """Whether two values have the same key, year and quarter."""
    period = (key * 10_000 + year) * 5 + quarter
    return not (np.diff(period) > 0).all() and len(np.unique(period)) < len(period)


def quarterly_flows(frame, keys: list[str]):
    """flows_of the rows of a pandas DataFrame: a Series on its index."""
    import pandas as pd

    key = frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    flow = flows_of(key, frame["year"].to_numpy(dtype=np.int64),
                    frame["quarter"].to_numpy(dtype=np.int64),
                    frame["cumulative_musd"].to_numpy(dtype=float))  # fmt: skip
    return pd.Series(flow, index=frame.index)
