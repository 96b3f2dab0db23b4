"""Announcement dates: to the day, the month or the year ("2024-03-20", "20/03/2024",
"marzo 2024", "2024"), never in the future nor before the observatory's period.
"""

import calendar
import math
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from babel import Locale

from etl.cell_text import CellError, _shown, is_blank, normalize


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
