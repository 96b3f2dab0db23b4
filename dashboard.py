"""Entry point: builds the warehouse if needed, then the sidebar (language, filters) and the pages.

Run with: streamlit run dashboard.py
"""

import streamlit as st

from analytics import ui
from analytics.db import warehouse_path
from analytics.i18n import pick
from etl.load import ensure_built

st.set_page_config(
    page_title="Observatorio automotriz SLP", page_icon=":material/factory:", layout="wide"
)


@st.cache_resource(show_spinner="Preparando el almacén de datos… / Preparing the data warehouse…")
def _warehouse_ready(path: str) -> bool:
    """Once per server process; a file lock makes concurrent starts build only once."""
    return ensure_built(warehouse_path())


_warehouse_ready(str(warehouse_path()))

# (file, url path, (es, en) title, icon)
PAGES = [
    ("pages/overview.py", "resumen", ("Resumen", "Overview"), ":material/dashboard:"),
    ("pages/origin.py", "origen", ("Origen", "Origin"), ":material/public:"),
    ("pages/sectors.py", "sectores", ("Sectores", "Sectors"), ":material/category:"),
    ("pages/municipalities.py", "municipios", ("Municipios", "Municipalities"), ":material/map:"),
    ("pages/companies.py", "empresas", ("Empresas", "Companies"), ":material/apartment:"),
    ("pages/official_fdi.py", "ied", ("IED oficial", "Official FDI"), ":material/account_balance:"),
]

lang = ui.current_lang()
navigation = st.navigation(
    [
        st.Page(path, title=pick(title, lang), icon=icon, url_path=url, default=i == 0)
        for i, (path, url, title, icon) in enumerate(PAGES)
    ]
)
st.session_state["context"] = ui.sidebar()
navigation.run()
