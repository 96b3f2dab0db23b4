"""The data desk keeps the announcements alive (AppTest, Spanish and English): the form for one
announcement, an announcement's record with its history and the correction form, withdraw and
undo, the follow-up view; expectations computed from the raw files or the warehouse, not from the
page."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from currency_converter import CurrencyConverter
from streamlit.testing.v1 import AppTest

from analytics.filters import Filters
from analytics.i18n import fmt_musd, fmt_number
from etl.correct import correct
from etl.journal import entries
from etl.load import build
from etl.warehouse import resolve_raw
from tests.conftest import TODAY, shipped_announcements
from tests.test_data_desk import AUTH, EDITOR, NO_AUTH, SIGNED_IN, rows

DASHBOARD = Path(__file__).parent.parent / "dashboard.py"
METAL = "Metal Technologies (SLP plant) - phase 1"
SOURCE = "https://example.org/sintetica-forma"


@pytest.fixture
def warehouse(private_warehouse) -> Path:
    return private_warehouse


def open_desk(monkeypatch, db, lang="es", record=None, editor=True) -> AppTest:
    """The data page, as a signed-in editor (or read-only), optionally on one record."""
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    app.query_params.update({"lang": lang})
    app.secrets.update(AUTH if editor else NO_AUTH)
    if editor:
        app.user = SIGNED_IN
    app.run()
    if record:  # the first run (the overview) keeps only its own URL parameters
        app.query_params["anuncio"] = record
    app.switch_page("pages/datos.py")
    return ran(app)


def ran(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def frame(app: AppTest, first_column: str):
    found = [df.value for df in app.dataframe if df.value.columns[0] == first_column]
    assert found, [df.value.columns[0] for df in app.dataframe]
    return found[0]


def announcement_id(db, company: str) -> str:
    return rows(db, "SELECT announcement_id FROM announcements WHERE company = ?", [company])[0][0]


# ---------------------------------------------------------------- the form


def ecb_usd(amount: float, currency: str, day: date) -> tuple[float, date]:
    """USD at the ECB rate of day, or of the closest earlier day with one (computed here)."""
    converter = CurrencyConverter()
    while True:
        try:
            return converter.convert(amount, currency, "USD", day), day
        except Exception:  # no fixing that day
            day -= timedelta(days=1)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_form_adds_one_announcement_through_the_intake(monkeypatch, warehouse, lang):
    app = open_desk(monkeypatch, warehouse, lang)
    company = "BMW Group Planta San Luis Potosí"  # a known company: its group and origin follow
    app.selectbox(key="entry_company_0").set_value(company)
    ran(app)
    assert app.selectbox(key="entry_origin_0").value == "DE"
    assert (
        app.selectbox(key="entry_parent_group_0").value
        == rows(
            warehouse, "SELECT mode(parent_group) FROM announcements WHERE company = ?", [company]
        )[0][0]
    )
    app.selectbox(key="entry_municipality_0").set_value("Villa de Pozos")
    app.selectbox(key="entry_sector_0").set_value("battery/EV")
    app.selectbox(key="entry_event_type_0").set_value("expansion")
    app.text_input(key="entry_date_0").set_value("marzo 2025")
    app.text_input(key="entry_amount_0").set_value("2,500 millones de pesos")
    app.text_input(key="entry_jobs_0").set_value("1,200")
    app.text_input(key="entry_source_0").set_value(SOURCE)
    app.button(key="entry_check").click()
    ran(app)
    usd, rate_day = ecb_usd(2_500e6, "MXN", date(2025, 3, 15))  # the month's middle
    shown = next(m.value for m in app.markdown if "2500000000 MXN" in m.value.replace(",", ""))
    assert fmt_musd(usd / 1e6, lang) in shown and str(rate_day.day) in shown
    assert "24028)" in shown  # Villa de Pozos, counted within San Luis Potosí
    before = rows(warehouse, "SELECT count(*) FROM announcements")[0][0]
    app.button(key="entry_save").click()
    ran(app)
    saved = rows(warehouse, "SELECT company, cvegeo, date_precision, amount_musd, jobs, load_id "
                            "FROM announcements WHERE source_url = ?", [SOURCE])  # fmt: skip
    assert saved[0][:5] == (company, "24028", "month", pytest.approx(usd / 1e6), 1200)
    assert rows(warehouse, "SELECT count(*) FROM announcements")[0][0] == before + 1
    kind, file_name, by = rows(
        warehouse,
        "SELECT kind, file_name, loaded_by FROM load_log WHERE load_id = ?",
        [saved[0][5]],
    )[0]
    assert (kind, by) == ("append", EDITOR) and company in file_name
    # Kept in the journal as a one-row file in the intake's own format, replayed by a rebuild.
    entry = entries(resolve_raw())[-1]
    (line,) = list(csv.DictReader(io.StringIO(entry.path.read_text(encoding="utf-8"))))
    assert (entry.kind, line["empresa"], line["monto"], line["municipio"]) == (
        "announcements", company, "2,500 millones de pesos", "Villa de Pozos"
    )  # fmt: skip
    assert any("Guardado en la carga" in s.value or "Saved in load" in s.value for s in app.success)
    build(warehouse, resolve_raw(), today=TODAY)
    assert rows(warehouse, "SELECT count(*) FROM announcements WHERE source_url = ?",
                [SOURCE]) == [(1,)]  # fmt: skip


def test_the_form_refuses_what_the_intake_refuses(monkeypatch, warehouse):
    app = open_desk(monkeypatch, warehouse)
    app.selectbox(key="entry_company_0").set_value("BMW Group Planta San Luis Potosí")
    app.text_input(key="entry_amount_0").set_value("$300 millones")
    app.text_input(key="entry_date_0").set_value("2099")
    app.text_input(key="entry_source_0").set_value("https://example.org/x")
    app.button(key="entry_check").click()
    ran(app)
    error = next(e.value for e in app.error if "No se puede guardar" in e.value)
    assert "pesos y dólares" in error and "posterior a hoy" in error
    assert not [b for b in app.button if b.key == "entry_save"]


# ---------------------------------------------------------------- a record and its history


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_record_shows_values_and_history_newest_first(monkeypatch, warehouse, lang):
    metal = announcement_id(warehouse, METAL)
    app = open_desk(monkeypatch, warehouse, lang, record=metal, editor=False)
    assert METAL in app.header[0].value.replace("\\", "")  # shown escaped, as written
    values = frame(app, "Campo" if lang == "es" else "Field")
    shown = dict(zip(values.iloc[:, 0], values.iloc[:, 1], strict=True))
    assert shown["Fecha" if lang == "es" else "Date"] == "2017-10"
    assert shown["Monto" if lang == "es" else "Amount"] == "70000000"
    history = frame(app, "Registrado" if lang == "es" else "Recorded")
    expected = rows(warehouse, "SELECT field, old_value, new_value, source_url FROM "
                               "announcement_changes WHERE announcement_id = ? ORDER BY change_id "
                               "DESC", [metal])  # fmt: skip
    assert [tuple(r[1:3]) for r in expected] == list(
        zip(history.iloc[:, 2], history.iloc[:, 3], strict=True)
    )
    assert expected[0][0] == "amount" and len(history) == 2  # newest first: amount, then date
    assert set(history.iloc[:, 5]) == {expected[0][3]}  # each change with its source
    assert not [b for b in app.button if b.key and b.key.startswith("fix_check")]  # read-only


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_correction_from_the_record_with_its_source(monkeypatch, warehouse, lang):
    metal = announcement_id(warehouse, METAL)
    jobs = "SELECT jobs FROM announcements WHERE announcement_id = ?"
    (before,) = rows(warehouse, jobs, [metal])
    app = open_desk(monkeypatch, warehouse, lang, record=metal)
    app.selectbox(key="fix_field_0").set_value("jobs")
    ran(app)
    app.text_input(key="fix_new_jobs_0").set_value("450")
    app.text_input(key="fix_0_source").set_value("https://example.org/empleos")
    app.text_input(key="fix_0_source_date").set_value("2020-12-23")
    app.button(key="fix_check_0").click()
    ran(app)
    pending = frame(app, "Línea" if lang == "es" else "Line")
    assert pending.iloc[0, -1] == ("se aplica" if lang == "es" else "applies")
    assert rows(warehouse, jobs, [metal]) == [before]  # nothing written before confirming
    app.button(key="record_apply_fix").click()
    ran(app)
    assert rows(warehouse, jobs, [metal]) == [(450,)]
    latest = rows(warehouse, "SELECT field, old_value, new_value, source_url, effective_date, "
                             "changed_by FROM announcement_changes ORDER BY change_id DESC")[0]  # fmt: skip
    old = None if before[0] is None else str(before[0])
    assert latest == ("jobs", old, "450", "https://example.org/empleos", date(2020, 12, 23), EDITOR)
    history = frame(app, "Registrado" if lang == "es" else "Recorded")
    assert len(history) == 3 and history.iloc[0, 3] == "450"
    assert entries(resolve_raw())[-1].kind == "corrections"


def test_a_correction_gone_stale_is_refused_naming_both_values(monkeypatch, warehouse, tmp_path):
    metal = announcement_id(warehouse, METAL)
    app = open_desk(monkeypatch, warehouse, record=metal)
    app.selectbox(key="fix_field_0").set_value("amount")
    ran(app)  # the form now states the old value it saw: 70000000
    other = tmp_path / "otro.csv"
    other.write_text("announcement_id,field,old_value,new_value,source_url\n"
                     f"{metal},amount,70000000,72000000,https://example.org/otro\n")  # fmt: skip
    correct(other, warehouse, resolve_raw(), "luis@example.org")  # somebody else, meanwhile
    app.text_input(key="fix_new_amount_0").set_value("75 mdd")
    app.text_input(key="fix_0_source").set_value("https://example.org/mio")
    app.button(key="fix_check_0").click()
    ran(app)
    outcome = frame(app, "Línea").iloc[0, -1]
    assert "rechazada" in outcome and "«72000000»" in outcome and "«70000000»" in outcome
    assert not [b for b in app.button if b.key == "record_apply_fix"]
    app.button(key="record_reread_fix").click()  # the clerk reads the current value again
    ran(app)
    app.selectbox(key="fix_field_1").set_value("amount")
    ran(app)
    assert "72000000" in " ".join(m.value for m in app.markdown)


def test_withdraw_leaves_every_total_and_undo_brings_it_back(monkeypatch, warehouse):
    from analytics import pack, queries
    from analytics.context import load_context

    big = rows(warehouse, "SELECT announcement_id, amount_musd, announced_year FROM announcements "
                          "WHERE amount_musd IS NOT NULL AND date_precision = 'day' "
                          "ORDER BY amount_musd DESC LIMIT 1")[0]  # fmt: skip
    year = (date(big[2], 1, 1), date(big[2], 12, 31))
    monkeypatch.setenv("WAREHOUSE_DB", str(warehouse))
    year_musd = pack.build(load_context("es", pack.meeting_filters(*year)), TODAY).slides[1]
    before = (queries.headline(Filters())["musd"], year_musd.kpis["now"]["musd"])
    app = open_desk(monkeypatch, warehouse, record=big[0])
    app.radio(key="state_action_0").set_value("withdraw")
    app.text_input(key="state_0_source").set_value("https://example.org/retiro")
    app.text_input(key="state_0_note").set_value("la empresa desistió")
    app.button(key="state_check_0").click()
    ran(app)
    app.button(key="record_apply_state").click()
    ran(app)
    assert any("Retirado" in e.value and "la empresa desistió" in e.value for e in app.error)
    after_pack = pack.build(load_context("es", pack.meeting_filters(*year)), TODAY).slides[1]
    assert queries.headline(Filters())["musd"] == pytest.approx(before[0] - big[1])
    assert after_pack.kpis["now"]["musd"] == pytest.approx(before[1] - big[1])
    # The data desk still shows it, with its reason, among the rows set aside.
    assert any("la empresa desistió" in df.value.to_string() for df in app.dataframe)
    app.radio(key="state_action_1").set_value("restore")
    app.text_input(key="state_1_source").set_value("https://example.org/sigue")
    app.button(key="state_check_1").click()
    ran(app)
    app.button(key="record_apply_state").click()
    ran(app)
    assert queries.headline(Filters())["musd"] == pytest.approx(before[0])


# ---------------------------------------------------------------- the follow-up


def news_day(text: str) -> date | None:
    """The last day a date written as in the raw file (2019, 2017-10, 2017-10-25) stands for."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return (date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)) - timedelta(days=1)
    return date(*parts)


def source_day(text: str) -> date | None:
    """The first day of a source's date (how the pipeline reads it)."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    return date(*(parts + [1, 1])[:3])


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_follow_up_lists_what_needs_attention(monkeypatch, warehouse, lang):
    app = open_desk(monkeypatch, warehouse, lang, editor=False)
    raw = shipped_announcements()
    today = date.today()
    cutoff = today.replace(year=today.year - 1)
    stalled = 0
    for r in raw:
        last = [d for d in (news_day(r["announced_date"]), source_day(r["source_date"])) if d]
        open_status = r["status"] in ("announced", "under_construction")
        if open_status and r["event_type"] != "cancellation" and last and max(last) < cutoff:
            stalled += 1
    missing = sum(not (r["municipality"] and r["announced_date"] and r["amount"] and r["jobs"])
                  for r in raw)  # fmt: skip
    labels = [e.label for e in app.expander]
    assert any(label.endswith(f"({fmt_number(stalled, lang)})") and "12" in label
               for label in labels), labels  # fmt: skip
    assert any(label.endswith(f"({fmt_number(missing, lang)})") for label in labels), labels
    first = frame(app, "Empresa" if lang == "es" else "Company")
    links = first.iloc[:, -1].tolist()
    assert all(link.startswith("datos?anuncio=A") and link.endswith(f"&lang={lang}")
               for link in links)  # fmt: skip
