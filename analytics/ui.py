"""Streamlit pieces every page shares: language, sidebar filters kept in the URL, and the block
that shows a chart with its source footnote and a CSV of exactly the data drawn."""

import functools
import pickle
import runpy
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import charts, official, queries, records
from analytics.context import Context
from analytics.db import warehouse_path, warehouse_version
from analytics.filters import Filters
from analytics.i18n import (
    EVENT_TYPES,
    REGIONS,
    STATUSES,
    TEXTS,
    TIERS,
    count_text,
    each,
    fmt_date,
    fmt_number,
    fmt_period,
    label,
    pick,
    t,
)
from analytics.navigation import PageDef, page_of
from etl.export import spreadsheet_safe

LANG_NAMES = {"es": "Español", "en": "English"}
# URL parameters that belong to one page, not to the shared filters: empresas?empresa=bmw,
# parques?parque=logistik-ii, datos?anuncio=A1b2c3 (the data desk's deep link).
ENTRY_POINT = Path(__file__).resolve().parent.parent / "dashboard.py"


def _params_get_all(key: str) -> list[str]:
    return st.query_params.get_all(key)


def current_lang() -> str:
    """The switch's value once it exists (read before the navigation titles are drawn), else the
    URL's, else Spanish."""
    chosen = st.session_state.get("lang_switch")
    if chosen in LANG_NAMES:
        return chosen
    from_url = st.query_params.get("lang")
    return from_url if from_url in LANG_NAMES else "es"


def context() -> Context:
    """The context the entry point prepared for this run.

    On the first request to a fresh server Streamlit may run a page file by itself: it treats a
    pages/ folder as legacy multipage until st.navigation has been called once. Then the entry
    point runs here instead (it navigates to this same page), and this outer run stops.
    """
    if "context" not in st.session_state:
        runpy.run_path(str(ENTRY_POINT), run_name="__main__")
        st.stop()
    return st.session_state["context"]


def sidebar(page: PageDef | None = None) -> Context:
    """Language switch and filters; state lives in session_state and is mirrored in the URL, with
    the page's own parameters (page.params, e.g. the data desk's anuncio) kept beside them."""
    lang = current_lang()
    options = queries.filter_options()
    names = queries.names()
    if "filters" not in st.session_state:  # first run of this browser session: read the URL
        allowed = {k: set(map(str, v)) for k, v in options.items() if isinstance(v, list)}
        st.session_state["filters"] = Filters.from_query_params(_params_get_all, allowed)

    with st.sidebar:
        lang = st.radio(
            t("language", lang),
            options=list(LANG_NAMES),
            format_func=LANG_NAMES.get,
            index=list(LANG_NAMES).index(lang),
            horizontal=True,
            key="lang_switch",
        )
        filters = st.session_state["filters"]  # kept for the next page that uses them
        if page is None or page.filters:
            filters = _filters_panel(Context(lang, filters, options, names))
    st.session_state["filters"] = filters
    kept = {key: st.query_params.get_all(key) for key in (page.params if page else ())}
    st.query_params.from_dict(
        {"lang": lang, **filters.to_query_params(), **{k: v for k, v in kept.items() if v}}
    )
    return Context(lang, filters, options, names)


def _filters_panel(ctx: Context) -> Filters:
    """The filters under a heading that folds, with a line saying what is in force. Folded, the
    widgets are not drawn at all: seven lists and a slider are a good part of a page's first view
    in the browser (README, "Performance"). The panel opens by itself while a filter
    narrows the data (a shared link shows its filters) and stays as the user leaves it."""
    f, options = ctx.filters, ctx.options
    narrowed = f.narrowed(options["first_year"], options["last_year"])
    panel = st.expander(
        t("filters", ctx.lang),
        expanded=narrowed or st.session_state.get("filters_panel", False),
        icon=":material/filter_alt:",
        key="filters_panel",
        on_change="rerun",
    )
    if panel.open:
        with panel:
            return _filter_widgets(ctx.lang, options, ctx.names, f)
    # Folded: the filters in force, with the period in whole years as the slider would give it.
    start, end = _years_shown(options, f)
    f = replace(f, date_from=date(start, 1, 1), date_to=date(end, 12, 31))
    chosen = ctx.filters_text() or ctx.text("todos los anuncios", "all announcements")
    st.caption(f"{fmt_period(f.date_from, f.date_to, ctx.lang)} · {chosen}")
    return f


def _years_shown(options: dict, current: Filters) -> tuple[int, int]:
    """The filters' period in whole years, within the years the announcements have."""
    first, last = options["first_year"], options["last_year"]
    start = current.date_from.year if current.date_from else first
    end = current.date_to.year if current.date_to else last
    return min(max(start, first), last), max(min(end, last), first)


def _filter_widgets(lang: str, options: dict, names: dict, current: Filters) -> Filters:
    first, last = options["first_year"], options["last_year"]
    years = st.slider(t("period", lang), first, last, _years_shown(options, current), key="f_years")
    undated = st.checkbox(
        f"{t('include_undated', lang)} ({options['undated']})",
        value=current.include_undated,
        key="f_undated",
    )
    countries, sectors = names["countries"], names["sectors"]
    field_labels = {
        "regions": ("region", lambda c: label(REGIONS, c, lang)),
        "countries": ("country", lambda c: countries.at[c, f"name_{lang}"]),
        "sectors": ("sector", lambda c: sectors.at[c, f"name_{lang}"]),
        "tiers": ("tier", lambda c: label(TIERS, c, lang)),
        "places": ("municipality", str),
        "event_types": ("event_type", lambda c: label(EVENT_TYPES, c, lang)),
        "statuses": ("status", lambda c: label(STATUSES, c, lang)),
    }
    chosen = {}
    for name, (text_key, fmt) in field_labels.items():
        chosen[name] = tuple(
            st.multiselect(
                t(text_key, lang),
                options=options[name],
                default=[v for v in getattr(current, name) if v in options[name]],
                format_func=fmt,
                placeholder=t("all", lang),
                key=f"f_{name}",
            )
        )
    return replace(
        current,
        date_from=date(years[0], 1, 1),
        date_to=date(years[1], 12, 31),
        include_undated=undated,
        **chosen,
    )


# ---------------------------------------------------------------- page blocks

# Figures kept for the next run of any session: a page draws five to eight, and building one
# (plotly validates every property) costs 5-20 ms, most of a warm run. Keyed on the warehouse's
# version and on the arguments, so a new warehouse or a changed widget builds afresh.
FIGURES_KEPT = 300


def _context_key(ctx: Context) -> tuple:
    """What a figure may read from the context: its options and names come from the warehouse,
    whose version is part of the key."""
    return ctx.lang, ctx.filters


def _frame_key(frame: pd.DataFrame | pd.Series) -> tuple:
    """A frame's columns and content, about seven times cheaper than Streamlit's own hashing."""
    try:
        content = pd.util.hash_pandas_object(frame).to_numpy().tobytes()
    except TypeError:  # lists in a column
        content = pickle.dumps(frame)
    return (tuple(frame.columns) if isinstance(frame, pd.DataFrame) else frame.name), content


def _keyed(value):
    """An argument as the cache key holds it: a function (a map projection) by its name."""
    return f"{value.__module__}.{value.__qualname__}" if callable(value) else value


@st.cache_resource(
    max_entries=FIGURES_KEPT,
    show_spinner=False,
    hash_funcs={Context: _context_key, pd.DataFrame: _frame_key, pd.Series: _frame_key},
)
def _built(name: str, version: tuple, args: tuple, kwargs: dict, layout, _build: Callable):
    built = _build()
    if layout:
        (built[0] if isinstance(built, tuple) else built).update_layout(layout)
    return built


def figure(build: Callable, *args, layout: dict | None = None, **kwargs):
    """build(*args, **kwargs) (a figure, or a figure and its data), built once for every session
    until the warehouse changes, with the page's own layout settings over it. What it returns is
    shared: a page never changes it (it passes `layout` instead)."""
    name = f"{build.__code__.co_filename}:{build.__qualname__}"
    return _built(name, warehouse_version(warehouse_path()), tuple(map(_keyed, args)),
                  {k: _keyed(v) for k, v in kwargs.items()}, layout,
                  functools.partial(build, *args, **kwargs))  # fmt: skip


def no_data(ctx: Context, frame: pd.DataFrame | None = None) -> bool:
    """Show the empty-filter message and return True when there is nothing to draw."""
    if frame is None or frame.empty:
        st.info(t("no_data", ctx.lang))
        return True
    return False


def chart(
    ctx: Context,
    fig: go.Figure,
    data: pd.DataFrame,
    name: str,
    source: str = "source_announcements",
    **plotly_kwargs,
):
    """A chart, its source footnote (a key of i18n.TEXTS, or the text itself), and a CSV download
    of exactly the data it shows."""
    event = st.plotly_chart(
        fig,
        config=charts.plotly_config(name, ctx.lang),
        width="stretch",
        key=f"chart_{name}",
        **plotly_kwargs,
    )
    st.caption(t(source, ctx.lang) if source in TEXTS else source)
    csv_download(ctx, data, name)
    return event


def csv_download(ctx: Context, data: pd.DataFrame, name: str) -> None:
    st.download_button(
        t("download_csv", ctx.lang),
        # Written when clicked, not on every run: a page offers one CSV per chart and table.
        data=lambda: spreadsheet_safe(data).to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
    )


def kpis(items: list[tuple[str, str, str | None]]) -> None:
    """A row of metrics: (label, value, delta text or None)."""
    for column, (title, value, delta) in zip(st.columns(len(items)), items, strict=True):
        if delta and delta.startswith("−"):  # fmt_pct's minus sign: Streamlit reads "-" as down
            delta = "-" + delta[1:]
        column.metric(title, value, delta, delta_color="normal" if delta else "off")


def page_header(ctx: Context, title: tuple[str, str], lead: tuple[str, str] | None = None) -> None:
    st.title(pick(title, ctx.lang))
    if lead:
        st.markdown(pick(lead, ctx.lang))


def localized_announcements(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """Announcements as a reader sees them: names and labels in the chosen language."""
    lang = ctx.lang
    dates = zip(frame["announced_date"], frame["date_precision"], strict=True)
    return pd.DataFrame(
        {
            t("company", lang): frame["company"],
            t("country", lang): each(frame["origin_iso2"], ctx.country),
            t("sector", lang): each(frame["sector"], ctx.sector),
            t("event_type", lang): each(frame["event_type"], lambda c: label(EVENT_TYPES, c, lang)),
            t("municipality", lang): frame["municipality"].fillna(t("unknown", lang)),
            t("date", lang): each(dates, lambda d: fmt_date(d[0], d[1], lang)),
            t("amount_musd", lang): frame["amount_musd"].round(1),
            t("jobs", lang): frame["jobs"],
            t("status", lang): each(frame["status"], lambda c: label(STATUSES, c, lang)),
            t("source", lang): frame["source_url"],
        },
        index=frame.index,
    )


# Rows a table of announcements shows: each row is formatted in Python and sent to the browser, so a
# million-row warehouse must not reach the grid whole (pages fetch this many in SQL where they can).
TABLE_ROWS = 1000


def first_of(ctx: Context, shown: int, total: int, what: tuple[str, str]) -> None:
    """Says that a table shows only its first `shown` rows of `total` (cut in SQL)."""
    if total > shown:
        lang = ctx.lang
        st.caption(
            ctx.text(
                f"Se muestran los primeros {fmt_number(shown, lang)} de "
                f"{fmt_number(total, lang)} {what[0]}, en este orden (también en el CSV); "
                "afine los filtros para ver otros.",
                f"Showing the first {fmt_number(shown, lang)} of "
                f"{fmt_number(total, lang)} {what[1]}, in this order (the CSV too); "
                "narrow the filters to see others.",
            )
        )


def on_request(label: str, name: str):
    """A folded section whose content a page draws only once it is opened (`.open`): a long table
    drawn with the page's charts delays the first of them (README, "Performance"). It stays as
    the user leaves it while the page is open."""
    key = f"open_{name}"
    return st.expander(label, expanded=st.session_state.get(key, False), key=key, on_change="rerun")


def announcement_table(
    ctx: Context,
    frame: pd.DataFrame,
    name: str,
    height: int | None = None,
    total: int | None = None,
    folded: bool = False,
):
    """The announcements as a sortable table with source links, and its CSV.

    At most TABLE_ROWS rows, the first in the frame's order; total: how many there are in all
    (when the frame was already cut in SQL). folded: the table waits under a line naming how many
    announcements it lists until the reader opens it (on_request)."""
    lang = ctx.lang
    if folded:
        count = max(total or 0, len(frame))
        listed = count_text(count, "announcements", lang)
        panel = on_request(f"{ctx.text('Ver la lista', 'See the list')}: {listed}", name)
        if panel.open:
            with panel:
                announcement_table(ctx, frame, name, height, total)
        return
    frame = frame.head(TABLE_ROWS)
    first_of(ctx, len(frame), max(total or 0, len(frame)), ("anuncios", "announcements"))
    shown = localized_announcements(ctx, frame)
    amount, jobs = t("amount_musd", lang), t("jobs", lang)
    # Streamlit's grid writes "None" for a missing number, whatever the language: show localized
    # text with a dash instead (pages sort by amount in SQL), and keep the numbers in the CSV.
    styled = shown.assign(
        **{amount: each(shown[amount], lambda v: fmt_number(v, lang, 1)),
           jobs: each(shown[jobs], lambda v: fmt_number(v, lang))}
    )  # fmt: skip
    narrow = {t(key, lang): "small" for key in ("country", "sector", "event_type", "municipality", "date",
                                                "status")}  # fmt: skip
    record = ctx.text("Ficha", "Record")
    # Each row opens its record on the data desk (history, and corrections for editors).
    styled[record] = [records.record_link(i, lang) for i in frame["announcement_id"]]
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config={
            t("company", lang): st.column_config.TextColumn(width="medium"),
            **{column: st.column_config.TextColumn(width=w) for column, w in narrow.items()},
            amount: st.column_config.TextColumn(width="small", alignment="right"),
            jobs: st.column_config.TextColumn(width="small", alignment="right"),
            t("source", lang): st.column_config.LinkColumn(
                width="small", display_text=ctx.text("abrir ↗", "open ↗")
            ),
            record: st.column_config.LinkColumn(
                width="small",
                display_text=ctx.text("ver ficha", "view"),
                help=ctx.text(
                    "La ficha del anuncio en Datos: valores, historial de cambios y correcciones",
                    "The announcement's record in Data: values, change history and corrections",
                ),
            ),
        },
        key=f"table_{name}",
    )
    st.caption(t("source_announcements", lang))
    csv_download(ctx, shown, name)


# ---------------------------------------------------------------- the page foot


def freshness_text(lang: str, series: tuple[str, ...] = ()) -> str:
    """How fresh the page's data are, in one line: the latest change of the announcements, and
    the cut-off of each official series the page uses."""
    changed = records.latest_change()
    if changed is None:
        built = queries.warehouse_built_at()
        parts = [
            pick(
                (
                    "Anuncios: sin cambios desde el archivo base",
                    "Announcements: no change since the base file",
                ),
                lang,
            )  # fmt: skip
            + (f" ({fmt_date(built.date(), 'day', lang)})" if built is not None else "")
        ]
    else:
        when = fmt_date(changed.date(), "day", lang)
        parts = [
            pick(
                (f"Anuncios: último cambio el {when}", f"Announcements: last changed on {when}"),
                lang,
            )
        ]
    if series:  # each official series' latest release and its cut-off (analytics/official.py)
        parts.append(official.freshness_line(list(series), lang))
    return " · ".join(parts)


def page_foot(ctx: Context, page: str) -> None:
    """The freshness line at the foot of a page (page: its URL, "" for the overview; its PageDef
    names the official series it uses). Every page draws it last; the entry point draws it for a
    page that did not."""
    st.session_state["foot_drawn"] = True
    st.divider()
    st.caption(freshness_text(ctx.lang, page_of(page).series))


def stop(ctx: Context, page: str) -> None:
    """st.stop() for a page that ends early (nothing to show): its foot is drawn first."""
    page_foot(ctx, page)
    st.stop()


def record_table(
    ctx: Context,
    shown: pd.DataFrame,
    ids: pd.Series,
    name: str,
    height: int | None = None,
    download: bool = True,
) -> None:
    """A table of announcements (columns already named and formatted for the reader) with a link
    to each one's record on the data desk (datos?anuncio=<id>), and (download) its CSV."""
    record = ctx.text("Ficha", "Record")
    linked = shown.assign(**{record: [records.record_link(i, ctx.lang) for i in ids]})
    st.dataframe(
        linked,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config={
            record: st.column_config.LinkColumn(
                width="small", display_text=ctx.text("abrir ficha", "open record")
            )
        },
        key=f"table_{name}",
    )
    if download:
        csv_download(ctx, shown.assign(announcement_id=ids.to_numpy()), name)
