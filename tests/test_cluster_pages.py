"""The cluster's pages (Parques, Proveedores, Acuerdos) and the data desk's cluster part, in
AppTest: both languages, the empty shipped roster and plan with their call to action, figures
against the data, and privacy: a viewer's page holds no RFC, e-mail, phone or contact of the
SYNTHETIC roster; a signed-in editor sees them on the data desk."""

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.cluster import roster
from tests.conftest import run_app

DASHBOARD = Path(__file__).parent.parent / "dashboard.py"
EDITOR = "ana@example.org"
AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "only-for-tests",
        "client_id": "test-client",
        "client_secret": "test-secret",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    },
    "data_desk": {"editors": [EDITOR]},
}
TITLES = {
    "parques": ("Parques industriales", "Industrial parks"),
    "proveedores": ("Programa de desarrollo de proveedores", "Supplier development programme"),
    "acuerdos": ("Acuerdos de los comités", "Committee actions"),
}


def sql(db, query: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, params or []).fetchall()


def everything(app: AppTest) -> str:
    """Every text the page shows: elements, metrics, and every cell of every table."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "text"):  # fmt: skip
        parts += [str(e.value) for e in getattr(app, kind)]
    parts += [f"{m.label} {m.value}" for m in app.metric]
    for frame in app.dataframe:
        parts.append(frame.value.to_csv())
    parts += [str(s.options) for s in app.selectbox]
    return "\n".join(parts)


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.main.metric if m.label == label)


def on_cluster(monkeypatch, synthetic_cluster, page: str, lang: str = "es") -> AppTest:
    db, raw, _ = synthetic_cluster
    monkeypatch.setenv("WAREHOUSE_RAW", str(raw))  # the warehouse is fresh for its own raw folder
    return run_app(monkeypatch, db, page, lang)


# ---------------------------------------------------------------- the shipped product


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", list(TITLES))
def test_pages_render_in_both_languages_on_the_shipped_data(monkeypatch, shipped_warehouse,
                                                            page, lang):  # fmt: skip
    app = run_app(monkeypatch, shipped_warehouse, page, lang)
    assert app.title[0].value == TITLES[page][lang == "en"]
    [(suppliers,)] = sql(shipped_warehouse, "SELECT count(*) FROM suppliers")
    [(actions,)] = sql(shipped_warehouse, "SELECT count(*) FROM actions")
    assert suppliers == actions == 0  # the product ships no invented roster or plan
    shown = everything(app)
    if page == "proveedores":
        assert ("aún no se ha cargado" if lang == "es" else "not loaded yet") in shown
        assert "24" in shown and "8" in shown and "elsoldesanluis.com.mx" in shown  # sourced facts
        assert app.main.dataframe  # the opportunities are listed all the same
    if page == "acuerdos":
        assert ("Aún no hay acuerdos" if lang == "es" else "No actions are recorded") in shown
    other = "Proveedores con distintivo" if lang == "en" else "Sealed suppliers that fit"
    assert other not in shown


def test_parks_figures_match_the_warehouse(monkeypatch, shipped_warehouse):
    app = run_app(monkeypatch, shipped_warehouse, "parques", "es")
    [(linked, unlinked)] = sql(
        shipped_warehouse,
        "SELECT count(park_id), count(*) FILTER (park IS NOT NULL AND park_id IS NULL) "
        "FROM announcements",
    )
    assert metric(app, "Anuncios en un parque") == str(linked)
    assert metric(app, "Parque sin precisar") == str(unlinked)
    parks = next(d.value for d in app.main.dataframe if d.value.columns[0] == "Parque")
    assert len(parks) == 12
    [(colinas,)] = sql(
        shipped_warehouse, "SELECT count(*) FROM announcements WHERE park = 'Colinas de San Luis'"
    )
    row = parks[parks["Parque"] == "Parque Industrial Colinas de San Luis"].iloc[0]
    assert row["Anuncios"] == colinas and row["En el mapa"] == "su municipio (sin coordenadas)"


def test_a_shared_link_opens_a_companys_profile(monkeypatch, shipped_warehouse):
    app = run_app(monkeypatch, shipped_warehouse, "empresas", "en", {"empresa": "cummins"})
    assert app.main.subheader[-1].value == "Cummins"
    [(n,)] = sql(
        shipped_warehouse, "SELECT count(*) FROM announcements WHERE company LIKE 'Cummins%'"
    )
    sites = next(d.value for d in app.main.dataframe if "Plant or site" in d.value.columns[0])
    assert sites["Announcements"].sum() == n
    assert len(sites) == n  # Cummins' five sites, each named by its source


# ---------------------------------------------------------------- a synthetic roster


@pytest.mark.parametrize("lang", ["es", "en"])
def test_supplier_page_figures_match_the_roster(monkeypatch, synthetic_cluster, lang):
    _, _, sheets = synthetic_cluster
    suppliers = sheets["suppliers"]
    active = suppliers[suppliers["Estatus"] == "Activo"]
    sealed = active[active["Fecha del distintivo"].notna()]
    app = on_cluster(monkeypatch, synthetic_cluster, "proveedores", lang)
    es = lang == "es"
    assert metric(app, "Proveedores activos" if es else "Active suppliers") == str(len(active))
    assert metric(app, "Con distintivo" if es else "Sealed") == str(len(sealed))
    withdrawn = len(suppliers) - len(active)
    assert metric(app, "Dados de baja" if es else "Withdrawn") == str(withdrawn)
    first = "Proveedor" if es else "Supplier"
    roster_table = next(d.value for d in app.main.dataframe if d.value.columns[0] == first
                        and len(d.value) == len(suppliers))  # fmt: skip
    assert sorted(roster_table[first]) == sorted(suppliers["Proveedor"])
    titles = [c.proto.spec for c in app.get("plotly_chart")]
    funnel = (f"{len(sealed)} de {len(active)} proveedores activos" if es
              else f"{len(sealed)} of {len(active)} active suppliers hold the seal")  # fmt: skip
    assert any(funnel in spec for spec in titles)


def test_actions_page_counts_match_the_plan(monkeypatch, synthetic_cluster):
    _, _, sheets = synthetic_cluster
    actions = sheets["actions"]
    today = date.today()
    since, horizon = today - timedelta(days=61), today + timedelta(days=61)
    done = actions["Estatus"] == "Cumplida"
    blocked = actions["Estatus"] == "Bloqueada"
    due = actions["Fecha compromiso"]
    expected = {
        "Cumplidas desde la última reunión": (done & actions["Fecha de cumplimiento"].between(
            since, today)).sum(),
        "Vencidas": (~done & ~blocked & (due < today)).sum(),
        "Vencen antes de la próxima reunión": (~done & ~blocked & (due >= today)
                                               & (due <= horizon)).sum(),
        "Bloqueadas": blocked.sum(),
    }  # fmt: skip
    app = on_cluster(monkeypatch, synthetic_cluster, "acuerdos")
    for label, n in expected.items():
        assert metric(app, label) == str(n)
    english = on_cluster(monkeypatch, synthetic_cluster, "acuerdos", "en")
    assert english.title[0].value == "Committee actions"
    assert metric(english, "Overdue") == str(expected["Vencidas"])


# ---------------------------------------------------------------- privacy


def private_values(sheets) -> list[str]:
    """The roster's private cells as any page could show them (as written and as stored)."""
    suppliers = sheets["suppliers"]
    values = [*suppliers["RFC"], *suppliers["Correo"], *suppliers["Contacto"],
              *suppliers["Clientes"], *suppliers["Teléfono"]]  # fmt: skip
    values += [roster.parse_phone(p) for p in suppliers["Teléfono"]]
    return values


def desk(monkeypatch, synthetic_cluster, lang="es", user=None) -> AppTest:
    db, raw, _ = synthetic_cluster
    monkeypatch.setenv("WAREHOUSE_DB", str(db))
    monkeypatch.setenv("WAREHOUSE_RAW", str(raw))
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    app.query_params.update({"lang": lang})
    app.secrets.update(AUTH)
    if user:
        app.user = user
    app.run()
    app.switch_page("pages/datos.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize("page", ["proveedores", "empresas", "parques", "acuerdos"])
def test_a_viewer_sees_no_private_field(monkeypatch, synthetic_cluster, page):
    shown = everything(on_cluster(monkeypatch, synthetic_cluster, page))
    assert "Proveedor Sintético 0001" in shown or page != "proveedores"
    leaked = [v for v in private_values(synthetic_cluster[2]) if v and v in shown]
    assert not leaked


@pytest.mark.parametrize(
    "user",
    [None, {"is_logged_in": True, "email": "intruso@example.org", "email_verified": True}],
)
def test_the_data_desk_shows_private_fields_only_to_editors(monkeypatch, synthetic_cluster, user):
    viewer = everything(desk(monkeypatch, synthetic_cluster, user=user))
    assert not [v for v in private_values(synthetic_cluster[2]) if v and v in viewer]
    editor = desk(monkeypatch, synthetic_cluster,
                  user={"is_logged_in": True, "email": EDITOR, "email_verified": True})  # fmt: skip
    shown = everything(editor)
    suppliers = synthetic_cluster[2]["suppliers"]
    assert suppliers["RFC"].iloc[0] in shown and suppliers["Correo"].iloc[0] in shown
    assert roster.parse_phone(suppliers["Teléfono"].iloc[0]) in shown


def test_only_the_editors_reader_selects_the_private_table():
    """Structural: no page and no read module but the data desk's roster reads supplier_private."""
    root = Path(__file__).parent.parent
    readers = sorted(
        str(p.relative_to(root))
        for folder in ("pages", "analytics")
        for p in (root / folder).rglob("*.py")
        if "supplier_private" in p.read_text(encoding="utf-8")
        and "FROM suppliers s LEFT JOIN supplier_private" in p.read_text(encoding="utf-8")
    )
    assert readers == ["analytics/desk/suppliers.py"]
    mentions = sorted(
        str(p.relative_to(root))
        for folder in ("pages", "analytics")
        for p in (root / folder).rglob("*.py")
        if "supplier_private" in p.read_text(encoding="utf-8")
    )
    assert mentions == ["analytics/cluster.py", "analytics/desk/suppliers.py"]  # a docstring


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_desk_cluster_tabs_render_read_only(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, "datos", lang)
    assert ("El clúster" if lang == "es" else "The cluster") in [h.value for h in app.header]
    assert not app.get("file_uploader")  # without sign-in nothing can be written
