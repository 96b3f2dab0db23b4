"""Writing the official statistics into a version of the warehouse: the shipped files (by the
build) and the journal kinds fdi_release, exports_etef and jobs_imss (replayed by the build and
applied live by `python -m etl official` and the data desk, through the same functions).
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np

from etl.files import MAX_FILE_BYTES
from etl.official.reference import (
    NATIONAL,
    StateMatcher,
    scian_frame,
    state_names,
    states_frame,
)
from etl.official.se_release import (
    REJECT_COLUMNS,
    Release,
    flows_of,
    quarterly_flows,
    read_release,
    repeats_a_period,
)

# INEGI's and IMSS's readers, and the older SE copies, are imported where they are used: loading
# an SE workbook needs no pandas.
if TYPE_CHECKING:
    import pandas as pd

    from etl.official.indicators import IndicatorRead

SHIPPED_RELEASES = Path("fdi") / "se_original_releases"
FLOW_KEYS = ["cve_ent", "dimension", "code"]
TABLES = {
    "exports": "exports_quarterly",
    "jobs": "jobs_monthly",
    "establishments": "establishments",
}


@dataclass
class OfficialOutcome:
    """What one official file did to the warehouse (or would do: a preview)."""

    kind: str  # fdi_release / exports_etef / jobs_imss
    file_name: str
    sha256: str
    rows_read: int
    rows_rejected: int
    reject_rows: list[dict]  # REJECT_COLUMNS
    summary: dict  # series, cut_off, states, quarters, release_id ... for reports and the desk
    notes: list[tuple[str, str]] = field(default_factory=list)
    load_id: int | None = None
    release_id: str | None = None
    already_loaded: dict | None = None  # the earlier load of the same bytes
    archived_as: Path | None = None

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected

    @functools.cached_property
    def rejects(self) -> "pd.DataFrame":
        """The rejects as a pandas DataFrame (the data desk shows them)."""
        import pandas as pd

        return pd.DataFrame(self.reject_rows, columns=REJECT_COLUMNS)


@functools.lru_cache(maxsize=8)
def state_matcher(raw_dir: Path) -> StateMatcher:
    return StateMatcher(state_names(raw_dir))


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: "pd.DataFrame") -> None:
    con.register("official_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM official_frame")  # noqa: S608
    finally:
        con.unregister("official_frame")


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Rows (dicts with the same keys) into table."""
    if not rows:
        return
    names = ", ".join(f'"{name}"' for name in rows[0])
    marks = ", ".join("?" * len(rows[0]))
    con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    [list(row.values()) for row in rows])  # fmt: skip


def _free_id(con: duckdb.DuckDBPyConnection, table: str, wanted: str) -> str:
    """wanted, or wanted-2, -3 … when a release of that name is already there (a second file SE
    published for the same series and cut-off: kept, and the later one is the one pages show)."""
    taken = {r[0] for r in con.execute(f"SELECT release_id FROM {table}").fetchall()}  # noqa: S608
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


# ---------------------------------------------------------------- FDI releases


def insert_fdi(con, release_id: str, series: str, cut_off, values: "pd.DataFrame", file_name: str,
               sha256: str, source: str, loaded_by: str, loaded_at: datetime,
               load_id: int | None, note: tuple[str, str] = (None, None)) -> str:  # fmt: skip
    """One release and its values (flows derived within each year); the release_id used."""
    release_id = _free_id(con, "fdi_releases", release_id)
    derived = quarterly_flows(values, FLOW_KEYS)
    flows = values["flow_musd"].combine_first(derived) if "flow_musd" in values else derived
    rows = values.assign(
        release_id=release_id, series=series, cut_off=cut_off, flow_musd=flows,
        derivation=values.get("derivation", None),
    )  # fmt: skip
    _insert(con, "fdi_state_flows", rows)
    states = int(values.loc[values["cve_ent"] != NATIONAL, "cve_ent"].nunique())
    _release_row(con, release_id, series, cut_off, file_name, sha256, source, loaded_by,
                 loaded_at, states, int(values["year"].min()), load_id, note)  # fmt: skip
    return release_id


def insert_se_release(con, release: Release, release_id: str, loaded_by: str,
                      loaded_at: datetime, load_id: int | None,
                      note: tuple[str, str] = (None, None)) -> str:  # fmt: skip
    """An SE workbook as read (its lines and published cells, without pandas) and its release
    row; the release_id used."""
    release_id = _free_id(con, "fdi_releases", release_id)
    lines, cells = release.lines, release.cells
    if (np.diff(cells["line"]) < 0).any():  # line by line, as read_release gives them
        by_line = np.argsort(cells["line"], kind="stable")
        cells = {c: v[by_line] for c, v in cells.items()}
    keys = list(zip(*(lines[k] for k in FLOW_KEYS), strict=True))
    key_of = {key: n for n, key in enumerate(dict.fromkeys(keys))}
    cell_key = np.array([key_of[key] for key in keys], dtype=np.int64)[cells["line"]]
    # The key check of these values, here rather than in SQL over the inserted rows (as long as
    # the insert itself): one value per key and quarter.
    if repeats_a_period(cell_key, cells["year"], cells["quarter"]):
        raise AssertionError(f"{ONE_VALUE_PER_KEY}: broken by {release_id}")
    flows = flows_of(cell_key, cells["year"], cells["quarter"], cells["cumulative_musd"])
    # Each cell next to its line's columns, made by DuckDB: the lines' texts cross into DuckDB
    # once per line, not once per cell (a third of the insert's time). The cells come line by line,
    # so each line repeated over its cells lies beside them (POSITIONAL JOIN keeps their order, with
    # no join to sort after); the line numbers on both sides prove it for every row.
    cells_per_line = np.bincount(cells["line"], minlength=len(keys))
    con.register("release_lines", {"line": np.arange(len(keys)), "cells": cells_per_line, **lines})
    con.register("release_cells", {**cells, "flow_musd": flows})
    try:
        inserted = con.execute(
            """
            INSERT INTO fdi_state_flows BY NAME
            SELECT l.* EXCLUDE (line, cells, cell), c.* EXCLUDE (line),
                   $release_id AS release_id, $series AS series, $cut_off AS cut_off
            FROM (SELECT *, unnest(range(cells)) AS cell FROM release_lines) l
            POSITIONAL JOIN release_cells c
            WHERE l.line = c.line
            """,
            {"release_id": release_id, "series": release.series, "cut_off": release.cut_off},
        ).fetchall()[0][0]
    finally:
        con.unregister("release_lines")
        con.unregister("release_cells")
    if inserted != len(flows):  # a cell beside another line's columns: not inserted
        raise AssertionError(
            f"{release_id}: {inserted:,} of {len(flows):,} values beside their line"
        )
    _release_row(con, release_id, release.series, release.cut_off, release.file_name,
                 release.sha256, "se_workbook", loaded_by, loaded_at, release.states,
                 int(cells["year"].min()), load_id, note)  # fmt: skip
    return release_id


def _release_row(con, release_id, series, cut_off, file_name, sha256, source, loaded_by,
                 loaded_at, states, first_year, load_id, note) -> None:  # fmt: skip
    _insert_rows(con, "fdi_releases", [{
        "release_id": release_id, "series": series, "cut_off": cut_off, "file_name": file_name,
        "sha256": sha256, "loaded_at": loaded_at, "loaded_by": loaded_by, "source": source,
        "states": states, "first_year": first_year, "load_id": load_id, "note_es": note[0],
        "note_en": note[1],
    }])  # fmt: skip


def release_id_of(release: Release) -> str:
    return f"se-{release.series}-{release.cut_off.year}T{(release.cut_off.month - 1) // 3 + 1}"


def release_summary(release: Release) -> dict:
    quarters = release.quarters()
    return {
        "series": release.series,
        "series_source": release.series_source,
        "cut_off": release.cut_off,
        "states": release.states,
        "national": release.national,
        "first_quarter": quarters[0],
        "last_quarter": quarters[-1],
        "sheets": release.sheets,
        "values": len(release.cells["line"]),
    }


def apply_fdi_release(con, release: Release, loaded_by: str, at: datetime) -> OfficialOutcome:
    """A workbook brought with `etl official` (or the desk): its load, release, values, rejects."""
    load_id = _log(con, "fdi_release", release.file_name, release.sha256, loaded_by,
                   release.rows_read, release.rows_rejected, at)  # fmt: skip
    release_id = insert_se_release(con, release, release_id_of(release), loaded_by, at, load_id)
    _insert_rows(con, "rejects", [{**reject, "load_id": load_id} for reject in release.reject_rows])
    check_keys(con, release_id, checked=ONE_VALUE_PER_KEY)  # by insert_se_release
    return OfficialOutcome(
        "fdi_release", release.file_name, release.sha256, release.rows_read,
        release.rows_rejected, release.reject_rows,
        {**release_summary(release), "release_id": release_id}, release.notes, load_id,
        release_id,
    )  # fmt: skip


# ---------------------------------------------------------------- exports and jobs


def insert_indicator(con, read: "IndicatorRead", loaded_by: str, loaded_at: datetime,
                     load_id: int | None, note: tuple[str, str] = (None, None)) -> str:  # fmt: skip
    release_id = _free_id(con, "indicator_releases", read.release_id)
    _insert(con, TABLES[read.indicator], read.frame.assign(release_id=release_id))
    _insert_rows(con, "indicator_releases", [{
        "release_id": release_id, "indicator": read.indicator, "cut_off": read.cut_off,
        "file_name": read.file_name, "sha256": read.sha256, "loaded_at": loaded_at,
        "loaded_by": loaded_by, "load_id": load_id, "note_es": note[0], "note_en": note[1],
    }])  # fmt: skip
    return release_id


def indicator_summary(read: "IndicatorRead") -> dict:
    frame = read.frame
    period = ["year", "quarter"] if "quarter" in frame else ["year", "month"]
    first, last = (frame.sort_values(period).iloc[i][period].astype(int).tolist() for i in (0, -1))
    return {"indicator": read.indicator, "cut_off": read.cut_off, "first": tuple(first),
            "last": tuple(last), "skipped": read.skipped, "values": len(frame)}  # fmt: skip


def apply_indicator(con, read: "IndicatorRead", loaded_by: str, at: datetime) -> OfficialOutcome:
    from etl.official import indicators

    kind = indicators.KINDS[read.indicator]
    load_id = _log(con, kind, read.file_name, read.sha256, loaded_by, read.rows_read,
                   read.rows_rejected, at)  # fmt: skip
    release_id = insert_indicator(con, read, loaded_by, at, load_id)
    _insert(con, "rejects", read.rejects.assign(load_id=load_id))
    check_keys(con)
    return OfficialOutcome(
        kind, read.file_name, read.sha256, read.rows_read, read.rows_rejected,
        read.rejects.to_dict("records"), {**indicator_summary(read), "release_id": release_id},
        read.notes, load_id, release_id,
    )  # fmt: skip


def _log(con, kind, file_name, sha256, loaded_by, rows_read, rows_rejected, at) -> int:
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchall()[0][0]
    _insert_rows(con, "load_log", [{
        "load_id": load_id, "kind": kind, "file_name": file_name, "sha256": sha256,
        "loaded_by": loaded_by, "rows_read": rows_read, "rows_loaded": rows_read - rows_rejected,
        "rows_rejected": rows_rejected, "rows_flagged": 0, "started_at": at, "finished_at": at,
    }])  # fmt: skip
    return load_id


# ---------------------------------------------------------------- what a file is, read


def read_official(path: Path, kind: str, raw_dir: Path, series: str | None = None,
                  max_bytes=MAX_FILE_BYTES, file_name: str | None = None):  # fmt: skip
    """The reader of each kind: an SE Release, or an IndicatorRead."""
    if kind == "fdi_release":
        return read_release(path, state_matcher(Path(raw_dir)), series, max_bytes, file_name)
    from etl.official import indicators

    if kind == "exports_etef":
        return indicators.read_exports(path, max_bytes, file_name)
    return indicators.read_jobs(path, max_bytes, file_name)


def apply_read(con, read, loaded_by: str, at: datetime) -> OfficialOutcome:
    if isinstance(read, Release):
        return apply_fdi_release(con, read, loaded_by, at)
    return apply_indicator(con, read, loaded_by, at)


def replay(con, entry, inputs) -> OfficialOutcome:
    """REPLAYS entry of the official kinds: the file read again as it was recorded."""
    read = read_official(entry.path, entry.kind, inputs.raw_dir, entry.options.get("series"),
                         None, entry.file_name)  # fmt: skip
    return apply_read(con, read, entry.recorded_by, entry.recorded_at)


# ---------------------------------------------------------------- the build's shipped files


def write_shipped(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> None:
    """Reference tables, the shipped SE workbooks and vintages, ETEF, IMSS and DENUE."""
    from etl.official import indicators, vintages

    _insert(con, "states", states_frame(raw_dir))
    _insert(con, "scian_activities", scian_frame())
    built = datetime.now()
    for path in sorted((raw_dir / SHIPPED_RELEASES).glob("*.xlsx")):
        release = read_release(path, state_matcher(Path(raw_dir)), max_bytes=None)
        insert_se_release(con, release, release_id_of(release), "etl build", built, None,
                          ("Publicación de la SE tal como se publica, incluida con el observatorio.",
                           "SE's release as published, shipped with the observatory."))  # fmt: skip
    for v in vintages.shipped(raw_dir):
        insert_fdi(con, v.release_id, v.series, v.cut_off, v.values, v.file_name, v.sha256,
                   v.source, "etl build", built, None, (v.note_es, v.note_en))  # fmt: skip
    for read in (
        indicators.read_exports(raw_dir / indicators.ETEF_SHIPPED, None),
        indicators.read_jobs(raw_dir / indicators.IMSS_SHIPPED, None),
        indicators.read_establishments(raw_dir),
    ):
        insert_indicator(con, read, "etl build", built, None)
    check_keys(con)


# ---------------------------------------------------------------- keys

# Each check finds the keys it breaks; those of fdi_state_flows only among the rows of
# $release when one is given (a release loaded live: the others were checked when they came).
ONE_VALUE_PER_KEY = "fdi_state_flows has one value per key"
KEY_CHECKS = {
    ONE_VALUE_PER_KEY: """
        SELECT release_id || ' ' || cve_ent || ' ' || dimension || ' ' || code
        FROM fdi_state_flows WHERE $release IS NULL OR release_id = $release
        GROUP BY release_id, cve_ent, dimension, code, year, quarter
        HAVING count(*) > 1""",
    "fdi_state_flows.release_id is in fdi_releases": """
        SELECT DISTINCT release_id FROM fdi_state_flows
        WHERE ($release IS NULL OR release_id = $release)
          AND release_id NOT IN (SELECT release_id FROM fdi_releases)""",
    "fdi_state_flows.cve_ent is a state or 00": """
        SELECT DISTINCT cve_ent FROM fdi_state_flows
        WHERE ($release IS NULL OR release_id = $release)
          AND cve_ent <> '00' AND cve_ent NOT IN (SELECT cve_ent FROM states)""",
    "exports_quarterly has one value per key": """
        SELECT release_id FROM exports_quarterly
        GROUP BY release_id, cve_ent, year, quarter, scian_code HAVING count(*) > 1""",
    "jobs_monthly has one value per key": """
        SELECT release_id FROM jobs_monthly
        GROUP BY release_id, cve_ent, year, month HAVING count(*) > 1""",
}


def check_keys(con: duckdb.DuckDBPyConnection, release: str | None = None,
               checked: str | None = None) -> None:  # fmt: skip
    """Raise (the new version is dropped) if a key of the official tables is broken; those of SE's
    values only in release's rows when it is given; checked: a rule already checked on them."""
    for rule, sql in KEY_CHECKS.items():
        if rule == checked:
            continue
        params = {"release": release} if "$release" in sql else {}
        broken = con.execute(f"{sql} LIMIT 5", params).fetchall()  # noqa: S608 (fixed SQL)
        if broken:
            raise AssertionError(f"{rule}: broken by {', '.join(str(r[0]) for r in broken)}")
