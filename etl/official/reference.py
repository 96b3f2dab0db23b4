"""Reference data of the official statistics: the 32 states (names as SE and INEGI write them, and
their shapes for the offline map), SE's spellings of origin countries, and short SCIAN names.

Loaded into the warehouse by the build (states, scian_activities); the readers of the releases use
the matchers below to turn SE's labels into keys.
"""

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from etl.cell_text import CellError, normalize
from etl.official.se_origins import SE_ORIGINS
from etl.warehouse import ROOT

if TYPE_CHECKING:  # the build's frames; the readers of releases match without pandas
    import pandas as pd

STATES_GEOJSON = Path("geo") / "mexico_estados_simplificado.geojson"
SCIAN_NAMES = ROOT / "data" / "reference" / "scian_nombres_cortos.csv"
STATE_ABBREVIATIONS = ROOT / "data" / "reference" / "estados_abreviaturas.csv"
NATIONAL = "00"
SLP = "24"

# SE writes the national line as "Total general"; some files write "Nacional" or "Total nacional".
_NATIONAL_LABELS = {"total general", "nacional", "total nacional", "estados unidos mexicanos"}

# Origins SE lists that are not an ISO 3166 country, with the user-assigned codes the warehouse
# gives them (ISO 3166 reserves XA-XZ for such use): SE's "other origin", and Scotland, which SE
# lists apart from the United Kingdom.
SE_OTHER_ORIGIN = "XX"
_SE_NON_ISO = {"otro origen": SE_OTHER_ORIGIN, "otros paises": SE_OTHER_ORIGIN, "escocia": "XS"}
# SE's spellings that CLDR and pycountry do not know (others resolve once SE's ", República de"
# or "(RAE de China)" qualifiers are dropped; see origin_code).
_SE_SPELLINGS = {
    "bahrein": "BH",
    "guyana francesa": "GF",
    "kazajstan": "KZ",
    "nueva zelandia": "NZ",
}


def states_frame(raw_dir: Path) -> "pd.DataFrame":
    """The 32 states: key, official and short names, the usual abbreviation (map labels), simplified
    shape (GeoJSON text), label point."""
    import pandas as pd
    from shapely.geometry import shape  # only a build needs shapely

    from etl.geo import _label_point  # the rule the municipal map's labels follow

    features = json.loads((raw_dir / STATES_GEOJSON).read_text(encoding="utf-8"))["features"]
    rows = []
    for feature in features:
        props = feature["properties"]
        geometry = json.dumps(feature["geometry"], separators=(",", ":"))
        polygon = shape(feature["geometry"])
        largest = max(getattr(polygon, "geoms", [polygon]), key=lambda part: part.area)
        point = _label_point(largest)
        rows.append(
            {
                "cve_ent": props["CVE_ENT"],
                "name": props["NOMGEO"],
                "short_name": props["NOM_CORTO"],
                "geometry": geometry,
                "centroid_lon": point.x,
                "centroid_lat": point.y,
            }
        )
    abbreviations = pd.read_csv(STATE_ABBREVIATIONS, dtype=str)
    return (
        pd.DataFrame(rows)
        .merge(abbreviations, on="cve_ent", how="left", validate="1:1")
        .sort_values("cve_ent", ignore_index=True)
    )


def state_names(raw_dir: Path) -> list[dict[str, str]]:
    """The states' keys and names only (no shapes): what the readers of releases match against."""
    features = json.loads((raw_dir / STATES_GEOJSON).read_text(encoding="utf-8"))["features"]
    return [
        {
            "cve_ent": f["properties"]["CVE_ENT"],
            "name": f["properties"]["NOMGEO"],
            "short_name": f["properties"]["NOM_CORTO"],
        }
        for f in features
    ]


class StateMatcher:
    """SE's and INEGI's ways of writing a state (with or without "de Zaragoza", "Estado de
    México"...) to its two-digit key; "Total general" to the national key 00."""

    def __init__(self, states: list[dict[str, str]]):
        self.names = {state["cve_ent"]: state["short_name"] for state in states}
        index = {}
        for state in states:
            for name in (state["name"], state["short_name"]):
                index[normalize(name)] = state["cve_ent"]
        index["estado de mexico"] = index["mexico"] = "15"
        self.index = index

    def key(self, label, norm: str | None = None) -> str | None:
        """The state's key; norm: the label already normalized (readers cache it)."""
        norm = normalize(label) if norm is None else norm
        if norm in _NATIONAL_LABELS:
            return NATIONAL
        return self.index.get(norm)


# The codes of the labels already matched (SE's labels repeat once per state), starting with those
# of the origins SE lists.
_ORIGIN_CODES: dict[str, str] = {normalize(label): code for label, code in SE_ORIGINS.items()}


def origin_code(label: str) -> str:
    """ISO 3166 alpha-2 of an origin as SE writes it ('China, República Popular de' -> CN,
    'Taiwán (RAE de China)' -> TW, 'Otro origen' -> XX). CellError when it is not a country."""
    norm = normalize(label)
    if norm not in _ORIGIN_CODES:
        _ORIGIN_CODES[norm] = match_origin(label)
    return _ORIGIN_CODES[norm]


def match_origin(label: str) -> str:
    """origin_code by the country matcher (etl.countries), for a label SE_ORIGINS does not know."""
    norm = normalize(label)
    code = _SE_NON_ISO.get(norm) or _SE_SPELLINGS.get(norm)
    if code is None:
        from etl.countries import match_country  # imported, and its index built, only now

        try:
            code = match_country(label)
        except CellError:
            # "Fiyi, República de", "Hong Kong, China", "Taiwán (RAE de China)": the name before
            # SE's qualifier. If that fails too, the first error (the whole label) is the message.
            short = re.sub(r"\s*\(.*?\)", "", str(label)).split(",")[0].strip()
            code = _SE_SPELLINGS.get(normalize(short))
            if code is None:
                code = match_country(short) if short != str(label).strip() else None
            if code is None:
                raise
    return code


def scian_frame() -> "pd.DataFrame":
    """Short display names of SCIAN codes (sectors, subsectors, the ramas of 336), es and en."""
    import pandas as pd

    frame = pd.read_csv(SCIAN_NAMES, dtype=str, keep_default_na=False)
    frame["parent_code"] = frame["code"].map(scian_parent)
    return frame


def scian_level(code: str) -> str:
    """sector (2 digits, '31-33'), subsector (3), rama (4), subrama (5), clase (6)."""
    digits = len(code) if "-" not in code else 2
    return {2: "sector", 3: "subsector", 4: "rama", 5: "subrama", 6: "clase"}.get(digits, "other")


def scian_parent(code: str) -> str | None:
    """The code one level up: '3361' -> '336', '336' -> '31-33', '31-33' -> None."""
    if "-" in code or len(code) <= 2 or code == "000":
        return None
    if len(code) == 3:
        return {"31": "31-33", "32": "31-33", "33": "31-33", "48": "48-49", "49": "48-49"}.get(
            code[:2], code[:2]
        )
    return code[:-1]
