"""The intake reads what staff keep: encodings, delimiters, XLSX with offset headers, Spanish
headers, official amount writing, and it keeps every reject with its row, column, value and reason."""

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from currency_converter import CurrencyConverter

from etl import files
from etl.intake import FileUnusable, map_header, read_announcements
from etl.load import municipality_matcher
from etl.parse import Rates
from tests.conftest import TODAY

SPANISH_HEADER = "Empresa;País de origen;Municipio;Fecha;Monto (MDD);Empleos;Estatus;Fuente"
SPANISH_ROWS = [
    "Ejemplo Uno Sintético;Japón;Soledad de G. S.;20/03/2024;150;1,500;anunciado;https://example.org/1",
    "Ejemplo Dos Sintético;Alemania;Villa de Reyes, S.L.P.;marzo 2024;45.5;;en operación;https://example.org/2",
    "Ejemplo Tres Sintético;China, República Popular de;SLP;2023;12;80;en construcción;https://example.org/3",
]  # fmt: skip


@pytest.fixture(scope="module")
def matcher():
    return municipality_matcher()


@pytest.fixture(scope="module")
def rates():
    return Rates()


def read(path: Path, matcher, rates, **kwargs):
    return read_announcements(path, matcher, rates, TODAY, **kwargs)


def write_text(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_spanish_semicolon_csv_in_each_encoding(tmp_path, matcher, rates, encoding):
    path = write_text(tmp_path / "anuncios.csv", [SPANISH_HEADER, *SPANISH_ROWS], encoding)
    result = read(path, matcher, rates)
    assert result.rows_read == 3 and result.rows_rejected == 0
    v = result.valid
    assert v["company"].tolist() == [
        "Ejemplo Uno Sintético",
        "Ejemplo Dos Sintético",
        "Ejemplo Tres Sintético",
    ]
    assert v["origin_iso2"].tolist() == ["JP", "DE", "CN"]
    assert v["cvegeo"].tolist() == ["24035", "24050", "24028"]
    assert v["municipality"].tolist() == [
        "Soledad de Graciano Sánchez",
        "Villa de Reyes",
        "San Luis Potosí",
    ]
    assert v["announced_date"].tolist() == [date(2024, 3, 20), date(2024, 3, 1), date(2023, 1, 1)]
    assert v["date_precision"].tolist() == ["day", "month", "year"]
    # "Monto (MDD)": the header says millions of dollars.
    assert v["amount"].tolist() == [150e6, 45.5e6, 12e6]
    assert v["currency"].tolist() == ["USD", "USD", "USD"]
    assert v["amount_musd"].tolist() == pytest.approx([150.0, 45.5, 12.0])
    assert v["jobs"].tolist()[0] == 1500
    assert v["status"].tolist() == ["announced", "operating", "under_construction"]


def test_comma_csv_with_amounts_in_the_cells(tmp_path, matcher, rates):
    lines = [
        "company,country,municipality,date,amount,currency",
        'Ejemplo MXN Sintético,Mexico,Villa de Reyes,2024-03-20,"3,500 mdp",',
        "Ejemplo EUR Sintético,Germany,Villa de Reyes,2024-03-20,€800 millones,",
        "Ejemplo Bare Sintético,US,Villa de Reyes,2024-03-20,120000000,USD",
    ]
    result = read(write_text(tmp_path / "a.csv", lines, "utf-8"), matcher, rates)
    assert result.rows_rejected == 0
    c = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
    expected = [
        c.convert(3500e6, "MXN", "USD", date=date(2024, 3, 20)) / 1e6,
        c.convert(800e6, "EUR", "USD", date=date(2024, 3, 20)) / 1e6,
        120.0,
    ]
    assert result.valid["currency"].tolist() == ["MXN", "EUR", "USD"]
    assert result.valid["amount_musd"].tolist() == pytest.approx(expected, rel=1e-9)


def test_header_units_in_millions_of_pesos(tmp_path, matcher, rates):
    lines = ["empresa,municipio,fecha,monto_millones_mxn", "Ejemplo Sintético,Venado,2024,100"]
    result = read(write_text(tmp_path / "a.csv", lines, "utf-8"), matcher, rates)
    assert result.valid.loc[0, "amount"] == 100e6
    assert result.valid.loc[0, "currency"] == "MXN"


def test_xlsx_named_sheet_with_title_rows_above_the_header(tmp_path, matcher, rates):
    book = openpyxl.Workbook()
    book.active.title = "Portada"
    book.active["A1"] = "Nada aquí"
    sheet = book.create_sheet("Anuncios")
    sheet["A1"] = "Inversiones anunciadas — archivo sintético de prueba"
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(
        ["Empresa", "Pais de origen", "Municipio", "Fecha", "Inversión (millones de pesos)"]
    )
    sheet.append(
        ["Ejemplo XLSX Sintético", "Corea del Sur", "San Luis Potosí", date(2024, 5, 2), 250]
    )
    path = tmp_path / "anuncios.xlsx"
    book.save(path)

    result = read(path, matcher, rates, sheet="Anuncios")
    assert result.header_row == 3 and result.sheet == "Anuncios"
    row = result.valid.iloc[0]
    assert (row["origin_iso2"], row["cvegeo"], row["currency"]) == ("KR", "24028", "MXN")
    assert row["announced_date"] == date(2024, 5, 2) and row["date_precision"] == "day"
    assert row["source_row"] == 4

    with pytest.raises(FileUnusable) as missing:
        read(path, matcher, rates, sheet="Otra")
    assert "Otra" in missing.value.es and "Anuncios" in missing.value.es


def ahead_of(path: Path) -> list:
    """The reads ahead of path not yet taken."""
    return [key for key in files._AHEAD if key[0] == path.resolve()]


def test_a_file_read_ahead_reads_as_when_read_at_once(tmp_path, matcher, rates):
    """The command line starts reading a file while it imports the intake: the result, and the
    message for a sheet the workbook lacks, are those of a read at once; a read ahead is used once."""
    book = openpyxl.Workbook()
    book.active.title = "Anuncios"
    book.active.append(["Empresa", "País de origen", "Municipio", "Fecha", "Monto", "Moneda"])
    book.active.append(["Ahead Sintética", "Japón", "Villa de Reyes", date(2024, 5, 2), 10, "USD"])
    book.active.append(["Ahead Dos Sintética", "Corea", "SLP", "2023", "5 mdd"])
    path = tmp_path / "ahead.xlsx"
    book.save(path)

    at_once = read(path, matcher, rates)
    files.read_ahead(path, None, None)
    ahead = read(path, matcher, rates)
    assert not ahead_of(path)  # taken by the read
    assert ahead.valid.equals(at_once.valid) and ahead.rejects.equals(at_once.rejects)

    with pytest.raises(FileUnusable) as at_once_missing:
        read(path, matcher, rates, sheet="Otra")
    files.read_ahead(path, "Otra", None)
    with pytest.raises(FileUnusable) as ahead_missing:
        read(path, matcher, rates, sheet="Otra")
    assert ahead_missing.value.es == at_once_missing.value.es

    text = write_text(tmp_path / "ahead.csv", [SPANISH_HEADER, *SPANISH_ROWS], "utf-8")
    at_once = read(text, matcher, rates)
    files.read_ahead(text, None, None)  # a text file's bytes, and their sha256
    ahead = read(text, matcher, rates)
    assert not ahead_of(text)
    assert ahead.sha256 == at_once.sha256 and ahead.valid.equals(at_once.valid)

    old_excel = tmp_path / "viejo.xls"  # refused before it is read: not read ahead
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    files.read_ahead(old_excel, None, None)
    assert not ahead_of(old_excel)


def test_every_problem_cell_is_a_reject_with_row_column_value_and_reason(tmp_path, matcher, rates):
    lines = [
        "Empresa,País,Municipio,Fecha,Monto,Moneda",
        "Buena Sintética,JP,Villa de Reyes,2024-01-10,10000000,USD",
        "Mala Municipio Sintética,JP,Villa de Reyez Norte,2024-01-10,10000000,USD",
        "Mala Fecha Sintética,JP,Villa de Reyes,31/02/2024,10000000,USD",
        "Mala Todo Sintética,Narnia,Atlantis,mañana,-5,XYZ",
        ",JP,Villa de Reyes,2024-01-10,10000000,USD",
        "Sin Moneda Sintética,JP,Villa de Reyes,2024-01-10,10000000,",
    ]
    result = read(write_text(tmp_path / "a.csv", lines, "utf-8"), matcher, rates)
    assert result.rows_read == 6
    assert len(result.valid) == 1
    assert result.rows_rejected == 5
    assert result.rows_read == len(result.valid) + result.rows_rejected
    rejects = result.rejects
    first = rejects[rejects["row_number"] == 3].iloc[0]
    assert (first["column"], first["value"]) == ("Municipio", "Villa de Reyez Norte")
    assert "Villa de Reyes" in first["reason"]  # the closest candidate is offered
    assert set(rejects.loc[rejects["row_number"] == 5, "column"]) == {
        "País",
        "Municipio",
        "Fecha",
        "Monto",
        "Moneda",
    }
    assert rejects.loc[rejects["row_number"] == 6, "column"].tolist() == ["Empresa"]
    assert rejects.loc[rejects["row_number"] == 7, "column"].tolist() == ["Monto"]
    assert rejects["reason"].str.len().min() > 10 and rejects["reason_en"].str.len().min() > 10


def test_implausible_amounts_are_loaded_but_flagged(tmp_path, matcher, rates):
    lines = [
        "empresa,municipio,fecha,monto,moneda",
        "Enorme Sintética,Venado,2024,30000000000000,USD",
        "Diminuta Sintética,Venado,2024,50000,USD",
        "Normal Sintética,Venado,2024,50000000,USD",
    ]
    result = read(write_text(tmp_path / "a.csv", lines, "utf-8"), matcher, rates)
    assert result.valid["review_flags"].tolist() == ["implausible_amount", "implausible_amount", ""]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "vac"),
        (b"\x00\x01\x02\x03binary\x00junk" * 50, "binari"),
        (b"Empresa,Municipio\n", "ninguna fila"),
        (b"foo,bar\n1,2\n", "No se reconocen"),
    ],
)
def test_unusable_files_say_why(tmp_path, matcher, rates, content, fragment):
    path = tmp_path / "malo.csv"
    path.write_bytes(content)
    with pytest.raises(FileUnusable) as error:
        read(path, matcher, rates)
    assert fragment in error.value.es and "malo.csv" in error.value.es
    assert error.value.en


def test_a_header_with_two_currencies_makes_the_file_unusable(tmp_path, matcher, rates):
    lines = ["empresa,municipio,monto (USD / MXN)", "Ejemplo Sintético,Venado,100"]
    with pytest.raises(FileUnusable) as error:
        read(write_text(tmp_path / "dos.csv", lines, "utf-8"), matcher, rates)
    assert "dos.csv" in error.value.es


def test_header_aliases():
    assert map_header("País de origen") == "origin_country"
    assert map_header("PARQUE INDUSTRIAL") == "park"
    assert map_header("Monto (MDD)") == "amount"
    assert map_header("monto_millones_mxn") == "amount"
    assert map_header("Fecha de la fuente") == "source_date"
    assert map_header("Color favorito") is None


def test_same_content_gets_the_same_id(tmp_path, matcher, rates):
    lines = [SPANISH_HEADER, *SPANISH_ROWS]
    first = read(write_text(tmp_path / "a.csv", lines, "utf-8"), matcher, rates)
    second = read(write_text(tmp_path / "b.csv", lines, "cp1252"), matcher, rates)
    assert first.valid["announcement_id"].tolist() == second.valid["announcement_id"].tolist()
    assert first.valid["announcement_id"].is_unique


def test_utf8_is_checked_whole_but_decoded_only_as_far_as_read(tmp_path, matcher, rates):
    """A UTF-8 file is decoded only where it is looked at: an invalid byte far below the first
    lines still makes it read as cp1252, and accents cut at the edge of the part read stay whole."""
    from etl.sheets import _decode, _first_lines

    filler = "Empresa Sintética Ñandú,Japón\n" * 40_000  # about 1.2 MB, 2-byte characters
    raw = ("empresa,país\n" + filler).encode("utf-8")
    decoded = _decode(raw, "a.csv")
    assert decoded.encoding == "utf-8-sig"
    text = raw.decode("utf-8")
    for chars in (1, 13, 65536, 1 << 20, len(text) + 5):
        assert decoded.head(chars) == text[:chars]
    assert _first_lines(decoded, 50) == text.splitlines()[:50]
    assert _decode(raw + "é".encode("cp1252"), "b.csv").encoding == "cp1252"
    path = tmp_path / "late_latin1.csv"
    path.write_bytes(("empresa,país,fecha\n" + "Alfa Sintética,Japón,2024\n" * 3).encode("utf-8")
                     + "Beta Sintética,Japón,2024\n".encode("cp1252"))  # fmt: skip
    result = read(path, matcher, rates)
    assert result.valid["company"].tolist()[-1] == "Beta Sintética"
    assert result.valid["company"].tolist()[0] == "Alfa SintÃ©tica"  # read as cp1252 throughout
