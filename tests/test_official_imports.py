"""`python -m etl official` of SE's workbook imports only what loading it needs: no pandas nor
pyarrow (their import alone took longer than reading the workbook), nor the country matcher (its
index takes longer to build than SE's known origins, etl/official/se_origins.py, to look up), and
still loads the release whole."""

import shutil
import struct
import subprocess
import sys

import duckdb

from etl.official.store import SHIPPED_RELEASES
from etl.warehouse import DEFAULT_RAW, ROOT
from tests.conftest import raw_copy

LOAD = (
    "import sys; from etl.__main__ import main; code = main(sys.argv[1:]); "
    "print(','.join(m for m in ('pandas', 'pyarrow', 'etl.countries') if m in sys.modules) or '-'); "
    "sys.exit(code)"
)


def test_loading_an_se_workbook_imports_neither_pandas_nor_the_country_matcher(
    shipped_warehouse, tmp_path
):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    raw = raw_copy(tmp_path, journal=True)
    shipped = sorted((DEFAULT_RAW / SHIPPED_RELEASES).glob("*.xlsx"))[-1]
    # The same sheets under other bytes (a zip comment): loaded, not found already loaded.
    data = shipped.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    workbook = tmp_path / "upload" / shipped.name
    workbook.parent.mkdir()
    workbook.write_bytes(data[: end + 20] + struct.pack("<H", 4) + b"copy")

    done = subprocess.run(
        [sys.executable, "-c", LOAD, "official", str(workbook), "--db", str(db), "--raw", str(raw)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "-"  # none of them was imported
    with duckdb.connect(str(db), read_only=True) as con:
        counts = con.execute(
            "SELECT release_id, count(*), count(flow_musd) FROM fdi_state_flows "
            "WHERE release_id LIKE 'se-original-2025T3%' GROUP BY 1 ORDER BY 1"
        ).fetchall()
    # The copy holds every value and flow of the shipped release, loaded by the build.
    assert [r[0] for r in counts] == ["se-original-2025T3", "se-original-2025T3-2"]
    assert counts[0][1:] == counts[1][1:]
