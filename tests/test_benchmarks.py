"""`python benchmarks/run.py --quick` keeps working: it runs end to end at 1 thousand rows and writes
every figure the full run reports. Timings are not asserted (CI machines vary); only that each
figure is there, of the right kind, and plausible."""

import json
import subprocess
import sys
from datetime import date

import pytest

from analytics.navigation import PAGES
from benchmarks.browser import QUICK_SESSIONS
from etl.warehouse import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE_NAMES = {page.url or "resumen" for page in PAGES}


def positive(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "r.json"
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,  # a loaded 2-core machine: about 10 minutes
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "target" in done.stdout and str(out) in done.stdout  # the printed table
    return json.loads(out.read_text())


def test_run_describes_itself(results):
    assert results["quick"] is True
    assert results["sizes"] == {"1k": 1000}
    assert set(results["targets"]) == set(results["verdict"])
    assert positive(results["total_s"]) and isinstance(results["machine"], str)


def test_intake_against_bare_reads(results):
    intake = results["intake"]["1k"]
    assert set(intake) == {"csv", "xlsx"}
    for fmt in ("csv", "xlsx"):
        assert positive(intake[fmt]["append_s"]) and positive(intake[fmt]["append_peak_mb"])
    csv = intake["csv"]
    assert positive(csv["duckdb_read_csv_s"])
    assert csv["ratio_to_duckdb"] == pytest.approx(csv["append_s"] / csv["duckdb_read_csv_s"], 0.05)
    xlsx = intake["xlsx"]
    assert positive(xlsx["bare_read_s"])
    assert xlsx["ratio_to_bare_read"] == pytest.approx(xlsx["append_s"] / xlsx["bare_read_s"], 0.05)
    assert results["verdict"]["intake_xlsx_ratio_to_bare_read"]["where"] == "xlsx at 1k"


def test_se_release_against_its_bare_read(results):
    se = results["se_release"]
    assert se["workbook"].startswith("data/raw/fdi/se_original_releases/")
    assert 1 < se["workbook_mb"] < 10  # about 2 MB
    assert positive(se["official_s"]) and positive(se["official_peak_mb"])
    assert positive(se["bare_read_s"])
    assert se["ratio_to_bare_read"] == pytest.approx(se["official_s"] / se["bare_read_s"], 0.05)
    verdict = results["verdict"]["se_release_ratio_to_bare_read"]
    assert verdict["value"] == se["ratio_to_bare_read"] and verdict["target"] == 2.0


def test_roster_intake_is_measured(results):
    cluster = results["cluster"]
    assert cluster["suppliers"] == 200
    assert positive(cluster["suppliers_s"]) and positive(cluster["actions_s"])


def test_every_page_cold_and_warm(results):
    pages = results["pages"]["1k"]
    assert set(pages) == PAGE_NAMES
    for runs in pages.values():
        assert isinstance(runs["cold_ms"], int) and isinstance(runs["warm_ms"], int)
        assert runs["cold_ms"] > 0 and runs["warm_ms"] > 0


def test_map_geometry(results):
    g = results["geometry"]
    assert 1 < g["map_figure_kb"] < 2000
    assert 0 < g["vertices_simplified"] < g["vertices_raw"]
    assert g["overlap_km2"] >= 0 and g["gap_km2"] >= 0


def test_browser_server_and_pack(results):
    b = results["browser"]
    assert set(b["first_chart_s"]) == PAGE_NAMES
    for view in b["first_chart_s"].values():
        assert set(view) == {"cold", "warm"} and all(positive(s) for s in view.values())
    memory = b["server_peak_mb"]  # sessions open -> peak MB; --quick opens fewer than 10 and 50
    assert list(memory) == [str(n) for n in QUICK_SESSIONS]
    fewer, more = memory.values()
    assert 50 < fewer <= more < 24_000  # the peak only grows as sessions open
    assert positive(results["pack"]["pack_s"]) and positive(results["pack"]["pack_peak_mb"])
    first, last = (date.fromisoformat(d) for d in results["pack"]["period"])
    assert (last.year * 12 + last.month) - (first.year * 12 + first.month) == 1  # two months


def test_streamlit_floor(results):
    floor = results["floor"]
    assert isinstance(floor["apptest_warm_ms"], int) and floor["apptest_warm_ms"] > 0
    assert set(floor["first_chart_s"]) == {"cold", "warm"}
    assert all(positive(s) for s in floor["first_chart_s"].values())
    assert positive(floor["plotly_js_first_chart_s"])


def test_first_view_is_a_ratio_to_the_floor(results):
    b, floor, verdict = results["browser"], results["floor"], results["verdict"]
    for way in ("cold", "warm"):
        slowest = max(view[way] for view in b["first_chart_s"].values())
        ratio = verdict[f"first_chart_ratio_{way}"]["value"]
        assert ratio == pytest.approx(slowest / floor["first_chart_s"][way], abs=0.01)
    assert verdict["server_peak_mb"]["value"] == b["server_peak_mb"][str(QUICK_SESSIONS[0])]


def test_verdict_names_value_target_and_where(results):
    for name, v in results["verdict"].items():
        assert v["target"] == results["targets"][name]
        assert positive(v["value"]) or v["value"] == 0
        assert v["met"] == (v["value"] <= v["target"])
        assert isinstance(v["where"], str) and v["where"]
