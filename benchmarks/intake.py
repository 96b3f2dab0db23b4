"""The intake against its floors, each measured in the same run: `etl append` of a synthetic CSV
against DuckDB's bare read_csv of the same file, of a synthetic XLSX against calamine's bare read
of the same workbook, and `etl official` of SE's shipped release against calamine's bare read of
that workbook."""

import struct
import sys
from pathlib import Path

from benchmarks.measure import ROOT, copy_warehouse, raw_of, run_measured
from etl.official.store import SHIPPED_RELEASES
from etl.warehouse import DEFAULT_RAW

# Every sheet's values into Python lists: what any XLSX reader must at least do.
BARE_XLSX_READ = (
    "import sys; from python_calamine import CalamineWorkbook; "
    "book = CalamineWorkbook.from_path(sys.argv[1]); "
    "[book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names]"
)


def _etl(command: str, file: Path, db: Path, *options: str) -> dict:
    return run_measured(
        [sys.executable, "-m", "etl", command, str(file), "--db", str(db), "--raw", str(raw_of(db)),
         *options]
    )  # fmt: skip


def bare_xlsx_read(file: Path) -> dict:
    return run_measured([sys.executable, "-c", BARE_XLSX_READ, str(file)])


# ---------------------------------------------------------------- announcements


def intake(file: Path, base: Path, workdir: Path) -> tuple[dict, Path]:
    """`etl append` into a copy of the base warehouse, and the bare read of the same file."""
    db = copy_warehouse(base, workdir / f"wh_{file.stem}_{file.suffix[1:]}" / "warehouse.duckdb")
    # --max-mb 0: no upload size limit (a million rows is about 180 MB of CSV).
    append = _etl("append", file, db, "--max-mb", "0")
    result = {"append_s": append["seconds"], "append_peak_mb": append["peak_mb"]}
    if file.suffix == ".csv":
        bare_db = workdir / f"bare_{file.stem}.duckdb"
        script = ("import duckdb, sys; duckdb.connect(sys.argv[1]).execute("
                  "'CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[2]])")  # fmt: skip
        bare = run_measured([sys.executable, "-c", script, str(bare_db), str(file)])
        bare_db.unlink()
        result |= {"duckdb_read_csv_s": bare["seconds"],
                   "ratio_to_duckdb": round(append["seconds"] / bare["seconds"], 2)}  # fmt: skip
    else:
        bare = bare_xlsx_read(file)
        result |= {"bare_read_s": bare["seconds"],
                   "ratio_to_bare_read": round(append["seconds"] / bare["seconds"], 2)}  # fmt: skip
    return result, db


# ---------------------------------------------------------------- SE's release workbook


def _new_bytes(workbook: Path, target: Path) -> Path:
    """The workbook with a zip comment: the same sheets under other bytes, so that `etl official`
    loads it (as a second release of the same quarter) instead of finding it already loaded. The
    file keeps its name, which says which series it is."""
    data = workbook.read_bytes()
    end = data.rfind(b"PK\x05\x06")  # the end-of-archive record; its last 2 bytes: comment length
    comment = b"benchmark copy"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data[: end + 20] + struct.pack("<H", len(comment)) + comment)
    return target


def se_release(base: Path, workdir: Path) -> dict:
    """`etl official` of SE's shipped release workbook into a copy of the base warehouse, against
    calamine's bare read of the same workbook."""
    shipped = sorted((DEFAULT_RAW / SHIPPED_RELEASES).glob("*.xlsx"))[-1]
    file = _new_bytes(shipped, workdir / "se_release" / shipped.name)
    db = copy_warehouse(base, workdir / "wh_se_release" / "warehouse.duckdb")
    load = _etl("official", file, db)
    bare = bare_xlsx_read(file)
    return {
        "workbook": str(shipped.relative_to(ROOT)),
        "workbook_mb": round(shipped.stat().st_size / 1e6, 1),
        "official_s": load["seconds"],
        "official_peak_mb": load["peak_mb"],
        "bare_read_s": bare["seconds"],
        "ratio_to_bare_read": round(load["seconds"] / bare["seconds"], 2),
    }
