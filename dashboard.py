"""Entry point: builds the warehouse if needed (never a published snapshot: that is read-only),
then the sidebar (language, filters) and the pages.

Run with: streamlit run dashboard.py
"""

from pathlib import Path

import streamlit as st

from analytics import ui
from analytics.db import warehouse_path
from analytics.i18n import pick
from analytics.navigation import PAGES, page_of
from etl.load import ensure_built
from etl.warehouse import is_published, resolve_db, resolve_raw

# The tab's icon is a file of the app: a material icon or an emoji favicon is fetched from Google's
# font servers, and the app works offline.
FAVICON = Path(__file__).with_name("analytics") / "favicon.png"
st.set_page_config(page_title="Observatorio automotriz SLP", page_icon=str(FAVICON), layout="wide")


@st.cache_resource(show_spinner="Preparando el almacén de datos… / Preparing the data warehouse…")
def _warehouse_ready(path: str) -> bool:
    """Once per server process; a file lock makes concurrent starts build only once. A replica on
    a published snapshot only reads: the writer builds, loads and publishes."""
    if is_published(resolve_db()):
        return False
    return ensure_built(warehouse_path(), resolve_raw())


_warehouse_ready(str(warehouse_path()))

lang = ui.current_lang()
menu: dict[str, list] = {}  # section -> its pages, in PAGES order
for page in PAGES:
    menu.setdefault(pick(page.section, lang), []).append(
        st.Page(
            page.file,
            title=pick(page.title, lang),
            icon=page.icon,
            url_path=page.url or None,
            default=not page.url,
        )
    )
# expanded: every page listed (collapsed, Streamlit adds a "View more" link in English)
navigation = st.navigation(menu, expanded=True)
page = page_of(navigation.url_path)
st.session_state["context"] = ui.sidebar(page)
st.session_state["foot_drawn"] = False
navigation.run()
if not st.session_state["foot_drawn"]:  # pages draw their freshness line; this one did not
    ui.page_foot(st.session_state["context"], page.url)
