"""The announcements as records staff keep: one announcement with its history, what needs attention
(the data desk's follow-up), what the entry form suggests, and how fresh the data are (the line at
the foot of every page). Read through analytics.db.query, with bound parameters.
"""

import re
import unicodedata
from datetime import date, datetime

import pandas as pd

from analytics import pipeline
from analytics.db import query
from analytics.filters import Filters
from etl.corrections import SHOWN_DATE_SQL, shown_date_sql

# The deep link to an announcement's record on the data desk (a contract other pages use).
RECORD_PAGE = "datos"
RECORD_PARAM = "anuncio"


def record_link(announcement_id: str, lang: str) -> str:
    """The relative URL of an announcement's record: datos?anuncio=<id> (and the language)."""
    return f"{RECORD_PAGE}?{RECORD_PARAM}={announcement_id}&lang={lang}"


def fold(text: str) -> str:
    """Lower case without accents, as the announcement search compares (analytics.queries)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_announcement_id(text) -> bool:
    return isinstance(text, str) and re.fullmatch(r"A[0-9a-f]{12}", text) is not None


# ---------------------------------------------------------------- one announcement


def record(announcement_id: str) -> pd.Series | None:
    """Every column of one announcement (withdrawn and merged too), its date as the desk shows
    it, and the load that brought it."""
    frame = query(
        f"""
        SELECT a.*, {SHOWN_DATE_SQL} AS shown_date, l.file_name AS load_file,
               l.loaded_by AS load_by, l.finished_at AS load_at, l.kind AS load_kind
        FROM announcements a LEFT JOIN load_log l USING (load_id)
        WHERE announcement_id = $id
        """,  # noqa: S608 (fixed SQL)
        {"id": str(announcement_id)},
    )
    return None if frame.empty else frame.iloc[0]


def history(announcement_id: str) -> pd.DataFrame:
    """The announcement's changes, newest first."""
    return query(
        """
        SELECT change_id, field, old_value, new_value, effective_date, source_url, source_title,
               note, changed_by, changed_at, load_id
        FROM announcement_changes WHERE announcement_id = $id ORDER BY change_id DESC
        """,
        {"id": str(announcement_id)},
    )


def merged_here(announcement_id: str) -> pd.DataFrame:
    """The rows marked as duplicates of this one (counted once, through it)."""
    return query(
        f"""
        SELECT announcement_id, company, {SHOWN_DATE_SQL} AS shown_date, municipality,
               amount_musd, state_reason
        FROM announcements WHERE merged_into = $id ORDER BY announcement_id
        """,  # noqa: S608
        {"id": str(announcement_id)},
    )


def lookalikes(announcement_id: str) -> pd.DataFrame:
    """Active announcements this one may duplicate: the row it was flagged as resembling, rows
    flagged as resembling it, and the same company's other rows. The likeliest first."""
    return query(
        f"""
        WITH this AS (SELECT * FROM announcements WHERE announcement_id = $id)
        SELECT a.announcement_id, a.company, {shown_date_sql("a")} AS shown_date,
               a.municipality, a.amount_musd,
               (a.announcement_id = this.possible_duplicate_of
                OR a.possible_duplicate_of = this.announcement_id) AS flagged
        FROM active_announcements a, this
        WHERE a.announcement_id <> this.announcement_id
          AND (a.announcement_id = this.possible_duplicate_of
               OR a.possible_duplicate_of = this.announcement_id
               OR strip_accents(lower(a.company)) = strip_accents(lower(this.company))
               OR coalesce(a.parent_group, '') <> '' AND a.parent_group = this.parent_group)
        ORDER BY flagged DESC, a.announced_date NULLS LAST, a.announcement_id
        LIMIT 50
        """,  # noqa: S608
        {"id": str(announcement_id)},
    )


# ---------------------------------------------------------------- follow-up

FOLLOW_UP_COLUMNS = f"""
    announcement_id, company, origin_iso2, status, {SHOWN_DATE_SQL} AS shown_date, municipality,
    amount_musd, jobs, review_flags, review_notes, possible_duplicate_of
"""


# Rows each follow-up list brings to the page (its count is always the whole).
LIST_ROWS = 1000


def follow_up(today: date) -> dict[str, pd.DataFrame]:
    """What needs attention, each a list of active announcements (the first LIST_ROWS; `counts`
    says how many there are): stalled (announced or under construction with no news for more
    than 12 months), missing data (municipality, date, amount or jobs), flagged for review,
    possible duplicates; and the withdrawn and merged rows."""
    stalled = pipeline.stalled(Filters(), today, limit=LIST_ROWS)
    missing = query(
        f"""
        SELECT {FOLLOW_UP_COLUMNS},
               municipality IS NULL AS no_municipality, announced_date IS NULL AS no_date,
               amount IS NULL AS no_amount, jobs IS NULL AS no_jobs
        FROM active_announcements WHERE {MISSING}
        ORDER BY company, announcement_id LIMIT {LIST_ROWS}
        """  # noqa: S608
    )
    flagged = query(
        f"""
        SELECT {FOLLOW_UP_COLUMNS} FROM active_announcements WHERE {FLAGGED}
        ORDER BY company, announcement_id LIMIT {LIST_ROWS}
        """  # noqa: S608
    )
    duplicates = query(
        f"""
        SELECT a.announcement_id, a.company, {shown_date_sql("a")} AS shown_date,
               a.municipality, a.amount_musd, o.announcement_id AS other_id, o.company AS other_company,
               {shown_date_sql("o")} AS other_date,
               o.amount_musd AS other_musd
        FROM active_announcements a JOIN active_announcements o
          ON o.announcement_id = a.possible_duplicate_of
        ORDER BY a.company, a.announcement_id LIMIT {LIST_ROWS}
        """  # noqa: S608
    )
    set_aside = query(
        f"""
        SELECT announcement_id, company, {SHOWN_DATE_SQL} AS shown_date, municipality,
               amount_musd, record_state, state_reason, merged_into
        FROM announcements WHERE record_state <> 'active'
        ORDER BY record_state, company, announcement_id LIMIT {LIST_ROWS}
        """  # noqa: S608
    )
    return {"stalled": stalled, "missing": missing, "flagged": flagged,
            "duplicates": duplicates, "set_aside": set_aside}  # fmt: skip


MISSING = "(municipality IS NULL OR announced_date IS NULL OR amount IS NULL OR jobs IS NULL)"
FLAGGED = "coalesce(review_flags, '') NOT IN ('', 'possible_duplicate')"


def follow_up_counts(today: date) -> pd.Series:
    """How many rows each follow-up list has, and how many lack each field."""
    stalled, params = pipeline.staged(Filters(), today)
    return query(
        f"""
        SELECT (SELECT count(*) FROM {stalled} WHERE stage = 'stalled') AS stalled,
               count(*) FILTER (WHERE {MISSING}) AS missing,
               count(*) FILTER (WHERE municipality IS NULL) AS no_municipality,
               count(*) FILTER (WHERE announced_date IS NULL) AS no_date,
               count(*) FILTER (WHERE amount IS NULL) AS no_amount,
               count(*) FILTER (WHERE jobs IS NULL) AS no_jobs,
               count(*) FILTER (WHERE {FLAGGED}) AS flagged,
               (SELECT count(*) FROM active_announcements a JOIN active_announcements o
                  ON o.announcement_id = a.possible_duplicate_of) AS duplicates,
               (SELECT count(*) FROM announcements WHERE record_state <> 'active') AS set_aside
        FROM active_announcements
        """,  # noqa: S608
        params,
    ).iloc[0]


# ---------------------------------------------------------------- the entry form's suggestions


def suggestions() -> dict[str, pd.DataFrame | list]:
    """What the entry form offers: companies with their group (most announcements first), groups,
    parks, and the places the intake accepts (the 58 municipalities and Villa de Pozos)."""
    # At most LIST_ROWS of each, the most frequent first: a list a browser can hold.
    companies = query(
        f"""
        SELECT company, mode(parent_group) AS parent_group, mode(origin_iso2) AS origin_iso2,
               count(*) AS announcements
        FROM active_announcements GROUP BY company ORDER BY announcements DESC, company
        LIMIT {LIST_ROWS}
        """  # noqa: S608
    )
    groups = query(
        f"""
        SELECT parent_group AS v FROM active_announcements WHERE parent_group IS NOT NULL
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {LIST_ROWS}
        """  # noqa: S608
    )["v"].tolist()
    parks = query(
        f"""
        SELECT park AS v, mode(municipality) AS municipality FROM active_announcements
        WHERE park IS NOT NULL GROUP BY park ORDER BY count(*) DESC, park LIMIT {LIST_ROWS}
        """  # noqa: S608
    )
    places = query("SELECT name AS v FROM municipalities UNION SELECT name FROM places ORDER BY 1")[
        "v"
    ].tolist()
    return {"companies": companies, "groups": groups, "parks": parks, "places": places}


# ---------------------------------------------------------------- freshness


# Official series a page may name in its foot: warehouse table -> ((es, en) name, SQL giving the
# release it holds as 'YYYY-Qn'). Releases of other series add their entry here.
def latest_change() -> datetime | None:
    """When the announcements last changed: the latest correction, or file or form brought since
    the base file (journal entries keep their own time, so a rebuild does not move it)."""
    frame = query(
        """
        SELECT greatest(
            (SELECT max(changed_at) FROM announcement_changes),
            (SELECT max(finished_at) FROM load_log WHERE kind <> 'build')) AS at
        """
    )
    value = frame.iloc[0]["at"]
    return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def changes_since(day: date) -> pd.Series:
    """Corrections recorded since day, announcements added since day (files and forms), and
    status changes among the corrections."""
    return query(
        """
        SELECT (SELECT count(*) FROM announcement_changes WHERE changed_at >= $day) AS corrections,
               (SELECT count(*) FROM announcement_changes
                WHERE changed_at >= $day AND field = 'status') AS status_changes,
               (SELECT coalesce(sum(rows_loaded), 0) FROM load_log
                WHERE kind = 'append' AND finished_at >= $day) AS added
        """,
        {"day": day},
    ).iloc[0]
