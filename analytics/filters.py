"""The shared filters: one immutable value, its SQL (bound parameters only) and its URL form."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

# URL query-parameter names (Spanish: the URLs are shared among Spanish-speaking staff).
URL_KEYS = {
    "date_from": "desde",
    "date_to": "hasta",
    "include_undated": "sin_fecha",
    "regions": "region",
    "countries": "pais",
    "sectors": "sector",
    "tiers": "tier",
    "places": "municipio",
    "event_types": "evento",
    "statuses": "estatus",
}
LIST_FIELDS = ("regions", "countries", "sectors", "tiers", "places", "event_types", "statuses")
# Column each list filter constrains, in the FILTERED_ANNOUNCEMENTS relation below.
LIST_COLUMNS = {
    "regions": "region",
    "countries": "origin_iso2",
    "sectors": "sector",
    "tiers": "tier",
    "places": "municipality",
    "event_types": "event_type",
    "statuses": "status",
}
# The active announcements (withdrawn and merged rows never count) with their country's region:
# what every filter applies to.
FILTERED_ANNOUNCEMENTS = """
    SELECT a.*, coalesce(c.region, 'unknown') AS region
    FROM active_announcements a LEFT JOIN countries c ON c.iso2 = a.origin_iso2
"""


@dataclass(frozen=True)
class Filters:
    """An announcement is in the period when its whole stated date (day, month or year) is inside.

    Undated announcements are included only when include_undated is set; comparisons between
    periods use dated ones only.
    """

    date_from: date | None = None
    date_to: date | None = None
    include_undated: bool = True
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def where(self) -> tuple[str, dict]:
        """SQL condition over FILTERED_ANNOUNCEMENTS columns, with its bound parameters."""
        clauses, params = [], {}
        if self.date_from or self.date_to:
            params["date_from"] = self.date_from or date.min
            params["date_to"] = self.date_to or date.max
            dated = "(announced_date >= $date_from AND announced_until <= $date_to)"
            undated = " OR announced_date IS NULL" if self.include_undated else ""
            clauses.append(f"({dated}{undated})")
        elif not self.include_undated:
            clauses.append("announced_date IS NOT NULL")
        for name in LIST_FIELDS:
            values = getattr(self, name)
            if values:
                params[name] = list(values)
                clauses.append(f"list_contains(${name}, {LIST_COLUMNS[name]})")
        return (" AND ".join(clauses) or "TRUE"), params

    def previous_period(self) -> "Filters | None":
        """The period of the same length just before this one (dated announcements only).

        Whole months shift by months (2019–2024 compares with 2013–2018; a bimonthly period with
        the two months before); other periods by days.
        """
        if not (self.date_from and self.date_to):
            return None
        to = self.date_from - timedelta(days=1)
        if self.date_from.day == 1 and (self.date_to + timedelta(days=1)).day == 1:
            months = (self.date_to.year - self.date_from.year) * 12 + (
                self.date_to.month - self.date_from.month + 1
            )
            start = _shift_months(self.date_from, -months)
        else:
            start = to - (self.date_to - self.date_from)
        return replace(self, date_from=start, date_to=to, include_undated=False)

    def year_earlier(self) -> "Filters | None":
        if not (self.date_from and self.date_to):
            return None
        return replace(
            self,
            date_from=_shift_year(self.date_from, -1),
            date_to=_shift_year(self.date_to, -1),
            include_undated=False,
        )

    def active(self) -> dict[str, tuple[str, ...]]:
        """The list filters in force, for captions and the meeting pack's cover."""
        return {name: getattr(self, name) for name in LIST_FIELDS if getattr(self, name)}

    def narrowed(self, first_year: int, last_year: int) -> bool:
        """Whether these filters leave out any announcement of the years first_year..last_year:
        a list filter, undated ones left out, or a shorter period."""
        return bool(
            self.active()
            or not self.include_undated
            or (self.date_from and self.date_from.year > first_year)
            or (self.date_to and self.date_to.year < last_year)
        )

    # ------------------------------------------------------------ URL form

    def to_query_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {}
        if self.date_from:
            params[URL_KEYS["date_from"]] = self.date_from.isoformat()
        if self.date_to:
            params[URL_KEYS["date_to"]] = self.date_to.isoformat()
        if not self.include_undated:
            params[URL_KEYS["include_undated"]] = "0"
        for name in LIST_FIELDS:
            if getattr(self, name):
                params[URL_KEYS[name]] = list(getattr(self, name))
        return params

    @classmethod
    def from_query_params(cls, get_all, allowed: dict[str, set[str]]) -> "Filters":
        """Read filters from the URL. get_all(key) -> list[str] (st.query_params.get_all).

        Hostile or stale values are dropped: list values must be in `allowed`, dates must parse.
        """
        values = {}
        for name in ("date_from", "date_to"):
            values[name] = _parse_date(_first(get_all(URL_KEYS[name])))
        values["include_undated"] = _first(get_all(URL_KEYS["include_undated"])) != "0"
        for name in LIST_FIELDS:
            given = get_all(URL_KEYS[name])
            values[name] = tuple(v for v in dict.fromkeys(given) if v in allowed.get(name, ()))
        return cls(**values)


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _shift_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
