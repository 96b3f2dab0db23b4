"""Generate the corpus of bad announcement files (synthetic; see README.md in this folder).

    python tests/bad_files/make_corpus.py            # rewrite the small files in this folder
    python tests/bad_files/make_corpus.py --big DIR  # also the big ones (50 MB, 61 MB, 100,000 rows)

Everything is generated from a fixed seed, so the files are the same on every run. The big files are
not committed: tests/test_bad_files.py generates them into a temporary folder with write_big().
"""

import argparse
import io
import random
import re
import sys
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
SEED = 20261122
HEADER = [
    "Empresa", "País de origen", "Sector", "Nivel", "Tipo de evento", "Municipio", "Fecha",
    "Monto (millones)", "Moneda", "Empleos", "Estatus", "Fuente",
]  # fmt: skip
# The fixture warehouse's header and first row (tests/fixtures/small_announcements.csv), for a row
# that is already in the warehouse.
FIXTURE_HEADER = (
    "company,parent_group,origin_country,sector,tier,event_type,municipality,park,announced_date,"
    "amount,currency,jobs,status,source_url,source_title,source_date,notes"
)
FIXTURE_ROW = (
    "Alfa Motores Sintética,Grupo Alfa Sintético,CN,battery/EV,Tier 1,new_plant,Villa de Reyes,"
    "Logistik III,2024-03-20,100000000,USD,500,announced,https://example.org/alfa-2024,"
    "Synthetic fixture,2024-03-21,synthetic test row"
)


def row(company: str, **cells) -> list[str]:
    """A valid synthetic row; keyword arguments replace single cells."""
    values = {
        "country": "Japón", "sector": "Plásticos", "tier": "Tier 1", "event": "Nueva planta",
        "municipality": "Villa de Reyes", "date": "2025-02-10", "amount": "25", "currency": "USD",
        "jobs": "120", "status": "Anunciado", "source": "https://example.org/sintetico",
    } | cells  # fmt: skip
    return [company] + [values[k] for k in ("country", "sector", "tier", "event", "municipality",
                                            "date", "amount", "currency", "jobs", "status",
                                            "source")]  # fmt: skip


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in (delimiter, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join(delimiter.join(quote(c) for c in r) + "\r\n" for r in rows)


def table(*rows: list[str]) -> bytes:
    return csv_text([HEADER, *rows]).encode("utf-8")


def workbook(
    rows: list[list], merges: list[str] = (), path: Path | None = None
) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Anuncios"
    for r in rows:
        sheet.append(r)
    for cells in merges:
        sheet.merge_cells(cells)
    return book


def small_files(rng: random.Random) -> dict[str, bytes | openpyxl.Workbook]:
    """File name -> content (bytes, or a workbook to save)."""
    files: dict[str, bytes | openpyxl.Workbook] = {}
    ok = [row("Sintética Uno S.A."), row("Sintética Dos S.A.", municipality="Soledad de G. S.")]

    # ---- files that cannot be used at all (exit 2)
    files["empty.csv"] = b""
    files["header_only.csv"] = csv_text([HEADER]).encode()
    files["blank_rows_only.csv"] = (csv_text([HEADER]) + ",,,,,,,,,,,\r\n" * 5 + "\r\n").encode()
    files["binary_junk.csv"] = bytes(rng.randrange(256) for _ in range(4096))
    files["old_excel.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(
        rng.randrange(256) for _ in range(2048)
    )
    files["corrupt.xlsx"] = b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2048))
    files["empty_sheet.xlsx"] = workbook([])
    files["unknown_columns.csv"] = b"nombre,color,tamano\r\nA,rojo,3\r\nB,azul,4\r\n"
    prose = [f"Reporte sintético de prueba, línea {i}" for i in range(1, 36)]
    files["header_too_deep.csv"] = (
        "\r\n".join(prose) + "\r\n" + csv_text([HEADER, ok[0]])
    ).encode()
    files["duplicate_columns.csv"] = csv_text(
        [["Empresa", "Compañía", "Municipio"], ["Sintética Uno", "Sintética Uno", "Venado"]]
    ).encode()
    files["two_currency_header.csv"] = (
        b"empresa,municipio,monto (USD / MXN)\r\nSintetica,Venado,100\r\n"
    )
    control = "".join(chr(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15])) for _ in range(400))
    files["control_characters_heavy.csv"] = (
        csv_text([HEADER, row("Sintética Control" + control)])
    ).encode()
    files["merged_header.xlsx"] = workbook(
        [
            ["Inversiones anunciadas (archivo sintético)"] + [None] * 5,
            ["Empresa", "Ubicación", None, "Inversión", None, "Fecha"],
            [None, "Municipio", "Parque industrial", "Monto (millones)", "Moneda", None],
            ["Sintética Combinada", "Villa de Reyes", "Parque Sintético", 25, "USD", "2025-01"],
        ],
        merges=["A1:F1", "A2:A3", "B2:C2", "D2:E2", "F2:F3"],
    )

    # ---- encodings and delimiters
    accents = [row("Compañía Sintética Ñandú", country="Japón", municipality="San Luis Potosí")]
    files["utf16_no_bom.csv"] = csv_text([HEADER, *accents]).encode("utf-16-le")
    files["utf16_bom_tabs.csv"] = csv_text([HEADER, *accents], "\t").encode("utf-16")
    files["latin1.csv"] = csv_text([HEADER, *accents], ";").encode("cp1252")
    files["mojibake.csv"] = (
        csv_text([HEADER, *accents]).encode("utf-8").decode("latin-1").encode("utf-8")
    )
    lines = csv_text([HEADER, ok[0]], ";") + csv_text([ok[1]], ",")
    files["mixed_delimiters.csv"] = lines.encode()
    shifted = ",".join(row("Sintética, Coma Sin Comillas S.A.")) + "\r\n"
    files["unquoted_commas.csv"] = (csv_text([HEADER, ok[0]]) + shifted).encode()

    # ---- cell values
    files["negative_amounts.csv"] = table(
        ok[0], row("Sintética Negativa", amount="-50"), row("Sintética Cero", amount="0")
    )
    files["absurd_amounts.csv"] = table(
        row("Sintética Enorme", amount="999999"), row("Sintética Diminuta", amount="0.001")
    )
    files["unknown_currency.csv"] = table(ok[0], row("Sintética Moneda", currency="XYZ"))
    files["dollar_sign.csv"] = table(
        ok[0], row("Sintética Pesos o Dólares", amount="$300 millones", currency="")
    )
    files["future_dates.csv"] = table(ok[0], row("Sintética Futura", date="2099-01-15"))
    files["impossible_dates.csv"] = table(
        row("Sintética Febrero", date="31/02/2024"),
        row("Sintética Antigua", date="1985"),
        row("Sintética Ayer", date="ayer"),
        ok[0],
    )
    files["unknown_municipality.csv"] = table(
        ok[0],
        row("Sintética Narnia", municipality="Narnia"),
        row("Sintética Typo", municipality="Villa de Reyez"),
    )
    files["unknown_vocabulary.csv"] = table(
        row("Sintética Vocabulario", sector="Cohetes", tier="Tier 9", status="Quizá"), ok[0]
    )
    files["missing_company.csv"] = table(ok[0], row(""), row("   "))
    files["duplicate_rows.csv"] = table(ok[0], ok[0], ok[1])
    files["already_in_warehouse.csv"] = (
        FIXTURE_HEADER
        + "\r\n"
        + FIXTURE_ROW
        + "\r\n"
        + FIXTURE_ROW.replace("Alfa", "Omega")
        + "\r\n"
    ).encode()
    files["suspected_duplicate.csv"] = (
        "empresa,país,municipio,fecha,monto,moneda\r\n"
        "Alfa Motores Sintética,China,Villa de Reyes,2024-05,110 mdd,\r\n"
    ).encode()
    files["formulas.csv"] = table(
        row('=HYPERLINK("http://evil.example/","clic")'),
        row("Sintética Fórmula", amount="=2+3"),
        row("@SUM(1+1)*cmd|' /C calc'!A0", source="+52 444 000 0000"),
        row("-Sintética Guion", source="=cmd|' /C notepad'!A1"),
    )
    files["formulas_no_values.xlsx"] = workbook(
        [HEADER, row("Sintética XLSX Fórmula", amount="=10*5"), row("Sintética XLSX Buena")]
    )
    files["long_text.csv"] = table(
        row("Sintética " + "Larga " * 45),
        row("Sintética Notas", source="https://example.org/" + "a" * 2100),
    )
    files["injection_text.csv"] = table(
        row("Robert'); DROP TABLE announcements;--"),
        row("<script>alert('xss')</script>", municipality="Villa de Reyes"),
        row("Sintética' OR '1'='1", source="javascript:alert(1)"),
        row("**negritas** [enlace](http://evil.example) :red[rojo] $x^2$"),
    )
    files["control_characters_light.csv"] = table(row("Sintética\x0bTabulador\x07Vertical"), ok[1])
    files["ambiguous_numbers.csv"] = table(
        row("Sintética Punto", amount="1.500 mdd", currency=""),
        row("Sintética Billón", amount="2 billones", currency=""),
        ok[0],
    )
    files["bad_jobs.csv"] = table(
        row("Sintética Empleos Negativos", jobs="-5"),
        row("Sintética Empleos Texto", jobs="muchos"),
        row("Sintética Empleos Enormes", jobs="200000"),
        ok[0],
    )
    example = [HEADER, ["EJEMPLO: Sintética de plantilla", *row("x")[1:]]]
    files["example_row_only.xlsx"] = workbook(example)
    return files


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    """The workbook's bytes, the same on every run: fixed zip times and document dates."""
    buffer = io.BytesIO()
    book.save(buffer)
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return fixed.getvalue()


def write_corpus(folder: Path = HERE) -> list[Path]:
    rng = random.Random(SEED)
    written = []
    for name, content in small_files(rng).items():
        path = folder / name
        if isinstance(content, openpyxl.Workbook):
            content = xlsx_bytes(content)
        path.write_bytes(content)
        written.append(path)
    return written


# ---------------------------------------------------------------- big files (generated at test time

BIG_ROWS = 100_000
REJECT_EVERY = 1000  # in the 100,000-row file, every 1000th row names an unknown municipality
MUNICIPALITIES = ["Villa de Reyes", "San Luis Potosí", "Soledad de Graciano Sánchez",
                  "Villa de Pozos", "Cerritos", "Matehuala"]  # fmt: skip


def rows_100k(path: Path) -> Path:
    """100,000 distinct rows; rows 1000, 2000, … (file rows 1001, 2001, …) are rejected."""
    rng = random.Random(SEED + 1)
    lines = [",".join(HEADER)]
    for i in range(1, BIG_ROWS + 1):
        municipality = "Narnia" if i % REJECT_EVERY == 0 else rng.choice(MUNICIPALITIES)
        day = f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        lines.append(
            f"Sintética Masiva {i:06d},Japón,Plásticos,Tier 1,Nueva planta,{municipality},{day},"
            f"{1 + i % 500},USD,{i % 900},Anunciado,https://example.org/sintetico"
        )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def big_50mb(path: Path, megabytes: int = 50) -> Path:
    """About 50 MB of valid rows, made big by long (but accepted) source URLs."""
    rng = random.Random(SEED + 2)
    target = megabytes * 1024 * 1024
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(csv_text([HEADER]))
        size, i = 0, 0
        while size < target:
            i += 1
            tail = rng.randbytes(950).hex()
            line = csv_text([row(f"Sintética Grande {i:06d}",
                                 source=f"https://example.org/{tail}")])  # fmt: skip
            f.write(line)
            size += len(line.encode())
    return path


def over_limit(path: Path, megabytes: int = 61) -> Path:
    """A file over the intake's 60 MB limit (sparse: a header, then zeros)."""
    with open(path, "wb") as f:
        f.write(csv_text([HEADER]).encode())
        f.truncate(megabytes * 1024 * 1024)
    return path


def write_big(folder: Path) -> dict[str, Path]:
    return {
        "rows_100k.csv": rows_100k(folder / "rows_100k.csv"),
        "big_50mb.csv": big_50mb(folder / "big_50mb.csv"),
        "over_60mb.csv": over_limit(folder / "over_60mb.csv"),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=Path, help="also write the big files into this folder")
    args = parser.parse_args()
    for path in write_corpus():
        print(path.relative_to(HERE.parent.parent))
    if args.big:
        args.big.mkdir(parents=True, exist_ok=True)
        for path in write_big(args.big).values():
            print(path)
    sys.exit(0)
