"""Faults and load: the ETL killed (SIGKILL) at random moments of build, append and correct, and dashboard
readers querying while loads swap the warehouse. The warehouse always opens and holds either the
old or the new content, never a mix; every query sees one whole warehouse.

The ETL runs in real processes forked from a "zygote" that imported it once (so that the kills land
in the work, not in Python's start-up). The zygote kills its own child, which it has not reaped
yet, so the signal can never reach another process.
"""

import json
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl.journal import journal_dir
from etl.load import build
from etl.warehouse import ROOT
from tests.conftest import FIXTURES, TODAY, raw_copy

SEED = 20261122
KILLS_PER_OPERATION = 10  # 10 during build, append and correct each = 30 kills

ZYGOTE = r"""
import json, os, signal, sys, time
sys.path.insert(0, sys.argv[1])
from etl.__main__ import main  # import once; every job is a fork of this process

for line in sys.stdin:
    job = json.loads(line)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        code = 1
        try:
            code = main(job["argv"])
        finally:
            os._exit(code)
    killed = False
    deadline = started + job["kill_after"] if job["kill_after"] is not None else None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if deadline is not None and time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            killed = True
            break
        time.sleep(0.002)
    code = None if killed else os.waitstatus_to_exitcode(status)
    print(json.dumps({"killed": killed, "code": code,
                      "seconds": time.monotonic() - started}), flush=True)
"""


class Zygote:
    """A process that has imported the ETL and runs each job in a forked child."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
        )

    def run(self, argv: list[str], kill_after: float | None = None) -> dict:
        self.proc.stdin.write(json.dumps({"argv": argv, "kill_after": kill_after}) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def zygote():
    z = Zygote()
    yield z
    z.close()


NEW_ROWS = (
    "empresa,país,municipio,fecha,monto,moneda,empleos\n"
    "Epsilon Frenos Sintética,Japón,Villa de Reyes,2025-02-10,25 mdd,,120\n"
    "Zeta Arneses Sintética,Corea,Soledad de G. S.,2025-03,40 mdd,,300\n"
    "Eta Mala Sintética,Narnia,Villa de Reyes,2025-03,40 mdd,,300\n"
)
# Corrections of the fixture's rows: a status with its date, an amount, one line that names no row.
CORRECTIONS = (
    "company,existing_announced_date,field,old_value,new_value,source_url,source_date,quote\n"
    "Alfa Motores Sintética,2024-03-20,status,announced,operating,https://example.org/k,2025-09-01,"
    "inaugurada\n"
    "Beta Estampados Sintética,2023-06,amount,50000000,55000000,https://example.org/k,,\n"
    "Nadie Sintética,,status,announced,operating,https://example.org/k,,\n"
)
# The build's new content: the fixture's 5 rows and 2 more.
BUILD_EXTRA = (
    "Theta Vidrios Sintética,,KR,plastics,Tier 2,new_plant,Cerritos,,2021-04,15000000,USD,90,"
    "operating,https://example.org/theta,Synthetic fixture,2021-04,synthetic test row\n"
    "Iota Cables Sintética,,ES,electrical/electronics,Tier 2,expansion,Matehuala,,2020,30000000,"
    "EUR,150,operating,https://example.org/iota,Synthetic fixture,2020,synthetic test row\n"
)


def signature(db: Path) -> tuple:
    """What a reader sees: announcements, loads, rows loaded, rejects, reference tables."""
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(
            con.execute(
                "SELECT (SELECT count(*) FROM announcements), (SELECT count(*) FROM load_log), "
                "(SELECT coalesce(sum(rows_loaded), 0) FROM load_log), "
                "(SELECT count(*) FROM rejects), (SELECT count(*) FROM municipalities), "
                "(SELECT count(*) FROM countries), (SELECT count(*) FROM build_info), "
                "(SELECT count(*) FROM changes), (SELECT string_agg(status, ',' ORDER BY "
                "announcement_id) FROM announcements)"
            ).fetchall()[0]
        )


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """Raw folders for the old and the new build, the old warehouse, and the file to append."""
    base = tmp_path_factory.mktemp("faults")
    raw_old = raw_copy(base / "old", FIXTURES / "small_announcements.csv")
    raw_new = raw_copy(base / "new")
    target = raw_new / "announcements" / "slp_announcements.csv"
    target.write_text(
        (FIXTURES / "small_announcements.csv").read_text(encoding="utf-8") + BUILD_EXTRA,
        encoding="utf-8",
    )
    old = base / "old_wh" / "warehouse.duckdb"
    build(old, raw_old, today=TODAY)
    new_file = base / "nuevos.csv"
    new_file.write_text(NEW_ROWS, encoding="utf-8")
    fixes = base / "correcciones.csv"
    fixes.write_text(CORRECTIONS, encoding="utf-8")
    return {"base": base, "raw_old": raw_old, "raw_new": raw_new, "old": old, "file": new_file,
            "fixes": fixes}  # fmt: skip


def fresh_copy(setting, folder: Path) -> Path:
    """The old warehouse again, and the old raw folder's journal as empty as it was built."""
    shutil.rmtree(journal_dir(setting["raw_old"]), ignore_errors=True)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    db = folder / "warehouse.duckdb"
    shutil.copyfile(setting["old"], db)
    return db


def check_archive(raw: Path, source: Path) -> None:
    """Appended files are kept in the journal whole, with their metadata, or not at all."""
    archive = journal_dir(raw)
    if not archive.exists():
        return
    files = [p for p in archive.iterdir() if not p.name.startswith(".") and p.suffix != ".json"]
    for path in files:
        assert path.read_bytes() == source.read_bytes()
        assert path.with_name(path.name + ".json").is_file()


@pytest.mark.parametrize("operation", ["build", "append", "correct"])
def test_kill_at_random_moments_leaves_old_or_new(zygote, setting, tmp_path, operation):
    folder = tmp_path / "wh"
    source = setting["fixes"] if operation == "correct" else setting["file"]
    if operation == "build":
        argv = ["build", "--raw", str(setting["raw_new"])]
    else:
        argv = [operation, str(source), "--raw", str(setting["raw_old"]), "--by", "kill"]

    # Runs to the end give the new content and how long the work takes: the quicker of two, so
    # that one slow run (a busy machine) does not put most kills after the end.
    durations = []
    for _ in range(2):
        db = fresh_copy(setting, folder)
        old = signature(db)
        finished = zygote.run([*argv, "--db", str(db)])
        assert not finished["killed"] and finished["code"] in (0, 1)
        new = signature(db)
        assert new != old
        durations.append(finished["seconds"])
    duration = min(durations)

    rng = random.Random(f"{SEED}-{operation}")
    outcomes = []
    for _ in range(KILLS_PER_OPERATION):
        db = fresh_copy(setting, folder)
        result = zygote.run([*argv, "--db", str(db)], kill_after=rng.uniform(0, duration))
        seen = signature(db)  # opens, and reads every table
        assert seen in (old, new), (result, seen, old, new)
        if operation != "build":
            check_archive(setting["raw_old"], source)
        archived = (
            len(list(journal_dir(setting["raw_old"]).glob("*.json"))) if operation != "build" else 0
        )
        outcomes.append(
            (
                "killed" if result["killed"] else "finished",
                "new" if seen == new else "old",
                archived,
            )
        )
    print(operation, f"{duration:.2f}s", outcomes)
    assert sum(kind == "killed" for kind, *_ in outcomes) >= KILLS_PER_OPERATION // 2, outcomes

    # After a kill, leftovers (temporary files, a stale lock) do not stop the next run.
    db = fresh_copy(setting, folder)
    killed = zygote.run([*argv, "--db", str(db)], kill_after=duration * 0.6)
    again = zygote.run([*argv, "--db", str(db)])
    assert again["code"] in (0, 1), (killed, again)
    assert signature(db) == new


# ---------------------------------------------------------------- readers during swaps


APPEND_ROUNDS = 4


def test_readers_see_whole_warehouses_while_loads_swap_it(zygote, setting, tmp_path, monkeypatch):
    from analytics import db as analytics_db

    db = fresh_copy(setting, tmp_path / "wh")
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    files = []
    for i in range(APPEND_ROUNDS):  # each append adds one row and one load
        path = tmp_path / f"ronda_{i}.csv"
        path.write_text(
            "empresa,país,municipio,fecha,monto,moneda\n"
            f"Ronda {i} Sintética,Japón,Villa de Reyes,2025-0{1 + i % 9},{10 + i} mdd,\n",
            encoding="utf-8",
        )
        files.append(path)
    start_announcements, start_loads = signature(db)[:2]
    valid = {(start_loads + k, start_announcements + k) for k in range(APPEND_ROUNDS + 1)}

    stop = threading.Event()
    errors, seen = [], []

    def reader(worker: int):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                frame = analytics_db.query(
                    "SELECT (SELECT count(*) FROM load_log) AS loads, "
                    "(SELECT count(*) FROM announcements) AS announcements, "
                    "(SELECT coalesce(sum(rows_loaded), 0) FROM load_log) AS loaded, "
                    "$worker + $i AS tag",  # a new statement each time: never served from cache
                    {"worker": worker * 1_000_000, "i": i},
                )
                row = frame.iloc[0]
                pair = (int(row["loads"]), int(row["announcements"]))
                if pair not in valid or int(row["loaded"]) != pair[1]:
                    errors.append(("mixed", pair, int(row["loaded"])))
                seen.append(pair)
            except Exception as exc:  # any error is a failure of the test
                errors.append(repr(exc))
            time.sleep(0.005)  # several sessions, not a busy loop starving the writer

    threads = [threading.Thread(target=reader, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    try:
        for path in files:
            result = zygote.run(
                ["append", str(path), "--db", str(db), "--raw", str(setting["raw_old"])]
            )
            assert result["code"] == 0, result
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors[:5]
    assert signature(db)[:2] == (start_announcements + APPEND_ROUNDS, start_loads + APPEND_ROUNDS)
    print(f"{len(seen)} reads, versions seen: {sorted(set(seen))}")
    assert len(seen) > 50
    assert len(set(seen)) >= 3  # the readers saw several versions go by
