"""`etl publish` against its floor measured in the same run: a bare copy of the warehouse file and
DuckDB's own EXPORT DATABASE to Parquet, in one child process. Also the publish of an unchanged
warehouse (a copy and a hash, then nothing written).

python benchmarks/publish.py                 # the shipped data, and 100 thousand synthetic rows
python benchmarks/publish.py --rows 1000     # the shipped data and 1,000 synthetic rows
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from benchmarks.generate import synthetic_frame, write  # noqa: E402
from benchmarks.measure import (  # noqa: E402
    base_warehouse,
    copy_warehouse,
    raw_of,
    run_measured,
    say,
)

FLOOR = (
    "import duckdb, shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2]); "
    "duckdb.connect(sys.argv[1], read_only=True).execute("
    '"EXPORT DATABASE \'" + sys.argv[3] + "\' (FORMAT parquet)")'
)


def publish_time(db: Path, workdir: Path) -> dict:
    """Seconds of a first publish, of a publish with nothing new, and of the floor; the ratio."""
    pub = workdir / f"pub_{db.parent.name}"
    command = [sys.executable, "-m", "etl", "publish", str(pub), "--db", str(db)]
    first = run_measured(command)
    unchanged = run_measured(command)
    floor_dir = workdir / f"floor_{db.parent.name}"
    floor_dir.mkdir()
    floor = run_measured(
        [sys.executable, "-c", FLOOR, str(db), str(floor_dir / "copy.duckdb"), str(floor_dir / "t")]
    )
    shutil.rmtree(floor_dir)
    return {
        "warehouse_mb": round(db.stat().st_size / 2**20, 1),
        "publish_s": first["seconds"], "publish_peak_mb": first["peak_mb"],
        "unchanged_s": unchanged["seconds"], "floor_s": floor["seconds"],
        "ratio_to_floor": round(first["seconds"] / floor["seconds"], 2),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000],
                        help="synthetic announcements appended before publishing")  # fmt: skip
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        workdir = Path(tmp)
        base = base_warehouse(workdir)
        results["shipped"] = publish_time(base, workdir)
        say(f"publish shipped: {results['shipped']}")
        for rows in args.rows:
            db = copy_warehouse(base, workdir / f"wh_{rows}" / "warehouse.duckdb")
            file = write(synthetic_frame(rows), workdir / "files" / f"synthetic_{rows}.csv")
            run_measured([sys.executable, "-m", "etl", "append", str(file), "--db", str(db),
                          "--raw", str(raw_of(db)), "--max-mb", "0"])  # fmt: skip
            results[f"{rows}"] = publish_time(db, workdir)
            say(f"publish +{rows:,} rows: {results[f'{rows}']}")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
