"""The pages of the app, in menu order and by menu section: used by dashboard.py, the browser test
and the benchmarks."""

from typing import NamedTuple

# Menu sections, in order: (es, en).
ANNOUNCED = ("Inversión anunciada", "Announced investment")
OFFICIAL = ("Cifras oficiales", "Official figures")
CLUSTER = ("Programa del clúster", "Cluster programme")
MEETINGS = ("Reunión y datos", "Meetings and data")


class PageDef(NamedTuple):
    file: str
    url: str  # "" for the default page, which Streamlit serves at the root
    title: tuple[str, str]  # (es, en)
    icon: str
    charts: bool = True  # False: the page draws no chart until it is used (pack, uploads)
    # Official series (keys of analytics.official.freshness()) whose release and cut-off the
    # page's foot states, and URL parameters of the page's own kept beside the filters.
    series: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    section: tuple[str, str] = ANNOUNCED
    filters: bool = (
        True  # False: the announcements' filters do not apply, so the sidebar hides them
    )


PAGES = [
    PageDef("pages/overview.py", "", ("Resumen", "Overview"), ":material/dashboard:"),
    PageDef("pages/origen.py", "origen", ("Origen", "Origin"), ":material/public:"),
    PageDef("pages/sectores.py", "sectores", ("Sectores", "Sectors"), ":material/category:"),
    PageDef("pages/municipios.py", "municipios", ("Municipios", "Municipalities"),
            ":material/map:", series=("establishments",)),
    PageDef("pages/empresas.py", "empresas", ("Empresas", "Companies"), ":material/apartment:",
            params=("empresa",)),
    PageDef("pages/parques.py", "parques", ("Parques", "Parks"), ":material/location_city:",
            params=("parque",)),
    PageDef("pages/avance.py", "avance", ("Avance de proyectos", "Project pipeline"),
            ":material/timeline:"),
    PageDef("pages/ied.py", "ied", ("IED oficial", "Official FDI"), ":material/account_balance:",
            series=("fdi_original", "fdi_revised"), section=OFFICIAL),
    PageDef("pages/estados.py", "estados", ("Estados comparables", "Peer states"),
            ":material/compare_arrows:", series=("fdi_original", "fdi_revised"),
            section=OFFICIAL, filters=False),
    PageDef("pages/indicadores.py", "indicadores", ("Exportaciones y empleo", "Exports and jobs"),
            ":material/trending_up:", series=("exports", "jobs"), section=OFFICIAL, filters=False),
    PageDef("pages/proveedores.py", "proveedores", ("Proveedores", "Suppliers"),
            ":material/handshake:", False, section=CLUSTER),
    PageDef("pages/acuerdos.py", "acuerdos", ("Acuerdos", "Committee actions"),
            ":material/task_alt:", False, section=CLUSTER, filters=False),
    PageDef("pages/reunion.py", "reunion", ("Reunión bimestral", "Meeting pack"), ":material/event:",
            False, series=("fdi_original", "fdi_revised", "exports", "jobs"), section=MEETINGS),
    PageDef("pages/datos.py", "datos", ("Datos", "Data"), ":material/upload_file:", False,
            params=("anuncio",), section=MEETINGS, filters=False),
]  # fmt: skip


def page_of(url: str) -> PageDef:
    """The page served at url ("" for the default page)."""
    return next(page for page in PAGES if page.url == url)
