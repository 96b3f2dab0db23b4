"""Where a page's first view goes in the browser: plotly.js's own time to draw each page's figures,
in a plain page (the copy shipped in the plotly package), as the app sends them and with the axes'
automargin off. Streamlit mounts every chart that has arrived in one go once its plotly chunk has
loaded, so a page's first chart is visible only after all of these are drawn.

    python benchmarks/chart_draw.py [--db path/to/warehouse.duckdb] [page ...]

A diagnostic, not a target: it prints milliseconds, the median of five draws on this machine.
"""

import argparse
import functools
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from benchmarks.measure import CHROMIUM, CHROMIUM_ARGS, raw_of  # noqa: E402

# Each page's figures as the app sends them, from an AppTest run in a process of its own.
DUMP = """
import json, os, sys
os.environ["WAREHOUSE_DB"], os.environ["WAREHOUSE_RAW"] = sys.argv[1], sys.argv[2]
from streamlit.testing.v1 import AppTest
from analytics.navigation import PAGES
out = {}
for page in PAGES:
    name = page.url or "resumen"
    if page.charts and (name in sys.argv[4:] or len(sys.argv) == 4):
        app = AppTest.from_file(sys.argv[3], default_timeout=600)
        if page.url:
            app.switch_page(page.file)
        app.run()
        out[name] = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
print(json.dumps(out))
"""

PLAIN_PAGE = """<!doctype html><html><body style="width:1100px"><div id="box"></div>
<script src="plotly.min.js"></script>
<script>
window.draw = async (figures, automargin) => {
  const box = document.getElementById("box");
  box.innerHTML = "";
  const times = [];
  for (const figure of structuredClone(figures)) {
    const chart = box.appendChild(document.createElement("div"));
    for (const [key, axis] of Object.entries(figure.layout))
      if (!automargin && /^[xy]axis/.test(key)) axis.automargin = false;
    const start = performance.now();
    await Plotly.newPlot(chart, figure.data, figure.layout);
    times.push(performance.now() - start);
  }
  return times;
};
</script></body></html>"""


def draw_times(pages: dict[str, list], repeats: int = 5) -> dict:
    import plotly
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
                        site / "plotly.min.js")  # fmt: skip
        (site / "index.html").write_text(PLAIN_PAGE)
        quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,),
                     {"log_message": lambda *a: None})  # fmt: skip
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(quiet, directory=str(site))
        )
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        out = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(f"http://127.0.0.1:{httpd.server_port}/index.html")
                for name, figures in pages.items():
                    out[name] = {}
                    for way, automargin in (("as_sent", True), ("no_automargin", False)):
                        page.evaluate("([f, a]) => draw(f, a)", [figures, automargin])  # warm-up
                        runs = [page.evaluate("([f, a]) => draw(f, a)", [figures, automargin])
                                for _ in range(repeats)]  # fmt: skip
                        out[name][way] = [round(statistics.median(r[i] for r in runs))
                                          for i in range(len(figures))]  # fmt: skip
                browser.close()
        finally:
            httpd.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    parser.add_argument(
        "pages", nargs="*", help="page names (resumen, origen, ...); all by default"
    )
    args = parser.parse_args()
    done = subprocess.run(
        [sys.executable, "-c", DUMP, str(args.db), str(raw_of(args.db)), str(ROOT / "dashboard.py"),
         *args.pages],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    pages = json.loads(done.stdout.strip().splitlines()[-1])
    for name, times in draw_times(pages).items():
        kb = [round(len(json.dumps(f)) / 1024, 1) for f in pages[name]]
        print(f"{name:<12} {len(kb)} charts, {sum(kb):6.1f} KB of figures; draw ms "
              f"as sent {sum(times['as_sent']):4} {times['as_sent']}, without automargin "
              f"{sum(times['no_automargin']):4} {times['no_automargin']}")  # fmt: skip


if __name__ == "__main__":
    main()
