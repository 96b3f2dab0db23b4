"""Industrial parks: the table `parks` from data/raw/announcements/slp_industrial_parks.csv, and the
forgiving match of the park an announcement names ("Logistik II", "Parque Logistik 2", "WTC 2").

A name matches a park when its distinctive words (without "parque", "industrial", "park", the state's
name; roman numerals as digits) are those of one of the park's names, or a typo away from them. A
name that fits several parks ("Logistik": Logistik I, II or III) is ambiguous and stays unlinked,
with the candidates kept, rather than being guessed.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from rapidfuzz import fuzz, process

from etl.parse import normalize
from etl.places import MunicipalityMatcher

PARKS_CSV = Path("announcements") / "slp_industrial_parks.csv"
GENERIC_WORDS = {"parque", "industrial", "industriales", "park", "de", "del", "la", "el", "los",
                 "san", "luis", "potosi", "slp", "s", "l", "p"}  # fmt: skip
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5"}
FUZZY_SCORE = 88  # token-sort ratio (0-100) for a typo ("Milenium", "Colinas de Sn Luis")
FUZZY_MARGIN = 6  # ... and this far ahead of the next park


def words(text) -> frozenset[str]:
    """The distinctive words of a park name, roman numerals as digits."""
    tokens = (ROMAN.get(w, w) for w in normalize(text).split())
    return frozenset(w for w in tokens if w not in GENERIC_WORDS)


def variants(name: str) -> list[str]:
    """The ways a park's listed name can be written: the whole name, its parts around ' - ', and
    each comma-separated part of its parenthesis ("WTC Industrial II (World Trade Center San Luis
    Potosí, WTC 2)"); a parenthesis about phases is not a name."""
    inside = re.findall(r"\(([^)]*)\)", name)
    outside = re.sub(r"\([^)]*\)", " ", name)
    found = [outside, *outside.split(" - ")]
    for part in inside:
        if not normalize(part).startswith("phase"):
            found += part.split(",")
    return [v for v in found if words(v)]


def slug(name: str) -> str:
    return "-".join(normalize(name).split())


def parks_frame(raw_dir: Path, matcher: MunicipalityMatcher) -> pd.DataFrame:
    """The parks as listed, with an id, the municipality's key, and empty coordinates as numbers."""
    raw = pd.read_csv(raw_dir / PARKS_CSV, dtype=str, keep_default_na=False)
    places = [matcher.match(m) if m.strip() else None for m in raw["municipality"]]
    return pd.DataFrame(
        {
            "park_id": [slug(n.split("(")[0].split(" - ")[-1]) for n in raw["name"]],
            "name": raw["name"],
            "municipality": [p[0] if p else None for p in places],
            "cvegeo": [p[1] if p else None for p in places],
            "operator": raw["operator"].replace("", None),
            "lat": pd.to_numeric(raw["lat"], errors="raise"),
            "lon": pd.to_numeric(raw["lon"], errors="raise"),
            "coordinates_source": raw["lat"]
            .where(raw["lat"] == "", "parks file")
            .replace("", None),
            "source_url": raw["source_url"],
            "note": raw["note"],
        }
    )


@dataclass(frozen=True)
class ParkMatch:
    park_id: str | None
    match: str  # exact / partial / fuzzy / ambiguous / unknown
    candidates: tuple[str, ...] = ()  # park ids a name fits when ambiguous (or the one matched)


class ParkMatcher:
    def __init__(self, parks: pd.DataFrame):
        self._variants = [
            (words(v), row.park_id) for row in parks.itertuples() for v in variants(row.name)
        ]
        self._texts = {" ".join(sorted(w)): pid for w, pid in self._variants}

    def match(self, written) -> ParkMatch:
        found = words(written)
        if not found:
            return ParkMatch(None, "unknown")
        exact = {pid for w, pid in self._variants if w == found}
        if len(exact) == 1:
            return ParkMatch(exact.pop(), "exact")
        if exact:
            return ParkMatch(None, "ambiguous", tuple(sorted(exact)))
        # Fewer words than a park's name ("WTC" for "WTC 2"), or more ("Tres Naciones fase 1").
        wider = {pid for w, pid in self._variants if found < w}
        narrower = {pid for w, pid in self._variants if w < found}
        for fits in (wider, narrower):
            if len(fits) == 1:
                return ParkMatch(next(iter(fits)), "partial")
            if fits:
                return ParkMatch(None, "ambiguous", tuple(sorted(fits)))
        best = process.extract(
            " ".join(sorted(found)), list(self._texts), scorer=fuzz.token_sort_ratio, limit=2
        )
        if best and best[0][1] >= FUZZY_SCORE:
            park_id = self._texts[best[0][0]]
            rivals = [score for text, score, _ in best[1:] if self._texts[text] != park_id]
            if not rivals or best[0][1] - rivals[0] >= FUZZY_MARGIN:
                return ParkMatch(park_id, "fuzzy")
        return ParkMatch(None, "unknown")


def match_frame(written: pd.Series, parks: pd.DataFrame) -> pd.DataFrame:
    """park (as written), park_id, match, candidates: one row per distinct name."""
    matcher = ParkMatcher(parks)
    rows = []
    for name in sorted(set(written.dropna())):
        found = matcher.match(name)
        rows.append((name, found.park_id, found.match, "; ".join(found.candidates) or None))
    return pd.DataFrame(rows, columns=["park", "park_id", "match", "candidates"])


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Derive park_names and announcements.park_id from the announcements' park names."""
    parks = con.execute("SELECT park_id, name FROM parks").df()
    written = con.execute("SELECT DISTINCT park FROM announcements WHERE park IS NOT NULL").df()
    matches = match_frame(written["park"], parks)
    con.execute("DELETE FROM park_names")
    con.register("park_matches", matches)
    try:
        con.execute("INSERT INTO park_names BY NAME SELECT * FROM park_matches")
    finally:
        con.unregister("park_matches")
    con.execute(
        """
        UPDATE announcements a SET park_id = m.park_id
        FROM (SELECT n.park, n.park_id FROM park_names n
              UNION ALL SELECT NULL, NULL) m
        WHERE a.park IS NOT DISTINCT FROM m.park AND a.park_id IS DISTINCT FROM m.park_id
        """
    )
