"""The real Streamlit server and headless Chromium, for the browser tests of every domain.

with streamlit_server(db, raw) as url: ...      # a server on a free port, on this warehouse
with chromium() as browser: page = open_page(browser, f"{url}/origen?lang=en")
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.warehouse import ROOT

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# Chromium flags for this machine: no sandbox as root, no background calls to closed networks.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    db: Path,
    raw: Path | None = None,
    env: dict | None = None,
    cwd: Path = ROOT,
    port: int | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free port (or port) against db (and raw, its sources and
    journal); the URL. cwd holds the .streamlit folder the server reads; args are more options of
    `streamlit run` (e.g. --secrets.files FILE: sign-in with a test provider)."""
    port = port or free_port()
    env = {**os.environ, "WAREHOUSE_DB": str(db), **(env or {})}
    if raw is not None:
        env["WAREHOUSE_RAW"] = str(raw)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(cwd / "dashboard.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", *args],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("Streamlit did not start: " + process.stdout.read().decode()[-2000:])
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: bash tests/run.sh installs it"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def open_page(browser, url: str, charts: bool = True):
    """The page at url once its run has finished (and, with charts, once a chart is drawn)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
    # Let the run finish: Streamlit marks the app as running while scripts execute.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000
    )
    page.wait_for_timeout(800)
    return page


def screenshot(page, name: str) -> Path:
    """A full-page screenshot in artifacts/screenshots/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
