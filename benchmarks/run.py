"""Benchmarks: how the ETL and the pages scale, against the floor set by DuckDB and Streamlit.

    python benchmarks/run.py            # 1 thousand, 100 thousand and 1 million rows
    python benchmarks/run.py --quick    # 1 thousand rows only (CI: keeps the benchmark working)

Prints a table and writes JSON (default benchmarks/out/results.json). All announcement files are
SYNTHETIC (benchmarks/generate.py, seeded); they are appended to a warehouse built from the shipped
data, in a temporary folder. Timings are reported against the targets, never asserted.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from benchmarks.browser import (  # noqa: E402
    QUICK_SESSIONS,
    REPEATS,
    SESSIONS,
    browser_figures,
    streamlit_floor,
)
from benchmarks.generate import synthetic_frame, write  # noqa: E402
from benchmarks.intake import intake, se_release  # noqa: E402
from benchmarks.measure import base_warehouse, say  # noqa: E402
from benchmarks.pages import geometry, pack_time, page_runs, roster_time  # noqa: E402

SIZES = {"1k": 1_000, "100k": 100_000, "1M": 1_000_000}
XLSX_MAX_ROWS = 100_000
TARGETS = {
    "intake_ratio_to_duckdb": 2.0,  # CSV at the largest size, to DuckDB's bare read_csv
    "intake_xlsx_ratio_to_bare_read": 2.0,  # XLSX at its largest size, to calamine's bare read
    "se_release_ratio_to_bare_read": 2.0,  # SE's shipped workbook, to calamine's bare read
    "warm_page_ms": 100,
    "warm_page_ratio_largest_vs_1k": 2.0,
    "map_figure_kb": 150,
    # The slowest page's first chart over the bare Streamlit page's, in the same run.
    "first_chart_ratio_cold": 1.3,
    "first_chart_ratio_warm": 1.3,
    "pack_s": 10,  # two months
    "server_peak_mb": 600,  # with SESSIONS[0] sessions open (the next counts are printed too)
}


# ---------------------------------------------------------------- targets and report


def verdict(results: dict) -> dict:
    """Each target against the worst figure measured for it (at the largest size)."""
    sizes = list(results["pages"])
    largest, first = sizes[-1], sizes[0]
    warm = results["pages"][largest]
    slowest = max(warm, key=lambda p: warm[p]["warm_ms"])
    ratios = {
        p: round(warm[p]["warm_ms"] / max(results["pages"][first][p]["warm_ms"], 1), 2)
        for p in warm
    }
    steepest = max(ratios, key=ratios.get)
    first_chart, floor = results["browser"]["first_chart_s"], results["floor"]["first_chart_s"]
    slowest_view = {
        way: max(first_chart, key=lambda p, way=way: first_chart[p][way]) for way in floor
    }
    view_ratio = {
        way: round(first_chart[page][way] / floor[way], 2) for way, page in slowest_view.items()
    }
    memory = results["browser"]["server_peak_mb"]
    sessions = next(iter(memory))
    xlsx_largest = [size for size in sizes if "xlsx" in results["intake"][size]][-1]
    figures = {
        "intake_ratio_to_duckdb": (
            results["intake"][largest]["csv"]["ratio_to_duckdb"],
            f"csv at {largest}",
        ),
        "intake_xlsx_ratio_to_bare_read": (
            results["intake"][xlsx_largest]["xlsx"]["ratio_to_bare_read"],
            f"xlsx at {xlsx_largest}",
        ),
        "se_release_ratio_to_bare_read": (
            results["se_release"]["ratio_to_bare_read"],
            f"{Path(results['se_release']['workbook']).name}",
        ),
        "warm_page_ms": (warm[slowest]["warm_ms"], f"{slowest} at {largest}"),
        "warm_page_ratio_largest_vs_1k": (ratios[steepest], f"{steepest}, {largest} vs {first}"),
        "map_figure_kb": (results["geometry"]["map_figure_kb"], "municipal map"),
        **{
            f"first_chart_ratio_{way}": (
                view_ratio[way],
                f"{slowest_view[way]} at {largest}, {first_chart[slowest_view[way]][way]} s "
                f"against {floor[way]} s",
            )
            for way in ("cold", "warm")
        },
        "pack_s": (results["pack"]["pack_s"], f"{pack_period(results)} pack at {largest}"),
        "server_peak_mb": (memory[sessions], f"{sessions} sessions at {largest}"),
    }
    return {
        name: {
            "value": value,
            "target": TARGETS[name],
            "met": value <= TARGETS[name],
            "where": where,
        }
        for name, (value, where) in figures.items()
    }


def pack_period(results: dict) -> str:
    first, last = results["pack"]["period"]
    return f"{first} to {last}"


def print_table(results: dict) -> None:
    nan = float("nan")
    say(f"\nBenchmarks · {results['machine']} · {results['date']}\n")
    # The floor: DuckDB's bare read_csv of a CSV, calamine's bare read of a workbook.
    say(f"{'rows':>6} {'format':>6} {'append s':>9} {'floor s':>9} {'ratio':>6} {'peak MB':>8}")
    for size, formats in results["intake"].items():
        for fmt, r in formats.items():
            bare = r.get("duckdb_read_csv_s", r.get("bare_read_s", nan))
            ratio = r.get("ratio_to_duckdb", r.get("ratio_to_bare_read", nan))
            say(f"{size:>6} {fmt:>6} {r['append_s']:>9.2f} {bare:>9.2f} {ratio:>6.2f} "
                f"{r['append_peak_mb']:>8.0f}")  # fmt: skip
    se = results["se_release"]
    say(f"SE release ({se['workbook_mb']} MB): etl official {se['official_s']:.2f} s, bare read "
        f"{se['bare_read_s']:.2f} s, ratio {se['ratio_to_bare_read']:.2f}, peak "
        f"{se['official_peak_mb']:.0f} MB")  # fmt: skip

    sizes = list(results["pages"])
    header = "".join(f"{size + ' cold':>12}{size + ' warm':>12}" for size in sizes)
    say(f"\n{'page':<12}{header}{'warm ratio':>12}")
    for page in results["pages"][sizes[0]]:
        runs = [results["pages"][size][page] for size in sizes]
        cells = "".join(f"{r['cold_ms']:>10}ms{r['warm_ms']:>10}ms" for r in runs)
        ratio = runs[-1]["warm_ms"] / max(runs[0]["warm_ms"], 1)
        say(f"{page:<12}{cells}{ratio:>12.2f}")

    g, b = results["geometry"], results["browser"]
    say(f"\nmunicipal map figure: {g['map_figure_kb']} KB; vertices {g['vertices_raw']:,} raw, "
        f"{g['vertices_simplified']:,} drawn; overlap {g['overlap_km2']:.1e} km², "
        f"gap {g['gap_km2']:.1e} km²")  # fmt: skip
    floor = results["floor"]
    say(f"\n{'first chart in Chromium':<24}{'cold s':>8}{'× floor':>9}{'warm s':>8}{'× floor':>9}")
    for page, view in b["first_chart_s"].items():
        say(f"{page:<24}{view['cold']:>8.2f}{view['cold'] / floor['first_chart_s']['cold']:>9.2f}"
            f"{view['warm']:>8.2f}{view['warm'] / floor['first_chart_s']['warm']:>9.2f}")  # fmt: skip
    say(f"{'floor: bare Streamlit':<24}{floor['first_chart_s']['cold']:>8.2f}{1:>9.2f}"
        f"{floor['first_chart_s']['warm']:>8.2f}{1:>9.2f}")  # fmt: skip
    say(
        f"server peak memory at {sizes[-1]} rows: "
        + ", ".join(f"{mb} MB with {n} sessions" for n, mb in b["server_peak_mb"].items())
    )
    say(f"meeting pack ({pack_period(results)}, es): {results['pack']['pack_s']} s")
    c = results["cluster"]
    say(f"supplier roster of {c['suppliers']:,} (and as many actions): etl suppliers "
        f"{c['suppliers_s']} s, etl actions {c['actions_s']} s")  # fmt: skip
    say(f"Streamlit floor (one heading, one small chart): warm run {floor['apptest_warm_ms']} ms, "
        f"first chart in Chromium {floor['first_chart_s']['cold']} s cold, "
        f"{floor['first_chart_s']['warm']} s warm; plotly.js alone in a plain page "
        f"{floor['plotly_js_first_chart_s']} s")  # fmt: skip
    say("\ntarget                              value    target  met   where")
    for name, v in results["verdict"].items():
        say(f"{name:<32}{v['value']:>9}{v['target']:>10}  {'yes' if v['met'] else 'NO ':<4}  "
            f"{v['where']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 thousand rows only")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "results.json")
    args = parser.parse_args()
    sizes = {"1k": SIZES["1k"]} if args.quick else SIZES
    results: dict = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "quick": args.quick,
        "sizes": sizes,
        "targets": TARGETS,
        "intake": {},
        "pages": {},
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        workdir = Path(tmp)
        base = base_warehouse(workdir)
        largest_db = base
        for label, rows in sizes.items():
            frame = synthetic_frame(rows)
            formats = ["csv"] + (["xlsx"] if rows <= XLSX_MAX_ROWS else [])
            results["intake"][label] = {}
            for fmt in formats:
                file = write(frame, workdir / "files" / f"synthetic_{label}.{fmt}")
                measured, db = intake(file, base, workdir)
                results["intake"][label][fmt] = measured
                say(f"intake {label} {fmt}: {measured}")
                if fmt == "csv":
                    largest_db = db
                    results["pages"][label] = page_runs(db)
                    say(f"pages {label}: {results['pages'][label]}")
                file.unlink()
        results["se_release"] = se_release(base, workdir)
        say(f"SE release: {results['se_release']}")
        results["cluster"] = roster_time(largest_db, workdir, 200 if args.quick else 2000)
        say(f"cluster: {results['cluster']}")
        results["geometry"] = geometry(largest_db)
        say(f"geometry: {results['geometry']}")
        repeats = 1 if args.quick else REPEATS
        sessions = QUICK_SESSIONS if args.quick else SESSIONS
        results["browser"] = browser_figures(largest_db, sessions, repeats)
        say(f"browser: {results['browser']}")
        results["pack"] = pack_time(largest_db, workdir)
        say(f"pack: {results['pack']}")
        results["floor"] = streamlit_floor(workdir, repeats)
        say(f"Streamlit floor: {results['floor']}")
    results["verdict"] = verdict(results)
    results["total_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_table(results)
    say(f"\nJSON: {args.out} ({results['total_s']} s)")


if __name__ == "__main__":
    main()
