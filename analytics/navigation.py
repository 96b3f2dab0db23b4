"""The pages of the app, in menu order: used by dashboard.py, the browser test and the benchmarks."""

from typing import NamedTuple


class PageDef(NamedTuple):
    file: str
    url: str  # "" for the default page, which Streamlit serves at the root
    title: tuple[str, str]  # (es, en)
    icon: str
    charts: bool = True  # False: the page draws no chart until it is used (pack, uploads)
    # Official series (warehouse tables, analytics.records.OFFICIAL_SERIES) whose cut-off the
    # page's foot states, and URL parameters of the page's own kept beside the filters.
    series: tuple[str, ...] = ()
    params: tuple[str, ...] = ()


PAGES = [
    PageDef("pages/overview.py", "", ("Resumen", "Overview"), ":material/dashboard:"),
    PageDef("pages/origen.py", "origen", ("Origen", "Origin"), ":material/public:"),
    PageDef("pages/sectores.py", "sectores", ("Sectores", "Sectors"), ":material/category:"),
    PageDef(
        "pages/municipios.py", "municipios", ("Municipios", "Municipalities"), ":material/map:"
    ),  # fmt: skip
    PageDef(
        "pages/empresas.py",
        "empresas",
        ("Empresas", "Companies"),
        ":material/apartment:",
        params=("empresa",),
    ),  # fmt: skip
    # The cluster: parks, the supplier development programme, the committees' actions.
    PageDef(
        "pages/parques.py",
        "parques",
        ("Parques", "Parks"),
        ":material/location_city:",
        params=("parque",),
    ),  # fmt: skip
    PageDef(
        "pages/avance.py",
        "avance",
        ("Avance de proyectos", "Project pipeline"),
        ":material/timeline:",
    ),  # fmt: skip
    PageDef(
        "pages/proveedores.py",
        "proveedores",
        ("Proveedores", "Suppliers"),
        ":material/handshake:",
        False,
    ),  # fmt: skip
    PageDef(
        "pages/acuerdos.py",
        "acuerdos",
        ("Acuerdos", "Committee actions"),
        ":material/task_alt:",
        False,
    ),  # fmt: skip
    PageDef(
        "pages/ied.py",
        "ied",
        ("IED oficial", "Official FDI"),
        ":material/account_balance:",
        series=("fdi_by_country", "fdi_by_sector"),
    ),  # fmt: skip
    PageDef(
        "pages/reunion.py",
        "reunion",
        ("Reunión bimestral", "Meeting pack"),
        ":material/event:",
        False,
        series=("fdi_by_country",),
    ),  # fmt: skip
    PageDef(
        "pages/datos.py",
        "datos",
        ("Datos", "Data"),
        ":material/upload_file:",
        False,
        params=("anuncio",),
    ),  # fmt: skip
]


def page_of(url: str) -> PageDef:
    """The page served at url ("" for the default page)."""
    return next(page for page in PAGES if page.url == url)
