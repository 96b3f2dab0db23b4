"""Municipality names as staff write them, matched to INEGI keys.

"Soledad de G. S.", "SLP", "Villa de Reyes, S.L.P.", "Cd. Valles" and "villa de reyes" all resolve; a
name that cannot be resolved with certainty is an error listing the closest candidates, never a guess.
"""

import pandas as pd
from rapidfuzz import process

from etl.parse import CellError, normalize

# Words staff abbreviate. Applied to whole tokens after normalize().
_ABBREVIATIONS = {
    "cd": "ciudad",
    "sta": "santa",
    "sn": "san",
    "gral": "general",
    "stgo": "santiago",
}
# Ways of naming the state after the municipality ("Villa de Reyes, S.L.P.").
_STATE_SUFFIXES = ("s l p", "slp", "san luis potosi", "edo de san luis potosi", "mexico", "mex")
_PREFIXES = ("municipio de ", "mpio de ", "mpio ", "municipio ")
# The capital, as everybody writes it.
_CAPITAL_ALIASES = ("slp", "s l p", "san luis", "san luis potosi capital", "capital")


def _tokens(text: str) -> list[str]:
    words = normalize(text).split()
    return [_ABBREVIATIONS.get(word, word) for word in words]


def _strip_decorations(cell: str) -> str:
    """Drop the state after a comma and a leading 'municipio de'."""
    head, _, tail = str(cell).partition(",")
    text = head if tail and normalize(tail) in _STATE_SUFFIXES else str(cell)
    norm = normalize(text)
    for prefix in _PREFIXES:
        if norm.startswith(prefix):
            return norm[len(prefix) :]
    return norm


def _abbreviation_fits(short: list[str], full: list[str]) -> bool:
    """'soledad de g s' fits 'soledad de graciano sanchez': same words, single letters as initials."""
    if len(short) != len(full):
        return False
    return all(
        s == f or (len(s) == 1 and f.startswith(s)) for s, f in zip(short, full, strict=True)
    )


class MunicipalityMatcher:
    """Resolves a written name to (name as kept, cvegeo).

    `municipalities` has cvegeo, name and name_census; `places` has name and cvegeo (Villa de Pozos:
    kept under its own name, keyed to the municipality whose boundaries still contain it).
    """

    def __init__(self, municipalities: pd.DataFrame, places: pd.DataFrame):
        self._by_name: dict[str, tuple[str, str]] = {}
        for row in municipalities.itertuples():
            for written in (row.name, row.name_census):
                if isinstance(written, str) and written:
                    self._add(written, (row.name, row.cvegeo))
        for row in places.itertuples():
            self._add(row.name, (row.name, row.cvegeo))
        capital = municipalities.loc[municipalities["cvegeo"] == "24028"].iloc[0]
        for alias in _CAPITAL_ALIASES:
            self._add(alias, (capital["name"], capital["cvegeo"]))
        self._official = sorted({name for name, _ in self._by_name.values()})

    def _add(self, written: str, target: tuple[str, str]) -> None:
        key = " ".join(_tokens(written))
        self._by_name[key] = target
        self._by_name.setdefault(key.replace(" ", ""), target)

    def match(self, cell) -> tuple[str, str] | None:
        if cell is None or normalize(cell) == "":
            return None
        key = " ".join(_tokens(_strip_decorations(cell)))
        found = self._by_name.get(key) or self._by_name.get(key.replace(" ", ""))
        if found:
            return found
        short = key.split()
        fits = {
            target
            for name, target in self._by_name.items()
            if _abbreviation_fits(short, name.split())
        }
        prefixed = {
            target for name, target in self._by_name.items() if name.startswith(key + " ") and key
        }
        for candidates in (fits, prefixed):
            if len(candidates) == 1:
                return candidates.pop()
        raise self._unknown(cell)

    def _unknown(self, cell) -> CellError:
        closest = [
            name
            for name, _, _ in process.extract(
                str(cell), self._official, processor=normalize, limit=3
            )
        ]
        listed = ", ".join(closest)
        return CellError(
            es=f"El municipio «{cell}» no está en el catálogo de INEGI de San Luis Potosí. "
            f"¿Quiso decir: {listed}?",
            en=f"The municipality '{cell}' is not in INEGI's catalogue for San Luis Potosí. "
            f"Did you mean: {listed}?",
        )
