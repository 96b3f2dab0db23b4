"""Controlled vocabularies (sector, tier, event type, status): a cell matched to a code ignoring
case, accents, word order and plurals, or guessed by similarity and flagged for review.
"""

from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

from etl.cell_text import CellError, _is_empty, _shown, normalize

# Words that join the parts of a name and change nothing ("Eléctrico y electrónico", "Baterías /
# vehículo eléctrico" and "Eléctrico / electrónico" name the same thing in any order).
_JOINING_WORDS = {"y", "e", "o", "u", "de", "del", "la", "las", "el", "los", "para", "and", "or",
                  "of", "the", "for"}  # fmt: skip
# A close match at least this similar (rapidfuzz WRatio, 0-100) is loaded and flagged for review;
# below it, the value is rejected with the closest accepted values.
GUESS_SCORE = 88
# ...and only when the best guess leads the closest other value by this much.
GUESS_MARGIN = 4


def _stem(word: str) -> str:
    """A word without its plural ending, the same for singular and plural ("parques" and "parque",
    "industriales" and "industrial", "hules" and "hule", "electronics")."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e") and word[-2] in "lrndzj":
        word = word[:-1]
    return word


def _loose(text) -> str:
    """The words of a name without joining words or plural endings, in a fixed order."""
    words = {_stem(w) for w in normalize(text).split() if w not in _JOINING_WORDS}
    return " ".join(sorted(words))


@dataclass(frozen=True)
class Guess:
    """A close but uncertain match: loaded with this code, and flagged for review."""

    code: str
    written: str  # the value as the clerk wrote it


class VocabularyError(CellError):
    """A value outside a vocabulary. The message names the closest accepted values; the whole list
    goes once into the report (accepted)."""

    def __init__(self, es: str, en: str, vocabulary: "Vocabulary"):
        super().__init__(es, en)
        self.vocabulary = vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """The accepted values of one field: codes with Spanish/English labels, plus aliases.

    A cell is matched ignoring case, accents and punctuation; then ignoring word order, joining
    words and plurals (certain matches both); then by similarity, which is a guess to review.
    """

    field_es: str
    field_en: str
    codes: dict[str, tuple[str, str]]  # code -> (label_es, label_en)
    aliases: dict[str, str]  # normalize(alias) -> code

    @cached_property
    def _lookup(self) -> dict[str, str]:
        """Normalized code, label or alias -> code, built on first use."""
        lookup = dict(self.aliases)
        for code, labels in self.codes.items():
            for name in (code, *labels):
                lookup[normalize(name)] = code
        return lookup

    @cached_property
    def _loose_lookup(self) -> dict[str, str]:
        """Loose form (_loose) of every name -> code; forms that two codes share are left out."""
        found: dict[str, set[str]] = {}
        for name, code in self._lookup.items():
            found.setdefault(_loose(name), set()).add(code)
        return {key: codes.pop() for key, codes in found.items() if key and len(codes) == 1}

    def _ranked(self, key: str) -> list[tuple[str, float]]:
        """Codes by the similarity of their closest name to key, best first (each code once).
        Names of three letters or fewer ("ev", "t1") are left out: they resemble everything."""
        names = [name for name in self._lookup if len(name) > 3]
        ranked: dict[str, float] = {}
        for name, score, _ in process.extract(key, names, scorer=fuzz.WRatio, limit=None):
            ranked.setdefault(self._lookup[name], score)
        return sorted(ranked.items(), key=lambda item: -item[1])

    def read(self, cell) -> "str | Guess | None":
        """The code a cell names; a Guess when it only resembles one; None when blank. Raises
        VocabularyError for a value that resembles none (naming the three closest)."""
        if _is_empty(cell):  # only truly empty: "n/d" may be a value ("unknown")
            return None
        key = normalize(cell)
        if key in self._lookup:
            return self._lookup[key]
        loose = _loose(key)
        if loose in self._loose_lookup:
            return self._loose_lookup[loose]
        ranked = self._ranked(key)
        if ranked and ranked[0][1] >= GUESS_SCORE:
            runner_up = ranked[1][1] if len(ranked) > 1 else 0
            if ranked[0][1] - runner_up >= GUESS_MARGIN:
                return Guess(ranked[0][0], _shown(cell))
        closest = [code for code, _ in ranked[:3]]
        closest_es = ", ".join(f"«{self.codes[c][0]}»" for c in closest)
        closest_en = ", ".join(f"'{self.codes[c][1]}'" for c in closest)
        raise VocabularyError(
            f"'{_shown(cell)}' no es un valor válido de {self.field_es}. "
            f"Los más parecidos: {closest_es}.",
            f"'{_shown(cell)}' is not a valid {self.field_en}. The closest: {closest_en}.",
            self,
        )

    def parse(self, cell) -> str | None:
        """The code a cell names, guesses included; None when blank. Raises VocabularyError."""
        found = self.read(cell)
        return found.code if isinstance(found, Guess) else found

    def accepted(self) -> tuple[str, str]:
        """Every accepted value, for a report to say once: (es, en)."""
        return (
            f"Valores aceptados de {self.field_es}: "
            + ", ".join(es for es, _ in self.codes.values())
            + ".",
            f"Accepted values of {self.field_en}: "
            + ", ".join(en for _, en in self.codes.values())
            + ".",
        )


def vocabulary(field_es: str, field_en: str, entries: dict) -> Vocabulary:
    """A Vocabulary from code -> (label_es, label_en, [aliases]) (the cluster's are built so too)."""
    codes = {code: (es, en) for code, (es, en, _) in entries.items()}
    aliases = {normalize(a): code for code, (_, _, names) in entries.items() for a in names}
    return Vocabulary(field_es, field_en, codes, aliases)


EVENT_TYPES = vocabulary("tipo de evento", "event type", {
    "new_plant": ("Nueva planta", "New plant", ["planta nueva", "greenfield"]),
    "expansion": ("Expansión", "Expansion", ["ampliación", "ampliacion de planta"]),
    "new_line": ("Nueva línea", "New line", ["nueva línea de producción", "línea nueva"]),
    "relocation": ("Reubicación", "Relocation", ["relocalización", "traslado"]),
    "cancellation": ("Cancelación", "Cancellation", ["cancelado", "cancelada", "cancelled"]),
})  # fmt: skip

STATUSES = vocabulary("estatus", "status", {
    "announced": ("Anunciado", "Announced", ["anunciada", "anuncio"]),
    "under_construction": ("En construcción", "Under construction", ["construcción"]),
    "operating": ("En operación", "Operating", ["operando", "operativa", "operativo",
                                                 "en operaciones", "in operation"]),
    "cancelled": ("Cancelado", "Cancelled", ["cancelada", "canceled"]),
    "unknown": ("Desconocido", "Unknown", ["desconocida", "sin dato", "sin datos", "n/d"]),
})  # fmt: skip

TIERS = vocabulary("nivel de proveeduría", "supplier tier", {
    "OEM": ("Armadora (OEM)", "OEM (vehicle maker)", ["armadora", "fabricante de vehículos"]),
    "Tier 1": ("Tier 1", "Tier 1", ["tier1", "t1", "nivel 1", "proveedor nivel 1"]),
    "Tier 2": ("Tier 2", "Tier 2", ["tier2", "t2", "nivel 2", "proveedor nivel 2"]),
    "Tier 3": ("Tier 3", "Tier 3", ["tier3", "t3", "nivel 3", "proveedor nivel 3"]),
    "services": ("Servicios", "Services", ["servicio", "proveedor de servicios"]),
    "unknown": ("Desconocido", "Unknown", ["desconocida", "sin dato", "n/d"]),
})  # fmt: skip

# Codes are the sector values of the announcements file.
SECTORS = vocabulary("sector", "sector", {
    "OEM vehicle assembly": ("Ensamble de vehículos (OEM)", "OEM vehicle assembly",
                             ["ensamble de vehículos", "ensamble", "armadora", "vehicle assembly"]),
    "automotive components (unspecified)": ("Autopartes (sin especificar)",
                                            "Automotive components (unspecified)",
                                            ["autopartes", "componentes automotrices",
                                             "auto parts", "automotive components"]),
    "powertrain": ("Tren motriz", "Powertrain", ["motores", "transmisiones", "propulsión",
                                                  "engines", "transmissions"]),
    "battery/EV": ("Baterías y vehículo eléctrico", "Battery/EV",
                   ["baterías", "vehículo eléctrico", "vehículos eléctricos", "electromovilidad",
                    "battery", "batteries", "ev", "electric vehicles"]),
    "electrical/electronics": ("Eléctrico y electrónico", "Electrical/electronics",
                               ["eléctrico", "electrónica", "electrónicos", "arneses",
                                "electronics", "wiring harness"]),
    "metal casting": ("Fundición de metales", "Metal casting",
                      ["fundición", "fundición a presión", "casting", "die casting"]),
    "metal stamping": ("Estampado de metal", "Metal stamping",
                       ["estampado", "troquelado", "stamping"]),
    "materials processing (blanking)": ("Procesamiento de materiales (corte de lámina)",
                                        "Materials processing (blanking)",
                                        ["corte de lámina", "procesamiento de acero", "blanking",
                                         "procesamiento de materiales",
                                         "materials processing"]),
    "machined metal & plastic parts": ("Piezas maquinadas de metal y plástico",
                                       "Machined metal & plastic parts",
                                       ["maquinados", "piezas maquinadas", "machined parts"]),
    "plastics": ("Plásticos", "Plastics", ["plástico", "inyección de plástico", "plastic"]),
    "tires/rubber": ("Llantas y hule", "Tires/rubber", ["llantas", "neumáticos", "hule", "tires",
                                                        "tyres", "rubber"]),
    "seating/interiors": ("Asientos e interiores", "Seating/interiors",
                          ["asientos", "interiores", "seating", "interiors"]),
    "brakes/chassis": ("Frenos y chasis", "Brakes/chassis", ["frenos", "chasis", "suspensión",
                                                            "brakes", "chassis"]),
    "steering": ("Sistemas de dirección", "Steering", ["dirección", "steering systems"]),
    "wheels": ("Rines", "Wheels", ["ruedas", "rin", "wheel"]),
    "lighting": ("Iluminación", "Lighting", ["faros", "lámparas", "iluminación automotriz"]),
    "thermal systems": ("Sistemas térmicos", "Thermal systems",
                        ["climatización", "aire acondicionado", "hvac"]),
    "lubricants/chemicals": ("Lubricantes y químicos", "Lubricants/chemicals",
                             ["lubricantes", "químicos", "lubricants", "chemicals"]),
    "machinery/equipment": ("Maquinaria y equipo", "Machinery/equipment",
                            ["maquinaria", "equipo", "machinery", "equipment"]),
    "logistics/industrial park": ("Logística y parques industriales",
                                  "Logistics/industrial park",
                                  ["logística", "parque industrial", "naves industriales",
                                   "logistics", "industrial park"]),
})  # fmt: skip
