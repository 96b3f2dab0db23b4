"""The cluster's XLSX templates, generated from the vocabularies: the supplier roster (sheets
«Proveedores» and «Hitos») and the committees' actions («Acciones» and «Avances»), each with
«Valores aceptados» (drop-down lists) and «Instrucciones». Row 2 of each data sheet is an example
whose first cell starts with "EJEMPLO:": the readers skip it, so the untouched template loads
nothing. The headers here are also the columns of the data desk's forms (one reader for both).

    python -m etl template suppliers plantilla_proveedores.xlsx
    python -m etl template actions plantilla_acuerdos.xlsx
"""

import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from etl.cluster import vocabulary as v
from etl.template import municipality_names
from etl.warehouse import DEFAULT_RAW

VALUES_SHEET, HELP_SHEET = "Valores aceptados", "Instrucciones"
DATA_ROWS = 500  # rows that get the drop-down lists
EXAMPLE = "EJEMPLO: "

# (header, example value, instruction es, instruction en)
SUPPLIERS = [
    ("Proveedor", EXAMPLE + "Maquinados Ejemplo, S.A. de C.V. (esta fila no se carga)",
     "Obligatorio. Razón social o nombre del proveedor; con él (o con el RFC) se reconoce en "
     "cargas posteriores.", "Required. The supplier's name; it (or the RFC) identifies the "
     "supplier in later loads."),
    ("RFC", "MEJ150301AB1", "RFC de 12 (empresa) o 13 caracteres (persona física). Privado.",
     "Tax ID of 12 (company) or 13 characters (person). Private."),
    ("Municipio", "San Luis Potosí", "Municipio de San Luis Potosí (catálogo INEGI).",
     "Municipality of San Luis Potosí (INEGI catalogue)."),
    ("Tamaño", "Pequeña", "Micro, Pequeña, Mediana o Grande.", "Micro, small, medium or large."),
    ("Procesos", "Maquinado; Tratamiento térmico",
     "Uno o varios procesos de «Valores aceptados», separados por punto y coma.",
     "One or more processes from 'Valores aceptados', separated by semicolons."),
    ("Clientes", "Cliente Ejemplo 1; Cliente Ejemplo 2", "Clientes principales. Privado.",
     "Main customers. Private."),
    ("Contacto", "Nombre Ejemplo", "Persona de contacto. Privado.", "Contact person. Private."),
    ("Correo", "contacto@example.org", "Correo de contacto. Privado.", "Contact e-mail. Private."),
    ("Teléfono", "444 123 4567", "10 dígitos, con o sin +52. Privado.",
     "10 digits, with or without +52. Private."),
    ("Fecha de inscripción", date(2024, 3, 1),
     "Obligatoria para un proveedor nuevo: día o mes en que se inscribió al programa.",
     "Required for a new supplier: day or month it enrolled in the programme."),
    ("Fecha del distintivo", None,
     "Día en que se otorgó el distintivo (sello); vacío mientras no se otorgue.",
     "Day the readiness seal was granted; empty until granted."),
    ("Estatus", "Activo", "Activo o Baja (dejó el programa).", "Active or withdrawn."),
    ("Notas", "Fila de ejemplo: puede borrarla o dejarla.", "Observaciones. Privado.",
     "Remarks. Private."),
]  # fmt: skip
MILESTONES = [
    ("Proveedor", EXAMPLE + "Maquinados Ejemplo, S.A. de C.V.",
     "Obligatorio (o el RFC): un proveedor del padrón o de la hoja «Proveedores».",
     "Required (or the RFC): a supplier on the roster or on the 'Proveedores' sheet."),
    ("RFC", "MEJ150301AB1", "Opcional si se da el nombre.", "Optional when the name is given."),
    ("Área", "Calidad", "Calidad, Certificaciones, Legal, Fiscal, Financiamiento o Capacitación.",
     "Quality, certifications, legal, tax, financing or training."),
    ("Paso", "Diagnóstico", "Un paso de «Valores aceptados».", "A step from 'Valores aceptados'."),
    ("Fecha", date(2024, 4, 15), "Día (o mes) en que se cumplió el paso.",
     "Day (or month) the step was done."),
    ("Evidencia", "https://example.org/evidencia.pdf", "URL o nombre del documento que lo respalda.",
     "URL or name of the document that backs it."),
]  # fmt: skip
ACTIONS = [
    ("Clave", "", "Vacía para un acuerdo nuevo; para actualizar uno, su clave (ACU-0001), que da "
     "el observatorio.", "Empty for a new action; to update one, its key (ACU-0001), given by the "
     "observatory."),
    ("Comité", "Desarrollo de proveedores", "Desarrollo de proveedores, Académico, Desarrollo de "
     "abasto o Capital humano.", "Supplier development, academic, supply development or human "
     "capital."),
    ("Municipio", "Villa de Reyes", "Un municipio, o «Todo el estado» (también si se deja vacío).",
     "A municipality, or 'Todo el estado' (also when left empty)."),
    ("Acción", EXAMPLE + "Reunión con proveedores locales (esta fila no se carga)",
     "Obligatoria. Qué se acordó hacer.", "Required. What was agreed."),
    ("Responsable", "Nombre Ejemplo", "Quién da seguimiento.", "Who follows it up."),
    ("Fecha compromiso", date(2025, 6, 30), "Día (o mes: su último día) en que vence.",
     "Day (or month: its last day) it is due."),
    ("Estatus", "Pendiente", "Pendiente, En curso, Cumplida o Bloqueada.",
     "Pending, in progress, done or blocked."),
    ("Fecha de cumplimiento", None, "Solo si está cumplida; vacía: el día en que se carga.",
     "Only when done; empty: the day it is loaded."),
]  # fmt: skip
NOTES = [
    ("Clave", "", "La clave del acuerdo (o deje la descripción en «Acción»).",
     "The action's key (or give its description under 'Acción')."),
    ("Acción", EXAMPLE + "Reunión con proveedores locales",
     "La descripción del acuerdo, si no se da la clave.", "The action's description, when no key."),
    ("Fecha", date(2025, 5, 20), "Día del avance.", "Day of the progress note."),
    ("Avance", "Se convocó a 12 proveedores.", "Obligatorio. Qué se avanzó.",
     "Required. What progressed."),
]  # fmt: skip

KINDS = ("suppliers", "actions")


def _accepted(kind: str, raw_dir: Path) -> dict[str, list[str]]:
    municipalities = municipality_names(raw_dir)
    if kind == "suppliers":
        processes = v.processes_frame(raw_dir)
        return {
            "Tamaño": [es for es, _ in v.SIZES.codes.values()],
            "Procesos": processes["name_es"].tolist(),
            "Área": [es for es, _ in v.AREAS.codes.values()],
            "Paso": [es for es, _ in v.STEPS.codes.values()],
            "Estatus": [es for es, _ in v.SUPPLIER_STATUSES.codes.values()],
            "Municipio": municipalities,
        }
    return {
        "Comité": [es for es, _ in v.COMMITTEES.codes.values()],
        "Estatus": [es for es, _ in v.ACTION_STATUSES.codes.values()],
        "Municipio": ["Todo el estado", *municipalities],
    }


def sheets(kind: str) -> dict[str, list]:
    """Data sheet name -> its columns, in order."""
    if kind == "suppliers":
        return {"Proveedores": SUPPLIERS, "Hitos": MILESTONES}
    return {"Acciones": ACTIONS, "Avances": NOTES}


def workbook(kind: str, raw_dir: Path = DEFAULT_RAW) -> Workbook:
    if kind not in KINDS:
        raise ValueError(f"no template for {kind!r}: {', '.join(KINDS)}")
    book = Workbook()
    book.remove(book.active)
    header_font, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F5FA8")
    lists = _accepted(kind, raw_dir)
    values = None
    data_sheets = {}
    for title, columns in sheets(kind).items():
        sheet = book.create_sheet(title)
        data_sheets[title] = (sheet, [header for header, *_ in columns])
        sheet.append([header for header, *_ in columns])
        sheet.append([example for _, example, *_ in columns])
        for col, (header, example, *_) in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=col)
            cell.font, cell.fill = header_font, fill
            sheet.cell(row=2, column=col).font = Font(italic=True, color="808080")
            if isinstance(example, date) or header.startswith("Fecha"):
                for row in range(2, DATA_ROWS + 2):
                    sheet.cell(row=row, column=col).number_format = "yyyy-mm-dd"
            sheet.column_dimensions[get_column_letter(col)].width = max(
                14, min(45, len(header) + 8)
            )
        sheet.freeze_panes = "A2"
    values = book.create_sheet(VALUES_SHEET)
    for col, (name, items) in enumerate(lists.items(), start=1):
        values.cell(row=1, column=col, value=name).font = Font(bold=True)
        for row, item in enumerate(items, start=2):
            values.cell(row=row, column=col, value=item)
        letter = get_column_letter(col)
        values.column_dimensions[letter].width = max(18, max(len(i) for i in items) + 2)
        if name == "Procesos":  # several per cell: a list would allow only one
            continue
        for sheet, headers in data_sheets.values():
            if name not in headers:
                continue
            target = get_column_letter(headers.index(name) + 1)
            rule = DataValidation(
                type="list",
                formula1=f"'{VALUES_SHEET}'!${letter}$2:${letter}${len(items) + 1}",
                allow_blank=True,
                showErrorMessage=False,
            )
            rule.add(f"{target}2:{target}{DATA_ROWS + 1}")
            sheet.add_data_validation(rule)
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["Hoja", "Columna", "Qué escribir", "What to write"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for title, columns in sheets(kind).items():
        for header, _, es, en in columns:
            help_sheet.append([title, header, es, en])
    help_sheet.append([])
    help_sheet.append(
        ["", "Fila de ejemplo",
         "La fila 2 de cada hoja es un ejemplo: empieza con «EJEMPLO:» y nunca se carga.",
         "Row 2 of each sheet is an example: it starts with 'EJEMPLO:' and is never loaded."]
    )  # fmt: skip
    help_sheet.append(
        ["", "Actualizar",
         "Vuelva a cargar el archivo con los cambios: una celda con un valor distinto lo cambia "
         "(queda en el historial); una celda vacía nunca borra un valor guardado.",
         "Load the file again with the changes: a cell with a different value changes it (kept in "
         "the history); an empty cell never erases a stored value."]
    )  # fmt: skip
    for letter, width in zip("ABCD", (14, 22, 80, 80), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return book


def template_bytes(kind: str, raw_dir: Path = DEFAULT_RAW) -> bytes:
    buffer = io.BytesIO()
    workbook(kind, raw_dir).save(buffer)
    return buffer.getvalue()


def write_template(kind: str, path: Path, raw_dir: Path = DEFAULT_RAW) -> Path:
    path = Path(path)
    path.write_bytes(template_bytes(kind, raw_dir))
    return path
