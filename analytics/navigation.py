"""The pages of the app, in menu order: used by dashboard.py, the browser test and the benchmarks."""

from typing import NamedTuple


class PageDef(NamedTuple):
    file: str
    url: str  # "" for the default page, which Streamlit serves at the root
    title: tuple[str, str]  # (es, en)
    icon: str
    charts: bool = True  # False: the page draws no chart until it is used (pack, uploads)


PAGES = [
    PageDef("pages/overview.py", "", ("Resumen", "Overview"), ":material/dashboard:"),
    PageDef("pages/origen.py", "origen", ("Origen", "Origin"), ":material/public:"),
    PageDef("pages/sectores.py", "sectores", ("Sectores", "Sectors"), ":material/category:"),
    PageDef(
        "pages/municipios.py", "municipios", ("Municipios", "Municipalities"), ":material/map:"
    ),  # fmt: skip
    PageDef("pages/empresas.py", "empresas", ("Empresas", "Companies"), ":material/apartment:"),
    # The cluster: parks, the supplier development programme, the committees' actions.
    PageDef("pages/parques.py", "parques", ("Parques", "Parks"), ":material/location_city:"),
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
    ),  # fmt: skip
    PageDef(
        "pages/reunion.py",
        "reunion",
        ("Reunión bimestral", "Meeting pack"),
        ":material/event:",
        False,
    ),  # fmt: skip
    PageDef("pages/datos.py", "datos", ("Datos", "Data"), ":material/upload_file:", False),
]
