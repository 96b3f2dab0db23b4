"""The intake: `etl append` of a synthetic file against DuckDB's bare read of the same file."""

import sys
from pathlib import Path

from benchmarks.measure import copy_warehouse, raw_of, run_measured

# ---------------------------------------------------------------- intake


def intake(file: Path, base: Path, workdir: Path) -> tuple[dict, Path]:
    """`etl append` into a copy of the base warehouse, and DuckDB's bare read_csv of the same file."""
    db = copy_warehouse(base, workdir / f"wh_{file.stem}_{file.suffix[1:]}" / "warehouse.duckdb")
    # --max-mb 0: no upload size limit (a million rows is about 180 MB of CSV).
    append = run_measured(
        [
            sys.executable,
            "-m",
            "etl",
            "append",
            str(file),
            "--db",
            str(db),
            "--raw",
            str(raw_of(db)),
            "--max-mb",
            "0",
        ]  # fmt: skip
    )
    result = {"append_s": append["seconds"], "append_peak_mb": append["peak_mb"]}
    if file.suffix == ".csv":
        bare_db = workdir / f"bare_{file.stem}.duckdb"
        script = ("import duckdb, sys; duckdb.connect(sys.argv[1]).execute("
                  "'CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[2]])")  # fmt: skip
        bare = run_measured([sys.executable, "-c", script, str(bare_db), str(file)])
        bare_db.unlink()
        result |= {"duckdb_read_csv_s": bare["seconds"],
                   "ratio_to_duckdb": round(append["seconds"] / bare["seconds"], 2)}  # fmt: skip
    return result, db
