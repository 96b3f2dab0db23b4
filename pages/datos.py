"""Datos / Data: upload announcements (preview, then confirm), the load history, and downloads.

Reading is open; writing needs sign-in as an editor (analytics/desk). Each part of the desk lives in
its module of analytics/desk; this page only lays them out.
"""

import streamlit as st

from analytics import desk, ui
from analytics.desk import announcements, cluster

ctx = ui.context()
ui.page_header(
    ctx,
    ("Datos", "Data"),
    (
        "Cargue anuncios nuevos, revise el historial de cargas y descargue los datos.",
        "Upload new announcements, review the load history and download the data.",
    ),
)
st.header(desk.say("Cargar anuncios", "Upload announcements"))
editor = desk.access()
if editor:
    announcements.upload_section(editor)
announcements.history_section()
announcements.downloads_section()
cluster.section(editor)  # the supplier roster, committee actions, company aliases and parks
