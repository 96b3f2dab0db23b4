"""Build, append and validate: the only code that writes the warehouse.

build   rebuilds every table from data/raw, then replays the journal (data/raw/journal: every file
        appended, every correction, every release, in order), so a rebuild never loses what staff
        added.
append  validates a file and adds its valid rows in a new version of the warehouse.
validate reads a file and reports, writing nothing to the warehouse.
"""

import contextlib
import functools
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import journal, parse, staging
from etl.announcement_rows import announcements_frame
from etl.cluster import companies as cluster_companies
from etl.cluster import derive as cluster_derive
from etl.cluster import kinds as cluster_kinds
from etl.cluster import reference as cluster_reference
from etl.countries import countries_frame
from etl.duplicates import review
from etl.intake import IntakeResult, read_announcements
from etl.official import store as official
from etl.places import MunicipalityMatcher
from etl.sheets import MAX_FILE_BYTES, FileUnusable
from etl.warehouse import (
    DEFAULT_RAW,
    SCHEMA_VERSION,
    legacy_loads_dir,
    new_version,
    require_warehouse,
    sources_fingerprint,
    stored_fingerprint,
    write_entry,
    writer_lock,
)

SHIPPED_ANNOUNCEMENTS = Path("announcements") / "slp_announcements.csv"


@dataclass
class LoadOutcome:
    result: IntakeResult
    load_id: int | None  # None when nothing was written (validate, or a file already loaded)
    rows_loaded: int
    rejects: pd.DataFrame  # the intake's rejects plus exact duplicates found against the warehouse
    flagged: pd.DataFrame  # loaded rows flagged for review, with the row they resemble
    already_loaded: dict | None = None  # load_log row of an earlier load of the same file
    archived_as: Path | None = None  # the journal entry that a rebuild replays

    @property
    def rows_rejected(self) -> int:
        return self.rejects["row_number"].nunique()


# ---------------------------------------------------------------- reference data


def municipality_matcher(raw_dir: Path = DEFAULT_RAW) -> MunicipalityMatcher:
    catalog = pd.read_csv(raw_dir / "geo" / "slp_municipios_catalogo.csv", dtype=str)
    municipalities = catalog.rename(
        columns={"CVEGEO": "cvegeo", "NOMGEO": "name", "NOM_MUN_ABREV_CENSO2020": "name_census"}
    )
    return MunicipalityMatcher(municipalities, staging.places_frame())


def _write_reference(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> None:
    from etl import geo  # geopandas and shapely: only a build needs them, not an append

    municipalities = geo.municipalities_frame(
        raw_dir / "geo" / "slp_municipios.geojson",
        raw_dir / "geo" / "slp_municipios_catalogo.csv",
        raw_dir / "municipal" / "slp_municipios_censo2020.csv",
    )
    world = geo.world_frame(raw_dir / "geo" / "world_countries_110m.geojson")
    countries = countries_frame().merge(world, on="iso2", how="left")
    sectors = pd.DataFrame(
        [(code, es, en) for code, (es, en) in parse.SECTORS.codes.items()],
        columns=["sector", "name_es", "name_en"],
    )
    tables = {
        "municipalities": municipalities,
        "places": staging.places_frame(),
        "countries": countries,
        "sectors": sectors,
        "fdi_by_country": staging.stage_fdi_by_country(raw_dir / "fdi" / "ied_slp_por_pais.csv"),
        "fdi_by_sector": staging.stage_fdi_by_sector(
            raw_dir / "fdi" / "ied_slp_por_sector_anual.csv"
        ),
        "fdi_state_total": staging.stage_fdi_state_total(
            raw_dir / "fdi" / "ied_slp_total_trimestral_1999_2017.csv"
        ),
    }
    for table, frame in tables.items():
        _insert(con, table, frame)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame | pa.Table) -> None:
    if table == "announcements":
        # Each with its company, so that the refresh ending the write need not rewrite them.
        cluster_companies.insert_announcements(con, frame)
        return
    con.register("incoming_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_frame")  # noqa: S608
    finally:
        con.unregister("incoming_frame")


# ---------------------------------------------------------------- loading

# The keys and references of announcements, checked before a new version is swapped in (schema.sql
# says why they are not declared). Each query returns offending values; none is expected, since the
# intake only produces codes from these tables and review() drops repeated ids.
# (column of announcements, table it refers to, that table's key)
REFERENCES = [
    ("origin_iso2", "countries", "iso2"),
    ("sector", "sectors", "sector"),
    ("cvegeo", "municipalities", "cvegeo"),
    ("load_id", "load_log", "load_id"),
]
KEY_CHECKS = {
    "announcement_id is unique": """
        SELECT announcement_id FROM announcements GROUP BY announcement_id HAVING count(*) > 1""",
    **{
        f"{column} is in {table}": f"""
        SELECT DISTINCT {column} FROM announcements a
        WHERE {column} IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.{key} = a.{column})"""  # noqa: S608
        for column, table, key in REFERENCES
    },
    # Withdrawn and merged rows (etl/correct.py): a merged row names an existing kept row.
    "record_state is active, withdrawn or merged": """
        SELECT DISTINCT record_state FROM announcements
        WHERE record_state NOT IN ('active', 'withdrawn', 'merged')""",
    "merged rows, and only they, name the row kept": """
        SELECT announcement_id FROM announcements
        WHERE (record_state = 'merged') <> (merged_into IS NOT NULL)""",
    "merged_into is in announcements": """
        SELECT DISTINCT merged_into FROM announcements a
        WHERE merged_into IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM announcements k WHERE k.announcement_id = a.merged_into)""",
}


def check_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Raise if a key or reference of announcements is broken (the new version is then dropped)."""
    for rule, sql in KEY_CHECKS.items():
        broken = con.execute(f"{sql} LIMIT 5").fetchall()  # noqa: S608 (fixed SQL)
        if broken:
            values = ", ".join(str(row[0]) for row in broken)
            raise AssertionError(f"announcements: {rule} is broken by {values}")


def _load(
    con: duckdb.DuckDBPyConnection,
    result: IntakeResult,
    kind: str,
    loaded_by: str,
    started_at: datetime,
    finished_at: datetime | None = None,
) -> LoadOutcome:
    to_load, duplicates = review(con, result.table)
    rejects = pd.concat([result.rejects, duplicates], ignore_index=True)
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_log").fetchall()[0][0]
    flagged = _flagged(to_load)
    log = pd.DataFrame(
        [
            {
                "load_id": load_id,
                "kind": kind,
                "file_name": result.file_name,
                "sha256": result.sha256,
                "loaded_by": loaded_by,
                "rows_read": result.rows_read,
                "rows_loaded": to_load.num_rows,
                "rows_rejected": result.rows_read - to_load.num_rows,
                "rows_flagged": len(flagged),
                "started_at": started_at,
                "finished_at": finished_at or datetime.now(),
            }
        ]
    )
    if log.at[0, "rows_rejected"] != rejects["row_number"].nunique():
        raise AssertionError("rows read must equal rows loaded plus rows rejected")
    _insert(con, "load_log", log)
    # As Arrow from the intake on: DuckDB inserts a million rows of dates and text about twice as
    # fast as from pandas, and no frame of them is built.
    load_ids = pa.array(np.full(to_load.num_rows, load_id, dtype=np.int64))
    _insert(con, "announcements", to_load.append_column("load_id", load_ids))
    _insert(con, "rejects", rejects.assign(load_id=load_id))
    check_keys(con)
    return LoadOutcome(result, load_id, to_load.num_rows, rejects, flagged)


def _flagged(to_load: pa.Table) -> pd.DataFrame:
    """The rows to load that are flagged for review, as pandas (for the report)."""
    return announcements_frame(to_load.filter(pc.not_equal(to_load["review_flags"], "")))


def build(db: Path, raw_dir: Path = DEFAULT_RAW, today: date | None = None) -> list[LoadOutcome]:
    """Rebuild the whole warehouse from raw_dir, journal included; swap it in atomically."""
    with writer_lock(db):
        return _build(db, raw_dir, today or date.today())


def is_fresh(db: Path, raw_dir: Path = DEFAULT_RAW) -> bool:
    return stored_fingerprint(db) == sources_fingerprint(raw_dir)


def ensure_built(db: Path, raw_dir: Path = DEFAULT_RAW) -> bool:
    """Build when the warehouse is missing or older than its sources; True if this call built it.

    Several processes may call this at once (app sessions starting together): the first takes the
    lock and builds, the others wait for it and then find the warehouse fresh.
    """
    if is_fresh(db, raw_dir) and not legacy_loads_dir(db).is_dir():
        return False
    with writer_lock(db):
        journal.adopt_legacy_loads(raw_dir, legacy_loads_dir(db))
        if is_fresh(db, raw_dir):
            return False
        _build(db, raw_dir, date.today())
        return True


@dataclass
class Inputs:
    """What the readers of raw files share during one write: the raw folder, today's date (for
    "future date" checks), the municipality matcher and the exchange rates."""

    raw_dir: Path
    today: date

    @functools.cached_property
    def matcher(self) -> MunicipalityMatcher:
        return municipality_matcher(self.raw_dir)

    @functools.cached_property
    def rates(self) -> parse.Rates:
        return parse.Rates()


def _replay_announcements(
    con: duckdb.DuckDBPyConnection, entry: journal.Entry, inputs: Inputs
) -> LoadOutcome:
    # No size limit here: journal entries were accepted when they were recorded.
    result = read_announcements(
        entry.path,
        inputs.matcher,
        inputs.rates,
        inputs.today,
        entry.options.get("sheet"),
        max_bytes=None,
    )
    result.file_name = entry.file_name
    at = entry.recorded_at
    return _load(con, result, "append", entry.recorded_by, at, at)


def _replay_corrections(con: duckdb.DuckDBPyConnection, entry: journal.Entry, inputs: Inputs):
    from etl import correct  # it builds on this module (Inputs, write_entry)

    return correct.replay(con, entry, inputs)


# How each kind of journal entry is applied to a version of the warehouse: (con, entry, inputs).
# A new kind of input adds its reader here; build and the live writes both use it.
REPLAYS = {
    "announcements": _replay_announcements,
    "corrections": _replay_corrections,
    **cluster_kinds.REPLAYS,  # suppliers, actions, company_aliases, park_coordinates
    # Official statistics (etl/official): SE's releases, INEGI's exports, IMSS's jobs.
    "fdi_release": official.replay,
    "exports_etef": official.replay,
    "jobs_imss": official.replay,
}


def replay(con: duckdb.DuckDBPyConnection, entry: journal.Entry, inputs: Inputs):
    if entry.kind not in REPLAYS:
        raise RuntimeError(
            f"journal entry {entry.path.name} is of kind {entry.kind!r}, which this version of "
            f"the observatory does not know ({', '.join(REPLAYS)}); update the code first"
        )
    return REPLAYS[entry.kind](con, entry, inputs)


def _build(db: Path, raw_dir: Path, today: date) -> list:
    inputs = Inputs(raw_dir, today)
    outcomes = []
    with new_version(db, copy_current=False) as con:
        _write_reference(con, raw_dir)
        cluster_reference.write_base(con, raw_dir, inputs.matcher)
        official.write_shipped(con, raw_dir)
        shipped = raw_dir / SHIPPED_ANNOUNCEMENTS
        started = datetime.now()
        result = read_announcements(shipped, inputs.matcher, inputs.rates, today, max_bytes=None)
        outcomes.append(_load(con, result, "build", "etl build", started))
        for entry in journal.entries(raw_dir):
            outcomes.append(replay(con, entry, inputs))
        cluster_derive.refresh(con)  # companies and park links from the current announcements
        con.execute(
            "INSERT INTO build_info VALUES (?, ?, ?)",
            [SCHEMA_VERSION, sources_fingerprint(raw_dir), datetime.now()],
        )
    return outcomes


def append(
    path: Path,
    db: Path,
    raw_dir: Path = DEFAULT_RAW,
    loaded_by: str = "cli",
    sheet: str | None = None,
    today: date | None = None,
    max_bytes: int | None = MAX_FILE_BYTES,
    file_name: str | None = None,
) -> LoadOutcome:
    """Validate a file and add its valid rows. Raises FileUnusable (nothing written).

    max_bytes: files larger than this are refused (None: any size, for bulk loads). file_name:
    what load_log and the journal call it (a form entry names the form), if not the file's name."""
    inputs = Inputs(raw_dir, today or date.today())
    result = read_announcements(path, inputs.matcher, inputs.rates, inputs.today, sheet, max_bytes)
    result.file_name = file_name or result.file_name
    with writer_lock(db):
        require_warehouse(db)
        with duckdb.connect(str(db), read_only=True) as con:
            earlier = con.execute(
                "SELECT load_id, file_name, finished_at FROM load_log WHERE sha256 = ? "
                "ORDER BY load_id LIMIT 1",
                [result.sha256],
            ).df()
        if not earlier.empty:
            empty = announcements_frame(result.table.slice(0, 0))
            return LoadOutcome(
                result, None, 0, result.rejects.iloc[0:0], empty, earlier.iloc[0].to_dict()
            )
        if result.rows_read == 0:  # only the template's example row: nothing to load or log
            return LoadOutcome(result, None, 0, result.rejects, announcements_frame(result.table))

        def apply(con: duckdb.DuckDBPyConnection, entry: journal.Entry) -> LoadOutcome:
            at = entry.recorded_at  # as _replay_announcements logs it
            return _load(con, result, "append", loaded_by, at, at)

        outcome, entry = write_entry(
            db, raw_dir, path, "announcements", result.file_name, loaded_by, result.sha256,
            apply, {"sheet": sheet},
        )  # fmt: skip
    outcome.archived_as = entry.path
    return outcome


def validate(path: Path, db: Path | None, raw_dir: Path = DEFAULT_RAW, sheet: str | None = None,
             today: date | None = None,
             max_bytes: int | None = MAX_FILE_BYTES) -> LoadOutcome:  # fmt: skip
    """Everything append does except writing: duplicates are checked against db if it exists."""
    today = today or date.today()
    result = read_announcements(
        path, municipality_matcher(raw_dir), parse.Rates(), today, sheet, max_bytes
    )
    if db is not None and stored_fingerprint(db) is not None:
        with duckdb.connect(str(db), read_only=True) as con:
            to_load, duplicates = review(con, result.table)
    else:
        to_load, duplicates = review(duckdb.connect(), result.table)
    rejects = pd.concat([result.rejects, duplicates], ignore_index=True)
    return LoadOutcome(result, None, to_load.num_rows, rejects, _flagged(to_load))


# ---------------------------------------------------------------- uploads (the app's data desk)

UPLOAD_SUFFIXES = (".csv", ".xlsx")


def uploads_dir(db: Path) -> Path:
    """Uploaded files wait here, inside the data folder, only while they are validated or loaded."""
    return db.parent / "uploads"


def safe_file_name(name: str) -> str:
    """The base name of an uploaded file, harmless as a file name and in messages.

    Folders are dropped ("../../etc/passwd.csv" -> "passwd.csv", Windows paths too), characters that
    are not printable or not allowed in file names become "_", and only .csv and .xlsx are accepted
    (ValueError otherwise).
    """
    base = re.split(r"[\\/]", str(name))[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in UPLOAD_SUFFIXES:
        raise ValueError(f"not a .csv or .xlsx file name: {name!r}")
    stem = "".join(ch if ch.isprintable() and ch not in '<>:"|?*' else "_" for ch in stem)
    stem = stem.strip(" .")[:120] or "archivo"
    return f"{stem}.{suffix.lower()}"


@contextlib.contextmanager
def staged_upload(name: str, data: bytes, db: Path) -> Iterator[Path]:
    """The uploaded bytes as a file in a private folder under uploads/, removed afterwards.

    The file keeps the upload's (sanitised) name so that messages and load_log name it as the user
    knows it. It is only ever read by the intake: never executed or evaluated.
    """
    if len(data) > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise FileUnusable(
            f"El archivo pesa más de {mb} MB; divídalo en archivos más pequeños.",
            f"The file is larger than {mb} MB; split it into smaller files.",
        )
    root = uploads_dir(db)
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=root))
    try:
        target = folder / safe_file_name(name)
        if target.resolve().parent != folder.resolve():
            raise ValueError(f"unsafe upload name: {name!r}")
        target.write_bytes(data)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)
