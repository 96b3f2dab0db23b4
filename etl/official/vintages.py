"""The older SE vintages the observatory ships, each staged as a release of its own in the shape
of an SE workbook's values (se_release.VALUE_COLUMNS) so that every vintage sits in one table:

- SE's revised series for SLP to 2025Q2 (three CSVs converted from SE's "actualizada" workbooks:
  by type, country and SCIAN activity; cumulative values as SE wrote them, "C" flags restored);
- datos.gob.mx's resource by country of origin, release of mid-2024 (quarterly flows to 2024Q2);
- datos.gob.mx's 2018 release of state totals (quarterly flows 1999Q1-2017Q4);
- Data México's cube of state totals (quarterly flows to 2024Q4, downloaded 2025-10-16).

The datos.gob.mx and Data México files hold flows: their cumulative Jan..quarter values are
computed here (running sums within each year), and the totals of the by-country file are the sum
of its origins; the `derivation` column says so on every such row.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from etl.official.reference import SLP, origin_code, scian_level, scian_parent
from etl.official.se_release import TOTAL_LABEL, quarter_end
from etl.official.se_sheet import TYPE_CODES
from etl.parse import normalize
from etl.sheets import file_sha256

REVISED_DIR = Path("fdi") / "se_revised"
REVISED_FILES = {
    "type": "ied_slp_se_actualizada_tipo_trimestral_acum_2006T1_2025T2.csv",
    "country": "ied_slp_se_actualizada_pais_trimestral_acum_2006T1_2025T2.csv",
    "activity": "ied_slp_se_actualizada_scian_trimestral_acum_2006T1_2025T2.csv",
}
BY_COUNTRY_2024 = Path("fdi") / "ied_slp_por_pais.csv"
TOTALS_2017 = Path("fdi") / "ied_slp_total_trimestral_1999_2017.csv"
DATAMEXICO = Path("fdi") / "ied_slp_datamexico_trimestral_flujos_1999T1_2024T4.csv"


@dataclass
class Vintage:
    """A shipped release: what fdi_releases says of it, and its values."""

    release_id: str
    series: str
    source: str  # se_revised_csv / datos_gob / data_mexico
    cut_off: date
    file_name: str
    sha256: str
    note_es: str
    note_en: str
    values: pd.DataFrame  # VALUE_COLUMNS + derivation


def _stamp(vintage: pd.DataFrame) -> date:
    last = vintage[["year", "quarter"]].drop_duplicates().sort_values(["year", "quarter"]).iloc[-1]
    return quarter_end(int(last["year"]), int(last["quarter"]))


def _combined_sha(paths: list[Path]) -> str:
    """One fingerprint for a release kept in several files: sha256 of their sha256s, in order."""
    import hashlib

    return hashlib.sha256("".join(file_sha256(p) for p in paths).encode()).hexdigest()


def revised_series(raw_dir: Path) -> Vintage:
    """SE's revised ("actualizada") series for SLP, as SE wrote the cumulative values."""
    frames = []
    for dimension, name in REVISED_FILES.items():
        raw = pd.read_csv(raw_dir / REVISED_DIR / name, dtype=str, keep_default_na=False)
        if dimension == "type":
            code = raw["concepto"].map(lambda c: "total" if normalize(c) == "total"
                                       else TYPE_CODES[normalize(c)])  # fmt: skip
            label = raw["concepto"].where(code != "total", TOTAL_LABEL)
            level, parent = code, np.where(code == "total", None, "total")
        elif dimension == "country":
            code = raw["pais_de_origen"].map(origin_code)
            label, level, parent = raw["pais_de_origen"], "country", None
        else:
            code = raw["codigo_scian"].str.strip()
            label, level = raw["actividad"], code.map(scian_level)
            parent = code.map(scian_parent)
        amounts = pd.to_numeric(raw["millones_de_dolares_acumulado"], errors="coerce")
        frames.append(
            pd.DataFrame(
                {
                    "cve_ent": raw["cve_ent"].str.zfill(2),
                    "year": raw["anio"].astype(int),
                    "quarter": raw["trimestre"].astype(int),
                    "dimension": dimension,
                    "code": code,
                    "label": label,
                    "level": level,
                    "parent_code": parent,
                    "cumulative_musd": amounts,
                    "confidential": raw["confidencial_C"].str.strip().str.upper() == "C",
                    "sheet": name,
                    "source_row": np.arange(2, len(raw) + 2),
                    "derivation": None,
                }
            )
        )
    values = pd.concat(frames, ignore_index=True)
    cut_off = _stamp(values)
    paths = [raw_dir / REVISED_DIR / name for name in REVISED_FILES.values()]
    return Vintage(
        f"se-revised-{cut_off.year}T{(cut_off.month - 1) // 3 + 1}",
        "revised",
        "se_revised_csv",
        cut_off,
        "; ".join(REVISED_FILES.values()),
        _combined_sha(paths),
        "Serie actualizada de la SE para San Luis Potosí (por tipo, país y SCIAN), de los "
        "archivos «datos actualizados al 3er trimestre de 2025» (nov. 2025); la copia llega "
        "a 2025 T2.",
        "SE's revised series for San Luis Potosí (by type, country and SCIAN), from the files "
        "'datos actualizados al 3er trimestre de 2025' (Nov 2025); the copy ends in 2025 Q2.",
        values,
    )


def _from_flows(flows: pd.DataFrame, dimension: str, derivation: str) -> pd.DataFrame:
    """Cumulative Jan..quarter values from quarterly flows: a running sum within each year, cut
    at the first missing quarter (a year whose Q2 is missing has no Jan-Jun or later)."""
    flows = flows.sort_values(["code", "year", "quarter"]).reset_index(drop=True)
    grouped = flows.groupby(["code", "year"], sort=False)
    complete = grouped["quarter"].cumcount() + 1 == flows["quarter"]
    cumulative = grouped["flow_musd"].cumsum().where(complete)
    return pd.DataFrame(
        {
            "cve_ent": SLP,
            "year": flows["year"].astype(int),
            "quarter": flows["quarter"].astype(int),
            "dimension": dimension,
            "code": flows["code"],
            "label": flows["label"],
            "level": "total" if dimension == "type" else "country",
            "parent_code": None,
            "cumulative_musd": cumulative,
            "flow_musd": flows["flow_musd"],  # as published
            "confidential": False,
            "sheet": flows["file"],
            "source_row": flows["source_row"],
            "derivation": derivation,
        }
    )


def datos_gob_2024(raw_dir: Path) -> Vintage:
    """datos.gob.mx, IED by country of origin (release of mid-2024): flows by origin; the total
    is their sum (the file has no total line)."""
    path = raw_dir / BY_COUNTRY_2024
    raw = pd.read_csv(path, dtype={"pais_de_origen": str})
    names = raw["pais_de_origen"].str.strip()
    origins = pd.DataFrame(
        {
            "code": names.map({n: origin_code(n) for n in names.unique()}),
            "label": names,
            "year": raw["anio"],
            "quarter": raw["trimestre"],
            "flow_musd": raw["millones_de_dolares"].astype(float),
            "file": path.name,
            "source_row": np.arange(2, len(raw) + 2),
        }
    )
    total = (
        origins.groupby(["year", "quarter"], as_index=False)["flow_musd"].sum()
        .assign(code="total", label=TOTAL_LABEL, file=path.name, source_row=None)
    )  # fmt: skip
    values = pd.concat(
        [_from_flows(total, "type", "total_from_origins"),
         _from_flows(origins, "country", "cumulative_from_flows")],
        ignore_index=True,
    )  # fmt: skip
    return Vintage(
        "datosgob-revised-2024T2",
        "revised",
        "datos_gob",
        _stamp(values),
        path.name,
        file_sha256(path),
        "datos.gob.mx, recurso «ied_entidad_pais_de_origen» (publicación de mediados de 2024): "
        "flujos trimestrales por país; el total es la suma de los orígenes.",
        "datos.gob.mx, resource 'ied_entidad_pais_de_origen' (mid-2024 release): quarterly "
        "flows by country; the total is the sum of the origins.",
        values,
    )


def _totals(path: Path, period: str | tuple[str, str], flow: str) -> pd.DataFrame:
    """State totals of a flows file; period: the year and quarter columns, or one column
    written '1999-Q1'."""
    raw = pd.read_csv(path, dtype=str)
    if isinstance(period, tuple):
        year, quarter = raw[period[0]], raw[period[1]]
    else:
        year, quarter = raw[period].str[:4], raw[period].str[-1]
    return pd.DataFrame(
        {
            "code": "total",
            "label": TOTAL_LABEL,
            "year": year.astype(int),
            "quarter": quarter.astype(int),
            "flow_musd": raw[flow].astype(float),
            "file": path.name,
            "source_row": np.arange(2, len(raw) + 2),
        }
    )


def datos_gob_2017(raw_dir: Path) -> Vintage:
    """datos.gob.mx's 2018 release: SLP's quarterly totals 1999-2017."""
    path = raw_dir / TOTALS_2017
    flows = _totals(path, ("anio", "trimestre"), "millones_de_dolares")
    values = _from_flows(flows, "type", "cumulative_from_flows")
    return Vintage(
        "datosgob-revised-2017T4",
        "revised",
        "datos_gob",
        _stamp(values),
        path.name,
        file_sha256(path),
        "datos.gob.mx, publicación de 2018: flujos trimestrales de San Luis Potosí 1999-2017.",
        "datos.gob.mx, 2018 release: San Luis Potosí's quarterly flows 1999-2017.",
        values,
    )


def data_mexico_2024(raw_dir: Path) -> Vintage:
    """Data México's cube of SE's state flows, as downloaded on 2025-10-16 (to 2024Q4)."""
    path = raw_dir / DATAMEXICO
    flows = _totals(path, "quarter", "investment_musd_flujo_trimestral")
    values = _from_flows(flows, "type", "cumulative_from_flows")
    return Vintage(
        "datamexico-revised-2024T4",
        "revised",
        "data_mexico",
        _stamp(values),
        path.name,
        file_sha256(path),
        "Data México (cubo fdi_2_state_investment de la SE), descargado el 16-oct-2025: flujos "
        "trimestrales de San Luis Potosí 1999-2024.",
        "Data México (SE's cube fdi_2_state_investment), downloaded on 2025-10-16: San Luis "
        "Potosí's quarterly flows 1999-2024.",
        values,
    )


def shipped(raw_dir: Path) -> list[Vintage]:
    return [
        revised_series(raw_dir),
        datos_gob_2024(raw_dir),
        datos_gob_2017(raw_dir),
        data_mexico_2024(raw_dir),
    ]
