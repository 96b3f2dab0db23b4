"""The pages of the app, in menu order: used by dashboard.py, the browser test and the benchmarks."""

from typing import NamedTuple


class PageDef(NamedTuple):
    file: str
    url: str  # "" for the default page, which Streamlit serves at the root
    title: tuple[str, str]  # (es, en)
    icon: str


PAGES = [
    PageDef("pages/overview.py", "", ("Resumen", "Overview"), ":material/dashboard:"),
    PageDef("pages/origin.py", "origen", ("Origen", "Origin"), ":material/public:"),
    PageDef("pages/sectors.py", "sectores", ("Sectores", "Sectors"), ":material/category:"),
    PageDef(
        "pages/municipalities.py", "municipios", ("Municipios", "Municipalities"), ":material/map:"
    ),  # fmt: skip
    PageDef("pages/companies.py", "empresas", ("Empresas", "Companies"), ":material/apartment:"),
    PageDef(
        "pages/official_fdi.py",
        "ied",
        ("IED oficial", "Official FDI"),
        ":material/account_balance:",
    ),  # fmt: skip
    PageDef(
        "pages/meeting_pack.py",
        "reunion",
        ("Reunión bimestral", "Meeting pack"),
        ":material/event:",
    ),  # fmt: skip
    PageDef("pages/data_desk.py", "datos", ("Datos", "Data"), ":material/upload_file:"),
]
