"""Reunión bimestral / Meeting pack: the committees' deck in one click. Pick the period, the
language and whether the sidebar's filters apply; preview the slides; download a 16:9 PPTX and a
ZIP of 1920x1080 PNG charts. The same pack as `python -m analytics pack`."""

from datetime import date

import streamlit as st

from analytics import figures, pack, ui
from analytics.context import Context
from analytics.db import warehouse_path, warehouse_version
from analytics.deck import table_rows
from analytics.i18n import fmt_months, fmt_musd, fmt_number, pick, t

ctx = ui.context()
lang = ctx.lang
ui.page_header(
    ctx,
    ("Reunión bimestral", "Meeting pack"),
    (
        "La presentación para los comités de desarrollo de proveedores, académico, de desarrollo "
        "de abasto y de capital humano: cifras del periodo frente al periodo anterior y al mismo "
        "periodo un año antes, origen, sectores, municipios, tendencia, anuncios, IED oficial y "
        "avance de los proyectos; luego el avance del programa de proveedores, las oportunidades y "
        "los acuerdos de los comités.",
        "The deck for the supplier development, academic, supply development and human capital "
        "committees: the period's figures against the previous period and the same period a year "
        "earlier, origin, sectors, municipalities, trend, announcements, official FDI and the "
        "project pipeline; then the supplier programme's progress, the opportunities and the "
        "committees' actions.",
    ),
)

# ---------------------------------------------------------------- choices

today = date.today()
CUSTOM = "custom"
choices = [*pack.PRESETS, CUSTOM]
names = {name: pick(label, lang) for name, (label, _) in pack.PRESETS.items()}
names[CUSTOM] = ctx.text("Otro periodo…", "Other period…")

left, middle, right = st.columns([2, 2, 1])
with left:
    preset = st.selectbox(
        ctx.text("Periodo", "Period"),
        choices,
        index=choices.index(pack.DEFAULT_PRESET),
        format_func=lambda name: (
            names[name]
            if name == CUSTOM
            else f"{names[name]} · {fmt_months(*pack.preset_period(name, today), lang)}"
        ),
        key="pack_preset",
    )
with middle:
    if preset == CUSTOM:
        first = date(ctx.options["first_year"], 1, 1)
        chosen = st.date_input(
            ctx.text("Desde – hasta", "From – to"),
            value=pack.preset_period(pack.DEFAULT_PRESET, today),
            min_value=first,
            max_value=max(today, date(ctx.options["last_year"], 12, 31)),
            format="YYYY-MM-DD",
            key="pack_dates",
        )
        date_from, date_to = (tuple(chosen) + (None, None))[:2]
    else:
        date_from, date_to = pack.preset_period(preset, today)
        st.text_input(  # no key: a new period is a new (read-only) widget
            ctx.text("Desde – hasta", "From – to"),
            f"{date_from:%Y-%m-%d} – {date_to:%Y-%m-%d}",
            disabled=True,
        )
with right:
    pack_lang = st.radio(
        ctx.text("Idioma", "Language"),
        ["es", "en"],
        index=["es", "en"].index(lang),
        format_func=ui.LANG_NAMES.get,
        key="pack_lang",
    )

active = ctx.filters_text()
use_filters = st.toggle(
    ctx.text("Aplicar los filtros de la barra lateral", "Apply the sidebar's filters"),
    value=bool(active),
    disabled=not active,
    key="pack_filters",
)
st.caption(
    (ctx.text("Filtros: ", "Filters: ") + active)
    if active
    else ctx.text(
        "Sin filtros en la barra lateral: la presentación cubre todos los anuncios con fecha en "
        "el periodo.",
        "No filters in the sidebar: the pack covers every announcement dated in the period.",
    )
)

if date_from is None or date_to is None:
    st.info(ctx.text("Elija la fecha final del periodo.", "Choose the period's last day."))
    ui.stop(ctx, "reunion")

filters = pack.meeting_filters(date_from, date_to, ctx.filters if use_filters else None)
pack_ctx = Context(pack_lang, filters, ctx.options, ctx.names)
path = warehouse_path()
request = (pack_lang, filters, str(path), warehouse_version(path))

if st.button(
    ctx.text("Preparar la presentación", "Prepare the pack"),
    type="primary",
    icon=":material/slideshow:",
    key="pack_make",
):
    with st.spinner(
        ctx.text(
            "Preparando las gráficas y la presentación… (unos segundos; la primera vez, más)",
            "Drawing the charts and the deck… (a few seconds; longer the first time)",
        )
    ):
        st.session_state["meeting_pack"] = (request, pack.make(pack_ctx, today))

stored = st.session_state.get("meeting_pack")
if stored is None or stored[0] != request:
    st.caption(
        ctx.text(
            f"Periodo elegido: {fmt_months(date_from, date_to, lang)}. Pulse «Preparar la "
            "presentación» para verla y descargarla.",
            f"Chosen period: {fmt_months(date_from, date_to, lang)}. Press “Prepare the pack” to "
            "preview and download it.",
        )
    )
    ui.stop(ctx, "reunion")

result: pack.Result = stored[1]
deck = result.pack

# ---------------------------------------------------------------- downloads

st.success(
    ctx.text(
        f"Presentación de {deck.period}: {len(deck.slides)} diapositivas y "
        f"{len(deck.charts)} gráficas, preparada en {fmt_number(result.seconds['total'], 'es', 1)} s.",
        f"Pack for {deck.period}: {len(deck.slides)} slides and {len(deck.charts)} charts, "
        f"prepared in {fmt_number(result.seconds['total'], 'en', 1)} s.",
    ),
    icon=":material/check_circle:",
)
one, two = st.columns(2)
one.download_button(
    ctx.text("Descargar PowerPoint (16:9)", "Download PowerPoint (16:9)"),
    data=result.pptx,
    file_name=f"{deck.file_stem()}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    icon=":material/download:",
    key="pack_pptx",
    width="stretch",
)
two.download_button(
    ctx.text("Descargar gráficas PNG 1920×1080 (ZIP)", "Download 1920×1080 PNG charts (ZIP)"),
    data=result.zip,
    file_name=f"{deck.file_stem()}_graficas.zip",
    mime="application/zip",
    icon=":material/folder_zip:",
    key="pack_zip",
    width="stretch",
)

# ---------------------------------------------------------------- preview

st.subheader(ctx.text("Vista previa", "Preview"))
plang = deck.lang
for number, s in enumerate(deck.slides, start=1):
    with st.expander(f"{number}. {s.title}", expanded=number <= 3):
        if s.subtitle:
            st.caption(s.subtitle)
        if s.kind == "cover":
            st.markdown("  \n".join(f"**{line}**" if i == 0 else line
                                    for i, line in enumerate(s.lines)))  # fmt: skip
        elif s.kind == "kpis":
            measures = {
                "musd": (t("investment", plang), lambda v: fmt_musd(v, plang)),
                "jobs": (t("jobs", plang), lambda v: fmt_number(v, plang)),
                "projects": (t("projects", plang), lambda v: fmt_number(v, plang)),
                "companies": (t("companies", plang), lambda v: fmt_number(v, plang)),
            }
            for column, (key, (title, fmt)) in zip(st.columns(4), measures.items(), strict=True):
                row = s.kpis.loc[key]
                change, was = figures.change_parts(pack_ctx, row["now"], row["previous"],
                                                   musd=key == "musd")  # fmt: skip
                column.metric(
                    title,
                    fmt(row["now"]),
                    # st.metric reads the sign from an ASCII minus
                    f"{change} ({was})".replace("−", "-") if was else None,
                    delta_color="normal" if was and row["now"] != row["previous"] else "off",
                    help=f"vs. {s.lines[0]}",
                )
        elif s.kind == "charts":
            columns = st.columns(list(s.weights) or len(s.charts))
            for column, chart in zip(columns, s.charts, strict=True):
                column.image(result.images.slide[chart.name], caption=chart.caption)
        elif s.kind == "table":
            shown, more = table_rows(s.table)
            st.dataframe(shown, hide_index=True, width="stretch")
            if more:
                st.caption(pick((f"… y {more} más", f"… and {more} more"), plang))
        else:
            st.markdown("\n".join(f"- {line}" for line in s.lines))
        if s.source:
            st.caption(s.source)

ui.page_foot(ctx, "reunion")
