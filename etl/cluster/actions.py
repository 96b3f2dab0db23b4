"""The committees' action plans: actions (committee, municipality or the whole state, description,
owner, due date, status) and their dated progress notes, from one workbook (sheets «Acciones» and
«Avances»), two files, or a data desk form. Each file is a journal entry of kind `actions`.

An action is found by its key («Clave», given by the observatory: ACU-0001) or by its committee and
description; a changed status, owner or date is a change in the change log. A note is added once.
An action marked done without a date of completion is done on the day the entry was recorded.
"""

import re
from datetime import date, datetime

import duckdb
import pandas as pd
from rapidfuzz import process

from etl import parse
from etl.cluster import vocabulary as v
from etl.cluster.sheet_intake import Field, PartKind, SheetFile, day_or_month, text
from etl.cluster.store import Edit, Plan, apply_edits, as_date, insert, same
from etl.parse import CellError, is_blank, normalize
from etl.places import MunicipalityMatcher
from etl.sheets import Headers

KIND = "actions"
WHOLE_STATE = ("todo el estado", "estatal", "estado", "todos", "todos los municipios", "state",
               "whole state", "statewide", "san luis potosi estado")  # fmt: skip
EDITABLE = ("committee", "municipality", "description", "owner", "due_on", "status", "done_on")
# The whole state, as INEGI keys it (24): an action for every municipality.
STATE = ("Todo el estado", "24")


def municipality_or_state(matcher: MunicipalityMatcher):
    """(name, cvegeo) of a municipality, or STATE for the whole state ('Todo el estado')."""

    def parse_scope(cell):
        if is_blank(cell):
            return None
        if normalize(cell) in WHOLE_STATE:
            return STATE
        return matcher.match(cell)

    return parse_scope


def parse_due(cell) -> date | None:
    """A due date, future allowed; a month means its last day ('marzo 2025': 31 March)."""
    parsed = parse.parse_date(cell, date.max)
    if parsed is None:
        return None
    if parsed.precision == "year":
        raise CellError(
            f"«{str(cell).strip()}» solo indica el año; escriba el día o el mes del compromiso.",
            f"'{str(cell).strip()}' states only the year; write the day or month it is due.",
        )
    return parsed.end


def parse_key(cell) -> str | None:
    if is_blank(cell):
        return None
    key = re.sub(r"\s+", "", str(cell).upper())
    if not re.fullmatch(r"ACU-\d{4,}", key):
        raise CellError(
            f"«{str(cell).strip()}» no es una clave de acuerdo (ACU-0001). Deje la celda vacía "
            "para un acuerdo nuevo: la clave la asigna el observatorio.",
            f"'{str(cell).strip()}' is not an action key (ACU-0001). Leave it empty for a new "
            "action: the observatory assigns the key.",
        )
    return key


def action_kinds(matcher: MunicipalityMatcher, today: date) -> list[PartKind]:
    """Progress notes first (their headers name the action too)."""
    key = ("clave", "folio", "id", "clave del acuerdo", "key")
    description = ("accion", "acuerdo", "descripcion", "tarea", "action", "description")
    notes = PartKind(
        "notes",
        ("avances", "progress notes"),
        Headers(
            aliases={
                "action_id": key,
                "description": description,
                "noted_on": ("fecha", "fecha del avance", "date"),
                "note": ("avance", "nota", "comentario", "seguimiento", "progress", "note"),
            },
            labels={
                "action_id": ("la clave", "key"),
                "description": ("el acuerdo", "action"),
                "noted_on": ("la fecha", "date"),
                "note": ("el avance", "progress note"),
            },
            required="note",
        ),
        {
            "action_id": Field(parse_key),
            "description": Field(text(1000, ("acuerdo", "action"))),
            "noted_on": Field(day_or_month(today), required=True),
            "note": Field(text(2000, ("avance", "progress note")), required=True),
        },
        key_header="Avance",
    )
    actions = PartKind(
        "actions",
        ("acuerdos", "actions"),
        Headers(
            aliases={
                "action_id": key,
                "committee": ("comite", "comision", "committee"),
                "municipality": ("municipio", "ambito", "alcance", "municipality", "scope"),
                "description": description,
                "owner": ("responsable", "encargado", "owner", "responsible"),
                "due_on": (
                    "fecha compromiso",
                    "fecha limite",
                    "vence",
                    "fecha de vencimiento",
                    "plazo",
                    "due date",
                    "due on",
                    "due",
                ),
                "status": ("estatus", "estado", "situacion", "status"),
                "done_on": (
                    "fecha de cumplimiento",
                    "cumplida el",
                    "fecha de cierre",
                    "done on",
                    "completed on",
                ),
            },  # fmt: skip
            labels={
                "action_id": ("la clave", "key"),
                "committee": ("el comité", "committee"),
                "municipality": ("el municipio", "municipality"),
                "description": ("el acuerdo", "action"),
                "owner": ("el responsable", "owner"),
                "due_on": ("la fecha compromiso", "due date"),
                "status": ("el estatus", "status"),
                "done_on": ("la fecha de cumplimiento", "completion date"),
            },
            required="description",
        ),
        {
            "action_id": Field(parse_key),
            "committee": Field(v.COMMITTEES.parse),
            "municipality": Field(municipality_or_state(matcher)),
            "description": Field(text(1000, ("acuerdo", "action")), required=True),
            "owner": Field(text(200, ("responsable", "owner"))),
            "due_on": Field(parse_due),
            "status": Field(v.ACTION_STATUSES.parse),
            "done_on": Field(day_or_month(today)),
        },
        key_header="Acción",
    )
    return [notes, actions]


def _key(committee: str | None, description: str) -> str:
    return f"{committee}|{normalize(description)}"


def review(con: duckdb.DuckDBPyConnection, file: SheetFile, recorded_on: date) -> Plan:
    """Match each valid row to the actions kept (rejecting what cannot be placed); plan writes."""
    plan = Plan(file)
    stored = con.execute("SELECT * FROM actions ORDER BY action_id").df()
    records = {row.action_id: row._asdict() for row in stored.itertuples(index=False)}
    for record in records.values():
        for name in ("due_on", "done_on"):
            record[name] = as_date(record[name])
    by_key = {_key(r["committee"], r["description"]): i for i, r in records.items()}
    numbers = [int(i.split("-")[1]) for i in records]
    next_number = max(numbers, default=0) + 1
    part = file.part("actions")
    seen: dict[str, int] = {}
    for row in [] if part is None else list(part.rows.itertuples(index=False)):
        values = row._asdict()
        scope = values.pop("municipality")
        if scope is not None:
            values["municipality"], values["cvegeo"] = scope
        action_id = row.action_id
        if action_id is not None and action_id not in records:
            part.reject(row.source_row, "action_id", action_id,
                        f"No hay un acuerdo con la clave {action_id}. Deje la clave vacía para "
                        "un acuerdo nuevo.",
                        f"There is no action with key {action_id}. Leave the key empty for a "
                        "new action.")  # fmt: skip
            continue
        action_id = action_id or by_key.get(_key(row.committee, row.description))
        if action_id in seen:
            part.reject(row.source_row, "description", row.description,
                        f"Repite el acuerdo de la fila {seen[action_id]}; déjelo en una fila.",
                        f"Repeats the action of row {seen[action_id]}; keep it in one row.")  # fmt: skip
            continue
        known = records.get(action_id, {})
        status = row.status or known.get("status") or "pending"
        if action_id is None and row.committee is None:
            part.reject(row.source_row, "committee", None,
                        "Falta el comité: el acuerdo es nuevo.",
                        "The committee is missing: the action is new.")  # fmt: skip
            continue
        if row.done_on is not None and status != "done":
            part.reject(row.source_row, "done_on", row.done_on,
                        "Hay fecha de cumplimiento pero el acuerdo no está cumplido: cambie el "
                        "estatus a «Cumplida» o borre la fecha.",
                        "There is a completion date but the action is not done: set the status "
                        "to 'Done' or clear the date.")  # fmt: skip
            continue
        if status == "done" and values["done_on"] is None and known.get("status") != "done":
            values["done_on"] = recorded_on
        if known.get("status") == "done" and status != "done":
            values["done_on"] = None  # reopened: no longer done
        if action_id is None:
            action_id = f"ACU-{next_number:04d}"
            next_number += 1
            new = {
                **values,
                "action_id": action_id,
                "status": status,
                "municipality": values.get("municipality", STATE[0]),
                "cvegeo": values.get("cvegeo", STATE[1]),
            }
            plan.add("actions", new)
            records[action_id] = new
            by_key[_key(row.committee, row.description)] = action_id
            seen[action_id] = row.source_row
            plan.count("actions_new")
            continue
        seen[action_id] = row.source_row
        edits = [
            Edit("actions", "action_id", action_id, name, values[name], row.source_row,
                 (("cvegeo", values.get("cvegeo")),) if name == "municipality" else ())
            for name in EDITABLE
            if name in values
            and (values[name] is not None or name == "done_on" and known.get(name) is not None)
            and not same(known.get(name), values[name])
        ]  # fmt: skip
        plan.edits += edits
        known.update({e.field: e.value for e in edits})
        plan.count("actions_updated" if edits else "actions_unchanged")
    _review_notes(con, plan, records, by_key)
    return plan


def _review_notes(con, plan: Plan, records: dict, by_key: dict) -> None:
    part = plan.file.part("notes")
    if part is None:
        return
    stored = con.execute("SELECT action_id, noted_on, note FROM action_notes").fetchall()
    kept = {(a, as_date(d), normalize(n)) for a, d, n in stored}
    by_description = {normalize(r["description"]): i for i, r in records.items()}
    descriptions = sorted({r["description"] for r in records.values()})
    seen: dict[tuple, int] = {}
    for row in list(part.rows.itertuples(index=False)):
        action_id = row.action_id or (
            by_description.get(normalize(row.description)) if row.description else None
        )
        if action_id not in records:
            closest = [d for d, _, _ in process.extract(row.description or "", descriptions,
                                                        limit=2)]  # fmt: skip
            hint = "; ".join(closest)
            part.reject(row.source_row, "action_id" if row.action_id else "description",
                        row.action_id or row.description,
                        "No se encuentra el acuerdo (por su clave o su descripción)."
                        + (f" ¿Quiso decir: {hint}?" if hint else ""),
                        "The action is not found (by its key or its description)."
                        + (f" Did you mean: {hint}?" if hint else ""))  # fmt: skip
            continue
        key = (action_id, row.noted_on, normalize(row.note))
        if key in seen:
            part.reject(row.source_row, "note", row.note,
                        f"Repite el avance de la fila {seen[key]}.",
                        f"Repeats the progress note of row {seen[key]}.")  # fmt: skip
            continue
        seen[key] = row.source_row
        if key in kept:
            plan.count("notes_unchanged")
            continue
        plan.add("action_notes", {"action_id": action_id, "noted_on": row.noted_on,
                                  "note": row.note, "source_row": row.source_row})  # fmt: skip
        plan.count("notes_new")


def apply(con: duckdb.DuckDBPyConnection, plan: Plan, load_id: int, by: str, at: datetime) -> None:
    """Write a reviewed plan into this version of the warehouse (inside a journal write)."""
    for table in ("actions", "action_notes"):
        if plan.new.get(table):
            insert(con, table, pd.DataFrame(plan.new[table]).assign(load_id=load_id))
    apply_edits(con, plan, load_id, by, at)
