"""The figures of an announcement: currencies, amounts ("150 mdd", "1,200,000"), the exchange rate
to USD (ECB reference rates), and numbers of jobs.
"""

import io
import math
import numbers
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, cached_property

import numpy as np
from currency_converter import CURRENCY_FILE

from etl.cell_text import (
    _QUALIFIERS,
    CellError,
    _read_number,
    _shown,
    _single_number,
    _words,
    is_blank,
)

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


# A cell of ASCII digits only, as str.strip() leaves it.
_DIGITS_ONLY = re.compile(r"\s*[0-9]+\s*")


def parse_amount(cell, unit: HeaderUnit | None = None) -> Amount | None:
    """An investment amount in full currency units, from a number or text like "150 mdd".

    A bare number takes the header's unit; a unit written in the cell wins over the header's.
    """
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        raise _not_an_amount(cell)
    header_currency = unit.currency if unit else None
    if isinstance(cell, str) and _DIGITS_ONLY.fullmatch(cell) and Decimal(cell.strip()) > 0:
        # A bare whole number above zero (most cells): what the text path below makes of it.
        multiplier = Decimal(unit.multiplier) if unit else Decimal(1)
        return Amount(float(Decimal(cell.strip()) * multiplier), header_currency)
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


# ---------------------------------------------------------------- exchange rates


class _EcbRates:
    """currency_converter's bundled ECB reference rates (per euro, one column per currency), read by
    Arrow's CSV reader: its own reader parses them line by line in Python, which took longer than
    the conversions themselves. Days are numbered as date.toordinal() does."""

    def __init__(self):
        import pyarrow as pa  # here: loading an SE release needs no Arrow
        from pyarrow import csv as arrow_csv

        with zipfile.ZipFile(CURRENCY_FILE) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
        table = arrow_csv.read_csv(
            io.BytesIO(data),
            convert_options=arrow_csv.ConvertOptions(
                column_types={"Date": pa.string()}, null_values=["", "N/A"]
            ),
        )
        days = np.array(
            [date.fromisoformat(d).toordinal() for d in table["Date"].to_pylist()], np.int64
        )
        # Currency -> (first day, rate on each day from the first to the last; NaN: none published)
        self.series: dict[str, tuple[int, np.ndarray]] = {}
        for name in table.column_names[1:]:
            if not name.strip() or not pa.types.is_floating(table[name].type):
                continue  # the empty column after the trailing comma
            rates = table[name].to_numpy()
            known = ~np.isnan(rates)
            if not known.any():
                continue
            first, last = days[known].min(), days[known].max()
            daily = np.full(last - first + 1, np.nan)
            daily[days[known] - first] = rates[known]
            self.series[name.strip()] = (int(first), daily)
        self.currencies = set(self.series) | {"EUR"}

    def daily(self, currency: str, days: np.ndarray) -> np.ndarray:
        """currency per euro on each of days, within its bounds (1 for the euro; NaN: none
        published that day)."""
        if currency == "EUR":
            return np.ones(len(days))
        first, daily = self.series[currency]
        return daily[days - first]

    def bounds(self, currency: str) -> tuple[int, int]:
        """The first and last day currency has a rate (the euro: those of the whole table)."""
        if currency == "EUR":
            spans = [(first, first + len(daily) - 1) for first, daily in self.series.values()]
            return min(f for f, _ in spans), max(last for _, last in spans)
        first, daily = self.series[currency]
        return first, first + len(daily) - 1

    @cache  # noqa: B019 (one instance per process, see _ecb)
    def last_known(self, currency: str) -> tuple[int, list[int], list[float], list[float]]:
        """For each day from the first that both currency and the dollar have to the last: the
        latest day up to it on which both were published (-1: none yet), and their rates then."""
        first = max(self.bounds(currency)[0], self.bounds("USD")[0])
        last = min(self.bounds(currency)[1], self.bounds("USD")[1])
        days = np.arange(first, last + 1)
        own, dollar = self.daily(currency, days), self.daily("USD", days)
        latest = np.maximum.accumulate(np.where(~np.isnan(own) & ~np.isnan(dollar), days, -1))
        at = np.maximum(latest - first, 0)
        return first, latest.tolist(), own[at].tolist(), dollar[at].tolist()


@cache
def _ecb() -> _EcbRates:
    return _EcbRates()  # once per process


class Rates:
    """ECB reference rates (the table bundled with currency_converter), loaded once, and only when
    a currency other than USD needs them."""

    @cached_property
    def _ecb(self) -> _EcbRates:
        return _ecb()

    def preload(self) -> None:
        """Load the rates now (while waiting for something else), not at their first use."""
        self._ecb  # noqa: B018 (the cached property loads them)

    def to_usd(self, value: float, currency: str, on: date) -> tuple[float, date]:
        """value in currency (full units) -> (USD full units, date of the rate used).

        Weekends and ECB holidays use the closest earlier published rate; dates outside the
        series use its first or last rate, and the returned date shows which. The figure is
        currency_converter's: value / rate of the currency * rate of the dollar (both per euro).
        """
        if currency == "USD":
            return value, on
        if currency not in self._ecb.currencies:
            accepted_es, accepted_en = _accepted_currencies()
            raise CellError(
                f"No hay tipo de cambio para '{currency}'. {accepted_es}.",
                f"There is no exchange rate for '{currency}'. {accepted_en}.",
            )
        first, latest, own, dollar = self._ecb.last_known(currency)
        day = min(max(on.toordinal(), first), first + len(latest) - 1) - first
        if latest[day] < 0:
            raise CellError(
                f"No hay tipo de cambio publicado para {currency} hasta el {on.isoformat()}.",
                f"No exchange rate was published for {currency} up to {on.isoformat()}.",
            )
        return float(value) / own[day] * dollar[day], date.fromordinal(latest[day])


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
