"""Every file of the bad-file corpus (tests/bad_files/, synthetic) through `python -m etl append`:
a clear message naming the file, row, column and value; the expected exit status; nothing lost
(rows read = loaded + rejected, and an unusable file leaves the warehouse byte-for-byte unchanged)."""

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl import journal
from etl.__main__ import main
from etl.warehouse import ROOT

CORPUS = Path(__file__).parent / "bad_files"
_spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_corpus)


@dataclass(frozen=True)
class Case:
    name: str
    exit: int
    says: tuple[str, ...]  # fragments of the Spanish report (file, row, column, value, reason)
    counts: tuple[int, int, int] | None = None  # rows read, loaded, rejected (None: unusable)


CASES = [
    # ---- unusable: exit 2, nothing written
    Case("empty.csv", 2, ("El archivo empty.csv está vacío",)),
    Case("header_only.csv", 2, ("header_only.csv tiene encabezados pero ninguna fila de datos",)),
    Case("blank_rows_only.csv", 2, ("blank_rows_only.csv", "ninguna fila de datos")),
    Case("binary_junk.csv", 2, ("binary_junk.csv no es un archivo de texto CSV", "binarios")),
    Case("old_excel.xls", 2, ("old_excel.xls es un libro de Excel antiguo", "Guárdelo como .xlsx")),
    Case("corrupt.xlsx", 2, ("No se pudo abrir corrupt.xlsx como libro XLSX",)),
    Case("empty_sheet.xlsx", 2, ("La hoja «Anuncios» de empty_sheet.xlsx está vacía",)),
    Case("unknown_columns.csv", 2, ("No se reconocen las columnas de unknown_columns.csv",)),
    Case("header_too_deep.csv", 2, ("header_too_deep.csv", "primeras 30 filas")),
    Case("duplicate_columns.csv", 2, ("duplicate_columns.csv", "«Empresa» y «Compañía»")),
    Case("two_currency_header.csv", 2, ("two_currency_header.csv", "'monto (USD / MXN)'")),
    Case("control_characters_heavy.csv", 2, ("control_characters_heavy.csv", "de control")),
    Case("merged_header.xlsx", 2, ("merged_header.xlsx", "filas 2 y 3", "celdas combinadas")),
    # ---- encodings and delimiters
    Case("utf16_no_bom.csv", 0, ("utf16_no_bom.csv",), (1, 1, 0)),
    Case("utf16_bom_tabs.csv", 0, ("utf16_bom_tabs.csv",), (1, 1, 0)),
    Case("latin1.csv", 0, ("latin1.csv",), (1, 1, 0)),
    Case("mojibake.csv", 1, ("acentos dañados", "fila 2, columna «Municipio» «San Luis PotosÃ\xad»"),
         (1, 0, 1)),
    Case("mixed_delimiters.csv", 1,
         ("fila 3, columna «*» «Sintética Dos S.A.,Japón", "1 campo(s) separados por «;»"),
         (2, 1, 1)),
    Case("unquoted_commas.csv", 1,
         ("fila 3, columna «*» «Sintética, Coma Sin Comillas S.A.,", "13 campo(s)", "comillas"),
         (2, 1, 1)),
    # ---- cell values
    Case("negative_amounts.csv", 1,
         ("fila 3, columna «Monto (millones)» «-50»", "mayor que cero",
          "fila 4, columna «Monto (millones)» «0»"), (3, 1, 2)),
    Case("absurd_amounts.csv", 0,
         ("revisar fila 2 (Sintética Enorme): implausible_amount",
          "revisar fila 3 (Sintética Diminuta): implausible_amount"), (2, 2, 0)),
    Case("unknown_currency.csv", 1,
         ("fila 3, columna «Moneda» «XYZ»", "no es una moneda reconocida"), (2, 1, 1)),
    Case("dollar_sign.csv", 1,
         ("fila 3, columna «Monto (millones)» «$300 millones»", "pesos y dólares"), (2, 1, 1)),
    Case("future_dates.csv", 1,
         ("fila 3, columna «Fecha» «2099-01-15»", "posterior a hoy"), (2, 1, 1)),
    Case("impossible_dates.csv", 1,
         ("fila 2, columna «Fecha» «31/02/2024»", "no es una fecha posible",
          "fila 3, columna «Fecha» «1985»", "anterior a 1990",
          "fila 4, columna «Fecha» «ayer»"), (4, 1, 3)),
    Case("unknown_municipality.csv", 1,
         ("fila 3, columna «Municipio» «Narnia»", "no está en el catálogo de INEGI",
          "fila 4, columna «Municipio» «Villa de Reyez»", "¿Quiso decir: Villa de Reyes"),
         (3, 1, 2)),
    Case("unknown_vocabulary.csv", 1,
         ("fila 2, columna «Sector» «Cohetes»", "fila 2, columna «Nivel» «Tier 9»",
          "fila 2, columna «Estatus» «Quizá»", "Valores aceptados"), (2, 1, 1)),
    Case("missing_company.csv", 1,
         ("fila 3, columna «Empresa»: Falta el nombre de la empresa", "fila 4, columna «Empresa»"),
         (3, 1, 2)),
    Case("duplicate_rows.csv", 1,
         ("fila 3, columna «*» «Sintética Uno S.A.»", "idéntica a la fila 2"), (3, 2, 1)),
    Case("already_in_warehouse.csv", 1,
         ("fila 2, columna «*» «Alfa Motores Sintética»", "Ya está en el almacén"), (2, 1, 1)),
    Case("suspected_duplicate.csv", 0,
         ("revisar fila 2 (Alfa Motores Sintética): possible_duplicate",), (1, 1, 0)),
    Case("formulas.csv", 1,
         ("fila 3, columna «Monto (millones)» «=2+3»",), (4, 3, 1)),
    Case("formulas_no_values.xlsx", 1,
         ("fórmulas sin valor guardado", "fila 2, columna «Monto (millones)» «=10*5»"),
         (2, 1, 1)),
    Case("long_text.csv", 1,
         ("fila 2, columna «Empresa»", "279 caracteres; el máximo es 200",
          "fila 3, columna «Fuente»", "2,120 caracteres; el máximo es 2,000"), (2, 0, 2)),
    Case("injection_text.csv", 0, ("injection_text.csv",), (4, 4, 0)),
    Case("control_characters_light.csv", 0, ("control_characters_light.csv",), (2, 2, 0)),
    Case("ambiguous_numbers.csv", 1,
         ("fila 2, columna «Monto (millones)» «1.500 mdd»", "es ambiguo",
          "fila 3, columna «Monto (millones)» «2 billones»"), (3, 1, 2)),
    Case("bad_jobs.csv", 1,
         ("fila 2, columna «Empleos» «-5»", "negativos", "fila 3, columna «Empleos» «muchos»",
          "fila 4, columna «Empleos» «200000»", "no es creíble"), (4, 1, 3)),
    Case("example_row_only.xlsx", 0, ("Se omitió la fila de ejemplo", "fila 2"), (0, 0, 0)),
]  # fmt: skip


def test_the_corpus_is_complete_and_regenerates_byte_for_byte(tmp_path):
    written = {p.name: p.read_bytes() for p in make_corpus.write_corpus(tmp_path)}
    committed = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx", ".xls")}
    assert set(written) == committed == {case.name for case in CASES}
    assert len(committed) + 3 >= 25  # plus the three big files generated at test time
    for name, content in written.items():
        assert (CORPUS / name).read_bytes() == content, name


# ---------------------------------------------------------------- harness


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def append_cli(small_build, tmp_path, source: Path, capsys, lang: str = "es"):
    """Copy the warehouse, its raw folder (the journal) and the file into tmp_path, run the CLI;
    (exit, output, db, before). The raw folder of the copy is db.parent / "raw"."""
    db0, raw0 = small_build
    db = tmp_path / "wh" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copyfile(db0, db)
    raw = shutil.copytree(raw0, db.parent / "raw")
    before = sha256(db)
    local = source if source.parent == tmp_path else shutil.copyfile(source, tmp_path / source.name)
    argv = [
        "--lang",
        lang,
        "append",
        str(local),
        "--db",
        str(db),
        "--raw",
        str(raw),
        "--by",
        "prueba",
    ]
    status = main(argv)
    out = capsys.readouterr()
    return status, out.out + out.err, db, before


def check_nothing_lost(case: Case, status: int, output: str, db: Path, before: str, tmp_path):
    raw = db.parent / "raw"
    assert status == case.exit, output
    assert case.name in output
    for fragment in case.says:
        assert fragment in output, (fragment, output)
    leftovers = [p.name for p in db.parent.iterdir() if p.name.startswith(".building-")]
    assert not leftovers
    if case.counts is None or case.counts[0] == 0:  # unusable, or nothing to load: nothing written
        assert sha256(db) == before
        assert journal.entries(raw) == []
        if case.exit == 2:
            assert "No se cargó nada" in output
        return
    read, loaded, rejected = case.counts
    log = rows(db, "SELECT load_id, file_name, loaded_by, rows_read, rows_loaded, rows_rejected "
                   "FROM load_log ORDER BY load_id")  # fmt: skip
    assert len(log) == 2
    load_id, file_name, by, *counts = log[-1]
    assert (file_name, by, tuple(counts)) == (case.name, "prueba", (read, loaded, rejected))
    assert read == loaded + rejected
    assert rows(db, "SELECT count(*) FROM announcements WHERE load_id = ?", [load_id]) == [
        (loaded,)
    ]
    assert rows(db, "SELECT count(*) FROM announcements") == [(5 + loaded,)]
    assert rows(
        db, "SELECT count(DISTINCT row_number) FROM rejects WHERE load_id = ?", [load_id]
    ) == [(rejected,)]
    rejects_csv = tmp_path / f"{Path(case.name).stem}.rechazos.csv"
    assert rejects_csv.exists() == (rejected > 0)
    assert len(journal.entries(raw)) == 1  # kept for rebuilds


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_file(case, small_build, tmp_path, capsys):
    status, output, db, before = append_cli(small_build, tmp_path, CORPUS / case.name, capsys)
    check_nothing_lost(case, status, output, db, before, tmp_path)


# ---------------------------------------------------------------- specifics


def test_accents_survive_every_encoding(small_build, tmp_path, capsys):
    for name in ("utf16_no_bom.csv", "utf16_bom_tabs.csv", "latin1.csv"):
        folder = tmp_path / name
        folder.mkdir()
        status, _, db, _ = append_cli(small_build, folder, CORPUS / name, capsys)
        assert status == 0
        got = rows(
            db, "SELECT company, origin_iso2, municipality FROM announcements WHERE load_id = 2"
        )
        assert got == [("Compañía Sintética Ñandú", "JP", "San Luis Potosí")], name


def test_a_misaligned_row_gets_one_reason_not_one_per_shifted_cell(small_build, tmp_path, capsys):
    _, _, db, _ = append_cli(small_build, tmp_path, CORPUS / "unquoted_commas.csv", capsys)
    assert rows(db, 'SELECT row_number, "column" FROM rejects WHERE load_id = 2') == [(3, "*")]


def test_hostile_text_is_stored_verbatim_and_tables_survive(small_build, tmp_path, capsys):
    status, _, db, _ = append_cli(small_build, tmp_path, CORPUS / "injection_text.csv", capsys)
    assert status == 0
    companies = [r[0] for r in rows(db, "SELECT company FROM announcements WHERE load_id = 2")]
    assert "Robert'); DROP TABLE announcements;--" in companies
    assert "<script>alert('xss')</script>" in companies
    assert rows(db, "SELECT count(*) FROM announcements") == [(9,)]


def test_english_report(small_build, tmp_path, capsys):
    status, output, _, _ = append_cli(
        small_build, tmp_path, CORPUS / "unknown_municipality.csv", capsys, lang="en"
    )
    assert status == 1
    assert "row 3, column 'Municipio' «Narnia»: The municipality 'Narnia' is not in" in output
    assert "Did you mean: Villa de Reyes" in output


def test_english_message_for_an_unusable_file(small_build, tmp_path, capsys):
    status, output, _, _ = append_cli(
        small_build, tmp_path, CORPUS / "merged_header.xlsx", capsys, "en"
    )
    assert status == 2
    assert "In merged_header.xlsx, rows 2 and 3 both look like headers" in output
    assert "Nothing was loaded." in output


def test_the_same_file_twice_adds_nothing_the_second_time(small_build, tmp_path, capsys):
    status, _, db, _ = append_cli(small_build, tmp_path, CORPUS / "latin1.csv", capsys)
    assert status == 0
    after_first = sha256(db)
    raw = db.parent / "raw"
    again = main(["append", str(tmp_path / "latin1.csv"), "--db", str(db), "--raw", str(raw)])
    assert again == 0
    assert "ya se cargó (carga 2" in capsys.readouterr().out
    assert sha256(db) == after_first


def test_formula_cells_are_neutralised_in_every_export(small_build, tmp_path, capsys, monkeypatch):
    from analytics import exports

    _, _, db, _ = append_cli(small_build, tmp_path, CORPUS / "formulas.csv", capsys)
    raw = db.parent / "raw"
    for name in ("formulas_no_values.xlsx", "control_characters_light.csv"):
        local = shutil.copyfile(CORPUS / name, tmp_path / name)
        assert main(["append", str(local), "--db", str(db), "--raw", str(raw)]) in (0, 1)
    capsys.readouterr()
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    text = exports.announcements_csv().decode("utf-8-sig")
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text and "'+52 444" in text
    book = openpyxl.load_workbook(__import__("io").BytesIO(exports.announcements_xlsx()))
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert '\'=HYPERLINK("http://evil.example/","clic")' in [c.value for c in cells]
    assert "SintéticaTabuladorVertical" in [c.value for c in cells]  # control characters dropped
    rejects = exports.rejects_csv(2).decode("utf-8-sig")
    assert "fila,columna,valor,motivo" in rejects and "'=2+3" in rejects


# ---------------------------------------------------------------- big files (generated here)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> dict[str, Path]:
    return make_corpus.write_big(tmp_path_factory.mktemp("big_files"))


def test_100k_rows(small_build, big, tmp_path, capsys):
    case = Case(
        "rows_100k.csv",
        1,
        ("fila 1001, columna «Municipio» «Narnia»", "… y 50 más en el CSV de rechazos"),
        (100_000, 99_900, 100),
    )
    status, output, db, before = append_cli(small_build, tmp_path, big[case.name], capsys)
    check_nothing_lost(case, status, output, db, before, tmp_path)


def test_50_mb_file(small_build, big, tmp_path, capsys):
    path = big["big_50mb.csv"]
    assert path.stat().st_size >= 50 * 1024 * 1024
    lines = path.read_bytes().count(b"\r\n") - 1
    case = Case("big_50mb.csv", 0, ("big_50mb.csv",), (lines, lines, 0))
    status, output, db, before = append_cli(small_build, tmp_path, path, capsys)
    check_nothing_lost(case, status, output, db, before, tmp_path)


def test_file_over_the_size_limit(small_build, big, tmp_path, capsys):
    case = Case("over_60mb.csv", 2, ("El archivo over_60mb.csv pesa más de 60 MB", "divídalo"))
    status, output, db, before = append_cli(small_build, tmp_path, big[case.name], capsys)
    check_nothing_lost(case, status, output, db, before, tmp_path)


# ---------------------------------------------------------------- the real command


@pytest.mark.parametrize(("name", "expected"), [("future_dates.csv", 1), ("binary_junk.csv", 2)])
def test_exit_status_of_the_real_command(small_build, tmp_path, name, expected):
    db0, raw0 = small_build
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(db0, db)
    raw = shutil.copytree(raw0, tmp_path / "raw")
    local = shutil.copyfile(CORPUS / name, tmp_path / name)
    done = subprocess.run(
        [sys.executable, "-m", "etl", "append", str(local), "--db", str(db), "--raw", str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == expected, done.stdout + done.stderr
    assert name in done.stdout + done.stderr
