"""Server-side figures: each page's run in AppTest, the municipal map's size, the cluster's intake
and the meeting pack."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from benchmarks.generate_cluster import action_plan, roster, write_workbook
from benchmarks.measure import ROOT, copy_warehouse, raw_of, run_measured

WARM_RUNS = 3  # warm page runs per page: the median is reported

# ---------------------------------------------------------------- pages


def page_runs(db: Path) -> dict:
    """Each page's server-side run in AppTest, in a fresh process: cold (data and figure caches
    cleared) and warm (the median of WARM_RUNS reruns, as when a widget changes)."""
    code = f"""
import json, os, statistics, time
os.environ["WAREHOUSE_DB"] = {str(db)!r}
os.environ["WAREHOUSE_RAW"] = {str(raw_of(db))!r}
import streamlit as st
from streamlit.testing.v1 import AppTest
from analytics import ui
from analytics.navigation import PAGES
out = {{}}
for page in PAGES:
    app = AppTest.from_file({str(ROOT / "dashboard.py")!r}, default_timeout=600)
    app.run()  # a browser's first load: entry point, sidebar, default page
    st.cache_data.clear()
    ui._built.clear()  # the figures pages share (analytics/ui.py figure)
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


# A meeting's two months: a fixed bimester that holds shipped and synthetic announcements.
PACK_PERIOD = ("2025-09-01", "2025-10-31")


def pack_time(db: Path, workdir: Path) -> dict:
    """The meeting pack of PACK_PERIOD (PowerPoint and PNGs), as `python -m analytics pack`."""
    out = workdir / "pack.pptx"
    run = run_measured(
        [sys.executable, "-m", "analytics", "pack", "--from", PACK_PERIOD[0], "--to",
         PACK_PERIOD[1], "--lang", "es", "--out", str(out), "--png-dir",
         str(workdir / "pack_png"), "--db", str(db)]
    )  # fmt: skip
    return {"pack_s": run["seconds"], "pack_peak_mb": run["peak_mb"], "period": list(PACK_PERIOD)}
