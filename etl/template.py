"""The announcements template: an XLSX that the intake reads as it is, generated from the vocabularies.

Sheet «Anuncios» has the Spanish headers and one example row. The example row's company starts with
"EJEMPLO:", and the intake skips any row marked so (etl.intake.EXAMPLE_MARK): the untouched template
validates with 0 rows and 0 rejects. Sheet «Valores aceptados» lists the accepted values of sector,
nivel (tier), tipo de evento, estatus, municipio and moneda, and the template's cells offer them as
drop-down lists. Sheet «Instrucciones» explains each column.
"""

import io
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from etl import parse, staging
from etl.warehouse import DEFAULT_RAW

DATA_SHEET = "Anuncios"
VALUES_SHEET = "Valores aceptados"
HELP_SHEET = "Instrucciones"
DATA_ROWS = 1000  # rows that get the drop-down lists

# (header as written in the template, example value, instruction es, instruction en)
COLUMNS = [
    ("Empresa", "EJEMPLO: Autopartes Modelo, S.A. de C.V. (esta fila no se carga)",
     "Obligatoria. Razón social o nombre comercial de la empresa que invierte.",
     "Required. The investing company's name."),
    ("Grupo", "Grupo Ejemplo Automotriz",
     "Grupo o corporativo al que pertenece, si se conoce.",
     "Parent group, if known."),
    ("País de origen", "Japón",
     "País de la empresa o de su matriz: nombre en español o inglés, o código ISO (JP).",
     "Origin country: Spanish or English name, or ISO code (JP)."),
    ("Sector", parse.SECTORS.codes["plastics"][0],
     "Un valor de la hoja «Valores aceptados».", "A value from the 'Valores aceptados' sheet."),
    ("Nivel", parse.TIERS.codes["Tier 1"][0],
     "Nivel de proveeduría (tier): un valor de «Valores aceptados».",
     "Supplier tier: a value from 'Valores aceptados'."),
    ("Tipo de evento", parse.EVENT_TYPES.codes["new_plant"][0],
     "Nueva planta, expansión, nueva línea, reubicación o cancelación.",
     "New plant, expansion, new line, relocation or cancellation."),
    ("Municipio", "Villa de Reyes",
     "Municipio de San Luis Potosí (catálogo INEGI); se aceptan abreviaturas comunes.",
     "Municipality of San Luis Potosí (INEGI catalogue); common abbreviations are accepted."),
    ("Parque industrial", "Parque Industrial de Ejemplo", "Si se conoce.", "If known."),
    ("Fecha", date(2024, 3, 20),
     "Fecha del anuncio: 2024-03-20, 20/03/2024, marzo 2024 o solo el año. No futura.",
     "Announcement date: 2024-03-20, 20/03/2024, March 2024 or the year alone. Not in the future."),
    ("Monto (millones)", 150,
     "Monto anunciado en MILLONES de la moneda indicada (150 = 150 millones). También se acepta "
     "texto como «150 mdd» o «3,500 mdp».",
     "Announced amount in MILLIONS of the stated currency (150 = 150 million). Text such as "
     "'150 mdd' is also accepted."),
    ("Moneda", "USD", "USD, MXN, EUR, JPY, CNY, KRW…", "USD, MXN, EUR, JPY, CNY, KRW…"),
    ("Empleos", 500, "Empleos directos anunciados (número entero).",
     "Direct jobs announced (whole number)."),
    ("Estatus", parse.STATUSES.codes["announced"][0],
     "Un valor de «Valores aceptados».", "A value from 'Valores aceptados'."),
    ("Fuente", "https://example.org/nota-de-ejemplo",
     "Dirección (URL) de la nota o documento que respalda el anuncio.",
     "URL of the article or document the announcement comes from."),
    ("Título de la fuente", "Título de la nota de ejemplo", "Título de la nota.",
     "Title of the article."),
    ("Fecha de la fuente", date(2024, 3, 21), "Fecha de publicación de la nota.",
     "Publication date of the article."),
    ("Notas", "Fila de ejemplo: puede borrarla o dejarla, nunca se carga.",
     "Observaciones libres.", "Free remarks."),
]  # fmt: skip


def municipality_names(raw_dir: Path = DEFAULT_RAW) -> list[str]:
    """Official INEGI names of the 58 municipalities, plus places announcements use (Villa de Pozos)."""
    catalog = pd.read_csv(raw_dir / "geo" / "slp_municipios_catalogo.csv", dtype=str)
    names = set(catalog["NOMGEO"]) | set(staging.places_frame()["name"])
    return sorted(names, key=parse.normalize)


def accepted_values(raw_dir: Path = DEFAULT_RAW) -> dict[str, list[str]]:
    """Column of the template -> the values it accepts, as the template lists them (Spanish)."""
    return {
        "Sector": [es for es, _ in parse.SECTORS.codes.values()],
        "Nivel": [es for es, _ in parse.TIERS.codes.values()],
        "Tipo de evento": [es for es, _ in parse.EVENT_TYPES.codes.values()],
        "Estatus": [es for es, _ in parse.STATUSES.codes.values()],
        "Municipio": municipality_names(raw_dir),
        "Moneda": list(parse.CURRENCIES),
    }


def template_workbook(raw_dir: Path = DEFAULT_RAW) -> Workbook:
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    header_font, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F5FA8")
    data.append([header for header, *_ in COLUMNS])
    data.append([example for _, example, *_ in COLUMNS])
    for col, (header, example, *_) in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=col)
        cell.font, cell.fill = header_font, fill
        data.cell(row=2, column=col).font = Font(italic=True, color="808080")
        if isinstance(example, date):
            for row in range(2, DATA_ROWS + 2):
                data.cell(row=row, column=col).number_format = "yyyy-mm-dd"
        data.column_dimensions[get_column_letter(col)].width = max(14, min(45, len(header) + 6))
    data.freeze_panes = "A2"

    values = book.create_sheet(VALUES_SHEET)
    lists = accepted_values(raw_dir)
    headers = [header for header, *_ in COLUMNS]
    for col, (name, items) in enumerate(lists.items(), start=1):
        values.cell(row=1, column=col, value=name).font = Font(bold=True)
        for row, item in enumerate(items, start=2):
            values.cell(row=row, column=col, value=item)
        letter = get_column_letter(col)
        values.column_dimensions[letter].width = max(18, max(len(i) for i in items) + 2)
        # A drop-down in the data sheet; other text is still accepted (aliases, English labels).
        target = get_column_letter(headers.index(name) + 1)
        rule = DataValidation(
            type="list",
            formula1=f"'{VALUES_SHEET}'!${letter}$2:${letter}${len(items) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        rule.add(f"{target}2:{target}{DATA_ROWS + 1}")
        data.add_data_validation(rule)

    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["Columna", "Qué escribir", "Column", "What to write"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for header, _, es, en in COLUMNS:
        help_sheet.append([header, es, header, en])
    help_sheet.append([])
    help_sheet.append(
        [
            "Fila de ejemplo",
            "La fila 2 es un ejemplo: su empresa empieza con «EJEMPLO:» y por eso nunca se carga. "
            "Cualquier fila cuya empresa empiece con «EJEMPLO:» se omite.",
            "Example row",
            "Row 2 is an example: its company starts with 'EJEMPLO:', so it is never loaded. "
            "Any row whose company starts with 'EJEMPLO:' is skipped.",
        ]
    )
    for letter, width in zip("ABCD", (22, 80, 22, 80), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return book


def template_bytes(raw_dir: Path = DEFAULT_RAW) -> bytes:
    buffer = io.BytesIO()
    template_workbook(raw_dir).save(buffer)
    return buffer.getvalue()


def write_template(path: Path, raw_dir: Path = DEFAULT_RAW) -> Path:
    path = Path(path)
    path.write_bytes(template_bytes(raw_dir))
    return path
