"""Files the official-statistics tests bring: SE workbooks rebuilt from the shipped release's cells
(with the layout changed as SE changes it between releases), and national-format ETEF and IMSS
files made of the shipped SLP rows plus clearly synthetic rows for the other states (seeded)."""

import csv
import io
import random
from pathlib import Path

import numpy as np
import openpyxl

from etl.sheets import read_grid
from etl.warehouse import DEFAULT_RAW

SHIPPED_RELEASE = (
    DEFAULT_RAW
    / "fdi"
    / "se_original_releases"
    / "2025_3T_Flujosporentidadfederativa_orig__11_A1.xlsx"
)
ETEF_SHIPPED = (
    DEFAULT_RAW / "exports" / "exportaciones_slp_etef_subsector_trimestral_2022T1_2026T2.csv"
)
IMSS_SHIPPED = DEFAULT_RAW / "employment" / "imss_puestos_trabajo_slp_mensual_1997_2026.csv"
SEED = 20261203
TYPE_SHEET_NAME = "Tipo de inversión"


def workbook_value(sheet: str, state: str, year: int, quarter: int) -> float:
    """A state's line in the shipped workbook, read straight from the cells with openpyxl."""
    book = openpyxl.load_workbook(SHIPPED_RELEASE, read_only=True, data_only=True)
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    book.close()
    header = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Entidad Federativa"))
    years, current = {}, None
    for c, (y, q) in enumerate(zip(rows[header], rows[header + 1], strict=True)):
        current = y or current
        years[(current, q)] = c
    line = next(r for r in rows if str(r[0]).strip() == state)
    return line[years[(year, quarter)]]


def workbook_value_under(sheet: str, state: str, label: str, year: int, quarter: int) -> float:
    book = openpyxl.load_workbook(SHIPPED_RELEASE, read_only=True, data_only=True)
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    book.close()
    start = sheet_row(rows, state)
    line = rows[sheet_row(rows, label, after=start)]
    header = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Entidad Federativa"))
    current, col = None, None
    for c, (y, q) in enumerate(zip(rows[header], rows[header + 1], strict=True)):
        current = y or current
        if (current, q) == (year, quarter):
            col = c
    return line[col]


def shipped_sheets() -> dict[str, list[list]]:
    """Every sheet of the shipped release as rows of cell values, by sheet name."""
    book = openpyxl.load_workbook(SHIPPED_RELEASE, read_only=True)
    names = book.sheetnames
    book.close()
    sheets = {}
    for name in names:
        grid, _ = read_grid(SHIPPED_RELEASE, name)
        sheets[name] = [[None if v != v else v for v in row] for row in grid.to_numpy().tolist()]
    return sheets


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def sheet_row(rows: list[list], label: str, after: int = 0) -> int:
    """Index of the first row at or after `after` whose first cell is label."""
    return next(i for i, r in enumerate(rows) if i >= after and str(r[0]).strip() == label)


def add_quarter(rows: list[list], year: int, quarter: int, values: dict[int, float]) -> None:
    """A new column at the end of the header's years: year over it, quarter under it, and the
    given values by row index (other rows blank)."""
    header = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Entidad Federativa"))
    width = max(len(r) for r in rows)
    last = max(c for c in range(width) if rows[header + 1][c] is not None) + 1
    for i, row in enumerate(rows):
        row.extend([None] * (last + 1 - len(row)))
        row[last] = year if i == header else quarter if i == header + 1 else values.get(i)


def next_release(sheets, tmp_path, name="2025_4T_Flujos_EF_OR__11_A.xlsx"):
    """The next quarter's release as SE changes it: one more quarter column (2025 Q4, the types
    only), the type sheet renamed with a trailing space, another title. Values are SYNTHETIC."""
    rows = [list(r) for r in sheets["Tipo de inversión"]]
    rows[0][0] = "Inversión Extranjera Directa (IED) por entidad federativa y tipo de inversión"
    rng = np.random.default_rng(7)
    values = {}
    for i, row in enumerate(rows):
        if isinstance(row[31], float | int):
            values[i] = float(row[31]) + float(rng.uniform(-20, 60))
    add_quarter(rows, 2025, 4, values)
    rows[-1][0] = "Con información al 31 de diciembre de 2025"
    path = tmp_path / name
    write_workbook(path, {"Tipo de inversión ": rows, "Origen": sheets["Origen"]})
    return path, values


# ---------------------------------------------------------------- ETEF and IMSS, national format

ETEF_COLUMNS = ["PROD_EST", "COBERTURA", "ANIO", "MES", "TRIMESTRE", "CVEGEO", "CVE_ENT",
                "CODIGO_SCIAN", "VAL_USD", "ESTATUS_CIFRA", "ESTATUS"]  # fmt: skip
PROD_EST = "Exportaciones Trimestrales por Entidad Federativa. Entidad y Subsector"


def national_etef(path: Path) -> Path:
    """INEGI's national CSV layout: SLP's shipped rows as published, and for the 31 other states
    SYNTHETIC values (seeded), in the publisher's state order."""
    rng = random.Random(SEED)
    with open(ETEF_SHIPPED, encoding="utf-8", newline="") as f:
        slp = list(csv.DictReader(f))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ETEF_COLUMNS)
    for state in range(1, 33):
        cve = f"{state:02d}"
        for r in slp:
            value = r["VAL_USD_miles"] if cve == "24" else str(rng.randint(0, 900_000))
            writer.writerow([PROD_EST, "Estatal", r["ANIO"], r["MES"], r["TRIMESTRE"], cve, cve,
                             r["CODIGO_SCIAN"], value, r["ESTATUS_CIFRA"] if cve == "24"
                             else "Disponible", r["ESTATUS"]])  # fmt: skip
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


IMSS_STATES = ["Aguascalientes", "Baja California", "Baja California Sur", "Campeche", "Chiapas",
               "Chihuahua", "Ciudad de México", "Coahuila de Zaragoza", "Colima", "Durango",
               "Guanajuato", "Guerrero", "Hidalgo", "Jalisco", "México", "Michoacán de Ocampo",
               "Morelos", "Nayarit", "Nuevo León", "Oaxaca", "Puebla", "Querétaro", "Quintana Roo",
               "San Luis Potosí", "Sinaloa", "Sonora", "Tabasco", "Tamaulipas", "Tlaxcala",
               "Veracruz de Ignacio de la Llave", "Yucatán", "Zacatecas"]  # fmt: skip


def imss_state_series(path: Path) -> Path:
    """IMSS's "Histórico - Empleo" crosstab as downloaded: UTF-16, tab-separated, a title line,
    the year written on the first month of each year only, thousands with commas. SLP's column is
    the shipped series; the other states are SYNTHETIC (seeded)."""
    rng = random.Random(SEED)
    with open(IMSS_SHIPPED, encoding="utf-8", newline="") as f:
        slp = list(csv.DictReader(f))
    lines = ["Puestos de trabajo afiliados al IMSS por entidad (SINTÉTICO salvo San Luis Potosí)",
             "\t".join(["Año", "Mes", *IMSS_STATES])]  # fmt: skip
    previous_year = None
    for r in slp:
        year = r["anio"] if r["anio"] != previous_year else ""
        previous_year = r["anio"]
        cells = [f"{int(r['puestos_de_trabajo_afiliados_imss']):,}" if s == "San Luis Potosí"
                 else f"{rng.randint(50_000, 3_000_000):,}" for s in IMSS_STATES]  # fmt: skip
        lines.append("\t".join([year, r["mes"], *cells]))
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-16"))
    return path
