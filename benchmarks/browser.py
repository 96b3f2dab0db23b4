"""Browser figures: time to the first chart of every page in headless Chromium, the server's memory
with many sessions open, and the floors set by a bare Streamlit page and plotly.js alone."""

import functools
import shutil
import subprocess
import sys
import time
from pathlib import Path

from analytics.navigation import PAGES
from benchmarks.measure import CHROMIUM, CHROMIUM_ARGS, ROOT, Server, page_name
from benchmarks.pages import WARM_RUNS

SESSIONS = (10, 50)  # browser sessions open at once, for the server's memory
QUICK_SESSIONS = (2, 4)  # --quick: 50 tabs take minutes on 2 cores
VIEWPORT = {"width": 1440, "height": 1000}
REPEATS = 2  # timed loads of each page, cold and warm: the fastest is reported (1 in --quick)


def wait_until_drawn(page, page_def, timeout_ms: int = 300_000) -> None:
    """The page's first chart, or its heading for pages that draw none until used."""
    first = ".js-plotly-plot .main-svg" if page_def.charts else "h1"
    page.wait_for_selector(first, timeout=timeout_ms)


def _timed_load(context, url: str, drawn) -> float:
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    drawn(page)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def first_view(browser, user, url: str, drawn, repeats: int = REPEATS) -> dict:
    """Seconds from navigation to the first chart at url, the fastest of `repeats` loads each way:
    cold, in a fresh browser profile (every script and font downloaded and compiled), and warm,
    in the returning user's profile `user` (Streamlit's and plotly's files come from its cache:
    they are served as immutable)."""
    cold, warm = [], []
    for _ in range(repeats):
        fresh = browser.new_context(viewport=VIEWPORT)
        cold.append(_timed_load(fresh, url, drawn))
        fresh.close()
        warm.append(_timed_load(user, url, drawn))
    return {"cold": round(min(cold), 2), "warm": round(min(warm), 2)}


def browser_figures(db: Path, sessions: tuple[int, ...] = SESSIONS, repeats: int = REPEATS) -> dict:
    """Time to first chart per page (cold and warm) on a started server, then its peak memory with
    each number of `sessions` open at once."""
    from playwright.sync_api import sync_playwright

    server = Server(db)
    result: dict = {"first_chart_s": {}, "server_peak_mb": {}}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # Every page is loaded once first, untimed: that starts the server's caches, as any
            # earlier visitor since the warehouse changed would have, and fills the user's cache.
            user = browser.new_context(viewport=VIEWPORT)
            for page_def in PAGES:
                drawn = functools.partial(wait_until_drawn, page_def=page_def)
                _timed_load(user, f"{server.url}/{page_def.url}", drawn)
            for page_def in PAGES:
                drawn = functools.partial(wait_until_drawn, page_def=page_def)
                result["first_chart_s"][page_name(page_def)] = first_view(
                    browser, user, f"{server.url}/{page_def.url}", drawn, repeats
                )
            user.close()
            result["server_peak_mb"] = sessions_memory(browser, server, sessions)
            browser.close()
    finally:
        server.stop()
    return result


def sessions_memory(browser, server: Server, sessions: tuple[int, ...]) -> dict:
    """The server's peak memory with each number of sessions open at once (more are opened for
    each next figure; separate contexts: separate Streamlit sessions)."""
    out, opened = {}, []
    for count in sessions:
        while len(opened) < count:
            page_def = PAGES[len(opened) % len(PAGES)]
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.goto(f"{server.url}/{page_def.url}")
            opened.append((context, page, page_def))
        for _, page, _ in opened:  # each session's script has run (its charts may still draw)
            page.wait_for_selector("h1", timeout=300_000)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=300_000,
            )
        out[str(count)] = server.peak_mb()
    for context, _, _ in opened:
        context.close()
    return out


FLOOR_PAGE = PAGES[0]  # any page that draws a chart: the floor app's first chart is waited for
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


def streamlit_floor(workdir: Path, repeats: int = REPEATS) -> dict:
    """What Streamlit and plotly cost by themselves: an app of one heading and one small chart,
    its warm AppTest run and its time to first chart in Chromium (cold and warm), measured as the
    pages are; and plotly.js alone in a plain page."""
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
            user = browser.new_context(viewport=VIEWPORT)
            drawn = functools.partial(wait_until_drawn, page_def=FLOOR_PAGE)
            _timed_load(user, server.url, drawn)  # starts the server's script: not counted
            result["first_chart_s"] = first_view(browser, user, server.url, drawn, repeats)
            browser.close()
    finally:
        server.stop()
    result["plotly_js_first_chart_s"] = plotly_js_floor(workdir)
    return result
