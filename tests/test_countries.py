"""The countries dimension and matching of country codes and names."""

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from etl.countries import REGIONS, countries_frame, match_country
from etl.parse import CellError

FDI_BY_COUNTRY = Path(__file__).parents[1] / "data/raw/fdi/ied_slp_por_pais.csv"
ANNOUNCEMENTS = Path(__file__).parents[1] / "data/raw/announcements/slp_announcements.csv"


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return countries_frame()


def test_one_row_per_iso_country(countries):
    assert len(countries) == 249
    assert list(countries.columns) == [
        "iso2",
        "iso3",
        "iso_numeric",
        "name_es",
        "name_en",
        "region",
    ]
    assert countries["iso2"].is_unique and countries["iso3"].is_unique
    assert countries["iso_numeric"].is_unique
    assert countries["iso_numeric"].str.fullmatch(r"\d{3}").all()
    assert countries.notna().all().all()
    assert (countries[["name_es", "name_en"]] != "").all().all()
    assert set(countries["region"]) <= set(REGIONS)


def test_frame_is_a_fresh_copy():
    frame = countries_frame()
    frame.loc[0, "name_es"] = "changed"
    assert countries_frame().loc[0, "name_es"] != "changed"


@pytest.mark.parametrize(
    ("iso2", "name_es", "name_en"),
    [
        ("KR", "Corea del Sur", "South Korea"),
        ("US", "Estados Unidos", "United States"),
        ("TW", "Taiwán", "Taiwan"),
        ("HK", "Hong Kong", "Hong Kong"),
        ("DE", "Alemania", "Germany"),
        ("MX", "México", "Mexico"),
    ],
)
def test_short_common_names(countries, iso2, name_es, name_en):
    row = countries.set_index("iso2").loc[iso2]
    assert (row["name_es"], row["name_en"]) == (name_es, name_en)
    assert countries.set_index("iso2").loc["MX", "iso_numeric"] == "484"


@pytest.mark.parametrize(
    ("iso2s", "region"),
    [
        ("CN JP KR TW IN HK SA TR", "asia"),
        ("DE FR ES CH PL GB RU", "europe"),
        ("US CA", "north_america"),
        ("MX", "mexico"),
        ("BR AR CL CO PR CU", "latin_america"),
        ("ZA EG AU NZ AQ", "other"),
    ],
)
def test_regions(countries, iso2s, region):
    by_code = countries.set_index("iso2")["region"]
    for iso2 in iso2s.split():
        assert by_code[iso2] == region, iso2


def test_region_sizes(countries):
    """M49: 50 Asian countries plus Taiwan, 51 European, 51 in Latin America and the Caribbean
    besides Mexico. A mistyped code in the region lists would shrink these counts."""
    sizes = countries["region"].value_counts().to_dict()
    expected = {"asia": 51, "europe": 51, "latin_america": 51, "north_america": 2, "mexico": 1}
    assert sizes == expected | {"other": 249 - sum(expected.values())}


def test_every_shipped_origin_country_is_known(countries):
    origins = set(pd.read_csv(ANNOUNCEMENTS, dtype=str)["origin_country"].dropna())
    assert origins <= set(countries["iso2"])


def test_every_country_matches_its_own_codes_and_names(countries):
    def without_accents(text: str) -> str:
        return "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )

    for row in countries.itertuples():
        for cell in (row.iso2, row.iso3.lower(), row.name_es, row.name_en):
            assert match_country(cell) == row.iso2, cell
        assert match_country(without_accents(row.name_es).upper()) == row.iso2


@pytest.mark.parametrize(
    ("cell", "iso2"),
    [
        ("EE.UU.", "US"),
        ("EUA", "US"),
        ("USA", "US"),
        ("Estados Unidos", "US"),
        ("Estados Unidos de América", "US"),
        ("Corea", "KR"),
        ("Corea del Sur", "KR"),
        ("South Korea", "KR"),
        ("China", "CN"),
        ("Holanda", "NL"),
        ("Inglaterra", "GB"),
        ("UK", "GB"),
        ("Alemania", "DE"),
        ("Japón", "JP"),
        ("japon", "JP"),
        ("jp", "JP"),
        ("deu", "DE"),
        ("Federal Republic of Germany", "DE"),  # pycountry official name
        ("República Federal de Alemania", "DE"),  # pycountry's Spanish translation
        ("Estados Unidos Mexicanos", "MX"),
        ("NA", "NA"),  # Namibia, not "n/a"
    ],
)
def test_match_country(cell, iso2):
    assert match_country(cell) == iso2


@pytest.mark.parametrize("cell", [None, float("nan"), "", "  ", "-", "n/d"])
def test_match_country_blank(cell):
    assert match_country(cell) is None


def test_every_se_country_name_matches():
    names = set(pd.read_csv(FDI_BY_COUNTRY)["pais_de_origen"]) - {"Otros países"}
    matched = {name: match_country(name) for name in names}
    assert all(matched.values())
    assert len(set(matched.values())) == len(names)
    expected = {
        "China, República Popular de": "CN",
        "Corea, República de": "KR",
        "Reino Unido de la Gran Bretaña e Irlanda del Norte": "GB",
        "Hong Kong": "HK",
        "Taiwán": "TW",
        "Países Bajos": "NL",
        "Federación de Rusia": "RU",
        "Estados Unidos de América": "US",
        "Venezuela, República Bolivariana de": "VE",
    }
    assert {name: matched[name] for name in expected} == expected


def test_otros_paises_is_not_a_country():
    with pytest.raises(CellError) as caught:
        match_country("Otros países")
    assert "Otros países" in caught.value.es and "Otros países" in caught.value.en


def test_unknown_country_suggests_close_names():
    with pytest.raises(CellError) as caught:
        match_country("Frnacia")
    error = caught.value
    assert "Frnacia" in error.es and "Frnacia" in error.en
    assert "Francia" in error.es and "France" in error.en
    assert error.es != error.en
