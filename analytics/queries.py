"""Every question the pages and the meeting pack ask of the warehouse, aggregated in SQL.

Each function takes Filters (or nothing) and returns a small DataFrame; user values travel only as
bound parameters.
"""

import pandas as pd

from analytics.db import query
from analytics.filters import FILTERED_ANNOUNCEMENTS, Filters


def _filtered(f: Filters, needle: str = "", lang: str = "es") -> tuple[str, dict]:
    """The filtered announcements as a subquery, and its parameters.

    needle: only announcements whose company, group, country, sector (named in lang),
    municipality or park contain it, compared lower-case and without accents (pass it folded so).
    """
    where, params = f.where()
    # The condition is built by Filters from fixed column names; values are bound parameters.
    source = f"(SELECT * FROM ({FILTERED_ANNOUNCEMENTS}) WHERE {where})"  # noqa: S608
    if not needle:
        return source, params
    name = {"es": "name_es", "en": "name_en"}[lang]

    def folded_in(column: str, values: str) -> str:
        # Each distinct text folded once: strip_accents over every row costs seconds at a million.
        folded = "contains(strip_accents(lower(name)), $needle)"
        return f"{column} IN (SELECT v FROM (SELECT DISTINCT {values}) WHERE {folded})"  # noqa: S608

    texts = [
        folded_in(column, f"{column} AS v, {column} AS name FROM active_announcements")
        for column in ("company", "parent_group", "municipality", "park")
    ]
    searched = f"""(
        SELECT * FROM {source}
        WHERE {" OR ".join(texts)}
           OR {folded_in("origin_iso2", f"iso2 AS v, {name} AS name FROM countries")}
           OR {folded_in("sector", f"sector AS v, {name} AS name FROM sectors")}
    )"""  # noqa: S608
    return searched, {**params, "needle": needle}


def filtered(f: Filters) -> tuple[str, dict]:
    """The filtered (active) announcements as a subquery and its parameters, for the read modules
    of other questions (analytics/pipeline.py)."""
    return _filtered(f)


# ---------------------------------------------------------------- filter options


def filter_options() -> dict[str, list]:
    """Values offered in the sidebar: what the warehouse holds (codes, not labels)."""
    a = query(
        """
        SELECT min(announced_year) AS first_year, max(announced_year) AS last_year,
               count(*) FILTER (WHERE announced_date IS NULL) AS undated
        FROM active_announcements
        """
    ).iloc[0]

    def distinct(column: str) -> list:
        frame = query(
            f"SELECT DISTINCT {column} AS v FROM ({FILTERED_ANNOUNCEMENTS}) "  # noqa: S608
            f"WHERE {column} IS NOT NULL ORDER BY 1"
        )
        return frame["v"].tolist()

    return {
        "first_year": int(a["first_year"]),
        "last_year": int(a["last_year"]),
        "undated": int(a["undated"]),
        "regions": distinct("region"),
        "countries": distinct("origin_iso2"),
        "sectors": distinct("sector"),
        "tiers": distinct("tier"),
        "places": distinct("municipality"),
        "event_types": distinct("event_type"),
        "statuses": distinct("status"),
    }


def names() -> dict[str, pd.DataFrame]:
    """Display names of countries and sectors in both languages, indexed by code."""
    return {
        "countries": query("SELECT iso2, name_es, name_en, region FROM countries").set_index(
            "iso2"
        ),
        "sectors": query("SELECT sector, name_es, name_en FROM sectors").set_index("sector"),
    }


# ---------------------------------------------------------------- announcements


def headline(f: Filters) -> pd.Series:
    source, params = _filtered(f)
    return query(
        f"""
        SELECT coalesce(sum(amount_musd), 0) AS musd,
               coalesce(sum(jobs), 0) AS jobs,
               count(*) AS projects,
               count(DISTINCT lower(company)) AS companies,
               count(*) FILTER (WHERE amount_musd IS NOT NULL) AS with_amount,
               count(*) FILTER (WHERE announced_date IS NULL) AS undated
        FROM {source}
        """,  # noqa: S608
        params,
    ).iloc[0]


def by_year(f: Filters) -> pd.DataFrame:
    source, params = _filtered(f)
    return query(
        f"""
        SELECT announced_year AS year, coalesce(sum(amount_musd), 0) AS musd,
               count(*) AS projects, coalesce(sum(jobs), 0) AS jobs
        FROM {source} WHERE announced_year IS NOT NULL
        GROUP BY 1 ORDER BY 1
        """,  # noqa: S608
        params,
    )


def by_group(f: Filters, column: str) -> pd.DataFrame:
    """Totals by one coded column (region, event_type, tier, status, sector, origin_iso2)."""
    allowed = {"region", "event_type", "tier", "status", "sector", "origin_iso2", "municipality"}
    if column not in allowed:
        raise ValueError(f"cannot group by {column!r}")
    source, params = _filtered(f)
    return query(
        f"""
        SELECT {column} AS code, coalesce(sum(amount_musd), 0) AS musd, count(*) AS projects,
               coalesce(sum(jobs), 0) AS jobs, count(DISTINCT lower(company)) AS companies
        FROM {source} GROUP BY 1 ORDER BY musd DESC, projects DESC
        """,  # noqa: S608
        params,
    )


def by_year_and(f: Filters, column: str) -> pd.DataFrame:
    """Totals by year and one coded column (the region mix over time, event types per year)."""
    if column not in {"region", "event_type", "origin_iso2"}:
        raise ValueError(f"cannot group by {column!r}")
    source, params = _filtered(f)
    return query(
        f"""
        SELECT announced_year AS year, {column} AS code, coalesce(sum(amount_musd), 0) AS musd,
               count(*) AS projects
        FROM {source} WHERE announced_year IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        """,  # noqa: S608
        params,
    )


def by_sector_and(f: Filters, column: str) -> pd.DataFrame:
    """Totals by sector and tier or event type (treemap, new versus expansion by sector)."""
    if column not in {"tier", "event_type"}:
        raise ValueError(f"cannot group by {column!r}")
    source, params = _filtered(f)
    return query(
        f"""
        SELECT coalesce(sector, 'unknown') AS sector, coalesce({column}, 'unknown') AS code,
               coalesce(sum(amount_musd), 0) AS musd, count(*) AS projects
        FROM {source} GROUP BY 1, 2 ORDER BY 1, 2
        """,  # noqa: S608
        params,
    )


ANNOUNCEMENT_COLUMNS = """
    announcement_id, company, parent_group, origin_iso2, region, sector, tier, event_type,
    municipality, cvegeo, park, announced_date, date_precision, announced_year, amount, currency,
    amount_musd, jobs, status, source_url, source_title, notes, review_flags
"""


def announcements(
    f: Filters, order: str = "date", limit: int | None = None, needle: str = "", lang: str = "es"
) -> pd.DataFrame:
    """The announcements themselves, newest first (or largest first); the first `limit` only;
    those that contain needle (see _filtered) if given."""
    order_by = {
        "date": "announced_date DESC NULLS LAST, amount_musd DESC NULLS LAST",
        "amount": "amount_musd DESC NULLS LAST, announced_date DESC NULLS LAST",
    }[order]
    source, params = _filtered(f, needle, lang)
    return query(
        f"SELECT {ANNOUNCEMENT_COLUMNS} FROM {source} ORDER BY {order_by}, announcement_id "  # noqa: S608
        "LIMIT $limit",
        {**params, "limit": limit},
    )


def largest(f: Filters, n: int = 10) -> pd.DataFrame:
    source, params = _filtered(f)
    return query(
        f"""
        SELECT {ANNOUNCEMENT_COLUMNS} FROM {source}
        WHERE amount_musd IS NOT NULL
        ORDER BY amount_musd DESC, announced_date DESC, announcement_id LIMIT $n
        """,  # noqa: S608
        {**params, "n": n},
    )


# ---------------------------------------------------------------- places


def municipalities(f: Filters) -> pd.DataFrame:
    """All 58 municipalities with census figures, geometry and the filtered totals (0 if none)."""
    source, params = _filtered(f)
    return query(
        f"""
        WITH totals AS (
            SELECT cvegeo, sum(amount_musd) AS musd, count(*) AS projects, sum(jobs) AS jobs,
                   count(*) FILTER (WHERE municipality <> m_name) AS projects_in_places
            FROM (SELECT s.*, m.name AS m_name FROM {source} s
                  JOIN municipalities m USING (cvegeo))
            GROUP BY cvegeo
        )
        SELECT m.cvegeo, m.name, m.population_2020, m.economically_active_2020,
               m.employed_2020, m.households_2020, m.area_km2, m.geometry,
               m.centroid_lon, m.centroid_lat,
               coalesce(t.musd, 0) AS musd, coalesce(t.projects, 0) AS projects,
               coalesce(t.jobs, 0) AS jobs, coalesce(t.projects_in_places, 0) AS projects_in_places
        FROM municipalities m LEFT JOIN totals t USING (cvegeo)
        ORDER BY m.cvegeo
        """,  # noqa: S608
        params,
    )


def places() -> pd.DataFrame:
    return query("SELECT name, cvegeo, note_es, note_en FROM places ORDER BY name")


def unplaced(f: Filters) -> pd.Series:
    """Announcements whose municipality is not stated: they cannot be mapped."""
    source, params = _filtered(f)
    return query(
        f"SELECT count(*) AS projects, coalesce(sum(amount_musd), 0) AS musd FROM {source} "  # noqa: S608
        "WHERE cvegeo IS NULL",
        params,
    ).iloc[0]


def world() -> pd.DataFrame:
    return query(
        "SELECT iso2, name_es, name_en, region, geometry FROM countries WHERE geometry IS NOT NULL"
    )


# ---------------------------------------------------------------- companies

# A company's history in SLP: announcements by the same parent group (or the same company when
# no group is stated), e.g. Continental AG's plants and expansions under several plant names.
COMPANY_GROUP = "coalesce(parent_group, company)"


def by_company_group(
    f: Filters, limit: int | None = None, needle: str = "", lang: str = "es"
) -> pd.DataFrame:
    """Totals by company group, largest amount first: the first `limit`; with needle, the groups
    of the announcements that contain it (see _filtered), totalled over those announcements."""
    source, params = _filtered(f, needle, lang)
    return query(
        f"""
        SELECT {COMPANY_GROUP} AS company_group, coalesce(sum(amount_musd), 0) AS musd,
               count(*) AS projects, count(amount_musd) AS with_amount,
               count(announced_date) AS dated, coalesce(sum(jobs), 0) AS jobs,
               min(announced_year) AS first_year, max(announced_year) AS last_year,
               mode(origin_iso2) AS origin_iso2,
               count(DISTINCT company) AS names, min(company) AS first_name
        FROM {source}
        GROUP BY 1 ORDER BY musd DESC, projects DESC, company_group
        LIMIT $limit
        """,  # noqa: S608
        {**params, "limit": limit},
    )


def company_group_totals(f: Filters, needle: str = "", lang: str = "es") -> pd.Series:
    """How many company groups, announcements, groups with more than one, and announcements with
    an amount (counted in SQL: a large registry has hundreds of thousands of groups); with
    needle, over the announcements that contain it (see _filtered)."""
    source, params = _filtered(f, needle, lang)
    return query(
        f"""
        SELECT count(*) AS groups, coalesce(sum(projects), 0) AS projects,
               count(*) FILTER (projects > 1) AS repeat, coalesce(sum(with_amount), 0) AS with_amount
        FROM (SELECT {COMPANY_GROUP}, count(*) AS projects, count(amount_musd) AS with_amount
              FROM {source} GROUP BY 1)
        """,  # noqa: S608
        params,
    ).iloc[0]


def company_announcements(f: Filters, company_group: str) -> pd.DataFrame:
    """The filtered announcements of one company group, oldest first (undated last)."""
    source, params = _filtered(f)
    return query(
        f"""
        SELECT {ANNOUNCEMENT_COLUMNS} FROM {source}
        WHERE {COMPANY_GROUP} = $company_group
        ORDER BY announced_date NULLS LAST, amount_musd DESC NULLS LAST, announcement_id
        """,  # noqa: S608
        {**params, "company_group": company_group},
    )


# ---------------------------------------------------------------- municipalities


def municipality_announcements(
    f: Filters, cvegeo: str | None = None, place: str | None = None, limit: int | None = None
):
    """The filtered announcements mapped to one municipality (cvegeo, places inside it included)
    or stated in one place (e.g. Villa de Pozos), newest first; the first `limit` only."""
    source, params = _filtered(f)
    return query(
        f"""
        SELECT {ANNOUNCEMENT_COLUMNS} FROM {source}
        WHERE ($cvegeo IS NULL OR cvegeo = $cvegeo) AND ($place IS NULL OR municipality = $place)
        ORDER BY announced_date DESC NULLS LAST, amount_musd DESC NULLS LAST, announcement_id
        LIMIT $limit
        """,  # noqa: S608
        {**params, "cvegeo": cvegeo, "place": place, "limit": limit},
    )


# ---------------------------------------------------------------- meeting pack


def warehouse_built_at() -> pd.Timestamp | None:
    """When the warehouse was last built (the data's cut-off, for the meeting pack's notes)."""
    frame = query("SELECT max(built_at) AS built_at FROM build_info")
    value = frame.iloc[0]["built_at"] if len(frame) else None
    return None if pd.isna(value) else pd.Timestamp(value)
