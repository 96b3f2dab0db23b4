"""The one module of the app that opens the warehouse. Read-only.

Each version of the warehouse file gets its own DuckDB instance: an in-memory database that ATTACHes
the file read-only. DuckDB caches instances by path, so a plain second connect() to a swapped file
would return the old instance; attaching from a fresh in-memory instance opens the new file, while
queries still running on the old one finish undisturbed.

WAREHOUSE_DB may name a publish folder (python -m etl publish DIR): the app then reads the snapshot
its CURRENT file names, looked up on every query, so replicas move to the next publish without a
restart, and never writes.
"""

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl.warehouse import current_snapshot_db, resolve_db


def warehouse_path() -> Path:
    """WAREHOUSE_DB's file, or the current snapshot's when it names a publish folder."""
    chosen = resolve_db()
    return current_snapshot_db(chosen) if chosen.is_dir() else chosen


def warehouse_version(path: Path) -> tuple[int, int, int]:
    """Changes whenever a build or an append swaps in a new file."""
    info = os.stat(path)
    return info.st_ino, info.st_mtime_ns, info.st_size


@st.cache_resource(max_entries=2, show_spinner=False)
def _instance(path: str, version: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{path.replace(chr(39), chr(39) * 2)}' AS warehouse (READ_ONLY)")
    return con


@st.cache_data(max_entries=2000, show_spinner=False)
def _run(path: str, version: tuple[int, int, int], sql: str, params: dict | None) -> pd.DataFrame:
    cursor = _instance(path, version).cursor()  # one cursor per query: threads never share one
    try:
        cursor.execute("USE warehouse")
        return cursor.execute(sql, params or {}).df()
    finally:
        cursor.close()


def query(sql: str, params: dict | None = None) -> pd.DataFrame:
    """Run a read-only query with bound parameters; cached until the warehouse file changes."""
    path = warehouse_path()
    return _run(str(path), warehouse_version(path), sql, params)
