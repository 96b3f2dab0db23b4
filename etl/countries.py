"""The countries dimension (ISO 3166-1 with Spanish/English names and regions) and name matching."""

import gettext
from functools import cache
from typing import TYPE_CHECKING

import pycountry
from babel import Locale
from rapidfuzz import process

from etl.cell_text import CellError, is_blank, normalize

if TYPE_CHECKING:  # matching a country needs no pandas (an official release's load has none)
    import pandas as pd

REGIONS: dict[str, tuple[str, str]] = {
    "asia": ("Asia", "Asia"),
    "europe": ("Europa", "Europe"),
    "north_america": ("Estados Unidos y Canadá", "United States and Canada"),
    "mexico": ("México (inversión nacional)", "Mexico (domestic investment)"),
    "latin_america": ("América Latina y el Caribe", "Latin America and the Caribbean"),
    "other": ("Otras regiones", "Other regions"),
}

# Members by UN M49 (ISO2 codes). Asia is the M49 continent, Middle East included; Europe includes
# Russia. Latin America is M49 region 419 without Mexico, which the observatory shows apart as
# domestic investment. Everything unlisted (Africa, Oceania, Antarctica, and Bermuda, Greenland
# and Saint Pierre and Miquelon, which M49 puts in Northern America) is "other".
_REGION_MEMBERS = {
    "asia": """
        KZ KG TJ TM UZ  CN HK MO KP JP MN KR TW
        BN KH ID LA MY MM PH SG TH TL VN  AF BD BT IN IR MV NP PK LK
        AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE
    """,
    "europe": """
        BY BG CZ HU PL MD RO RU SK UA  AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB
        AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES  AT BE FR DE LI LU MC NL CH
    """,
    "north_america": "US CA",
    "mexico": "MX",
    "latin_america": """
        AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI
        BZ CR SV GT HN NI PA  AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE
    """,
}
_REGION_OF = {iso2: region for region, codes in _REGION_MEMBERS.items() for iso2 in codes.split()}

# CLDR's short names for these carry a "SAR China" qualifier; the dashboard uses the plain names.
_NAME_OVERRIDES = {"HK": ("Hong Kong", "Hong Kong"), "MO": ("Macao", "Macao")}

# Names that neither CLDR nor pycountry spell this way. They win over every other source.
_ALIASES = {
    # Secretaría de Economía spellings in the FDI-by-country tables
    "China, República Popular de": "CN",
    "Reino Unido de la Gran Bretaña e Irlanda del Norte": "GB",
    "Federación de Rusia": "RU",
    # Everyday short forms in the press and in the clerks' sheets
    "EE.UU.": "US", "EEUU": "US", "EUA": "US", "E.U.A.": "US",
    "Corea": "KR", "Korea": "KR", "República de Corea": "KR",
    "Holanda": "NL", "Holland": "NL",
    "Inglaterra": "GB", "England": "GB", "Gran Bretaña": "GB", "Great Britain": "GB", "UK": "GB",
}  # fmt: skip


@cache
def _country_rows() -> tuple[dict, ...]:
    """One record per ISO 3166-1 country, built once."""
    names_es, names_en = Locale("es", "MX").territories, Locale("en").territories
    spanish = _pycountry_spanish()
    rows = []
    for country in pycountry.countries:
        iso2 = country.alpha_2
        name_es, name_en = _NAME_OVERRIDES.get(
            iso2,
            (names_es.get(iso2, spanish.gettext(country.name)), names_en.get(iso2, country.name)),
        )
        rows.append(
            {
                "iso2": iso2,
                "iso3": country.alpha_3,
                "iso_numeric": country.numeric,
                "name_es": name_es,
                "name_en": name_en,
                "region": _REGION_OF.get(iso2, "other"),
            }
        )
    return tuple(rows)


def countries_frame() -> "pd.DataFrame":
    """One row per ISO 3166-1 country: iso2, iso3, iso_numeric, name_es, name_en, region."""
    import pandas as pd

    return pd.DataFrame(list(_country_rows()))  # a new frame each call: callers may change it


@cache
def _pycountry_spanish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])


@cache
def _name_index() -> dict[str, str]:
    """Normalized code or name (Spanish or English, any source) -> ISO2. First source wins."""
    index: dict[str, str] = {}

    def add(name, iso2: str) -> None:
        key = normalize(name)
        if key:
            index.setdefault(key, iso2)

    for row in _country_rows():
        add(row["iso2"], row["iso2"])
        add(row["iso3"], row["iso2"])
    for alias, iso2 in _ALIASES.items():
        add(alias, iso2)
    for row in _country_rows():
        add(row["name_es"], row["iso2"])
        add(row["name_en"], row["iso2"])
    locales = [Locale("es"), Locale("es", "MX"), Locale("en")]
    spanish = _pycountry_spanish()
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                add(name, country.alpha_2)
                add(spanish.gettext(name), country.alpha_2)
        for locale in locales:
            add(locale.territories.get(country.alpha_2), country.alpha_2)
    return index


@cache
def _display_names() -> dict[str, tuple[str, str]]:
    return {row["iso2"]: (row["name_es"], row["name_en"]) for row in _country_rows()}


def match_country(cell) -> str | None:
    """ISO2 code for a country code (ISO2/ISO3) or name in Spanish or English; None when blank."""
    index = _name_index()
    key = normalize(cell)
    if key in index:  # before the blank test: "NA" is Namibia and "SD" Sudan, not "n/a", "s/d"
        return index[key]
    if is_blank(cell):
        return None
    # Suggest up to three countries whose names come closest (codes are too short to compare).
    names = [name for name in index if len(name) > 3]
    suggested: list[str] = []
    for name, _score, _ in process.extract(key, names, limit=20, score_cutoff=60):
        if index[name] not in suggested:
            suggested.append(index[name])
    names_es = [_display_names()[iso2][0] for iso2 in suggested[:3]]
    names_en = [_display_names()[iso2][1] for iso2 in suggested[:3]]
    hint_es = "Escriba el código ISO de 2 letras (p. ej. JP) o el nombre del país."
    hint_en = "Write the 2-letter ISO code (e.g. JP) or the country's name."
    if suggested:
        hint_es = f"¿Quiso decir {_either(names_es, 'o')}? {hint_es}"
        hint_en = f"Did you mean {_either(names_en, 'or')}? {hint_en}"
    text = str(cell).strip()
    raise CellError(
        f"'{text}' no es un país reconocido. {hint_es}",
        f"'{text}' is not a recognised country. {hint_en}",
    )


def _either(names: list[str], word: str) -> str:
    """ "A", "A o B", "A, B o C" """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"
