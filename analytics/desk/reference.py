"""The data desk's edits of the cluster's reference data: company aliases (which names in the
announcements are one company) and park coordinates. Each edit is a journal entry, applied through
the change log with its reason and source."""

import pandas as pd
import streamlit as st

from analytics import cluster
from analytics.desk import cluster as desk_cluster
from analytics.desk import say
from etl.cluster.edits import ALIASES, COORDINATES


def section(editor: str | None) -> None:
    st.subheader(say("Alias de empresas", "Company aliases"))
    st.markdown(
        say(
            "Las reglas reúnen los anuncios de una empresa aunque nombren plantas distintas. Un "
            "alias reúne lo que las reglas no ven (p. ej., «Faurecia Frames» es Faurecia): cada "
            "uno con su motivo y su fuente. Al guardar, las empresas se recalculan.",
            "The rules bring one company's announcements together even when they name different "
            "plants. An alias brings together what the rules cannot see (e.g. 'Faurecia Frames' "
            "is Faurecia), each with its reason and source. On saving, companies are worked out "
            "again.",
        )
    )
    aliases = cluster.aliases()
    desk_cluster.table(aliases, "desk_aliases")
    if editor:
        _alias_form(editor)
    st.subheader(say("Coordenadas de parques", "Park coordinates"))
    parks = cluster.park_list()
    desk_cluster.table(parks, "desk_parks")
    if editor:
        _coordinates_form(editor, parks)
    history = desk_cluster.changes_of(("company_aliases", "parks"))
    if not history.empty:
        with st.expander(say("Historial de alias y coordenadas", "Alias and coordinate history")):
            desk_cluster.table(history, "desk_reference_changes")


def _alias_form(editor: str) -> None:
    names = cluster.company_name_list()
    companies = sorted(set(cluster.company_options()["name"]))
    with (
        st.expander(say("Agregar, cambiar o retirar un alias", "Add, change or withdraw an alias")),
        st.form("desk_form_alias", clear_on_submit=True),
    ):
        alias = st.selectbox(
            say("Nombre como aparece en los anuncios", "Name as written in the announcements"),
            sorted(names["company"]),
        )
        left, right = st.columns(2)
        target = left.selectbox(say("Es la empresa", "Is the company"), ["", *companies])
        new_name = right.text_input(say("… o un nombre nuevo", "… or a new name"))
        withdraw = st.checkbox(say("Retirar este alias", "Withdraw this alias"))
        reason = st.text_area(say("Motivo", "Reason"))
        source = st.text_input(say("Fuente (URL o documento)", "Source (URL or document)"))
        if st.form_submit_button(say("Guardar alias", "Save alias"), type="primary"):
            company = "" if withdraw else (new_name.strip() or target)
            if not company and not withdraw:
                st.error(
                    say(
                        "Elija la empresa o escriba un nombre.",
                        "Choose the company or write a name.",
                    )
                )
                return
            row = {"Alias": alias, "Empresa": company, "Motivo": reason, "Fuente": source}
            desk_cluster.submit_form(ALIASES, "formulario_alias", row, editor)


def _coordinates_form(editor: str, parks: pd.DataFrame) -> None:
    names = dict(zip(parks["park_id"], parks["name"], strict=True))
    with (
        st.expander(say("Registrar las coordenadas de un parque", "Record a park's coordinates")),
        st.form("desk_form_coordinates", clear_on_submit=True),
    ):
        park = st.selectbox(say("Parque", "Park"), list(names), format_func=names.get)
        pair = st.text_input(
            say(
                "Coordenadas (latitud, longitud), como las copia un mapa",
                "Coordinates (latitude, longitude), as a map copies them",
            ),
            placeholder="22.0500, -100.9300",
        )
        source = st.text_input(say("Fuente (URL o documento)", "Source (URL or document)"))
        if st.form_submit_button(say("Guardar coordenadas", "Save coordinates"), type="primary"):
            row = {"Parque": names[park], "Coordenadas": pair, "Fuente": source}
            desk_cluster.submit_form(COORDINATES, "formulario_coordenadas", row, editor)
