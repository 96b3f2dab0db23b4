"""Staging: each official source read, renamed and cast 1:1 into its warehouse table's columns.

Pure functions of a file path; the build writes what they return. Facts are never edited here.
"""

from pathlib import Path

import pandas as pd

from etl.countries import match_country

# The release each shipped file comes from (see data/SOURCES.md), named by its last quarter.
FDI_VINTAGE = "2024-Q2"
FDI_HISTORY_VINTAGE = "2017-Q4"
OTHER_COUNTRIES = "Otros países"


def stage_fdi_by_country(path: Path) -> pd.DataFrame:
    """SE quarterly IED into SLP by country of origin; 'Otros países' keeps a null iso2."""
    raw = pd.read_csv(path, dtype={"pais_de_origen": str})
    names = raw["pais_de_origen"].str.strip()
    iso2 = {
        name: None if name == OTHER_COUNTRIES else match_country(name) for name in names.unique()
    }
    return pd.DataFrame(
        {
            "year": raw["anio"].astype("int32"),
            "quarter": raw["trimestre"].astype("int32"),
            "country_name": names,
            "iso2": names.map(iso2),
            "amount_musd": raw["millones_de_dolares"].astype(float),
            "vintage": FDI_VINTAGE,
        }
    )


def stage_fdi_by_sector(path: Path) -> pd.DataFrame:
    """SE yearly IED into SLP by SCIAN sector.

    The published aggregation counted confidential cells ("C") as 0, so an exact 0 cannot be told
    apart from a real zero: it is stored as null (not published) rather than as a fact of no flow.
    """
    raw = pd.read_csv(path, dtype={"sector_scian": str, "cve_ent": str})
    last_year = int(raw["anio"].max())
    return pd.DataFrame(
        {
            "year": raw["anio"].astype("int32"),
            "scian_sector": raw["sector_scian"].str.strip(),
            "sector_name": raw["sector_nombre"].str.strip(),
            "amount_musd": raw["valor_mdd"].astype(float).where(raw["valor_mdd"] != 0),
            # The release ends in Q2 of its last year.
            "is_partial_year": raw["anio"] == last_year,
            "vintage": FDI_VINTAGE,
        }
    )


def stage_fdi_state_total(path: Path) -> pd.DataFrame:
    """SE quarterly state total from the 2018 release, the only source for 1999–2005."""
    raw = pd.read_csv(path)
    return pd.DataFrame(
        {
            "year": raw["anio"].astype("int32"),
            "quarter": raw["trimestre"].astype("int32"),
            "amount_musd": raw["millones_de_dolares"].astype(float),
            "vintage": FDI_HISTORY_VINTAGE,
        }
    )


def places_frame() -> pd.DataFrame:
    """Places announcements name that the 2023 geostatistical frame does not have."""
    return pd.DataFrame(
        [
            {
                "name": "Villa de Pozos",
                "cvegeo": "24028",
                "note_es": (
                    "Villa de Pozos se creó en 2024 con territorio de San Luis Potosí; los límites "
                    "municipales (INEGI 2023) y el censo 2020 aún lo cuentan dentro de San Luis Potosí "
                    "(24028)."
                ),
                "note_en": (
                    "Villa de Pozos was created in 2024 out of San Luis Potosí; the municipal "
                    "boundaries (INEGI 2023) and the 2020 census still count it within San Luis "
                    "Potosí (24028)."
                ),
            }
        ]
    )
