"""The Datos / Data page (AppTest): read-only without sign-in, preview then confirm for editors,
hostile uploads and URL values; the template; the read-side exports; staging of uploads."""

import hashlib
import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.navigation import PAGES
from etl import parse
from etl.intake import FileUnusable, map_header
from etl.load import municipality_matcher, safe_file_name, staged_upload, validate
from etl.template import COLUMNS, DATA_SHEET, VALUES_SHEET, accepted_values, template_bytes
from etl.warehouse import DEFAULT_RAW
from tests.conftest import TODAY, shipped_announcements, shipped_loads

DASHBOARD = Path(__file__).parent.parent / "dashboard.py"
PAGE = next(page.file for page in PAGES if page.url == "datos")
EDITOR = "ana@example.org"
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "only-for-tests",
        "client_id": "test-client",
        "client_secret": "test-secret",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    },
    "data_desk": {"editors": ["Ana@Example.org", "luis@example.org"]},
}
NO_AUTH = {"data_desk": {"editors": [EDITOR]}}  # editors listed, but no [auth]: read-only
SIGNED_IN = {"is_logged_in": True, "email": EDITOR, "email_verified": True}


@pytest.fixture
def warehouse(private_warehouse) -> Path:
    return private_warehouse


def desk(monkeypatch, db: Path, secrets=None, user=None, lang="es", params=None) -> AppTest:
    """The data page as a browser session with these secrets and this signed-in user."""
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    app.query_params.update({"lang": lang, **(params or {})})
    app.secrets.update(secrets if secrets is not None else NO_AUTH)
    if user:
        app.user = user
    app.run()
    app.switch_page(PAGE)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def rows(db: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def texts(app: AppTest) -> str:
    """Every text element of the page, joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):  # fmt: skip
        parts += [str(e.value) for e in getattr(app, kind)]
    return "\n".join(parts)


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    app.get("file_uploader")[0].set_value((name, data, "text/csv"))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def table(app: AppTest, first_column: str, last: bool = False):
    """The (first or last) table on the page whose first column is first_column."""
    found = [df.value for df in app.dataframe if df.value.columns[0] == first_column]
    assert found, [df.value.columns[0] for df in app.dataframe]
    return found[-1] if last else found[0]


def data_folder_files(db: Path) -> list[str]:
    """Files in the warehouse's folder (the writer's lock file and the copied raw sources aside;
    the raw folder's journal is listed)."""
    raw = db.parent / "raw"
    copied = {p for p in DEFAULT_RAW.rglob("*") if p.is_file()}
    return sorted(
        str(p.relative_to(db.parent))
        for p in db.parent.rglob("*")
        if p.is_file()
        and p.suffix != ".lock"
        and not (p.is_relative_to(raw) and DEFAULT_RAW / p.relative_to(raw) in copied)
    )


# ---------------------------------------------------------------- reading is open


@pytest.mark.parametrize("lang", ["es", "en"])
def test_read_only_without_sign_in(monkeypatch, warehouse, lang):
    app = desk(monkeypatch, warehouse, lang=lang)
    assert app.title[0].value == ("Datos" if lang == "es" else "Data")
    assert not app.get("file_uploader")
    info = app.info[0].value
    assert ("Solo lectura" if lang == "es" else "Read-only") in info
    assert ".streamlit/secrets.example.toml" in info and "[data_desk] editors" in info
    history = table(app, "Carga" if lang == "es" else "Load")
    assert history.iloc[0, 0] == shipped_loads()  # newest first: the journal's last entry
    base = len(pd.read_csv(DEFAULT_RAW / "announcements" / "slp_announcements.csv"))
    assert history.iloc[-1, 0] == 1 and history.iloc[-1, 5] == base  # load 1: the base file
    # The announcements' downloads; the cluster's part of the desk follows (tests/test_cluster_pages.py).
    labels = [b.label for b in app.get("download_button")][:5]
    assert labels == (
        ["Descargar seguimiento (XLSX, una hoja por lista)", "Descargar historial (CSV)",
         "Anuncios (CSV)", "Anuncios (XLSX)", "Plantilla para nuevos anuncios (XLSX)"]
        if lang == "es"
        else ["Download follow-up (XLSX, one sheet per list)", "Download history (CSV)",
              "Announcements (CSV)", "Announcements (XLSX)",
              "Template for new announcements (XLSX)"]
    )  # fmt: skip


def test_sign_in_is_offered_when_auth_is_configured(monkeypatch, warehouse):
    app = desk(monkeypatch, warehouse, secrets=AUTH, user={"is_logged_in": False})
    assert [b.label for b in app.button] == ["Iniciar sesión"]
    assert not app.get("file_uploader")
    assert "Para cargar archivos, inicie sesión" in app.info[0].value


@pytest.mark.parametrize(
    "user",
    [
        {"is_logged_in": True, "email": "intruso@example.org"},
        {"is_logged_in": True, "email": EDITOR, "email_verified": False},
        {"is_logged_in": True},
    ],
)
def test_signed_in_but_not_an_editor_cannot_upload(monkeypatch, warehouse, user):
    app = desk(monkeypatch, warehouse, secrets=AUTH, user=user)
    assert not app.get("file_uploader")
    assert "no está autorizada" in app.warning[0].value
    assert [b.label for b in app.button] == ["Cerrar sesión"]


def test_editor_sees_the_uploader_limited_to_csv_and_xlsx(monkeypatch, warehouse):
    app = desk(monkeypatch, warehouse, secrets=AUTH, user=SIGNED_IN, lang="en")
    uploader = app.get("file_uploader")[0]
    assert sorted(uploader.proto.type) == [".csv", ".xlsx"]
    assert "Signed in: `ana@example.org`" in app.success[0].value


# ---------------------------------------------------------------- preview, then confirm

UPLOAD = (
    "empresa,país,municipio,fecha,monto,moneda,empleos\n"
    "Nueva Sintética Uno,Japón,Villa de Reyes,2025-02-10,25 mdd,,120\n"
    "Nueva Sintética Dos,Corea,Soledad de G. S.,2025-03,40 mdd,,300\n"
    "Mala Sintética,Narnia,Villa de Reyes,2025-03,40 mdd,,300\n"
    "Nueva Sintética Uno,Japón,Villa de Reyes,2025-05-10,27 mdd,,120\n"
).encode()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_preview_writes_nothing_then_confirm_loads_as_the_editor(monkeypatch, warehouse, lang):
    before = sha256(warehouse)
    app = desk(monkeypatch, warehouse, secrets=AUTH, user=SIGNED_IN, lang=lang)
    upload(app, "nuevos anuncios.csv", UPLOAD)

    assert [m.value for m in app.metric] == ["4", "3", "1", "1"]  # read, valid, rejected, flagged
    rejects = table(app, "fila" if lang == "es" else "row")
    assert rejects.iloc[0, :3].tolist() == [4, "país", "Narnia"]
    reason = "no es un país reconocido" if lang == "es" else "is not a recognised country"
    assert reason in rejects.iloc[0, 3]
    flagged = table(app, "Fila" if lang == "es" else "Row")
    assert flagged.iloc[0, 0] == 5  # row 5 resembles row 2 of the same file
    resembles = flagged.iloc[0, -1]
    assert ("fila 2 de este archivo" if lang == "es" else "row 2 of this file") in resembles
    assert "Nueva Sintética Uno" in resembles
    label = "Cargar 3 filas válidas" if lang == "es" else "Load 3 valid rows"
    assert app.button(key="desk_confirm").label == label
    # Nothing written by the preview, and the staged copy is gone.
    assert sha256(warehouse) == before
    assert data_folder_files(warehouse) == ["warehouse.duckdb"]

    app.button(key="desk_confirm").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    log = rows(warehouse, "SELECT load_id, kind, file_name, loaded_by, rows_read, rows_loaded, "
                          "rows_rejected, rows_flagged FROM load_log ORDER BY load_id")  # fmt: skip
    new = shipped_loads() + 1
    assert log[-1] == (new, "append", "nuevos anuncios.csv", EDITOR, 4, 3, 1, 1)
    count = len(shipped_announcements()) + 3
    assert rows(warehouse, "SELECT count(*) FROM announcements") == [(count,)]
    done = f"Carga {new}: 3 filas cargadas" if lang == "es" else f"Load {new}: 3 rows loaded"
    assert done in app.success[-1].value
    assert app.get("file_uploader")[0].value is None  # the uploader starts over
    history = table(app, "Carga" if lang == "es" else "Load")
    assert history.iloc[0, :4].tolist()[0] == new and EDITOR in history.iloc[0].tolist()
    assert app.selectbox(key="desk_load").value == new
    load_rejects = table(app, "fila" if lang == "es" else "row", last=True)
    assert load_rejects.iloc[0, :3].tolist() == [4, "país", "Narnia"]
    # Only the warehouse and the journal entry of the loaded file remain in the data folder.
    files = data_folder_files(warehouse)
    assert [f for f in files if not f.startswith("raw/journal/")] == ["warehouse.duckdb"]
    assert len([f for f in files if f.startswith("raw/journal/")]) == 2  # the file and its metadata


def test_the_same_file_again_is_refused_before_loading(monkeypatch, warehouse):
    app = desk(monkeypatch, warehouse, secrets=AUTH, user=SIGNED_IN)
    upload(app, "nuevos.csv", UPLOAD)
    app.button(key="desk_confirm").click()
    app.run()
    upload(app, "otra vez.csv", UPLOAD)
    assert f"Este archivo ya se cargó (carga {shipped_loads() + 1}" in app.warning[-1].value
    assert not [b for b in app.button if b.key == "desk_confirm"]


def test_an_unusable_upload_says_why_and_offers_no_load(monkeypatch, warehouse):
    before = sha256(warehouse)
    app = desk(monkeypatch, warehouse, secrets=AUTH, user=SIGNED_IN)
    upload(app, "vacio.csv", b"Empresa,Municipio\n")
    assert "vacio\\.csv tiene encabezados pero ninguna fila de datos" in app.error[0].value
    assert not [b for b in app.button if b.key == "desk_confirm"]
    assert sha256(warehouse) == before


def test_the_template_previews_as_nothing_to_load(monkeypatch, warehouse):
    app = desk(monkeypatch, warehouse, secrets=AUTH, user=SIGNED_IN)
    app.get("file_uploader")[0].set_value(
        ("plantilla.xlsx", template_bytes(), "application/octet-stream")
    )
    app.run()
    assert [m.value for m in app.metric] == ["0", "0", "0", "0"]
    assert "Se omitió la fila de ejemplo" in texts(app)
    assert "No hay filas válidas que cargar" in app.warning[-1].value


# ---------------------------------------------------------------- hostile values

HOSTILE = (
    "empresa,país,municipio,fecha,monto,moneda,notas\n"
    '"Robert\'); DROP TABLE announcements;--",Japón,Villa de Reyes,2025-01,10 mdd,,x\n'
    "<script>alert('xss')</script>,Japón,Villa de Reyes,2025-02,11 mdd,,<b>negritas</b>\n"
    '"=HYPERLINK(""http://evil.example"",""clic"")",Japón,Cerritos,2025-03,12 mdd,,@SUM(1)\n'
    "Sintética Img,Japón,<img src=x onerror=alert(1)>,2025-03,13 mdd,,+1\n"
    "Sintética SQL,Japón,Cerritos,2025-03,1; DROP TABLE load_log,,-1\n"
).encode()


def test_hostile_upload_is_text_everywhere(monkeypatch, warehouse):
    app = desk(monkeypatch, warehouse, secrets=AUTH, user=SIGNED_IN)
    upload(app, "../../etc/passwd.csv", HOSTILE)
    assert "`passwd.csv`" in app.subheader[0].value  # folders dropped, shown as a literal
    rejects = table(app, "fila")
    assert "<img src=x onerror=alert(1)>" in rejects.iloc[:, 2].tolist()
    assert "1; DROP TABLE load_log" in rejects.iloc[:, 2].tolist()
    unsafe = [m.value for m in app.markdown if m.proto.allow_html]
    assert not [v for v in unsafe if "script" in v or "img" in v or "passwd" in v]

    app.button(key="desk_confirm").click()
    app.run()
    assert not app.exception
    new = shipped_loads() + 1
    assert rows(warehouse, "SELECT file_name FROM load_log WHERE load_id = ?", [new]) == [
        ("passwd.csv",)
    ]
    companies = {r[0] for r in rows(warehouse, "SELECT company FROM announcements")}
    assert {"Robert'); DROP TABLE announcements;--", "<script>alert('xss')</script>",
            '=HYPERLINK("http://evil.example","clic")'} <= companies  # fmt: skip
    assert rows(warehouse, "SELECT count(*) FROM load_log") == [(new,)]
    outside = [f for f in data_folder_files(warehouse) if "passwd" in f or f.startswith("..")]
    assert outside == []


def test_hostile_url_values_change_nothing(monkeypatch, warehouse):
    before = sha256(warehouse)
    params = {
        "pais": ["CN' OR 1=1 --"],
        "desde": "<script>alert(1)</script>",
        "hasta": "'; DROP TABLE load_log; --",
        "municipio": ["../../etc/passwd"],
        "lang": "xx",
        "carga": "1 OR 1=1",
    }
    app = desk(monkeypatch, warehouse, params=params)
    assert app.title[0].value == "Datos"
    assert table(app, "Carga").shape[0] == shipped_loads()
    assert sha256(warehouse) == before


# ---------------------------------------------------------------- staging of uploads


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("..\\..\\Windows\\anuncios.XLSX", "anuncios.xlsx"),
        ("/etc/cron.d/x.csv", "x.csv"),
        ("a<b>|c?.csv", "a_b__c_.csv"),
        (".csv", "archivo.csv"),
        ("nuevos 2025.xlsx", "nuevos 2025.xlsx"),
    ],
)
def test_safe_file_name(name, safe):
    assert safe_file_name(name) == safe


@pytest.mark.parametrize("name", ["x.exe", "anuncios", "anuncios.csv.py", "../../etc/passwd"])
def test_only_csv_and_xlsx_names_are_accepted(name):
    with pytest.raises(ValueError):
        safe_file_name(name)


def test_staged_upload_stays_in_the_data_folder_and_is_removed(tmp_path):
    db = tmp_path / "data" / "warehouse.duckdb"
    with staged_upload("../../../../tmp/evil.csv", b"empresa,municipio\n", db) as path:
        assert path.name == "evil.csv"
        assert path.resolve().is_relative_to((tmp_path / "data" / "uploads").resolve())
        assert path.read_bytes() == b"empresa,municipio\n"
    assert not path.exists() and list((tmp_path / "data" / "uploads").iterdir()) == []
    with pytest.raises(RuntimeError), staged_upload("a.csv", b"x", db) as path:
        raise RuntimeError("the intake failed")
    assert not path.exists()
    with pytest.raises(FileUnusable), staged_upload("big.csv", b"x" * (61 * 1024 * 1024), db):
        pass


# ---------------------------------------------------------------- template


def test_template_validates_with_nothing_to_load(tmp_path):
    path = tmp_path / "plantilla.xlsx"
    path.write_bytes(template_bytes())
    outcome = validate(path, None, today=TODAY)
    assert outcome.result.rows_read == 0 and outcome.rows_loaded == 0
    assert outcome.rejects.empty and outcome.result.example_rows == [2]
    assert outcome.result.unused_columns == []
    assert set(outcome.result.columns) == {map_header(header) for header, *_ in COLUMNS}


def test_template_example_row_is_valid_once_unmarked(tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    sheet = book[DATA_SHEET]
    assert str(sheet["A2"].value).startswith("EJEMPLO:")
    sheet["A2"] = "Autopartes Modelo Sintética"
    path = tmp_path / "llena.xlsx"
    book.save(path)
    outcome = validate(path, None, today=TODAY)
    assert (outcome.result.rows_read, outcome.rows_loaded, len(outcome.rejects)) == (1, 1, 0)
    row = outcome.result.valid.iloc[0]
    assert (row["sector"], row["tier"], row["event_type"], row["status"]) == (
        "plastics", "Tier 1", "new_plant", "announced"
    )  # fmt: skip
    assert (row["cvegeo"], row["amount_musd"], row["source_date"]) == ("24050", 150.0, "2024-03-21")


def test_template_lists_every_accepted_value_and_each_one_parses():
    book = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    sheet = book[VALUES_SHEET]
    listed = {
        column[0].value: [c.value for c in column[1:] if c.value is not None]
        for column in sheet.iter_cols()
    }
    assert listed == accepted_values()
    for name, vocabulary in [("Sector", parse.SECTORS), ("Nivel", parse.TIERS),
                             ("Tipo de evento", parse.EVENT_TYPES), ("Estatus", parse.STATUSES)]:  # fmt: skip
        assert {vocabulary.parse(v) for v in listed[name]} == set(vocabulary.codes)
    matcher = municipality_matcher()
    keys = {matcher.match(name)[1] for name in listed["Municipio"]}
    assert len(listed["Municipio"]) == 59 and len(keys) == 58  # Villa de Pozos keys to 24028
    assert {parse.parse_currency(c) for c in listed["Moneda"]} == set(parse.CURRENCIES)
    assert book[DATA_SHEET].data_validations.dataValidation  # drop-down lists in the data sheet


# ---------------------------------------------------------------- exports


def test_exports_read_the_warehouse_and_neutralise_formulas(monkeypatch, warehouse):
    from analytics import exports

    monkeypatch.setenv("WAREHOUSE_DB", str(warehouse))
    frame = exports.announcements()
    shipped = len(shipped_announcements())  # none withdrawn or merged
    assert len(frame) == shipped
    csv_text = exports.announcements_csv().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("announcement_id,company,")
    assert len(csv_text.splitlines()) >= shipped + 1
    book = openpyxl.load_workbook(io.BytesIO(exports.announcements_xlsx()))
    assert book.active.max_row == shipped + 1
    assert book.sheetnames == ["announcements", "set_aside"]
    history = exports.load_history()
    base = len(pd.read_csv(DEFAULT_RAW / "announcements" / "slp_announcements.csv"))
    assert len(history) == shipped_loads() and history["rows_read"].tolist()[-1] == base
    assert exports.load_rejects(1).columns.tolist() == ["fila", "columna", "valor", "motivo"]
    assert exports.load_rejects(1, "en").columns.tolist() == ["row", "column", "value", "reason"]
    assert exports.loads_of_file("' OR 1=1 --").empty
    assert (
        exports.announcements_by_id(["' OR 1=1 --", frame.loc[0, "announcement_id"]]).shape[0] == 1
    )
