"""The supplier development programme's roster: suppliers and their milestones, from one workbook
(sheets «Proveedores» and «Hitos»), two files, or a data desk form (a one-row file of the same
shape). Each file is a journal entry of kind `suppliers`.

A file is the roster as the committee keeps it, so loading it again with changes is an update: a
supplier is found by its RFC, else by its name (legal form aside); a non-blank cell that differs
from the warehouse's value changes it, through the change log; a blank cell never erases. A
milestone is one step of one area for one supplier: a new date or evidence for it is a change.

Private fields (RFC, customers, contact name, e-mail, phone, notes) live in supplier_private, apart
from the public columns of suppliers; no reject message repeats them.
"""

import re
from datetime import date, datetime

import duckdb
import pandas as pd
from rapidfuzz import process

from etl.cluster import vocabulary as v
from etl.cluster.sheet_intake import Field, Part, PartKind, SheetFile, day_or_month, text
from etl.cluster.store import Edit, Plan, apply_edits, as_date, insert, same
from etl.parse import CellError, is_blank, normalize
from etl.places import MunicipalityMatcher
from etl.sheets import Headers

KIND = "suppliers"
PUBLIC = (
    "name",
    "cvegeo",
    "municipality",
    "size",
    "processes",
    "enrolled_on",
    "certified_on",
    "status",
)
EDITABLE = tuple(name for name in PUBLIC if name != "cvegeo")  # cvegeo follows municipality
PRIVATE = ("rfc", "customers", "contact_name", "email", "phone", "notes")

# ---------------------------------------------------------------- private cells (never echoed)

_RFC = re.compile(r"([A-ZÑ&]{3,4})(\d{2})(\d{2})(\d{2})([A-Z\d]{2}[A\d])")
GENERIC_RFCS = {"XAXX010101000", "XEXX010101000"}


def parse_rfc(cell) -> str | None:
    """An RFC: 3 letters (company) or 4 (person), the date YYMMDD, a 3-character homoclave."""
    if is_blank(cell):
        return None
    rfc = re.sub(r"[\s\-._]", "", str(cell).upper())
    match = _RFC.fullmatch(rfc)
    if not match:
        raise CellError(
            "No es un RFC válido: 12 caracteres para una empresa (3 letras, fecha AAMMDD y 3 de "
            "homoclave) o 13 para una persona física (4 letras).",
            "Not a valid RFC: 12 characters for a company (3 letters, the date YYMMDD and a "
            "3-character homoclave) or 13 for a person (4 letters).",
        )
    if rfc in GENERIC_RFCS:
        raise CellError(
            "Es un RFC genérico (público en general o extranjero), no el del proveedor.",
            "It is a generic RFC (general public or foreign), not the supplier's own.",
        )
    yy, mm, dd = (int(g) for g in match.groups()[1:4])
    if not any(_is_date(century + yy, mm, dd) for century in (1900, 2000)):
        raise CellError(
            "La fecha dentro del RFC (AAMMDD, después de las letras) no es una fecha posible.",
            "The date inside the RFC (YYMMDD, after the letters) is not a possible date.",
        )
    return rfc


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[A-Za-z]{2,}")


def parse_email(cell) -> str | None:
    if is_blank(cell):
        return None
    email = str(cell).strip().lower().removeprefix("mailto:")
    if not _EMAIL.fullmatch(email):
        raise CellError(
            "No es un correo electrónico válido (nombre@dominio.mx).",
            "Not a valid e-mail address (name@domain.mx).",
        )
    return email


_EXTENSION = re.compile(r"\s*(?:ext\.?|extensi[oó]n|x)\s*(\d{1,6})\s*$", re.IGNORECASE)


def parse_phone(cell) -> str | None:
    """A Mexican phone number of 10 digits (with or without +52), an extension allowed."""
    if is_blank(cell):
        return None
    written = str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell)
    extension = _EXTENSION.search(written)
    digits = re.sub(r"\D", "", written[: extension.start()] if extension else written)
    for prefix in ("521", "52", "044", "045", "01"):
        if len(digits) == 10 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    if len(digits) != 10:
        raise CellError(
            "El teléfono debe tener 10 dígitos (con o sin +52); la extensión, al final (ext. 123).",
            "The phone number needs 10 digits (with or without +52); an extension goes at the "
            "end (ext. 123).",
        )
    shown = f"+52 {digits[:3]} {digits[3:6]} {digits[6:]}"
    return shown + (f" ext. {extension.group(1)}" if extension else "")


def processes_parser(vocab):
    """Several processes in one cell, separated by commas, semicolons, slashes or 'y'."""

    def parse_processes(cell) -> list[str] | None:
        if is_blank(cell):
            return None
        parts = re.split(r"[,;/|\n]+|\s+(?:y|e|and)\s+", str(cell))
        found = [vocab.parse(p) for p in parts if not is_blank(p)]
        return list(dict.fromkeys(found)) or None

    return parse_processes


# ---------------------------------------------------------------- the parts


def supplier_kinds(matcher: MunicipalityMatcher, processes, today: date) -> list[PartKind]:
    """The two sheets of a roster: milestones first (their headers name a supplier too)."""
    names = (
        "proveedor",
        "nombre del proveedor",
        "empresa",
        "razon social",
        "nombre",
        "supplier",
        "company",
        "name",
    )
    rfc = ("rfc", "r f c", "registro federal de contribuyentes", "tax id")
    notes = ("notas", "nota", "observaciones", "comentarios", "notes")
    milestones = PartKind(
        "milestones",
        ("hitos", "milestones"),
        Headers(
            aliases={
                "supplier": names,
                "rfc": rfc,
                "area": ("area", "rubro", "area del sello"),
                "step": ("paso", "hito", "etapa", "step", "milestone"),
                "done_on": (
                    "fecha",
                    "fecha del hito",
                    "fecha de cumplimiento",
                    "fecha de logro",
                    "date",
                    "done on",
                ),
                "evidence": ("evidencia", "documento", "soporte", "liga", "url", "evidence"),
                "notes": notes,
            },  # fmt: skip
            labels={
                "supplier": ("el proveedor", "supplier"),
                "rfc": ("el RFC", "RFC"),
                "area": ("el área", "area"),
                "step": ("el paso", "step"),
                "done_on": ("la fecha", "date"),
                "evidence": ("la evidencia", "evidence"),
                "notes": ("las notas", "notes"),
            },
            required="step",
        ),
        {
            "supplier": Field(text(200, ("proveedor", "supplier"))),
            "rfc": Field(parse_rfc, private=True),
            "area": Field(v.AREAS.parse, required=True),
            "step": Field(v.STEPS.parse, required=True),
            "done_on": Field(day_or_month(today), required=True),
            "evidence": Field(text(500, ("evidencia", "evidence"))),
            "notes": Field(text(2000, ("notas", "notes")), private=True),
        },
        key_header="Paso",
    )
    suppliers = PartKind(
        "suppliers",
        ("proveedores", "suppliers"),
        Headers(
            aliases={
                "name": names,
                "rfc": rfc,
                "municipality": ("municipio", "municipality", "mpio", "ubicacion", "location"),
                "size": ("tamano", "tamano de empresa", "tamano de la empresa", "estrato", "size"),
                "processes": ("procesos", "proceso", "capacidades", "processes", "process"),
                "customers": ("clientes", "clientes principales", "customers"),
                "contact_name": (
                    "contacto",
                    "nombre de contacto",
                    "persona de contacto",
                    "contact",
                    "contact name",
                ),
                "email": ("correo", "correo electronico", "email", "e mail", "mail"),
                "phone": ("telefono", "tel", "celular", "phone", "telephone"),
                "enrolled_on": (
                    "fecha de inscripcion",
                    "inscripcion",
                    "fecha de ingreso",
                    "fecha de registro",
                    "enrolled on",
                    "enrolment date",
                    "enrollment date",
                ),
                "certified_on": (
                    "fecha del distintivo",
                    "distintivo",
                    "fecha del sello",
                    "sello",
                    "fecha de certificacion",
                    "certificado",
                    "certified on",
                    "seal date",
                ),
                "status": ("estatus", "status", "situacion"),
                "notes": notes,
            },  # fmt: skip
            labels={
                "name": ("el proveedor", "supplier"),
                "rfc": ("el RFC", "RFC"),
                "municipality": ("el municipio", "municipality"),
                "size": ("el tamaño", "size"),
                "processes": ("los procesos", "processes"),
                "customers": ("los clientes", "customers"),
                "contact_name": ("el contacto", "contact name"),
                "email": ("el correo", "e-mail"),
                "phone": ("el teléfono", "phone"),
                "enrolled_on": ("la fecha de inscripción", "enrolment date"),
                "certified_on": ("la fecha del distintivo", "seal date"),
                "status": ("el estatus", "status"),
                "notes": ("las notas", "notes"),
            },
            required="name",
        ),
        {
            "name": Field(text(200, ("proveedor", "supplier")), required=True),
            "rfc": Field(parse_rfc, private=True),
            "municipality": Field(matcher.match),
            "size": Field(v.SIZES.parse),
            "processes": Field(processes_parser(processes)),
            "customers": Field(text(500, ("clientes", "customers")), private=True),
            "contact_name": Field(text(200, ("contacto", "contact")), private=True),
            "email": Field(parse_email, private=True),
            "phone": Field(parse_phone, private=True),
            "enrolled_on": Field(day_or_month(today)),
            "certified_on": Field(day_or_month(today)),
            "status": Field(v.SUPPLIER_STATUSES.parse),
            "notes": Field(text(2000, ("notas", "notes")), private=True),
        },
        key_header="Proveedor",
    )
    return [milestones, suppliers]


# ---------------------------------------------------------------- review against the warehouse

_LEGAL_FORMS = re.compile(
    r"\b(s a p i de c v|sapi de cv|s a de c v|sa de cv|s de r l de c v|s de rl de cv|s de r l|"
    r"s a|sa|s c|sc)\b"
)


def supplier_key(name: str) -> str:
    """A supplier's name as matched: no accents, case or punctuation, legal form aside."""
    return " ".join(_LEGAL_FORMS.sub(" ", normalize(name)).split())


def _current(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster and its milestones as stored, dates as dates."""
    suppliers = con.execute(
        "SELECT s.*, p.rfc, p.customers, p.contact_name, p.email, p.phone, p.notes "
        "FROM suppliers s LEFT JOIN supplier_private p USING (supplier_id) ORDER BY supplier_id"
    ).df()
    milestones = con.execute("SELECT * FROM supplier_milestones").df()
    for frame, columns in (
        (suppliers, ("enrolled_on", "certified_on")),
        (milestones, ("done_on",)),
    ):
        for column in columns:
            frame[column] = [None if pd.isna(d) else as_date(d) for d in frame[column]]
    return suppliers, milestones


def review(con: duckdb.DuckDBPyConnection, file: SheetFile) -> Plan:
    """Match each valid row to the roster (rejecting what cannot be placed) and plan the writes."""
    plan = Plan(file)
    current, milestones = _current(con)
    by_rfc = {r: i for r, i in zip(current["rfc"], current["supplier_id"], strict=True) if r}
    by_key = {supplier_key(n): i for n, i in zip(current["name"], current["supplier_id"],
                                                 strict=True)}  # fmt: skip
    records = {row.supplier_id: row._asdict() for row in current.itertuples(index=False)}
    numbers = [int(i.split("-")[1]) for i in current["supplier_id"]]
    next_number = max(numbers, default=0) + 1
    suppliers = file.part("suppliers")
    if suppliers is not None:
        seen: dict[str, int] = {}
        for row in list(suppliers.rows.itertuples(index=False)):
            key, rfc, source_row = supplier_key(row.name), row.rfc, row.source_row
            earlier = seen.get(f"rfc:{rfc}") if rfc else None
            earlier = earlier or seen.get(f"key:{key}")
            if earlier:
                suppliers.reject(
                    source_row,
                    "name",
                    row.name,
                    f"Repite al proveedor de la fila {earlier}; déjelo en una fila.",
                    f"Repeats the supplier of row {earlier}; keep it in one row.",
                )
                continue
            supplier_id = by_rfc.get(rfc) if rfc else None
            if supplier_id is None and key in by_key:
                supplier_id = by_key[key]
                known_rfc = records[supplier_id]["rfc"]
                if rfc and known_rfc and known_rfc != rfc:
                    suppliers.reject(
                        source_row,
                        "rfc",
                        rfc,
                        f"«{row.name}» ya está en el padrón con otro RFC; si es otra "
                        "empresa, distíngala en el nombre.",
                        f"'{row.name}' is already on the roster with another RFC; if "
                        "it is another firm, tell them apart in the name.",
                    )
                    continue
            values = row._asdict()
            values["municipality"], values["cvegeo"] = row.municipality or (None, None)
            known = records.get(supplier_id, {})
            enrolled = values["enrolled_on"] or known.get("enrolled_on")
            if supplier_id is None and values["enrolled_on"] is None:
                suppliers.reject(
                    source_row,
                    "enrolled_on",
                    None,
                    "Falta la fecha de inscripción: el proveedor es nuevo en el padrón.",
                    "The enrolment date is missing: the supplier is new to the roster.",
                )
                continue
            if values["certified_on"] and enrolled and values["certified_on"] < as_date(enrolled):
                suppliers.reject(
                    source_row,
                    "certified_on",
                    values["certified_on"],
                    "El distintivo no puede ser anterior a la inscripción "
                    f"({as_date(enrolled).isoformat()}).",
                    f"The seal cannot predate the enrolment ({as_date(enrolled).isoformat()}).",
                )
                continue
            seen[f"key:{key}"] = source_row
            if rfc:
                seen[f"rfc:{rfc}"] = source_row
            if supplier_id is None:
                supplier_id = f"PRV-{next_number:04d}"
                next_number += 1
                values = {
                    **values,
                    "supplier_id": supplier_id,
                    "status": values["status"] or "active",
                }
                plan.add("suppliers", values)
                records[supplier_id] = values
                by_key[key] = supplier_id
                if rfc:
                    by_rfc[rfc] = supplier_id
                plan.count("suppliers_new")
                continue
            edits = [
                Edit("suppliers" if name in PUBLIC else "supplier_private", "supplier_id",
                     supplier_id, name, values[name], source_row,
                     (("cvegeo", values["cvegeo"]),) if name == "municipality" else ())
                for name in (*EDITABLE, *PRIVATE)
                if values.get(name) is not None and not same(known.get(name), values[name])
            ]  # fmt: skip
            plan.edits += edits
            known.update({e.field: e.value for e in edits})
            plan.count("suppliers_updated" if edits else "suppliers_unchanged")
    _review_milestones(plan, records, milestones)
    return plan


def _review_milestones(plan: Plan, records: dict, milestones: pd.DataFrame) -> None:
    part: Part | None = plan.file.part("milestones")
    if part is None:
        return
    by_rfc = {r["rfc"]: i for i, r in records.items() if r.get("rfc")}
    by_key = {supplier_key(r["name"]): i for i, r in records.items()}
    names = sorted({r["name"] for r in records.values()})
    stored = {row.milestone_id: row for row in milestones.itertuples(index=False)}
    seen: dict[str, int] = {}
    for row in list(part.rows.itertuples(index=False)):
        supplier_id = (by_rfc.get(row.rfc) if row.rfc else None) or (
            by_key.get(supplier_key(row.supplier)) if row.supplier else None
        )
        if supplier_id is None:
            if not row.supplier and not row.rfc:
                part.reject(
                    row.source_row,
                    "supplier",
                    None,
                    "Falta el proveedor (su nombre o su RFC).",
                    "The supplier is missing (its name or its RFC).",
                )
                continue
            closest = [n for n, _, _ in process.extract(row.supplier or "", names, limit=3)]
            hint_es = f" ¿Quiso decir: {', '.join(closest)}?" if closest else ""
            hint_en = f" Did you mean: {', '.join(closest)}?" if closest else ""
            part.reject(
                row.source_row,
                "supplier",
                row.supplier,
                "El proveedor no está en el padrón ni en la hoja de proveedores de este "
                f"archivo.{hint_es}",
                "The supplier is neither on the roster nor on this file's suppliers "
                f"sheet.{hint_en}",
            )
            continue
        enrolled = records[supplier_id].get("enrolled_on")
        if enrolled is not None and row.done_on < as_date(enrolled):
            part.reject(
                row.source_row,
                "done_on",
                row.done_on,
                f"Es anterior a la inscripción del proveedor ({as_date(enrolled).isoformat()}).",
                f"It predates the supplier's enrolment ({as_date(enrolled).isoformat()}).",
            )
            continue
        milestone_id = f"{supplier_id}|{row.area}|{row.step}"
        if milestone_id in seen:
            part.reject(
                row.source_row,
                "step",
                row.step,
                f"Repite el hito de la fila {seen[milestone_id]} (mismo proveedor, área y "
                "paso); déjelo en una fila.",
                f"Repeats the milestone of row {seen[milestone_id]} (same supplier, area "
                "and step); keep it in one row.",
            )
            continue
        seen[milestone_id] = row.source_row
        values = {"milestone_id": milestone_id, "supplier_id": supplier_id, "area": row.area,
                  "step": row.step, "done_on": row.done_on, "evidence": row.evidence,
                  "source_row": row.source_row}  # fmt: skip
        old = stored.get(milestone_id)
        if old is None:
            plan.add("supplier_milestones", values)
            plan.count("milestones_new")
            continue
        edits = [
            Edit("supplier_milestones", "milestone_id", milestone_id, name, values[name],
                 row.source_row)
            for name in ("done_on", "evidence")
            if values[name] is not None and not same(getattr(old, name), values[name])
        ]  # fmt: skip
        plan.edits += edits
        plan.count("milestones_updated" if edits else "milestones_unchanged")


# ---------------------------------------------------------------- writing


def apply(con: duckdb.DuckDBPyConnection, plan: Plan, load_id: int, by: str, at: datetime) -> None:
    """Write a reviewed plan into this version of the warehouse (inside a journal write)."""
    if plan.new.get("suppliers"):
        new = pd.DataFrame(plan.new["suppliers"])
        new["processes"] = new["processes"].map(lambda p: p if isinstance(p, list) else None)
        insert(
            con, "suppliers", new[["supplier_id", *PUBLIC, "source_row"]].assign(load_id=load_id)
        )
        insert(con, "supplier_private", new[["supplier_id", *PRIVATE]])
    if plan.new.get("supplier_milestones"):
        milestones = pd.DataFrame(plan.new["supplier_milestones"]).assign(load_id=load_id)
        insert(con, "supplier_milestones", milestones)
    apply_edits(con, plan, load_id, by, at)
