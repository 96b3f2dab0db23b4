"""Datos / Data: the data desk. Follow-up of what needs attention, one announcement's record
(datos?anuncio=<id>: values, history, corrections), a form for one new announcement, uploads of
announcements and of corrections (preview, then confirm), the load history, and downloads.

Reading is open; writing needs sign-in as an editor (analytics/desk). Each part of the desk lives in
its module of analytics/desk; this page only lays them out.
"""

import streamlit as st

from analytics import desk, ui
from analytics.desk import announcements, cluster, corrections, entry, followup, record
from analytics.desk import official as official_releases

ctx = ui.context()
ui.page_header(
    ctx,
    ("Datos", "Data"),
    (
        "Lo que requiere atención, la ficha de cada anuncio con su historial, anuncios nuevos "
        "(uno por uno o en archivo), correcciones, el historial de cargas y las descargas.",
        "What needs attention, each announcement's record with its history, new announcements "
        "(one at a time or as a file), corrections, the load history and the downloads.",
    ),
)
editor = desk.access()
chosen = record.selected()
if chosen:  # an announcement's record (datos?anuncio=<id>), alone: "Cerrar ficha" goes back
    record.record_section(chosen, editor)
    ui.stop(ctx, "datos")
record.open_box()

follow_tab, entry_tab, upload_tab, fix_tab, official_tab, history_tab, cluster_tab = st.tabs(
    [
        desk.say("Seguimiento", "Follow-up"),
        desk.say("Nuevo anuncio", "New announcement"),
        desk.say("Cargar archivo de anuncios", "Upload announcements"),
        desk.say("Correcciones", "Corrections"),
        desk.say("Publicaciones oficiales", "Official releases"),
        desk.say("Historial y descargas", "History and downloads"),
        desk.say("Clúster", "Cluster"),
    ]
)
with follow_tab:
    followup.followup_section()
with entry_tab:
    desk.editors_only(editor, entry.entry_section,
                      ("Para agregar un anuncio, inicie sesión como editor (arriba).",
                       "To add an announcement, sign in as an editor (above)."))  # fmt: skip
with upload_tab:
    desk.editors_only(editor, announcements.upload_section,
                      ("Para cargar un archivo, inicie sesión como editor (arriba).",
                       "To upload a file, sign in as an editor (above)."))  # fmt: skip
with fix_tab:
    desk.editors_only(
        editor,
        corrections.upload_section,
        ("Para corregir, inicie sesión como editor (arriba); el equipo de datos también puede "
         "usar `python -m etl correct ARCHIVO --by CORREO`.",
         "To correct, sign in as an editor (above); the data team can also use "
         "`python -m etl correct FILE --by EMAIL`."),
    )  # fmt: skip
with official_tab:  # SE's IED, INEGI's exports, IMSS's jobs: the same sign-in, their own part
    if editor:
        official_releases.upload_section(editor)
    official_releases.releases_section()
with history_tab:
    announcements.history_section()
    announcements.downloads_section()
with cluster_tab:
    cluster.section(editor)  # the supplier roster, committee actions, company aliases and parks

ui.page_foot(ctx, "datos")
