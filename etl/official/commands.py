"""Loading an official file live: `python -m etl official FILE` and the data desk.

The file is recognised by its content (an SE workbook, INEGI's ETEF, IMSS's jobs), read in full
before anything is written, kept in the journal and applied to a new version of the warehouse by
warehouse.write_entry: a failure leaves the warehouse as it was, and a rebuild replays the entry with
the same reader (store.replay). The same bytes loaded twice add nothing the second time.
"""

import zipfile
from pathlib import Path

import duckdb

from etl.cell_text import normalize
from etl.files import MAX_FILE_BYTES, FileUnusable
from etl.official import store
from etl.official.se_release import SERIES_NAMES, Release
from etl.official.store import OfficialOutcome
from etl.warehouse import warehouse_reader, write_entry, writer_lock

OFFICIAL_KINDS = ("fdi_release", "exports_etef", "jobs_imss")
KIND_NAMES = {
    "fdi_release": ("IED por entidad federativa (Secretaría de Economía)",
                    "FDI by state (Secretaría de Economía)"),
    "exports_etef": ("Exportaciones por entidad federativa (INEGI, ETEF)",
                     "Exports by state (INEGI, ETEF)"),
    "jobs_imss": ("Puestos de trabajo afiliados al IMSS", "IMSS formal jobs"),
}  # fmt: skip


def recognise(path: Path) -> str:
    """What an official file is: 'fdi_release' (an SE workbook), 'exports_etef' or 'jobs_imss';
    FileUnusable when it is none of them."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        if any(n.startswith("xl/") for n in names):
            return "fdi_release"
        if any("eef_" in Path(n).name.lower() for n in names):
            return "exports_etef"
    else:
        from etl.sheets import read_grid  # a CSV: pandas reads it

        grid, _ = read_grid(path, max_bytes=MAX_FILE_BYTES)
        head = {normalize(c) for c in grid.head(40).to_numpy().ravel() if c is not None}
        if {"codigo scian"} & head and head & {"val usd", "val usd miles"}:
            return "exports_etef"
        if head & {"mes"} and head & {"san luis potosi", "puestos de trabajo afiliados imss"}:
            return "jobs_imss"
    raise FileUnusable(
        f"{path.name} no es un archivo oficial reconocible. Se aceptan: el libro «Flujos por "
        "entidad federativa» de la SE (.xlsx), la ETEF del INEGI (CSV o ZIP con CODIGO_SCIAN y "
        "VAL_USD) y la serie estatal de puestos de trabajo del IMSS (CSV con Año, Mes y San Luis "
        "Potosí).",
        f"{path.name} is not a recognisable official file. Accepted: SE's workbook 'Flujos por "
        "entidad federativa' (.xlsx), INEGI's ETEF (CSV or ZIP with CODIGO_SCIAN and VAL_USD) "
        "and IMSS's state series of jobs (CSV with Año, Mes and San Luis Potosí).",
    )


def _earlier(db: Path, sha256: str) -> dict | None:
    """The earlier load of these bytes: a release loaded with etl official, or a shipped one
    (None, too, when there is no warehouse to look in)."""
    if not db.exists():
        return None
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return _earlier_in(con, sha256)
    except duckdb.Error:  # not a warehouse: nothing was loaded into it
        return None


def _earlier_in(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    try:
        found = con.execute(
            """
            SELECT release_id, file_name, loaded_at, load_id FROM fdi_releases
            WHERE sha256 = $s
            UNION ALL
            SELECT release_id, file_name, loaded_at, load_id FROM indicator_releases
            WHERE sha256 = $s
            ORDER BY loaded_at LIMIT 1
            """,
            {"s": sha256},
        ).fetchall()
    except duckdb.Error:  # not a warehouse with official statistics (or not one yet)
        return None
    if not found:
        return None
    release_id, file_name, loaded_at, load_id = found[0]
    return {"release_id": release_id, "file_name": file_name, "finished_at": loaded_at,
            "load_id": load_id}  # fmt: skip


def _outcome_of(read, kind: str) -> OfficialOutcome:
    """What the file would do, before it is loaded (the preview)."""
    if isinstance(read, Release):
        summary = store.release_summary(read)
        summary["release_id"] = store.release_id_of(read)
        rejects = read.reject_rows
    else:
        summary = {**store.indicator_summary(read), "release_id": read.release_id}
        rejects = read.rejects.to_dict("records")
    return OfficialOutcome(kind, read.file_name, read.sha256, read.rows_read, read.rows_rejected,
                           rejects, summary, read.notes)  # fmt: skip


def check_official(path: Path, db: Path, raw_dir: Path, series: str | None = None,
                   max_bytes: int | None = MAX_FILE_BYTES,
                   file_name: str | None = None) -> OfficialOutcome:  # fmt: skip
    """Read the file and say what loading it would do; nothing is written. FileUnusable if it
    cannot be used."""
    kind = recognise(path)
    read = store.read_official(path, kind, raw_dir, series, max_bytes, file_name)
    outcome = _outcome_of(read, kind)
    outcome.already_loaded = _earlier(db, read.sha256)
    return outcome


def load_official(path: Path, db: Path, raw_dir: Path, series: str | None = None,
                  loaded_by: str = "cli", max_bytes: int | None = MAX_FILE_BYTES,
                  file_name: str | None = None) -> OfficialOutcome:  # fmt: skip
    """Load an official file. FileUnusable (nothing written) if it cannot be used; the same
    bytes a second time add nothing (outcome.already_loaded says when they were loaded)."""
    kind = recognise(path)
    read = store.read_official(path, kind, raw_dir, series, max_bytes, file_name)
    with writer_lock(db):
        with warehouse_reader(db) as con:  # FileUnusable when there is no warehouse
            earlier = _earlier_in(con, read.sha256)
        if earlier is not None:
            outcome = _outcome_of(read, kind)
            outcome.already_loaded = earlier
            return outcome

        def apply(con: duckdb.DuckDBPyConnection, entry) -> OfficialOutcome:
            return store.apply_read(con, read, loaded_by, entry.recorded_at)  # as store.replay

        # The series the user stated goes with the entry (the file's own title and name are in
        # the entry too), so that a rebuild reads the file exactly as this load did.
        options = {"series": series} if isinstance(read, Release) else {}
        outcome, entry = write_entry(db, raw_dir, Path(path), kind, read.file_name, loaded_by,
                                     read.sha256, apply, options)  # fmt: skip
    outcome.archived_as = entry.path
    return outcome


# ---------------------------------------------------------------- the clerk's report


def _say(lang: str, es: str, en: str) -> str:
    return es if lang == "es" else en


def report(outcome: OfficialOutcome, lang: str, loaded: bool) -> list[str]:
    """What was read (kind, series, cut-off, states, quarters), what was loaded, every reject."""
    s = outcome.summary
    kind_es, kind_en = KIND_NAMES[outcome.kind]
    lines = [_say(lang, f"Archivo: {outcome.file_name} · {kind_es}",
                  f"File: {outcome.file_name} · {kind_en}")]  # fmt: skip
    if outcome.kind == "fdi_release":
        series_es, series_en = SERIES_NAMES[s["series"]]
        how_es, how_en = s["series_source"]
        (y0, q0), (y1, q1) = s["first_quarter"], s["last_quarter"]
        lines.append(_say(
            lang,
            f"Serie: {series_es} ({how_es}) · corte al {s['cut_off']:%d/%m/%Y} · "
            f"{s['states']} entidades{' y el total nacional' if s['national'] else ''} · "
            f"trimestres {y0} T{q0} a {y1} T{q1} · hojas: "
            + ", ".join(f"«{n}»" for n in s["sheets"].values()),
            f"Series: {series_en} ({how_en}) · cut-off {s['cut_off']:%Y-%m-%d} · "
            f"{s['states']} states{' and the national total' if s['national'] else ''} · "
            f"quarters {y0} Q{q0} to {y1} Q{q1} · sheets: "
            + ", ".join(f"'{n}'" for n in s["sheets"].values()),
        ))  # fmt: skip
    else:
        first, last = s["first"], s["last"]
        lines.append(_say(
            lang,
            f"San Luis Potosí, {first[0]}-{first[1]:02d} a {last[0]}-{last[1]:02d} · corte al "
            f"{s['cut_off']:%d/%m/%Y}"
            + (f" · {s['skipped']:,} filas de otras entidades no se guardan" if s["skipped"] else ""),
            f"San Luis Potosí, {first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d} · cut-off "
            f"{s['cut_off']:%Y-%m-%d}"
            + (f" · {s['skipped']:,} rows of other states are not kept" if s["skipped"] else ""),
        ))  # fmt: skip
    if outcome.already_loaded:
        prior = outcome.already_loaded
        by = (_say(lang, f"carga {prior['load_id']}", f"load {prior['load_id']}")
              if prior["load_id"] else _say(lang, "incluido con el observatorio",
                                            "shipped with the observatory"))  # fmt: skip
        lines.append(_say(
            lang,
            f"Este archivo ya se cargó (publicación {prior['release_id']}, {by}, "
            f"{prior['finished_at']:%Y-%m-%d %H:%M}). No se agregó nada.",
            f"This file was already loaded (release {prior['release_id']}, {by}, "
            f"{prior['finished_at']:%Y-%m-%d %H:%M}). Nothing was added.",
        ))  # fmt: skip
        return lines
    lines.extend(es if lang == "es" else en for es, en in outcome.notes)
    verb = _say(lang, "cargadas", "loaded") if loaded else _say(lang, "válidas", "valid")
    lines.append(
        _say(lang, "Líneas leídas", "Lines read") + f": {outcome.rows_read:,} · {verb}: "
        f"{outcome.rows_loaded:,} · " + _say(lang, "rechazadas", "rejected")
        + f": {outcome.rows_rejected:,}"
    )  # fmt: skip
    if outcome.load_id:
        lines.append(_say(
            lang,
            f"Carga número {outcome.load_id}: publicación {outcome.release_id}.",
            f"Load number {outcome.load_id}: release {outcome.release_id}.",
        ))  # fmt: skip
    for rec in outcome.reject_rows[:50]:
        value = "" if rec["value"] is None else f" «{str(rec['value'])[:80]}»"
        reason = rec["reason"] if lang == "es" else rec["reason_en"]
        lines.append(f"  {rec['column']}{value}: {reason}")
    if len(outcome.reject_rows) > 50:
        more = len(outcome.reject_rows) - 50
        lines.append(_say(lang, f"  … y {more:,} más.", f"  … and {more:,} more."))
    return lines
