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
from benchmarks.generate_cluster import action_plan, roster, write_workbook  # noqa: E402
from etl.warehouse import DEFAULT_RAW  # noqa: E402

SIZES = {"1k": 1_000, "100k": 100_000, "1M": 1_000_000}
XLSX_MAX_ROWS = 100_000
WARM_RUNS = 3  # warm page runs per page: the median is reported
SESSIONS = 10  # browser sessions open at once for the server's memory
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
TARGETS = {
    "intake_ratio_to_duckdb": 2.0,  # at the largest size
    "warm_page_ms": 150,
    "warm_page_ratio_largest_vs_1k": 2.0,
    "map_figure_kb": 150,
    "first_chart_s": 2.0,
    "pack_s": 20,
    "server_peak_mb": 1024,
}


def page_name(page) -> str:
    return page.url or "resumen"


def say(text: str) -> None:
    print(text, flush=True)


# ---------------------------------------------------------------- processes


# Runs a command and prints its peak memory. A launcher of its own because Linux keeps the
# largest resident size a process ever had, across exec: a child forked straight from this script
# would report this script's peak (a million-row frame), not its own.
PEAK_OF = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


def run_measured(cmd: list[str]) -> dict:
    """Wall time and peak memory (resident, MB) of a command in a child process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK_OF, *cmd], cwd=ROOT, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: some rows rejected (the command still did its work)
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr[-800:]}")
    peak_kb = int(done.stdout.strip().splitlines()[-1])
    return {"seconds": round(seconds, 3), "peak_mb": round(peak_kb / 1024, 1)}


def raw_of(db: Path) -> Path:
    """Each benchmark warehouse has its own copy of data/raw beside it: appends add to its journal,
    and the app started on it finds it fresh (no rebuild)."""
    return db.parent / "raw"


def base_warehouse(workdir: Path) -> Path:
    db = workdir / "base" / "warehouse.duckdb"
    shutil.copytree(DEFAULT_RAW, raw_of(db))
    run_measured([sys.executable, "-m", "etl", "build", "--db", str(db), "--raw", str(raw_of(db))])
    return db


def copy_warehouse(base: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(base, target)
    shutil.copytree(raw_of(base), raw_of(target))
    return target


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


# ---------------------------------------------------------------- pages


def page_runs(db: Path) -> dict:
    """Each page's server-side run in AppTest, in a fresh process: cold (data caches cleared) and
    warm (the median of WARM_RUNS reruns, as when a widget changes)."""
    code = f"""
import json, os, statistics, time
os.environ["WAREHOUSE_DB"] = {str(db)!r}
os.environ["WAREHOUSE_RAW"] = {str(raw_of(db))!r}
import streamlit as st
from streamlit.testing.v1 import AppTest
from analytics.navigation import PAGES
out = {{}}
for page in PAGES:
    app = AppTest.from_file({str(ROOT / "dashboard.py")!r}, default_timeout=600)
    app.run()  # a browser's first load: entry point, sidebar, default page
    st.cache_data.clear()
    app.switch_page(page.file)
    t = time.perf_counter(); app.run(); cold = time.perf_counter() - t
    warm = []
    for _ in range({WARM_RUNS}):
        t = time.perf_counter(); app.run(); warm.append(time.perf_counter() - t)
    assert not app.exception, [e.value for e in app.exception]
    out[page.url or "resumen"] = {{"cold_ms": round(cold * 1000),
                                   "warm_ms": round(statistics.median(warm) * 1000)}}
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("page runs failed:\n" + done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- geometry


def geometry(db: Path) -> dict:
    """The municipal map as the page sends it, against the raw INEGI geometry."""
    code = f"""
import json, os
os.environ["WAREHOUSE_DB"] = {str(db)!r}
import geopandas as gpd
import plotly.io as pio
from analytics import figures
from analytics.context import load_context
from analytics.filters import Filters
from etl import geo
from etl.warehouse import DEFAULT_RAW
folder = DEFAULT_RAW / "geo"
raw = gpd.read_file(folder / "slp_municipios.geojson")
frame = geo.municipalities_frame(folder / "slp_municipios.geojson",
                                 folder / "slp_municipios_catalogo.csv",
                                 DEFAULT_RAW / "municipal" / "slp_municipios_censo2020.csv")
report = geo.coverage_report(frame, raw)
fig, _ = figures.municipal_map(load_context("es", Filters()))
spec = pio.to_json(fig, validate=False)  # what st.plotly_chart sends to the browser
print(json.dumps({{"map_figure_kb": round(len(spec.encode()) / 1024, 1),
                  **{{k: report[k] for k in ("vertices_raw", "vertices_simplified",
                                             "overlap_km2", "gap_km2")}}}}))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("geometry failed:\n" + done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- browser and server


class Server:
    """The real Streamlit server on a free port, against one warehouse."""

    def __init__(self, db: Path, script: Path = ROOT / "dashboard.py"):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.headless", "true", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, "WAREHOUSE_DB": str(db), "WAREHOUSE_RAW": str(raw_of(db))},
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
        self.stop()
        raise RuntimeError("the Streamlit server did not start")

    def peak_mb(self) -> float:
        """Peak resident memory of the server process (VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_until_drawn(page, page_def, timeout_ms: int = 300_000) -> None:
    """The page's first chart, or its heading for pages that draw none until used."""
    first = ".js-plotly-plot .main-svg" if page_def.charts else "h1"
    page.wait_for_selector(first, timeout=timeout_ms)


def browser_figures(db: Path, sessions: int = SESSIONS) -> dict:
    """Time to first chart per page on a started server, then its peak memory with `sessions`
    pages open at once."""
    from playwright.sync_api import sync_playwright

    server = Server(db)
    result: dict = {"first_chart_s": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            viewport = {"width": 1440, "height": 1000}
            # One browser profile, as a returning user's: Streamlit's and plotly's scripts come
            # from its cache (they are served as immutable). The first load, which also starts
            # the server's caches, is not timed.
            user = browser.new_context(viewport=viewport)
            warm_up = user.new_page()
            warm_up.goto(server.url)
            wait_until_drawn(warm_up, PAGES[0])
            warm_up.close()
            for page_def in PAGES:
                page = user.new_page()
                start = time.perf_counter()
                page.goto(f"{server.url}/{page_def.url}")
                wait_until_drawn(page, page_def)
                result["first_chart_s"][page_name(page_def)] = round(time.perf_counter() - start, 2)
                page.close()
            contexts = []
            for i in range(sessions):  # separate contexts: separate Streamlit sessions
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.goto(f"{server.url}/{PAGES[i % len(PAGES)].url}")
                contexts.append((context, page, PAGES[i % len(PAGES)]))
            for _, page, page_def in contexts:
                wait_until_drawn(page, page_def)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                    timeout=300_000,
                )
            result["server_sessions"] = sessions
            result["server_peak_mb"] = server.peak_mb()
            browser.close()
    finally:
        server.stop()
    return result


FLOOR_APP = """
import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))
"""


PLAIN_PAGE = """<!doctype html><html><body><div id="chart"></div>
<script src="plotly.min.js"></script>
<script>
Plotly.newPlot("chart", [{type: "bar", x: ["a", "b", "c"], y: [3, 1, 2]}])
  .then(() => { window.drawnAt = performance.now(); });
</script></body></html>"""


def plotly_js_floor(workdir: Path) -> float:
    """Seconds to draw one small chart with plotly.js alone (the copy shipped in the plotly
    package, served locally) in a page of its own: what any plotly chart costs this browser."""
    import functools
    import http.server
    import threading

    import plotly
    from playwright.sync_api import sync_playwright

    site = workdir / "plain"
    site.mkdir(exist_ok=True)
    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
                    site / "plotly.min.js")  # fmt: skip
    (site / "index.html").write_text(PLAIN_PAGE)
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(quiet, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            user = browser.new_context()
            times = []
            for _ in range(3):  # the first fills the cache: not counted
                page = user.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{httpd.server_port}/index.html")
                page.wait_for_function("window.drawnAt !== undefined", timeout=60_000)
                times.append(time.perf_counter() - start)
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
    return round(min(times[1:]), 2)


def streamlit_floor(workdir: Path) -> dict:
    """What Streamlit and plotly cost by themselves: an app of one heading and one small chart,
    its warm AppTest run and its time to first chart in Chromium, measured as the pages are; and
    plotly.js alone in a plain page."""
    app = workdir / "floor_app.py"
    app.write_text(FLOOR_APP)
    code = f"""
import statistics, time
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({str(app)!r}, default_timeout=120)
app.run()
warm = []
for _ in range({WARM_RUNS}):
    t = time.perf_counter(); app.run(); warm.append(time.perf_counter() - t)
print(round(statistics.median(warm) * 1000))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("floor app failed:\n" + done.stderr[-2000:])
    result = {"apptest_warm_ms": int(done.stdout.strip().splitlines()[-1])}

    from playwright.sync_api import sync_playwright

    server = Server(workdir / "no.duckdb", script=app)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            user = browser.new_context(viewport={"width": 1440, "height": 1000})
            times = []
            for _ in range(3):  # the first load also starts the server's script: not counted
                page = user.new_page()
                start = time.perf_counter()
                page.goto(server.url)
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
                times.append(time.perf_counter() - start)
                page.close()
            result["first_chart_s"] = round(min(times[1:]), 2)
            browser.close()
    finally:
        server.stop()
    result["plotly_js_first_chart_s"] = plotly_js_floor(workdir)
    return result


def roster_time(db: Path, workdir: Path, suppliers: int) -> dict:
    """`etl suppliers` and `etl actions` of SYNTHETIC files (benchmarks/generate_cluster.py) into a
    copy of the largest warehouse."""
    target = copy_warehouse(db, workdir / "cluster" / "warehouse.duckdb")
    today = date.today()
    padron = write_workbook(dict(zip(("Proveedores", "Hitos"), roster(suppliers, today),
                                     strict=True)), workdir / "files" / "padron.xlsx")  # fmt: skip
    acuerdos = write_workbook(dict(zip(("Acciones", "Avances"), action_plan(suppliers, today),
                                       strict=True)), workdir / "files" / "acuerdos.xlsx")  # fmt: skip
    out = {"suppliers": suppliers}
    for kind, file in (("suppliers", padron), ("actions", acuerdos)):
        run = run_measured([sys.executable, "-m", "etl", kind, str(file), "--db", str(target),
                            "--raw", str(raw_of(target))])  # fmt: skip
        out[f"{kind}_s"], out[f"{kind}_peak_mb"] = run["seconds"], run["peak_mb"]
    return out


def pack_time(db: Path, workdir: Path) -> dict:
    """The meeting pack of a whole year (PowerPoint and PNGs), as `python -m analytics pack`."""
    out = workdir / "pack.pptx"
    run = run_measured(
        [sys.executable, "-m", "analytics", "pack", "--from", "2024-01-01", "--to", "2024-12-31",
         "--lang", "es", "--out", str(out), "--png-dir", str(workdir / "pack_png"),
         "--db", str(db)]
    )  # fmt: skip
    return {"pack_s": run["seconds"], "pack_peak_mb": run["peak_mb"]}


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
    first_chart = results["browser"]["first_chart_s"]
    latest = max(first_chart, key=first_chart.get)
    figures = {
        "intake_ratio_to_duckdb": (
            results["intake"][largest]["csv"]["ratio_to_duckdb"],
            f"csv at {largest}",
        ),
        "warm_page_ms": (warm[slowest]["warm_ms"], f"{slowest} at {largest}"),
        "warm_page_ratio_largest_vs_1k": (ratios[steepest], f"{steepest}, {largest} vs {first}"),
        "map_figure_kb": (results["geometry"]["map_figure_kb"], "municipal map"),
        "first_chart_s": (first_chart[latest], f"{latest} at {largest}"),
        "pack_s": (results["pack"]["pack_s"], f"2024 pack at {largest}"),
        "server_peak_mb": (
            results["browser"]["server_peak_mb"],
            f"{results['browser']['server_sessions']} sessions at {largest}",
        ),
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


def print_table(results: dict) -> None:
    nan = float("nan")
    say(f"\nBenchmarks · {results['machine']} · {results['date']}\n")
    say(f"{'rows':>6} {'format':>6} {'append s':>9} {'duckdb s':>9} {'ratio':>6} {'peak MB':>8}")
    for size, formats in results["intake"].items():
        for fmt, r in formats.items():
            bare, ratio = r.get("duckdb_read_csv_s", nan), r.get("ratio_to_duckdb", nan)
            say(f"{size:>6} {fmt:>6} {r['append_s']:>9.2f} {bare:>9.2f} {ratio:>6.2f} "
                f"{r['append_peak_mb']:>8.0f}")  # fmt: skip

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
    say("first chart in Chromium (s): "
        + ", ".join(f"{k} {v}" for k, v in b["first_chart_s"].items()))  # fmt: skip
    say(f"server peak memory with {b['server_sessions']} sessions at {sizes[-1]} rows: "
        f"{b['server_peak_mb']} MB")  # fmt: skip
    say(f"meeting pack (2024, es): {results['pack']['pack_s']} s")
    c = results["cluster"]
    say(f"supplier roster of {c['suppliers']:,} (and as many actions): etl suppliers "
        f"{c['suppliers_s']} s, etl actions {c['actions_s']} s")  # fmt: skip
    floor = results["floor"]
    say(f"Streamlit floor (one heading, one small chart): warm run {floor['apptest_warm_ms']} ms, "
        f"first chart in Chromium {floor['first_chart_s']} s; plotly.js alone in a plain page "
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
        results["cluster"] = roster_time(largest_db, workdir, 200 if args.quick else 2000)
        say(f"cluster: {results['cluster']}")
        results["geometry"] = geometry(largest_db)
        say(f"geometry: {results['geometry']}")
        results["browser"] = browser_figures(largest_db)
        say(f"browser: {results['browser']}")
        results["pack"] = pack_time(largest_db, workdir)
        say(f"pack: {results['pack']}")
        results["floor"] = streamlit_floor(workdir)
        say(f"Streamlit floor: {results['floor']}")
    results["verdict"] = verdict(results)
    results["total_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_table(results)
    say(f"\nJSON: {args.out} ({results['total_s']} s)")


if __name__ == "__main__":
    main()
