"""The meeting pack's periods: the presets (last two full months, the last bimonthly period, …) and
the filters of a period. Light to import: the command line reads the presets before it loads the
pack."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from analytics.filters import Filters


def _month_start(index: int) -> date:
    """First day of the month `index` months after January of year 0."""
    return date(index // 12, index % 12 + 1, 1)


def _months(index: int, count: int) -> tuple[date, date]:
    """From the first day of month `index` to the last day of `count` months later."""
    return _month_start(index), _month_start(index + count) - timedelta(days=1)


def last_full_months(today: date, months: int) -> tuple[date, date]:
    """The `months` whole calendar months before today's month."""
    return _months(today.year * 12 + today.month - 1 - months, months)


def last_bimester(today: date) -> tuple[date, date]:
    """The last closed bimonthly period of the calendar (Jan–Feb, Mar–Apr, …, Nov–Dec)."""
    index = today.year * 12 + today.month - 1
    return _months(index - index % 2 - 2, 2)


def last_quarter(today: date) -> tuple[date, date]:
    index = today.year * 12 + today.month - 1
    return _months(index - index % 3 - 3, 3)


# name: ((es, en) label, today -> (date_from, date_to))
PRESETS: dict[str, tuple[tuple[str, str], Callable[[date], tuple[date, date]]]] = {
    "two_months": (("Últimos dos meses completos", "Last two full months"),
                   lambda today: last_full_months(today, 2)),
    "bimester": (("Último bimestre (ene–feb, mar–abr, …)", "Last bimonthly period (Jan–Feb, …)"),
                 last_bimester),
    "quarter": (("Último trimestre", "Last quarter"), last_quarter),
    "ytd": (("Año en curso", "Year to date"), lambda today: (date(today.year, 1, 1), today)),
    "year": (("Último año completo", "Last full year"),
             lambda today: (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
}  # fmt: skip
DEFAULT_PRESET = "two_months"


def preset_period(name: str, today: date | None = None) -> tuple[date, date]:
    return PRESETS[name][1](today or date.today())


def meeting_filters(date_from: date, date_to: date, base: Filters | None = None) -> Filters:
    """The period (dated announcements only) with the list filters of `base` (the sidebar's)."""
    return replace(base or Filters(), date_from=date_from, date_to=date_to, include_undated=False)
