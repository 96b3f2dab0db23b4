"""The supplier roster and the committees' actions: cell parsers, intake of messy files (headers,
accents, duplicates, bad cells), rows read = loaded + rejected, updates through the change log,
private values kept out of the rejects table, the command line, the templates, and the journal's
replay. Every supplier here is SYNTHETIC."""

import shutil
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl.__main__ import main as etl_cli
from etl.cluster import roster
from etl.cluster.writes import load_file, validate_file
from etl.load import build
from etl.parse import CellError
from tests.conftest import TODAY, raw_copy

GOOD_RFC = "SIN150301AB1"


@pytest.fixture
def warehouse(shipped_warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    return db, raw_copy(tmp_path, journal=True)


def rows(db, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(GOOD_RFC, GOOD_RFC), ("sin-150301-ab1", GOOD_RFC), ("GODE561231GR8", "GODE561231GR8"),
     ("", None)],
)  # fmt: skip
def test_rfc_accepted(cell, expected):
    assert roster.parse_rfc(cell) == expected


@pytest.mark.parametrize("cell", ["SIN15031AB1", "SIN151301AB1", "SIN150230AB1", "XAXX010101000",
                                  "12345678901"])  # fmt: skip
def test_rfc_refused_without_repeating_it(cell):
    with pytest.raises(CellError) as refused:
        roster.parse_rfc(cell)
    assert cell not in refused.value.es and cell not in refused.value.en


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("444 123 4567", "+52 444 123 4567"), ("+52 (444) 123-45-67", "+52 444 123 4567"),
     (4441234567.0, "+52 444 123 4567"), ("444.123.4567 ext. 12", "+52 444 123 4567 ext. 12")],
)  # fmt: skip
def test_phone_numbers(cell, expected):
    assert roster.parse_phone(cell) == expected


def test_bad_phone_and_email_are_refused():
    for parse, cell in ((roster.parse_phone, "123"), (roster.parse_email, "nadie@"),
                        (roster.parse_email, "sin arroba.mx")):  # fmt: skip
        with pytest.raises(CellError):
            parse(cell)
    assert roster.parse_email("Mailto:Ana@Example.ORG") == "ana@example.org"


# ---------------------------------------------------------------- a messy workbook


def messy_workbook(path) -> None:
    """Title rows above the headers, headers in other words and accents, a duplicate, bad cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Padrón 2026"
    sheet.append(["Padrón del programa (SINTÉTICO)"])
    sheet.append([])
    sheet.append(["  PROVEEDOR ", "r.f.c.", "Mpio", "TAMANO", "procesos", "E-mail", "Tel.",
                  "Fecha de Inscripcion", "Distintivo", "Columna extra"])  # fmt: skip
    sheet.append(
        [
            "Proveedor Sintético Uno, S.A. de C.V.",
            GOOD_RFC,
            "Soledad de G. S.",
            "pequeña",
            "Maquinado; tratamientos térmicos y Pintura",
            "uno@example.org",
            "444 000 0001",
            date(2025, 3, 1),
            date(2026, 2, 10),
            "x",
        ]
    )  # 4: valid
    sheet.append(
        [
            "Proveedor Sintético Dos",
            "SIN151301AB1",
            "Villa de Reyes",
            "Mediana",
            "Estampado",
            "dos@",
            "123",
            date(2025, 4, 1),
            None,
            "",
        ]
    )  # 5: RFC, e-mail, phone
    sheet.append(
        [
            "proveedor sintetico uno",
            "",
            "SLP",
            "Micro",
            "Soldadura",
            "",
            "",
            date(2025, 5, 1),
            None,
            "",
        ]
    )  # 6: repeats row 4
    sheet.append(
        [
            "Proveedor Sintético Tres",
            "",
            "Atlantis",
            "Gigante",
            "Teletransporte",
            "",
            "",
            "2025",
            date(2024, 1, 1),
            "",
        ]
    )  # 7: municipality, size, process, date
    sheet.append(
        ["Proveedor Sintético Cuatro", "", "Matehuala", "Micro", "Forja", "", "", None, None, ""]
    )  # 8: new without enrolment date
    sheet.append(
        [
            "Proveedor Sintético Cinco",
            "",
            "Cerritos",
            "Micro",
            "Forja",
            "",
            "",
            date(2025, 6, 1),
            date(2025, 1, 1),
            "",
        ]
    )  # 9: seal before enrolment
    milestones = book.create_sheet("Avances del sello")
    milestones.append(["Proveedor", "Área", "Paso", "Fecha", "Evidencia"])
    milestones.append(
        [
            "Proveedor Sintético Uno, S.A. de C.V.",
            "calidad",
            "Diagnostico",
            date(2025, 4, 1),
            "https://example.org/synthetic/1",
        ]
    )  # valid
    milestones.append(
        ["Proveedor Sintético Uno", "Certificaciones", "IATF-16949", date(2025, 9, 1), ""]
    )  # valid (legal form aside)
    milestones.append(["Proveedor Fantasma", "Calidad", "Auditoría", date(2025, 9, 1), ""])
    milestones.append(["Proveedor Sintético Uno", "Marketing", "Diagnóstico", date(2025, 9, 1), ""])
    milestones.append(["Proveedor Sintético Uno", "Calidad", "Diagnóstico", date(2025, 4, 1), ""])
    book.save(path)


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "padron_sucio.xlsx"
    messy_workbook(path)
    return path


def test_messy_roster_rows_read_equal_loaded_plus_rejected(warehouse, messy):
    db, raw = warehouse
    outcome = load_file(messy, db, "suppliers", raw, "ana@example.org", today=TODAY)
    suppliers, milestones = (outcome.file.part(k) for k in ("suppliers", "milestones"))
    assert suppliers.header_row == 3 and suppliers.unused_columns == ["Columna extra"]
    assert (suppliers.rows_read, milestones.rows_read) == (6, 5)
    rejected = {(r.sheet, r.row_number, r.column) for r in outcome.file.rejects.itertuples()}
    assert {row for sheet, row, _ in rejected if sheet == "Padrón 2026"} == {5, 6, 7, 8, 9}
    assert ("Padrón 2026", 5, "r.f.c.") in rejected and ("Padrón 2026", 5, "E-mail") in rejected
    assert ("Padrón 2026", 5, "Tel.") in rejected
    assert {c for s, r, c in rejected if r == 7} == {"Mpio", "TAMANO", "procesos",
                                                      "Fecha de Inscripcion"}  # fmt: skip
    assert {r for s, r, _ in rejected if s == "Avances del sello"} == {4, 5, 6}
    [(read, loaded, rejected_rows)] = rows(
        db, "SELECT rows_read, rows_loaded, rows_rejected FROM load_log WHERE load_id = ?",
        [outcome.load_id],
    )  # fmt: skip
    assert (read, loaded, rejected_rows) == (11, 3, 8)
    assert read == loaded + rejected_rows
    [supplier] = rows(db, "SELECT name, municipality, size, processes, enrolled_on, certified_on "
                          "FROM suppliers")  # fmt: skip
    assert supplier == ("Proveedor Sintético Uno, S.A. de C.V.", "Soledad de Graciano Sánchez",
                        "pequena", ["maquinado", "tratamiento_termico", "recubrimientos"],
                        date(2025, 3, 1), date(2026, 2, 10))  # fmt: skip
    assert rows(db, "SELECT step FROM supplier_milestones ORDER BY step") == [
        ("diagnostico",), ("iatf_16949",)]  # fmt: skip


def test_private_values_never_reach_the_rejects_table(warehouse, messy):
    db, raw = warehouse
    outcome = load_file(messy, db, "suppliers", raw, "ana@example.org", today=TODAY)
    stored = rows(db, 'SELECT "column", value, reason, reason_en FROM rejects WHERE load_id = ?',
                  [outcome.load_id])  # fmt: skip
    text = " ".join(str(v) for row in stored for v in row)
    for secret in ("SIN151301AB1", "dos@", "98765"):
        assert secret not in text
    # ... while the clerk's own preview keeps them, to fix the file.
    assert "SIN151301AB1" in outcome.file.rejects["value"].tolist()


def test_a_file_loaded_again_updates_through_the_change_log(warehouse, messy, tmp_path):
    db, raw = warehouse
    load_file(messy, db, "suppliers", raw, "ana@example.org", today=TODAY)
    again = load_file(messy, db, "suppliers", raw, "ana@example.org", today=TODAY)
    assert again.already_loaded is not None and again.load_id is None
    update = tmp_path / "cambio.csv"
    pd.DataFrame([{"RFC": GOOD_RFC, "Proveedor": "Proveedor Sintético Uno, S.A. de C.V.",
                   "Teléfono": "444 999 0000", "Municipio": "", "Tamaño": "Mediana"}]
                 ).to_csv(update, index=False)  # fmt: skip
    outcome = load_file(update, db, "suppliers", raw, "luis@example.org", today=TODAY)
    assert outcome.plan.counts == {"suppliers_updated": 1}
    logged = rows(db, "SELECT entity, field, old_value, new_value, changed_by FROM changes "
                      "WHERE entity <> 'announcements' ORDER BY change_id")  # fmt: skip
    assert logged == [
        ("suppliers", "size", "pequena", "mediana", "luis@example.org"),
        ("supplier_private", "phone", "+52 444 000 0001", "+52 444 999 0000", "luis@example.org"),
    ]
    # A blank cell erased nothing; the public change log leaves the private field out.
    assert rows(db, "SELECT municipality FROM suppliers") == [("Soledad de Graciano Sánchez",)]
    assert rows(db, "SELECT field FROM public_changes WHERE entity LIKE 'supplier%'") == [("size",)]


def test_the_untouched_template_loads_nothing(warehouse, tmp_path, capsys):
    db, raw = warehouse
    template = tmp_path / "plantilla.xlsx"
    assert etl_cli(["template", "suppliers", str(template)]) == 0
    assert set(openpyxl.load_workbook(template).sheetnames) == {
        "Proveedores", "Hitos", "Valores aceptados", "Instrucciones"}  # fmt: skip
    code = etl_cli(["suppliers", str(template), "--db", str(db), "--raw", str(raw)])
    assert code == 0
    assert "0 filas leídas" in capsys.readouterr().out
    assert rows(db, "SELECT count(*) FROM suppliers") == [(0,)]
    announcements = tmp_path / "anuncios.xlsx"  # the announcements template as before
    assert etl_cli(["template", str(announcements)]) == 0
    assert openpyxl.load_workbook(announcements).sheetnames[0] == "Anuncios"


def test_command_line_exit_codes(warehouse, messy, tmp_path, capsys):
    db, raw = warehouse
    args = ["--db", str(db), "--raw", str(raw), "--by", "ana@example.org"]
    assert etl_cli(["suppliers", str(messy), "--validate", *args]) == 1
    assert rows(db, "SELECT count(*) FROM suppliers") == [(0,)]  # validate writes nothing
    assert etl_cli(["suppliers", str(messy), *args]) == 1  # some rows rejected, the rest loaded
    assert (tmp_path / "padron_sucio.rechazos.csv").exists()
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    assert etl_cli(["suppliers", str(junk), *args]) == 2
    assert "Proveedor" in capsys.readouterr().err


# ---------------------------------------------------------------- actions


def actions_workbook(path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Acciones"
    sheet.append(["Clave", "Comité", "Municipio", "Acción", "Responsable", "Fecha compromiso",
                  "Estatus", "Fecha de cumplimiento"])  # fmt: skip
    sheet.append(
        [
            "",
            "Capital humano",
            "Villa de Reyes",
            "Acuerdo sintético A",
            "Resp. A",
            "marzo 2026",
            "en proceso",
            None,
        ]
    )  # due 31 March 2026
    sheet.append(
        [
            "",
            "academico",
            "",
            "Acuerdo sintético B",
            "Resp. B",
            date(2026, 12, 15),
            "Cumplida",
            date(2026, 10, 2),
        ]
    )
    sheet.append(["", "Marketing", "Matehuala", "Acuerdo sintético C", "", None, "", None])
    sheet.append(["ACU-0099", "Académico", "", "Acuerdo sintético D", "", None, "", None])
    sheet.append(
        ["", "Académico", "", "Acuerdo sintético E", "", None, "Pendiente", date(2026, 10, 2)]
    )  # a completion date without being done
    notes = book.create_sheet("Avances")
    notes.append(["Clave", "Acción", "Fecha", "Avance"])
    notes.append(["", "acuerdo sintetico a", date(2026, 2, 1), "Avance sintético 1"])
    notes.append(["", "Acuerdo que no existe", date(2026, 2, 1), "Avance sintético 2"])
    book.save(path)


def test_actions_intake_states_and_notes(warehouse, tmp_path):
    db, raw = warehouse
    path = tmp_path / "acuerdos.xlsx"
    actions_workbook(path)
    outcome = load_file(path, db, "actions", raw, "ana@example.org", today=TODAY)
    assert outcome.file.rows_read == 7 and outcome.rows_rejected == 4
    stored = rows(db, "SELECT action_id, committee, municipality, cvegeo, due_on, status, done_on "
                      "FROM actions ORDER BY action_id")  # fmt: skip
    assert stored == [
        ("ACU-0001", "human_capital", "Villa de Reyes", "24050", date(2026, 3, 31), "in_progress",
         None),
        ("ACU-0002", "academic", "Todo el estado", "24", date(2026, 12, 15), "done",
         date(2026, 10, 2)),
    ]  # fmt: skip
    assert rows(db, "SELECT action_id, note FROM action_notes") == [
        ("ACU-0001", "Avance sintético 1")
    ]
    # Done later through a one-row file by its key: logged, dated the day it was recorded.
    update = tmp_path / "estatus.csv"
    pd.DataFrame(
        [{"Clave": "ACU-0001", "Acción": "Acuerdo sintético A", "Estatus": "Cumplida"}]
    ).to_csv(update, index=False)
    done = load_file(update, db, "actions", raw, "luis@example.org", today=TODAY)
    assert done.plan.counts == {"actions_updated": 1}
    assert rows(
        db,
        "SELECT field, old_value, new_value FROM changes WHERE entity = 'actions' "
        "ORDER BY change_id",
    ) == [  # fmt: skip
        ("status", "in_progress", "done"),
        ("done_on", None, date.today().isoformat()),
    ]


def test_the_journal_replays_the_roster_and_actions(synthetic_cluster, tmp_path):
    db, raw, sheets = synthetic_cluster
    rebuilt = tmp_path / "rebuilt.duckdb"
    build(rebuilt, raw, today=TODAY)
    for table in ("suppliers", "supplier_private", "supplier_milestones", "actions",
                  "action_notes", "companies"):  # fmt: skip
        assert rows(rebuilt, f"SELECT * FROM {table} ORDER BY ALL") == rows(
            db, f"SELECT * FROM {table} ORDER BY ALL"
        )
    assert rows(db, "SELECT count(*) FROM suppliers") == [(len(sheets["suppliers"]),)]
    assert rows(db, "SELECT count(*) FROM supplier_milestones") == [(len(sheets["milestones"]),)]


def test_validate_writes_nothing(synthetic_cluster, tmp_path):
    db, raw, _ = synthetic_cluster
    before = rows(db, "SELECT count(*) FROM load_log")
    path = tmp_path / "acuerdos.xlsx"
    actions_workbook(path)
    preview = validate_file(path, db, "actions", raw, today=TODAY)
    assert preview.load_id is None and preview.plan.counts["actions_new"] == 2
    assert rows(db, "SELECT count(*) FROM load_log") == before
