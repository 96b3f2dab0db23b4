"""INEGI's exports by state (ETEF), IMSS formal jobs and INEGI's DENUE establishments: readers of the
files as their publishers publish them, keeping San Luis Potosí.

- ETEF: INEGI's open-data CSV "eef_trimestral_tr_cifra_2007_AAAA.csv" (all states, every SCIAN
  subsector, VAL_USD in thousands of dollars), the ZIP it comes in, or the shipped SLP extract
  (VAL_USD_miles). One command refreshes it: python -m etl official FILE.
- IMSS: the state series of IMSS's "Histórico - Empleo" dashboard (a crosstab download: year,
  month and one column per state, UTF-16 with tabs or any CSV), or the shipped SLP extract.
- DENUE: the shipped counts of units in the 2015 and 2019 editions and their change (no refresh:
  the two editions are fixed).

Each reader returns an IndicatorRead: the rows kept, the rejects (row, column, value, reason), and
rows read = kept + rejected (rows of other states are counted apart, as skipped).
"""

import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from etl.official.reference import SLP
from etl.official.se_release import REJECT_COLUMNS, quarter_end
from etl.official.se_sheet import MONTHS
from etl.parse import CellError, normalize
from etl.sheets import MAX_FILE_BYTES, FileUnusable, Headers, file_sha256, locate_header, read_grid

ETEF_SHIPPED = Path("exports") / "exportaciones_slp_etef_subsector_trimestral_2022T1_2026T2.csv"
IMSS_SHIPPED = Path("employment") / "imss_puestos_trabajo_slp_mensual_1997_2026.csv"
DENUE_DIR = Path("establishments")
DENUE_FILES = {
    "state": "denue_slp_estado_sector_altas_bajas_2015_2019.csv",
    "municipality_sector": "denue_slp_municipio_sector_altas_bajas_2015_2019.csv",
    "municipality": "denue_slp_municipio_total_altas_bajas_2015_2019.csv",
}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
KINDS = {"exports": "exports_etef", "jobs": "jobs_imss"}  # indicator -> journal kind

ETEF_HEADERS = Headers(
    aliases={
        "year": ("anio", "ano", "year"),
        "months": ("mes",),
        "quarter": ("trimestre",),
        "quarter_number": ("trimestre num",),
        "cve_ent": ("cve ent", "entidad"),
        "scian": ("codigo scian", "scian"),
        "value": ("val usd", "val usd miles"),
        "figure_status": ("estatus cifra",),
        "revision_status": ("estatus",),
    },
    labels={
        "year": ("ANIO", "ANIO"),
        "months": ("MES", "MES"),
        "quarter": ("TRIMESTRE", "TRIMESTRE"),
        "quarter_number": ("trimestre_num", "trimestre_num"),
        "cve_ent": ("CVE_ENT", "CVE_ENT"),
        "scian": ("CODIGO_SCIAN", "CODIGO_SCIAN"),
        "value": ("VAL_USD", "VAL_USD"),
        "figure_status": ("ESTATUS_CIFRA", "ESTATUS_CIFRA"),
        "revision_status": ("ESTATUS", "ESTATUS"),
    },
    required="value",
)
IMSS_HEADERS = Headers(
    aliases={
        "year": ("anio", "ano", "year"),
        "month": ("mes", "month"),
        "month_number": ("mes num",),
        "cve_ent": ("cve ent",),
        "jobs": ("puestos de trabajo afiliados imss", "puestos de trabajo", "puestos"),
        "slp": ("san luis potosi",),
    },
    labels={
        "year": ("Año", "Year"),
        "month": ("Mes", "Month"),
        "month_number": ("mes_num", "mes_num"),
        "cve_ent": ("cve_ent", "cve_ent"),
        "jobs": ("puestos de trabajo", "jobs"),
        "slp": ("San Luis Potosí", "San Luis Potosí"),
    },
    required="month",
)


@dataclass
class IndicatorRead:
    indicator: str  # exports / jobs / establishments
    release_id: str
    cut_off: date | None
    file_name: str
    sha256: str
    frame: pd.DataFrame  # the rows of the indicator's table, less release_id
    rejects: pd.DataFrame  # REJECT_COLUMNS
    rows_read: int
    rows_rejected: int
    skipped: int = 0  # rows of other states, not kept
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected


def _reject(row: int, column: str, value, es: str, en: str) -> dict:
    return {"row_number": row, "column": column, "value": None if value is None else str(value),
            "reason": es, "reason_en": en}  # fmt: skip


def _table(grid: pd.DataFrame, name: str, headers: Headers) -> tuple[pd.DataFrame, int]:
    """The rows under the header as text columns named by field; the header's sheet row."""
    header, fields = locate_header(grid, name, headers)
    body = grid.iloc[header + 1 :]
    frame = pd.DataFrame({f: body.iloc[:, col].astype(object) for f, col in fields.items()})
    frame["row_number"] = np.arange(header + 2, header + 2 + len(body))
    text = frame.drop(columns="row_number").map(lambda v: "" if v is None else str(v).strip())
    frame = frame[(text != "").any(axis=1)]
    return frame, header


# ---------------------------------------------------------------- ETEF


def _etef_csv(path: Path) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    """INEGI's ZIP as downloaded: the data CSV inside it (conjunto_de_datos/eef_*.csv)."""
    if not zipfile.is_zipfile(path):
        return path, None
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist()
                   if m.lower().endswith(".csv") and "eef_" in Path(m).name.lower()]  # fmt: skip
        if not members:
            raise FileUnusable(
                f"{path.name} es un ZIP sin el CSV de datos de la ETEF (eef_trimestral_…csv).",
                f"{path.name} is a ZIP without the ETEF data CSV (eef_trimestral_…csv).",
            )
        folder = tempfile.TemporaryDirectory(prefix="etef-")
        target = Path(folder.name) / Path(members[0]).name
        target.write_bytes(archive.read(members[0]))
        return target, folder


def read_exports(path: Path, max_bytes: int | None = MAX_FILE_BYTES,
                 file_name: str | None = None) -> IndicatorRead:  # fmt: skip
    """INEGI's ETEF CSV (national, or the shipped SLP extract): SLP's rows, values in thousands of
    US dollars as published."""
    path = Path(path)
    file_name = file_name or path.name
    csv_path, folder = _etef_csv(path)
    try:
        grid, _ = read_grid(csv_path, max_bytes=max_bytes)
        table, _ = _table(grid, file_name, ETEF_HEADERS)
    finally:
        if folder is not None:
            folder.cleanup()
    missing = [f for f in ("year", "cve_ent", "scian", "value") if f not in table]
    if missing or not ({"quarter", "quarter_number", "months"} & set(table)):
        raise FileUnusable(
            f"{file_name} no parece la ETEF del INEGI: se esperan las columnas ANIO, TRIMESTRE, "
            "CVE_ENT, CODIGO_SCIAN y VAL_USD.",
            f"{file_name} does not look like INEGI's ETEF: the columns ANIO, TRIMESTRE, CVE_ENT, "
            "CODIGO_SCIAN and VAL_USD are expected.",
        )
    states = table["cve_ent"].map(lambda v: str(v).strip().zfill(2))
    kept = table[states == SLP]
    if kept.empty:
        raise FileUnusable(
            f"{file_name} no trae filas de San Luis Potosí (CVE_ENT 24).",
            f"{file_name} has no rows for San Luis Potosí (CVE_ENT 24).",
        )
    rows, rejects = [], []
    for rec in kept.to_dict("records"):
        row = rec["row_number"]
        try:
            year = int(str(rec["year"]).strip())
            quarter = _etef_quarter(rec)
            code = str(rec["scian"]).strip().zfill(3)
            if not code.isdigit() or len(code) != 3:
                raise CellError(f"«{rec['scian']}» no es un código SCIAN de subsector.",
                                f"'{rec['scian']}' is not a SCIAN subsector code.")  # fmt: skip
            text = str(rec["value"] or "").strip().replace(",", "")
            value = float(text) if text else None
        except (CellError, ValueError) as exc:
            es, en = (
                (exc.es, exc.en)
                if isinstance(exc, CellError)
                else (
                    "No es un año, trimestre o valor válido.",
                    "Not a valid year, quarter or value.",
                )
            )
            rejects.append(_reject(row, "ANIO/TRIMESTRE/VAL_USD", rec.get("value"), es, en))
            continue
        rows.append({
            "cve_ent": SLP, "year": year, "quarter": quarter, "scian_code": code,
            "value_kusd": value,
            "figure_status": str(rec.get("figure_status") or "").strip() or None,
            "revision_status": str(rec.get("revision_status") or "").strip().rstrip(".") or None,
        })  # fmt: skip
    frame = pd.DataFrame(rows)
    with_value = frame.dropna(subset=["value_kusd"])
    last = with_value.sort_values(["year", "quarter"]).iloc[-1]
    year, quarter = int(last["year"]), int(last["quarter"])
    return IndicatorRead(
        "exports", f"exports-{year}T{quarter}", quarter_end(year, quarter), file_name,
        file_sha256(path), frame, pd.DataFrame(rejects, columns=REJECT_COLUMNS), len(kept),
        len(rejects), skipped=len(table) - len(kept),
    )  # fmt: skip


def _etef_quarter(rec: dict) -> int:
    for field_name, parse in (
        ("quarter_number", lambda v: int(float(v))),
        ("quarter", lambda v: ROMAN[str(v).strip().upper()]),
        ("months", lambda v: int(str(v).strip()[-2:]) // 3),
    ):
        value = rec.get(field_name)
        if value not in (None, ""):
            try:
                quarter = parse(value)
            except (KeyError, ValueError):
                continue
            if 1 <= quarter <= 4:
                return quarter
    raise CellError(f"«{rec.get('quarter')}» no es un trimestre (I, II, III, IV).",
                    f"'{rec.get('quarter')}' is not a quarter (I, II, III, IV).")  # fmt: skip


# ---------------------------------------------------------------- IMSS


def read_jobs(path: Path, max_bytes: int | None = MAX_FILE_BYTES,
              file_name: str | None = None) -> IndicatorRead:  # fmt: skip
    """IMSS's monthly formal jobs: SLP's column of the state series (or the shipped extract)."""
    path = Path(path)
    file_name = file_name or path.name
    grid, _ = read_grid(path, max_bytes=max_bytes)
    table, _ = _table(grid, file_name, IMSS_HEADERS)
    if "year" not in table or not ({"slp", "jobs"} & set(table)):
        raise FileUnusable(
            f"{file_name} no parece la serie estatal del IMSS: se espera Año, Mes y una columna "
            "«San Luis Potosí» (o puestos de trabajo y la clave de entidad).",
            f"{file_name} does not look like IMSS's state series: Año, Mes and a 'San Luis "
            "Potosí' column (or jobs and the state key) are expected.",
        )
    skipped = 0
    if "slp" not in table and "cve_ent" in table:
        states = table["cve_ent"].map(lambda v: str(v).strip().zfill(2))
        skipped = int((states != SLP).sum())
        table = table[states == SLP]
    column = "slp" if "slp" in table else "jobs"
    rows, rejects = [], []
    year = None
    for rec in table.to_dict("records"):
        row = rec["row_number"]
        # Tableau's crosstab writes the year once, on the first month of each year.
        year_text = str(rec["year"] or "").strip()
        year = int(float(year_text)) if year_text.replace(".", "").isdigit() else year
        month = _month(rec)
        try:
            jobs = _whole_number(rec[column])
        except CellError as exc:
            rejects.append(_reject(row, "San Luis Potosí", rec[column], exc.es, exc.en))
            continue
        if year is None or month is None or jobs is None:
            rejects.append(_reject(row, "Año/Mes", f"{rec['year']} {rec.get('month')}",
                                   "Falta el año, el mes o el número de puestos.",
                                   "The year, the month or the number of jobs is missing."))  # fmt: skip
            continue
        rows.append({"cve_ent": SLP, "year": year, "month": month, "jobs": jobs})
    frame = pd.DataFrame(rows)
    if frame.empty:
        raise FileUnusable(f"{file_name} no trae ningún mes con puestos de trabajo.",
                           f"{file_name} has no month with a number of jobs.")  # fmt: skip
    last = frame.sort_values(["year", "month"]).iloc[-1]
    year, month = int(last["year"]), int(last["month"])
    cut_off = (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()
    return IndicatorRead(
        "jobs", f"jobs-{year}-{month:02d}", cut_off, file_name, file_sha256(path), frame,
        pd.DataFrame(rejects, columns=REJECT_COLUMNS), len(table), len(rejects), skipped=skipped,
    )  # fmt: skip


def _whole_number(cell) -> int | None:
    """A count as IMSS writes it: 486094, "486,094", "486 094" (None when blank)."""
    text = "" if cell is None else str(cell).strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.0+)?|\d{1,3}(?:[, \u00a0]\d{3})+", text):
        return int(float(re.sub(r"[, \u00a0]", "", text)))
    raise CellError(f"«{text}» no es un número entero de puestos de trabajo.",
                    f"'{text}' is not a whole number of jobs.")  # fmt: skip


def _month(rec: dict) -> int | None:
    number = str(rec.get("month_number") or "").strip()
    if number.replace(".", "").isdigit():
        return int(float(number))
    return MONTHS.get(normalize(rec.get("month")))


# ---------------------------------------------------------------- DENUE


def read_establishments(raw_dir: Path) -> IndicatorRead:
    """The shipped DENUE counts: state by sector, municipality by sector, municipality totals."""
    frames = []
    for level, name in DENUE_FILES.items():
        raw = pd.read_csv(raw_dir / DENUE_DIR / name, dtype={"cve_mun": str, "cve_ent": str,
                                                              "sector": str})  # fmt: skip
        frames.append(
            pd.DataFrame(
                {
                    "cvegeo": raw["cve_ent"].str.zfill(2) if level == "state" else raw["cve_mun"],
                    "sector": raw.get("sector", "00"),
                    "sector_name": raw["sector_nombre_fuente"] if "sector" in raw else "Total",
                    "units_2015": raw["total_2015"].astype("Int64"),
                    "units_2019": raw["total_2019"].astype("Int64"),
                    "births": raw["num_altas"].astype("Int64"),
                    "deaths": raw["num_bajas"].astype("Int64"),
                    "balance": raw["balance"].astype("Int64"),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    import hashlib

    sha = hashlib.sha256(
        "".join(file_sha256(raw_dir / DENUE_DIR / n) for n in DENUE_FILES.values()).encode()
    ).hexdigest()
    return IndicatorRead(
        "establishments", "denue-2015-2019", None, "; ".join(DENUE_FILES.values()), sha, frame,
        pd.DataFrame(columns=REJECT_COLUMNS), len(frame), 0,
    )  # fmt: skip
