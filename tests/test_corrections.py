"""Corrections as change events (etl/corrections.py, etl/correct.py): on a three-row warehouse in
memory, then `etl correct` end to end on a copy of the small warehouse (exit codes, the journal,
the same file twice, a rebuild that replays it)."""

import shutil
from datetime import date, datetime

import duckdb
import pytest

from etl import correct as correcting
from etl.__main__ import main as etl
from etl.corrections import read_corrections
from etl.intake import read_announcements
from etl.journal import entries
from etl.load import Inputs, build
from etl.warehouse import DEFAULT_RAW, SCHEMA_SQL
from tests.conftest import FIXTURES, TODAY, raw_copy

INPUTS = Inputs(DEFAULT_RAW, TODAY)
AT = datetime(2026, 11, 20, 10, 0)
THREE_ROWS = """empresa,país,sector,estatus,municipio,fecha,monto,moneda,empleos,fuente
Alfa Sintética,Japón,plastics,announced,Villa de Reyes,2019,67000000,USD,300,https://example.org/a
Beta Sintética,Alemania,powertrain,under_construction,,2020-05,50 millones de euros,,,https://example.org/b
Beta Sintética,Alemania,powertrain,announced,,2022,,,,https://example.org/b2
"""
HEADER = "company,existing_announced_date,field,old_value,new_value,source_url,source_date,quote"


@pytest.fixture
def con(tmp_path):
    """A warehouse in memory holding the three rows above, as the intake reads them."""
    path = tmp_path / "tres.csv"
    path.write_text(THREE_ROWS, encoding="utf-8")
    result = read_announcements(path, INPUTS.matcher, INPUTS.rates, TODAY)
    assert result.rows_read == 3 and result.rejects.empty
    connection = duckdb.connect()
    connection.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    connection.register("three", result.valid.assign(load_id=1))
    connection.execute("INSERT INTO announcements BY NAME SELECT * FROM three")
    connection.unregister("three")
    yield connection
    connection.close()


def run(con, tmp_path, *lines: str, name: str = "fix.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    file = read_corrections(path, INPUTS.matcher, TODAY)
    return correcting.apply_file(con, file, INPUTS, "ana", AT, log_load=False)


def row(con, company: str, day: str | None = None) -> dict:
    cursor = con.execute(
        "SELECT * FROM announcements WHERE company = ? "
        "AND (? IS NULL OR starts_with(strftime(announced_date, '%Y-%m'), ?))",
        [company, day, day],
    )
    names = [d[0] for d in cursor.description]
    found = cursor.fetchall()
    assert len(found) == 1
    return dict(zip(names, found[0], strict=True))


def log(con) -> list[tuple]:
    return con.execute(
        "SELECT announcement_id, field, old_value, new_value, effective_date, note "
        "FROM announcement_changes ORDER BY change_id"
    ).fetchall()


def test_a_date_and_an_amount_as_the_desk_shows_them_with_derived_columns(con, tmp_path):
    before = row(con, "Alfa Sintética")
    out = run(
        con, tmp_path,
        "Alfa Sintética,2019,announced_date,2019,2017-10,https://example.org/s,2017-10-25,dice 70 mdd",
        "Alfa Sintética,2019,monto,67 mdd,70 mdd,https://example.org/s,2017-10-25,dice 70 mdd",
    )  # fmt: skip
    assert [o.status for o in out.lines] == ["applied", "applied"] and out.rejects.empty
    after = row(con, "Alfa Sintética")
    assert after["announcement_id"] == before["announcement_id"]  # the id survives corrections
    assert (after["announced_date"], after["date_precision"]) == (date(2017, 10, 1), "month")
    assert (after["announced_until"], after["announced_year"]) == (date(2017, 10, 31), 2017)
    assert (after["amount"], after["amount_musd"]) == (70_000_000, pytest.approx(70.0))
    assert after["fx_rate_date"] == date(2017, 10, 15)  # the middle of the new month
    assert log(con) == [
        (before["announcement_id"], "announced_date", "2019", "2017-10", date(2017, 10, 25),
         "dice 70 mdd"),
        (before["announcement_id"], "amount", "67000000", "70000000", date(2017, 10, 25),
         "dice 70 mdd"),
    ]  # fmt: skip


def test_an_amount_in_another_currency_changes_the_currency_too_and_is_logged(con, tmp_path):
    line = 'Alfa Sintética,,amount,67000000,"2,500 millones de pesos",https://example.org/s,,'
    out = run(con, tmp_path, line)
    assert out.lines[0].status == "applied"
    after = row(con, "Alfa Sintética")
    rate = INPUTS.rates.to_usd(1.0, "MXN", date(2019, 7, 1))[0]
    assert after["currency"] == "MXN"
    assert after["amount_musd"] == pytest.approx(2_500 * rate)
    assert [(f, o, n) for _, f, o, n, _, _ in log(con)] == [
        ("amount", "67000000", "2500000000"), ("currency", "USD", "MXN")
    ]  # fmt: skip


def test_a_stale_correction_is_refused_naming_both_values(con, tmp_path):
    before = row(con, "Alfa Sintética")
    out = run(con, tmp_path, "Alfa Sintética,,monto,65000000,70000000,https://example.org/s,,")
    assert out.lines == [] and len(out.rejects) == 1
    reason = out.rejects.iloc[0]
    assert "«67000000»" in reason["reason"] and "«65000000»" in reason["reason"]
    assert "'67000000'" in reason["reason_en"] and "'65000000'" in reason["reason_en"]
    assert row(con, "Alfa Sintética") == before and log(con) == []


def test_the_same_lines_again_change_nothing(con, tmp_path):
    lines = [
        "Alfa Sintética,2019,announced_date,2019,2017-10,https://example.org/s,,",
        "Alfa Sintética,2019,estatus,Anunciado,En operación,https://example.org/s,2021-03-01,",
    ]
    first = run(con, tmp_path, *lines)
    again = run(con, tmp_path, *lines, name="otra_vez.csv")
    assert [o.status for o in first.lines] == ["applied", "applied"]
    # The second file still finds the row by its former date (kept in the change log).
    assert [o.status for o in again.lines] == ["unchanged", "unchanged"] and again.rejects.empty
    assert len(log(con)) == 2


def test_lines_name_rows_as_they_were_before_the_file(con, tmp_path):
    """A line naming the row by the date another line of the same file corrects finds it."""
    out = run(
        con, tmp_path,
        "Beta Sintética,2020-05,fecha,2020-05,2020-07,https://example.org/s,,",
        "Beta Sintética,2020-05,empleos,,450,https://example.org/s,,",
    )  # fmt: skip
    assert [o.status for o in out.lines] == ["applied", "applied"]
    assert row(con, "Beta Sintética", "2020-07")["jobs"] == 450


def test_a_line_that_names_no_single_announcement_lists_the_candidates(con, tmp_path):
    out = run(
        con, tmp_path,
        "Beta Sintética,,empleos,,450,https://example.org/s,,",
        "Beta Sintetica,2021,empleos,,450,https://example.org/s,,",
        "Gama Sintética,,empleos,,450,https://example.org/s,,",
    )  # fmt: skip
    assert out.lines == []
    reasons = out.rejects.sort_values("row_number")["reason"].tolist()
    assert reasons[0].startswith("2 anuncios de «Beta Sintética» coinciden")
    assert "2020-05" in reasons[0] and "2022" in reasons[0]
    assert "no tiene ningún anuncio con fecha 2021" in reasons[1]  # accents and case ignored
    assert "Empresas parecidas" in reasons[2] and "Alfa Sintética" in reasons[2]


def test_values_are_checked_as_the_intake_checks_them(con, tmp_path):
    out = run(
        con, tmp_path,
        "Alfa Sintética,,municipio,Villa de Reyes,Villa de Pozos,https://example.org/s,,",
        "Alfa Sintética,,monto,67000000,$300,https://example.org/s,,",
        "Alfa Sintética,,fecha,2019,2099-01,https://example.org/s,,",
        "Alfa Sintética,,color,azul,verde,https://example.org/s,,",
        "Alfa Sintética,,empleos,300,400,,,",
        "Alfa Sintética,,sector,plastics,Fundición de aluminio,https://example.org/s,,",
    )  # fmt: skip
    assert [o.status for o in out.lines] == ["applied", "applied"]
    assert (row(con, "Alfa Sintética")["municipality"], row(con, "Alfa Sintética")["cvegeo"]) == (
        "Villa de Pozos", "24028"
    )  # fmt: skip
    reasons = dict(zip(out.rejects["row_number"], out.rejects["reason"], strict=True))
    assert "pesos y dólares" in reasons[3] and "posterior a hoy" in reasons[4]
    assert "no es un campo" in reasons[5] and "Falta la fuente" in reasons[6]
    # A close but uncertain value is applied and flagged with what it was read as.
    flagged = row(con, "Alfa Sintética")
    assert "uncertain_match" in flagged["review_flags"]
    assert flagged["sector"] == "metal casting"
    assert flagged["review_notes"] == "sector «Fundición de aluminio» → metal casting"


def test_withdraw_merge_and_undo_are_change_events(con, tmp_path):
    alfa, beta = (
        row(con, "Alfa Sintética")["announcement_id"],
        row(con, "Beta Sintética", "2020-05"),
    )
    out = run(con, tmp_path, "Alfa Sintética,,record_state,active,retirado,https://example.org/s,,")
    assert "Escriba el motivo" in out.rejects.iloc[0]["reason"]  # a withdrawal needs its reason
    run(con, tmp_path, "Alfa Sintética,,estado del registro,vigente,retirado,https://example.org/s,,"
                       "la empresa desistió")  # fmt: skip
    assert row(con, "Alfa Sintética")["record_state"] == "withdrawn"
    assert con.execute("SELECT count(*) FROM active_announcements").fetchall() == [(2,)]
    run(con, tmp_path, f"Beta Sintética,2022,duplicado de,,{beta['announcement_id']},"
                       "https://example.org/s,,el mismo proyecto")  # fmt: skip
    merged = row(con, "Beta Sintética", "2022")
    assert (merged["record_state"], merged["merged_into"], merged["state_reason"]) == (
        "merged", beta["announcement_id"], "el mismo proyecto"
    )  # fmt: skip
    assert con.execute("SELECT count(*) FROM active_announcements").fetchall() == [(1,)]
    # Undone by other changes: the rows count again, and the whole trail stays in the log.
    run(con, tmp_path, "Alfa Sintética,,record_state,retirado,vigente,https://example.org/s,,",
        f"Beta Sintética,2022,merged_into,{beta['announcement_id']},,https://example.org/s,,")  # fmt: skip
    assert con.execute("SELECT count(*) FROM active_announcements").fetchall() == [(3,)]
    assert row(con, "Beta Sintética", "2022")["merged_into"] is None
    trail = [(i == alfa, f, o, n) for i, f, o, n, _, _ in log(con)]
    assert trail == [
        (True, "record_state", "active", "withdrawn"),
        (False, "merged_into", None, beta["announcement_id"]),
        (False, "record_state", "active", "merged"),
        (True, "record_state", "withdrawn", "active"),
        (False, "merged_into", beta["announcement_id"], None),
        (False, "record_state", "merged", "active"),
    ]


def test_a_company_named_later_by_a_correction(con, tmp_path):
    con.execute("UPDATE announcements SET company = 'Empresa china, por confirmar', "
                "review_flags = 'company_unnamed' WHERE company = 'Alfa Sintética'")  # fmt: skip
    run(con, tmp_path, "\"Empresa china, por confirmar\",,empresa,\"Empresa china, por confirmar\","
                       "Omega Sintética,https://example.org/s,,")  # fmt: skip
    named = row(con, "Omega Sintética")
    assert named["review_flags"] == ""  # no longer waiting for its name
    # Named by its former name, the line is found again and is already so.
    again = run(con, tmp_path, "\"Empresa china, por confirmar\",,empresa,"
                               "\"Empresa china, por confirmar\",Omega Sintética,"
                               "https://example.org/s,,", name="otra.csv")  # fmt: skip
    assert [o.status for o in again.lines] == ["unchanged"]


# ---------------------------------------------------------------- etl correct, end to end


@pytest.fixture
def small(small_warehouse, tmp_path):
    """A private copy of the small warehouse and of its raw folder (an empty journal)."""
    raw = raw_copy(tmp_path, FIXTURES / "small_announcements.csv")
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse, db)
    return db, raw


def test_etl_correct_exit_codes_journal_and_rebuild(small, tmp_path, capsys):
    db, raw = small
    fixes = tmp_path / "correcciones.csv"
    fixes.write_text(
        "\n".join([
            HEADER,
            "Alfa Motores Sintética,2024-03-20,status,announced,operating,https://example.org/x,"
            "2025-09-01,inaugurada",
            "Beta Estampados Sintética,2023-06,monto,50000000,55000000,https://example.org/x,,",
            "Nadie Sintética,,status,announced,operating,https://example.org/x,,",
        ]) + "\n", encoding="utf-8",
    )  # fmt: skip
    base = ["--db", str(db), "--raw", str(raw)]
    checked = etl(["correct", str(fixes), *base, "--check", "--lang", "en"])
    assert checked == 1 and entries(raw) == []  # a check writes nothing
    out = capsys.readouterr().out
    assert "Lines read: 3 · applied: 2 · already so: 0 · rejected: 1" in out
    assert "Check only (--check): nothing was written." in out
    assert etl(["correct", str(fixes), *base, "--by", "ana@example.org"]) == 1
    out = capsys.readouterr().out
    assert "Líneas leídas: 3 · aplicadas: 2 · ya estaban así: 0 · rechazadas: 1" in out
    assert "fila 4" in out and "No hay ningún anuncio de «Nadie Sintética»" in out
    (entry,) = entries(raw)
    assert (entry.kind, entry.recorded_by) == ("corrections", "ana@example.org")
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("SELECT kind, rows_read, rows_loaded, rows_rejected, rows_unchanged "
                         "FROM load_log ORDER BY load_id DESC LIMIT 1").fetchall() == [
            ("corrections", 3, 2, 1, 0)]  # fmt: skip
        live = c.execute("SELECT * FROM announcement_changes ORDER BY change_id").fetchall()
        rows = c.execute("SELECT * FROM announcements ORDER BY announcement_id").fetchall()
    # The same file again changes nothing, says so, and records nothing.
    assert etl(["correct", str(fixes), *base]) == 1
    assert "ya se aplicó" in capsys.readouterr().out and len(entries(raw)) == 1
    # A rebuild from the raw folder replays the entry: the same warehouse, history included.
    build(db, raw, today=TODAY)
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("SELECT * FROM announcement_changes ORDER BY change_id").fetchall() == live
        assert c.execute("SELECT * FROM announcements ORDER BY announcement_id").fetchall() == rows
    unusable = tmp_path / "vacio.csv"
    unusable.write_text(HEADER + "\n", encoding="utf-8")
    assert etl(["correct", str(unusable), *base]) == 2
    clean = tmp_path / "bien.csv"
    clean.write_text(HEADER + "\nGamma Plásticos Sintética,2022,empleos,300,320,"
                     "https://example.org/x,,\n", encoding="utf-8")  # fmt: skip
    assert etl(["correct", str(clean), *base]) == 0
