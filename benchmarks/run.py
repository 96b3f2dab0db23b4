"""Benchmarks: how the ETL and the pages scale, against the floor set by DuckDB and Streamlit.

    python benchmarks/run.py            # 1 thousand, 100 thousand and 1 million rows
    python benchmarks/run.py --quick    # 1 thousand rows only (CI: keeps the benchmark working)

Prints a table and writes JSON (default benchmarks/out/results.json). All announcement files are
SYNTHETIC (benchmarks/generate.py, seeded); they are appended to a warehouse built from the shipped
data. Timings are reported, never asserted.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from analytics.navigation import PAGES  # noqa: E402
from benchmarks.generate import synthetic_frame, write  # noqa: E402

SIZES = {"1k": 1_000, "100k": 100_000, "1M": 1_000_000}
XLSX_MAX_ROWS = 100_000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
TARGETS = {
    "intake_ratio_1M": 2.0,
    "warm_page_ms": 150,
    "warm_page_ratio_1M_vs_1k": 2.0,
    "map_figure_kb": 150,
    "first_chart_s": 2.0,
    "pack_s": 20,
    "server_mb_10_sessions": 1024,
}


# ---------------------------------------------------------------- processes


def run_measured(cmd: list[str], env: dict | None = None) -> dict:
    """Wall time and peak memory of a child process (its own ru_maxrss, via wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {code}: {child.stderr.read().decode()[-800:]}")
    return {"seconds": round(seconds, 3), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def base_warehouse(workdir: Path) -> Path:
    db = workdir / "base" / "warehouse.duckdb"
    run_measured([sys.executable, "-m", "etl", "build", "--db", str(db)])
    return db


def copy_warehouse(base: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(base, target)
    return target


# ---------------------------------------------------------------- intake


def intake(file: Path, base: Path, workdir: Path) -> tuple[dict, Path]:
    """`etl append` into a copy of the base warehouse, and DuckDB's bare read_csv of the same file."""
    db = copy_warehouse(base, workdir / f"wh_{file.stem}" / "warehouse.duckdb")
    append = run_measured([sys.executable, "-m", "etl", "append", str(file), "--db", str(db)])
    result = {"append_s": append["seconds"], "append_peak_mb": append["peak_mb"]}
    if file.suffix == ".csv":
        bare_db = workdir / f"bare_{file.stem}.duckdb"
        script = ("import duckdb, sys; duckdb.connect(sys.argv[1]).execute("
                  "'CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[2]])")  # fmt: skip
        bare = run_measured([sys.executable, "-c", script, str(bare_db), str(file)])
        result |= {"duckdb_read_csv_s": bare["seconds"],
                   "ratio_to_duckdb": round(append["seconds"] / bare["seconds"], 2)}  # fmt: skip
    return result, db


# ---------------------------------------------------------------- pages


def page_runs(db: Path) -> dict:
    """Each page's server-side run in AppTest, cold (caches cleared) and warm, in a fresh process."""
    code = f"""
import json, os, time
os.environ["WAREHOUSE_DB"] = {str(db)!r}
import streamlit as st
from streamlit.testing.v1 import AppTest
from analytics.navigation import PAGES
out = {{}}
for page in PAGES:
    app = AppTest.from_file({str(ROOT / "dashboard.py")!r}, default_timeout=300)
    app.run()  # a browser's first load: entry point, sidebar, default page
    st.cache_data.clear()
    app.switch_page(page.file)
    t = time.perf_counter(); app.run(); cold = time.perf_counter() - t
    t = time.perf_counter(); app.run(); warm = time.perf_counter() - t
    assert not app.exception, [e.value for e in app.exception]
    out[page.url or "resumen"] = {{"cold_ms": round(cold * 1000), "warm_ms": round(warm * 1000)}}
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("page runs failed:\n" + done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- geometry


def geometry(db: Path) -> dict:
    import geopandas as gpd

    from analytics import figures
    from analytics.context import load_context
    from analytics.filters import Filters
    from etl import geo
    from etl.warehouse import DEFAULT_RAW

    os.environ["WAREHOUSE_DB"] = str(db)
    raw = gpd.read_file(DEFAULT_RAW / "geo" / "slp_municipios.geojson")
    frame = geo.municipalities_frame(
        DEFAULT_RAW / "geo" / "slp_municipios.geojson",
        DEFAULT_RAW / "geo" / "slp_municipios_catalogo.csv",
        DEFAULT_RAW / "municipal" / "slp_municipios_censo2020.csv",
    )
    report = geo.coverage_report(frame, raw)
    fig, _ = figures.municipal_map(load_context("es", Filters()))
    return {
        "map_figure_kb": round(len(fig.to_json().encode()) / 1024, 1),
        "vertices_raw": report["vertices_raw"],
        "vertices_simplified": report["vertices_simplified"],
        "overlap_km2": report["overlap_km2"],
        "gap_km2": report["gap_km2"],
    }


# ---------------------------------------------------------------- browser and server


class Server:
    """The real Streamlit server on a free port, against one warehouse."""

    def __init__(self, db: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
             "--server.headless", "true", "--server.port", str(self.port)],
            cwd=ROOT, env={**os.environ, "WAREHOUSE_DB": str(db)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the Streamlit server did not start")

    def peak_mb(self) -> float:
        """Peak resident memory of the server process (VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def browser_figures(db: Path, sessions: int = 10) -> dict:
    """Time to first chart per page, then peak server memory with `sessions` pages open."""
    from playwright.sync_api import sync_playwright

    server = Server(db)
    result: dict = {"first_chart_s": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for page_def in PAGES:
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                start = time.perf_counter()
                page.goto(f"{server.url}/{page_def.url}")
                first = ".js-plotly-plot .main-svg" if page_def.charts else "h1"
                page.wait_for_selector(first, timeout=120_000)
                result["first_chart_s"][page_def.url or "resumen"] = round(
                    time.perf_counter() - start, 2
                )
                page.close()
            open_pages = []
            for i in range(sessions):  # separate contexts: separate Streamlit sessions
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                page = context.new_page()
                page.goto(f"{server.url}/{PAGES[i % len(PAGES)].url}")
                open_pages.append(page)
            for page in open_pages:
                page.wait_for_selector("h1", timeout=120_000)
            result["server_peak_mb_sessions"] = sessions
            result["server_peak_mb"] = server.peak_mb()
            browser.close()
    finally:
        server.stop()
    return result


def pack_time(db: Path, workdir: Path) -> dict:
    out = workdir / "pack.pptx"
    run = run_measured(
        [sys.executable, "-m", "analytics", "pack", "--from", "2024-01-01", "--to", "2024-12-31",
         "--lang", "es", "--out", str(out), "--png-dir", str(workdir / "pack_png"),
         "--db", str(db)]
    )  # fmt: skip
    return {"pack_s": run["seconds"], "pack_peak_mb": run["peak_mb"]}


# ---------------------------------------------------------------- report


def print_table(results: dict) -> None:
    nan = float("nan")
    print(f"\nBenchmarks · {results['machine']} · {results['date']}\n")
    print(f"{'size':>6} {'format':>6} {'append s':>9} {'duckdb s':>9} {'ratio':>6} {'peak MB':>8}")
    for size, formats in results["intake"].items():
        for fmt, r in formats.items():
            bare, ratio = r.get("duckdb_read_csv_s", nan), r.get("ratio_to_duckdb", nan)
            print(f"{size:>6} {fmt:>6} {r['append_s']:>9.2f} {bare:>9.2f} {ratio:>6.2f} "
                  f"{r['append_peak_mb']:>8.0f}")  # fmt: skip

    sizes = list(results["pages"])
    header = "".join(f"{size + ' cold':>12}{size + ' warm':>12}" for size in sizes)
    print(f"\n{'page':<12}{header}{'warm ratio':>12}")
    for page in results["pages"][sizes[0]]:
        runs = [results["pages"][size][page] for size in sizes]
        cells = "".join(f"{r['cold_ms']:>10}ms{r['warm_ms']:>10}ms" for r in runs)
        ratio = runs[-1]["warm_ms"] / max(runs[0]["warm_ms"], 1)
        print(f"{page:<12}{cells}{ratio:>12.2f}")

    g, b = results["geometry"], results["browser"]
    print(f"\nmap figure: {g['map_figure_kb']} KB; vertices {g['vertices_raw']:,} raw, "
          f"{g['vertices_simplified']:,} drawn; overlap {g['overlap_km2']:.1e} km², "
          f"gap {g['gap_km2']:.1e} km²")  # fmt: skip
    print("first chart in Chromium (s): "
          + ", ".join(f"{k} {v}" for k, v in b["first_chart_s"].items()))  # fmt: skip
    print(f"server peak memory with {b['server_peak_mb_sessions']} sessions at {sizes[-1]} rows: "
          f"{b['server_peak_mb']} MB")  # fmt: skip
    print(f"meeting pack (2024, es): {results['pack']['pack_s']} s")
    print("targets: " + ", ".join(f"{k} {v}" for k, v in TARGETS.items()))


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
        "targets": TARGETS,
        "intake": {},
        "pages": {},
    }
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
                print(f"intake {label} {fmt}: {measured}", flush=True)
                if fmt == "csv":
                    largest_db = db
                    results["pages"][label] = page_runs(db)
                    print(f"pages {label}: {results['pages'][label]}", flush=True)
        results["geometry"] = geometry(base)
        results["browser"] = browser_figures(largest_db)
        results["pack"] = pack_time(largest_db, workdir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_table(results)
    print(f"\nJSON: {args.out}")


if __name__ == "__main__":
    main()
