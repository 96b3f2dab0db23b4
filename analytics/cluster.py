"""The cluster's questions of the warehouse: companies and their sites, parks, the supplier
programme's public side, opportunities, and the committees' actions. Aggregated in SQL, user values
as bound parameters only.

Privacy: every supplier query here reads the public tables (suppliers, supplier_milestones) and
never supplier_private; the private fields have one reader, for signed-in editors, in
analytics/desk/suppliers.py.
"""

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.db import query
from analytics.filters import FILTERED_ANNOUNCEMENTS, Filters
from analytics.queries import ANNOUNCEMENT_COLUMNS, _filtered  # the same filters as every page


def items(value) -> list:
    """A list column's value as a list (a missing list is NA or None in frames)."""
    return list(value) if isinstance(value, list | tuple | np.ndarray) else []


# ---------------------------------------------------------------- reference labels


def labels(kind: str) -> dict[str, tuple[str, str]]:
    """code -> (es, en) of one of the cluster's vocabularies (size, area, step, committee, ...),
    in their order."""
    frame = query(
        "SELECT code, name_es, name_en FROM cluster_vocabulary WHERE kind = $kind ORDER BY position",
        {"kind": kind},
    )
    return {c: (es, en) for c, es, en in zip(frame["code"], frame["name_es"], frame["name_en"],
                                              strict=True)}  # fmt: skip


def process_labels() -> dict[str, tuple[str, str]]:
    frame = query("SELECT process, name_es, name_en FROM processes ORDER BY position")
    return {c: (es, en) for c, es, en in zip(frame["process"], frame["name_es"], frame["name_en"],
                                              strict=True)}  # fmt: skip


def programme_facts() -> pd.DataFrame:
    return query("SELECT * FROM programme_facts ORDER BY position")


# ---------------------------------------------------------------- companies


def company_totals(f: Filters, needle: str = "", lang: str = "es") -> pd.Series:
    """Companies, announcements, companies with more than one, announcements with an amount."""
    source, params = _filtered(f, needle, lang)
    return query(
        f"""
        SELECT count(*) AS companies, coalesce(sum(projects), 0) AS projects,
               count(*) FILTER (projects > 1) AS repeat, coalesce(sum(with_amount), 0) AS with_amount
        FROM (SELECT company_id, count(*) AS projects, count(amount_musd) AS with_amount
              FROM {source} GROUP BY 1)
        """,  # noqa: S608
        params,
    ).iloc[0]


def companies_ranked(
    f: Filters, limit: int | None = None, needle: str = "", lang: str = "es"
) -> pd.DataFrame:
    """Companies of the filtered announcements, largest amount first (the first `limit`)."""
    source, params = _filtered(f, needle, lang)
    return query(
        f"""
        SELECT a.company_id, c.name, c.parent_group, c.origin_iso2,
               coalesce(sum(a.amount_musd), 0) AS musd, count(*) AS projects,
               coalesce(sum(a.jobs), 0) AS jobs, min(a.announced_year) AS first_year,
               max(a.announced_year) AS last_year
        FROM {source} a JOIN companies c USING (company_id)
        GROUP BY ALL ORDER BY musd DESC, projects DESC, c.name LIMIT $limit
        """,  # noqa: S608
        {**params, "limit": limit},
    )


def company(company_id: str) -> pd.Series | None:
    frame = query(
        """
        SELECT c.*, coalesce(sum(a.amount_musd), 0) AS musd, coalesce(sum(a.jobs), 0) AS jobs,
               count(a.amount_musd) AS with_amount, count(a.jobs) AS with_jobs,
               min(a.announced_year) AS first_year, max(a.announced_year) AS last_year
        FROM companies c JOIN active_announcements a USING (company_id)
        WHERE company_id = $id GROUP BY ALL
        """,
        {"id": company_id},
    )
    return None if frame.empty else frame.iloc[0]


def company_announcements(company_id: str) -> pd.DataFrame:
    """Every announcement of one company (whatever the filters), oldest first, undated last."""
    return query(
        f"""
        SELECT {ANNOUNCEMENT_COLUMNS}, park_id FROM ({FILTERED_ANNOUNCEMENTS})
        WHERE company_id = $id
        ORDER BY announced_date NULLS LAST, amount_musd DESC NULLS LAST, announcement_id
        """,  # noqa: S608
        {"id": company_id},
    )


# A site: the company's name as written, without a phase ("Metal Technologies (SLP plant)").
SITE_NAME = r"regexp_replace(a.company, '\s[-–—]\s*(phase|fase|etapa)\s*\w+$', '', 'i')"


def company_sites(company_id: str) -> pd.DataFrame:
    """The company's plants and sites as the sources name them, with municipality and park."""
    return query(
        f"""
        SELECT {SITE_NAME} AS site, a.municipality, p.name AS park_name, a.park,
               n.match AS park_match, count(*) AS projects, sum(a.amount_musd) AS musd,
               sum(a.jobs) AS jobs, min(a.announced_date) AS first_date,
               max(a.announced_date) AS last_date,
               arg_max(a.status, coalesce(a.announced_date, DATE '1900-01-01')) AS latest_status
        FROM active_announcements a
        LEFT JOIN parks p USING (park_id)
        LEFT JOIN park_names n ON n.park = a.park
        WHERE a.company_id = $id
        GROUP BY ALL ORDER BY first_date NULLS LAST, site
        """,  # noqa: S608
        {"id": company_id},
    )


def company_names(company_id: str) -> pd.DataFrame:
    """The names the sources use for the company, and why they were put together."""
    return query(
        """
        SELECT n.company, n.parent_group, n.announcements, n.rule, al.reason, al.source_url
        FROM company_names n
        LEFT JOIN company_aliases al USING (alias_key)
        WHERE n.company_id = $id
        ORDER BY n.announcements DESC, n.company
        """,
        {"id": company_id},
    )


def group_companies(company_id: str) -> pd.DataFrame:
    """Other companies of the same parent group (Continental AG: Continental Automotive, ...)."""
    return query(
        """
        SELECT company_id, name, announcements FROM companies
        WHERE parent_group = (SELECT parent_group FROM companies WHERE company_id = $id)
          AND company_id <> $id
        ORDER BY announcements DESC, name
        """,
        {"id": company_id},
    )


def company_options() -> pd.DataFrame:
    """Every named company (for the data desk's alias form)."""
    return query("SELECT company_id, name FROM companies WHERE named ORDER BY name")


def company_name_list() -> pd.DataFrame:
    return query(
        "SELECT company, company_id, company_name, rule FROM company_names ORDER BY company"
    )


def aliases() -> pd.DataFrame:
    return query(
        "SELECT alias, company, reason, source_url, load_id FROM company_aliases ORDER BY alias"
    )


# ---------------------------------------------------------------- parks


def parks(f: Filters) -> pd.DataFrame:
    """Every park with the filtered announcements linked to it (0 when none), and where it is."""
    source, params = _filtered(f)
    return query(
        f"""
        WITH linked AS (
            SELECT park_id, count(*) AS projects, sum(amount_musd) AS musd, sum(jobs) AS jobs,
                   count(DISTINCT company_id) AS companies
            FROM {source} WHERE park_id IS NOT NULL GROUP BY 1
        )
        SELECT p.park_id, p.name, p.municipality, p.cvegeo, p.operator, p.lat, p.lon,
               p.coordinates_source, p.source_url, m.centroid_lon, m.centroid_lat,
               coalesce(l.projects, 0) AS projects, coalesce(l.musd, 0) AS musd,
               coalesce(l.jobs, 0) AS jobs, coalesce(l.companies, 0) AS companies
        FROM parks p LEFT JOIN linked l USING (park_id)
        LEFT JOIN municipalities m ON m.cvegeo = p.cvegeo
        ORDER BY musd DESC, projects DESC, p.name
        """,  # noqa: S608
        params,
    )


def unlinked_parks(f: Filters) -> pd.DataFrame:
    """Park names the filtered announcements use that fit several parks, or none."""
    source, params = _filtered(f)
    return query(
        f"""
        SELECT a.park, n.match, n.candidates, count(*) AS projects, sum(a.amount_musd) AS musd,
               sum(a.jobs) AS jobs, string_agg(DISTINCT c.name, ', ' ORDER BY c.name) AS companies
        FROM {source} a JOIN park_names n ON n.park = a.park
        JOIN companies c USING (company_id)
        WHERE n.park_id IS NULL GROUP BY ALL ORDER BY projects DESC, a.park
        """,  # noqa: S608
        params,
    )


def park_announcements(f: Filters, park_id: str) -> pd.DataFrame:
    source, params = _filtered(f)
    return query(
        f"SELECT {ANNOUNCEMENT_COLUMNS} FROM {source} WHERE park_id = $park "  # noqa: S608
        "ORDER BY announced_date DESC NULLS LAST, amount_musd DESC NULLS LAST, announcement_id",
        {**params, "park": park_id},
    )


def park_list() -> pd.DataFrame:
    return query("SELECT park_id, name, municipality, lat, lon FROM parks ORDER BY name")


# ---------------------------------------------------------------- the supplier programme (public)

# The only columns of the roster that any viewer may see (analytics/desk/suppliers.py reads the
# private ones for editors).
PUBLIC_SUPPLIER_COLUMNS = ("supplier_id", "name", "municipality", "cvegeo", "size", "processes",
                           "enrolled_on", "certified_on", "status")  # fmt: skip


def suppliers() -> pd.DataFrame:
    """The roster's public columns, with each supplier's last activity and areas reached."""
    columns = ", ".join(f"s.{c}" for c in PUBLIC_SUPPLIER_COLUMNS)
    return query(
        f"""
        SELECT {columns},
               greatest(s.enrolled_on, max(m.done_on), s.certified_on) AS last_activity,
               count(m.milestone_id) AS milestones,
               list(DISTINCT m.area ORDER BY m.area) FILTER (m.area IS NOT NULL) AS areas
        FROM suppliers s LEFT JOIN supplier_milestones m USING (supplier_id)
        GROUP BY {columns} ORDER BY s.name
        """  # noqa: S608
    )


def milestones() -> pd.DataFrame:
    """Each supplier's steps and their dates (the evidence behind them is for editors only)."""
    return query(
        """
        SELECT m.supplier_id, s.name, m.area, m.step, m.done_on
        FROM supplier_milestones m JOIN suppliers s USING (supplier_id)
        ORDER BY m.done_on DESC, s.name
        """
    )


def funnel(as_of: date) -> pd.DataFrame:
    """Enrolled (active), in progress by area (a milestone of the area, no seal yet), sealed."""
    return query(
        """
        WITH active AS (SELECT * FROM suppliers WHERE status = 'active' AND enrolled_on <= $as_of),
        sealed AS (SELECT * FROM active WHERE certified_on <= $as_of),
        working AS (
            SELECT m.area, count(DISTINCT m.supplier_id) AS suppliers
            FROM supplier_milestones m JOIN active a USING (supplier_id)
            WHERE m.done_on <= $as_of AND (a.certified_on IS NULL OR a.certified_on > $as_of)
            GROUP BY 1
        )
        SELECT 'enrolled' AS stage, NULL AS area, (SELECT count(*) FROM active) AS suppliers
        UNION ALL SELECT 'in_progress', v.code,
                         coalesce((SELECT suppliers FROM working w WHERE w.area = v.code), 0)
        FROM cluster_vocabulary v WHERE v.kind = 'area'
        UNION ALL SELECT 'sealed', NULL, (SELECT count(*) FROM sealed)
        """,
        {"as_of": as_of},
    )


def months_to_seal() -> pd.DataFrame:
    """Sealed suppliers and the months from enrolment to the seal."""
    return query(
        """
        SELECT supplier_id, name, size, enrolled_on, certified_on,
               round(date_diff('day', enrolled_on, certified_on) / 30.44, 1) AS months
        FROM suppliers WHERE certified_on IS NOT NULL ORDER BY months
        """
    )


def suppliers_by(column: str) -> pd.DataFrame:
    """Active suppliers and sealed ones by municipality, size or process."""
    expression = {"municipality": "coalesce(municipality, '')", "size": "coalesce(size, '')",
                  "process": "unnest(coalesce(processes, ['']))"}[column]  # fmt: skip
    return query(
        f"""
        SELECT code, count(*) AS suppliers, count(certified_on) AS sealed
        FROM (SELECT {expression} AS code, certified_on FROM suppliers WHERE status = 'active')
        GROUP BY 1 ORDER BY suppliers DESC, code
        """  # noqa: S608
    )


def stalled(as_of: date, days: int) -> pd.DataFrame:
    """Active suppliers without a seal whose last step (or enrolment) is older than `days`."""
    return query(
        """
        WITH latest AS (
            SELECT s.supplier_id, s.name, s.municipality, s.enrolled_on,
                   greatest(s.enrolled_on, max(m.done_on)) AS last_activity,
                   arg_max(m.step, m.done_on) AS last_step, arg_max(m.area, m.done_on) AS last_area
            FROM suppliers s LEFT JOIN supplier_milestones m
              ON m.supplier_id = s.supplier_id AND m.done_on <= $as_of
            WHERE s.status = 'active' AND (s.certified_on IS NULL OR s.certified_on > $as_of)
              AND s.enrolled_on <= $as_of
            GROUP BY s.supplier_id, s.name, s.municipality, s.enrolled_on
        )
        SELECT *, date_diff('day', last_activity, $as_of) AS idle_days FROM latest
        WHERE date_diff('day', last_activity, $as_of) > $days
        ORDER BY idle_days DESC, name
        """,
        {"as_of": as_of, "days": days},
    )


def progress(date_from: date, date_to: date) -> dict[str, pd.DataFrame]:
    """What happened in the programme between two dates: enrolments, milestones, seals."""
    period = {"date_from": date_from, "date_to": date_to}
    return {
        "enrolled": query(
            "SELECT name, municipality, size, enrolled_on FROM suppliers "
            "WHERE enrolled_on BETWEEN $date_from AND $date_to ORDER BY enrolled_on, name",
            period,
        ),
        "milestones": query(
            "SELECT s.name, s.municipality, m.area, m.step, m.done_on FROM supplier_milestones m "
            "JOIN suppliers s USING (supplier_id) "
            "WHERE m.done_on BETWEEN $date_from AND $date_to ORDER BY m.done_on, s.name",
            period,
        ),
        "sealed": query(
            "SELECT name, municipality, enrolled_on, certified_on FROM suppliers "
            "WHERE certified_on BETWEEN $date_from AND $date_to ORDER BY certified_on, name",
            period,
        ),
    }


# New or expanding plants: events that add capacity, not cancelled, announced within the last
# OPPORTUNITY_YEARS (a plant that opened recently is still choosing its local suppliers; an older
# announcement's status is often no longer known).
OPPORTUNITY_EVENTS = ("new_plant", "expansion", "new_line")  # a relocation may leave SLP
OPPORTUNITY_YEARS = 3


def opportunities(f: Filters, as_of: date, limit: int | None = None) -> pd.DataFrame:
    """New or expanding plants announced in the OPPORTUNITY_YEARS to as_of (f's list filters
    apply, not its period), each with the processes its sector asks for and the sealed active
    suppliers whose processes fit (public names only); the first `limit`, with the totals of all
    of them on every row (all_plants, all_musd, all_fitting): a million-row warehouse has
    hundreds of thousands, which no table shows whole."""
    since = as_of - timedelta(days=365 * OPPORTUNITY_YEARS)
    window = replace(f, date_from=since, date_to=as_of, include_undated=False)
    source, params = _filtered(window)
    return query(
        f"""
        WITH plants AS (
            SELECT * FROM {source}
            WHERE list_contains($events, event_type) AND coalesce(status, '') <> 'cancelled'
              AND sector IS NOT NULL
        ),
        sealed AS (
            SELECT supplier_id, name, unnest(processes) AS process FROM suppliers
            WHERE status = 'active' AND certified_on <= $as_of
        ),
        fits AS (  -- who fits a plant depends on its sector only: listed once per sector
            SELECT ps.sector, list(DISTINCT s.name ORDER BY s.name) AS suppliers
            FROM process_sectors ps JOIN sealed s ON s.process = ps.process
            GROUP BY 1
        ),
        wanted AS (
            SELECT sector, list(process ORDER BY process) AS processes FROM process_sectors
            GROUP BY 1
        )
        SELECT p.announcement_id, p.company_id, c.name AS company, p.sector, p.tier,
               p.event_type, p.municipality, p.announced_date, p.date_precision, p.status,
               p.amount_musd, p.jobs, w.processes, coalesce(f.suppliers, []) AS suppliers,
               len(coalesce(f.suppliers, [])) AS fitting,
               count(*) OVER () AS all_plants, coalesce(sum(p.amount_musd) OVER (), 0) AS all_musd,
               count(f.suppliers) OVER () AS all_fitting
        FROM plants p JOIN companies c USING (company_id)
        LEFT JOIN wanted w ON w.sector = p.sector
        LEFT JOIN fits f ON f.sector = p.sector
        ORDER BY fitting DESC, p.announced_date DESC NULLS LAST, p.amount_musd DESC NULLS LAST,
                 p.announcement_id
        LIMIT $limit
        """,  # noqa: S608
        {**params, "events": list(OPPORTUNITY_EVENTS), "as_of": as_of, "limit": limit},
    )  # fmt: skip


# ---------------------------------------------------------------- committee actions


def actions() -> pd.DataFrame:
    return query(
        """
        SELECT a.*, max(n.noted_on) AS last_note_on, arg_max(n.note, n.noted_on) AS last_note,
               count(n.note) AS notes
        FROM actions a LEFT JOIN action_notes n USING (action_id)
        GROUP BY ALL ORDER BY a.due_on NULLS LAST, a.action_id
        """
    )


def action_notes(action_id: str | None = None) -> pd.DataFrame:
    return query(
        "SELECT action_id, noted_on, note FROM action_notes "
        "WHERE $id IS NULL OR action_id = $id ORDER BY noted_on DESC, action_id",
        {"id": action_id},
    )


def action_states(since: date, as_of: date, horizon: date) -> pd.DataFrame:
    """Each action with where it stands at as_of: done since the last meeting (since), overdue,
    due by the next meeting (horizon), blocked, or open later."""
    return query(
        """
        SELECT action_id, committee, municipality, cvegeo, description, owner, due_on, status,
               done_on,
               CASE WHEN status = 'done' AND done_on BETWEEN $since AND $as_of THEN 'done_since'
                    WHEN status = 'done' THEN 'done_before'
                    WHEN status = 'blocked' THEN 'blocked'
                    WHEN due_on < $as_of THEN 'overdue'
                    WHEN due_on <= $horizon THEN 'due'
                    ELSE 'open' END AS state
        FROM actions ORDER BY due_on NULLS LAST, action_id
        """,
        {"since": since, "as_of": as_of, "horizon": horizon},
    )


# ---------------------------------------------------------------- where parks are drawn


def park_positions(parks: pd.DataFrame) -> pd.DataFrame:
    """Where parks are drawn: a park with coordinates at them (exact); the parks without them at
    their municipality's centre, one point per municipal polygon listing its parks (not exact;
    Villa de Pozos's are in San Luis Potosí's polygon); parks with neither are left out. Pure:
    parks needs park_id, lat, lon, cvegeo, municipality, centroid_lon, centroid_lat, projects,
    musd."""
    exact = parks[parks["lat"].notna() & parks["lon"].notna()]
    at_centre = parks[parks["lat"].isna() & parks["centroid_lat"].notna()]
    points = [
        {"x_lon": r.lon, "y_lat": r.lat, "exact": True, "parks": [r.park_id],
         "municipality": r.municipality, "projects": r.projects, "musd": r.musd}
        for r in exact.itertuples()
    ] + [
        {"x_lon": group["centroid_lon"].iloc[0], "y_lat": group["centroid_lat"].iloc[0],
         "exact": False, "parks": list(group["park_id"]),
         "municipality": " / ".join(dict.fromkeys(group["municipality"])),
         "projects": group["projects"].sum(), "musd": group["musd"].sum()}
        for _, group in at_centre.groupby("cvegeo", sort=True)
    ]  # fmt: skip
    columns = ["x_lon", "y_lat", "exact", "parks", "municipality", "projects", "musd"]
    return pd.DataFrame(points, columns=columns)
