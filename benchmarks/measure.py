"""What every benchmark shares: the project's root, child processes measured for time and peak
memory, the benchmark warehouses, and the real Streamlit server."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from etl.warehouse import DEFAULT_RAW

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


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
