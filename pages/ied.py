"""IED oficial / Official FDI: what officials quote from SE's releases for San Luis Potosí, in one
series at a time (as originally published, or revised), each chart labelled with its series and
cut-off; how the same period moved from one release to the next; and announcements against the
recorded flows, with the explanation of why they differ.
"""

import streamlit as st

from analytics import comparison_figures, official, official_figures, ui
from analytics.i18n import fmt_musd, fmt_pct, t
from analytics.official import period_text

ctx = ui.context()
lang, f = ctx.lang, ctx.filters
ui.page_header(
    ctx,
    ("IED oficial", "Official FDI"),
    (
        "Inversión extranjera directa (IED) que la Secretaría de Economía registra en San Luis "
        "Potosí. La SE publica dos series: las **cifras originalmente publicadas** (cada trimestre "
        "tal como salió por primera vez; las que cita la prensa) y las **cifras actualizadas** "
        "(revisadas cada trimestre). Sus valores son acumulados de enero al trimestre.",
        "Foreign direct investment (FDI) recorded by Mexico's Secretaría de Economía in San Luis "
        "Potosí. SE publishes two series: **figures as originally published** (each quarter as "
        "first released; what the press quotes) and **revised figures** (revised every quarter). "
        "Values are cumulative from January to the quarter.",
    ),
)

latest = {s: official.latest_release(s) for s in official.SERIES}
latest = {s: r for s, r in latest.items() if r is not None}
if not latest:
    st.info(ctx.text("No hay publicaciones de IED en el almacén.", "No FDI release is loaded."))
    ui.stop(ctx, "ied")
series = st.radio(
    ctx.text("Serie", "Series"),
    options=list(latest),
    format_func=lambda s: latest[s].label(lang),
    horizontal=True,
    key="fdi_series",
)
release = latest[series]
source = f"{t('source_se', lang)} {official.initial(release.label(lang))}."

# ---------------------------------------------------------------- what officials quote

head = official.headline(release)
span = period_text(head["year"], head["quarter"], lang)
before = period_text(head["year"] - 1, head["quarter"], lang)
change = (
    fmt_pct(head["ytd"] / head["ytd_before"] - 1, lang, signed=True)
    if head["ytd_before"] and head["ytd_before"] > 0
    else None
)
items = [
    (ctx.text(f"IED {span}", f"FDI {span}"), fmt_musd(head["ytd"], lang),
     ctx.text(f"{change} vs. {before}", f"{change} vs. {before}") if change else None),
    (ctx.text(f"Mismo periodo, {head['year'] - 1}", f"Same period, {head['year'] - 1}"),
     fmt_musd(head["ytd_before"], lang), None),
]  # fmt: skip
if head["last_year"]:
    yoy = (
        fmt_pct(head["last_year_value"] / head["year_before_value"] - 1, lang, signed=True)
        if head["year_before_value"] and head["year_before_value"] > 0
        else None
    )
    items.append(
        (ctx.text(f"Año {head['last_year']}", f"Year {head['last_year']}"),
         fmt_musd(head["last_year_value"], lang),
         f"{yoy} vs. {head['last_year'] - 1}" if yoy else None)
    )  # fmt: skip
items.append(
    (ctx.text(f"Flujo del {head['quarter']}.º trimestre", f"Q{head['quarter']} flow"),
     fmt_musd(head["flow"], lang), None)
)  # fmt: skip
ui.kpis(items)
st.caption(
    ctx.text(
        f"Serie mostrada: **{release.label('es')}**. No se suman ni mezclan series ni "
        "publicaciones; la pestaña «Revisiones» las pone lado a lado, cada una con su serie y "
        "corte. Los negativos son desinversión neta.",
        f"Series shown: **{release.label('en')}**. Series and releases are never added or "
        "mixed; the 'Revisions' tab puts them side by side, each with its series and "
        "cut-off. Negative values are net disinvestment.",
    )
)

# Sections as tabs, each drawn only while it is open: the page's ten charts and its table drawn
# together delay the first of them (README, "Performance").
sections = st.tabs(
    [ctx.text("Lo que se cita", "What is quoted"),
     ctx.text("Tipo, origen y actividad", "Type, origin and activity"),
     ctx.text("Revisiones", "Revisions"),
     ctx.text("Anunciado frente a registrado", "Announced versus recorded")],
    key="ied_section",
    on_change="rerun",
)  # fmt: skip
quoted, composition, revisions, compared = sections

# ---------------------------------------------------------------- what officials quote

if quoted.open:
    with quoted:
        left, right = st.columns(2)
        with left:
            fig, data = ui.figure(official_figures.same_period, ctx, release)
            ui.chart(ctx, fig, data, "ied_mismo_periodo", source=source)
        with right:
            fig, data = ui.figure(official_figures.quarters, ctx, release)
            ui.chart(ctx, fig, data, "ied_trimestral", source=source)

# ---------------------------------------------------------------- by type, origin and SCIAN activity

if composition.open:
    with composition:
        left, right = st.columns(2)
        with left:
            fig, data = ui.figure(official_figures.types, ctx, release)
            ui.chart(ctx, fig, data, "ied_por_tipo", source=source)
        with right:
            periods = official.by_year(release.release_id)[["year", "quarter"]].iloc[::-1]
            choices = [(int(y), int(q)) for y, q in periods.itertuples(index=False)]
            year, quarter = st.selectbox(
                ctx.text("Periodo de los orígenes", "Period of the origins"),
                options=choices,
                format_func=lambda p: period_text(p[0], p[1], lang),
                key="fdi_origins_period",
            )
            fig, data = ui.figure(official_figures.origins, ctx, release, year, quarter)
            ui.chart(ctx, fig, data, "ied_por_pais", source=source)

        left, right = st.columns(2)
        with left:
            fig, data = ui.figure(official_figures.transport_equipment, ctx, release)
            ui.chart(ctx, fig, data, "ied_336", source=source)
        with right:
            fig, data = ui.figure(official_figures.years, ctx, release)
            ui.chart(ctx, fig, data, "ied_anual", source=source)
        st.caption(
            ctx.text(
                "La SE publica la IED por actividad SCIAN de cada entidad desde 2023 T3 en la serie "
                "original; la serie actualizada de San Luis Potosí la trae desde 2006. «C»: cifra "
                "confidencial, que falta (no es cero).",
                "SE publishes each state's FDI by SCIAN activity from 2023 Q3 in the original series; "
                "the revised series for San Luis Potosí has it from 2006. 'C': a confidential figure, "
                "missing (not zero).",
            )
        )

# ---------------------------------------------------------------- revisions

if revisions.open:
    with revisions:
        st.subheader(ctx.text("Revisiones: el mismo periodo en cada publicación",
                              "Revisions: the same period in each release"))  # fmt: skip
        st.markdown(
            ctx.text(
                "Antes de citar una cifra, vea cuánto se movió: la serie original conserva cada "
                "trimestre como se publicó primero; la actualizada lo revisa cada trimestre, a veces "
                "mucho.",
                "Before quoting a figure, see how much it moved: the original series keeps each quarter "
                "as first published; the revised series revises it every quarter, sometimes a lot.",
            )
        )
        periods = official.revision_periods()
        if periods.empty:
            st.info(ctx.text("Solo hay una publicación cargada.", "Only one release is loaded."))
        else:
            choices = [
                (int(y), int(q)) for y, q in periods[["year", "quarter"]].itertuples(index=False)
            ]
            left, right = st.columns(2)
            with left:
                year, quarter = st.selectbox(
                    ctx.text("Periodo", "Period"),
                    options=choices,
                    format_func=lambda p: period_text(p[0], p[1], lang),
                    key="fdi_revision_period",
                )
                fig, data = ui.figure(comparison_figures.revisions, ctx, year, quarter)
                ui.chart(ctx, fig, data, "ied_revisiones", source="source_se")
            with right:
                fig, data = ui.figure(comparison_figures.vintages, ctx)
                ui.chart(ctx, fig, data, "ied_publicaciones", source="source_se")
            shown = official.releases()
            st.dataframe(
                shown.assign(
                    label=[comparison_figures.release_name(r, lang) for _, r in shown.iterrows()],
                    note=shown[f"note_{lang}"],
                )[["release_id", "label", "file_name", "loaded_at", "loaded_by", "note"]].rename(
                    columns={
                        "release_id": ctx.text("Publicación", "Release"),
                        "label": ctx.text("Serie y corte", "Series and cut-off"),
                        "file_name": ctx.text("Archivo", "File"),
                        "loaded_at": ctx.text("Cargada", "Loaded"),
                        "loaded_by": ctx.text("Por", "By"),
                        "note": ctx.text("Nota", "Note"),
                    }
                ),
                hide_index=True,
                width="stretch",
                key="fdi_releases_table",
            )

# ---------------------------------------------------------------- announced versus recorded

if compared.open:
    with compared:
        st.subheader(ctx.text("Anunciado frente a IED registrada, por país",
                              "Announced versus recorded FDI, by country"))  # fmt: skip
        st.markdown(t("announcements_vs_fdi", lang))
        years_shown = official.by_year(release.release_id)["year"]
        # The sidebar's years that this series has (the sidebar's period applies to the announcements).
        year_from = max(int(years_shown.min()), f.date_from.year if f.date_from else 0)
        year_to = min(int(years_shown.max()), f.date_to.year if f.date_to else 9999)
        if year_from > year_to:
            year_from, year_to = int(years_shown.min()), int(years_shown.max())
        fig, data = ui.figure(
            official_figures.announced_vs_recorded, ctx, release, year_from, year_to
        )
        if data.empty:
            st.info(t("no_data", lang))
        else:
            ui.chart(ctx, fig, data, "anunciado_vs_ied", source="source_announcements")
            st.caption(
                source
                + " "
                + ctx.text(
                    f"IED de {year_from} a {year_to} (los años de la barra lateral que tiene esta "
                    "serie; el último, acumulado a la fecha). Se omiten los anuncios sin país y los de "
                    "empresas mexicanas (inversión nacional, no IED), y la IED de «otro origen».",
                    f"FDI from {year_from} to {year_to} (the sidebar's years this series has; the last "
                    "one to date). Announcements without a country and by Mexican companies (domestic "
                    "investment, not FDI) are left out, and so is FDI of 'other origin'.",
                )
                + (
                    ctx.text(
                        " Con el filtro de origen de la barra lateral, la IED se muestra solo para esos "
                        "orígenes.",
                        " With the sidebar's origin filter, FDI is shown for those origins only.",
                    )
                    if f.countries or f.regions
                    else ""
                )
            )

ui.page_foot(ctx, "ied")
