"""The presentation theme of every figure of the app and the meeting pack, its colours, and the
charts that are not maps (bars, lines, treemap, timeline); the maps are in analytics.maps.

Numbers in labels and hovers are formatted here in the chosen language (plotly's own formatting
knows one locale).
"""

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics.i18n import fmt_musd, fmt_number

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
INK = "#1f2933"
MUTED = "#7b8794"
AXIS = {"gridcolor": "#eef1f4", "zerolinecolor": "#d9dee3", "automargin": True}
# The presentation theme, as the default template's layout: every figure starts from it, and what a
# chart sets itself wins over it. (Applied per figure by update_layout, it cost 5-10 ms a figure.)
LOOK = {
    "font": {"family": FONT, "size": 14, "color": INK},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "separators": ".,",  # es-MX and en-US both write 1,234.5
    "hoverlabel": {"font": {"family": FONT, "size": 13}, "bgcolor": "white"},
    # Below the plot: above it, a legend collides with the title's subtitle.
    "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
    "xaxis": AXIS,
    # "," puts thousands separators on value axes (1,800); category axes ignore it.
    "yaxis": {**AXIS, "tickformat": ","},
}


def _template() -> go.layout.Template:
    """plotly's default look with LOOK over it, without the parts no chart here uses (3-D scenes,
    polar and ternary axes, geo and mapbox, default colour scales, 40 trace types): every Figure
    deep-copies its template, and the full one cost about 4 ms per figure on every page run."""
    spec = pio.templates["plotly"].to_plotly_json()
    for unused in ("colorscale", "coloraxis", "geo", "mapbox", "polar", "scene", "ternary"):
        spec["layout"].pop(unused, None)
    spec["layout"] = _merged(spec["layout"], LOOK)
    spec["data"] = {kind: spec["data"][kind] for kind in ("bar", "scatter") if kind in spec["data"]}
    return go.layout.Template(spec)


def _merged(base: dict, top: dict) -> dict:
    """base with top's values over it, nested settings merged (as update_layout does)."""
    out = dict(base)
    for key, value in top.items():
        below = out.get(key)
        out[key] = (
            _merged(below, value) if isinstance(value, dict) and isinstance(below, dict) else value
        )
    return out


pio.templates["observatorio"] = _template()
pio.templates.default = "observatorio"

# One colour per region and per main origin country, the same on every page and slide.
REGION_COLORS = {
    "asia": "#c0392b",
    "europe": "#1f5fa8",
    "north_america": "#1b7f5b",
    "mexico": "#8e44ad",
    "latin_america": "#e08e0b",
    "other": "#95a5a6",
    "unknown": "#c8ced3",
}
COUNTRY_COLORS = {
    "CN": "#b2182b", "JP": "#e4572e", "KR": "#f29e4c", "TW": "#d35400", "IN": "#f6c85f",
    "DE": "#08519c", "FR": "#3182bd", "ES": "#6baed6", "CH": "#2c7fb8", "PL": "#9ecae1",
    "IT": "#4a6fa5", "GB": "#5b8cc9", "NL": "#7fa7d9", "SE": "#a6c4e8",
    "US": "#1b7f5b", "CA": "#52b788", "MX": "#8e44ad",
}  # fmt: skip
# Slides are 16:9; the PNG download renders at half size and scale 2 so text stays readable.
EXPORT_WIDTH, EXPORT_HEIGHT, EXPORT_SCALE = 960, 540, 2


def country_color(iso2: str | None, region: str | None) -> str:
    return COUNTRY_COLORS.get(iso2 or "", REGION_COLORS.get(region or "unknown", MUTED))


def theme(fig: go.Figure, title: str, subtitle: str | None = None, height: int = 420) -> go.Figure:
    """The title inside the figure (so downloads carry it), its height and margins; the rest of
    the look comes from the default template (LOOK)."""
    text = f"<b>{title}</b>" + (f"<br><span style='font-size:13px;color:{MUTED}'>{subtitle}</span>"
                                if subtitle else "")  # fmt: skip
    look = {
        "title": {"text": text, "x": 0.01, "xanchor": "left", "font": {"size": 19, "color": INK}},
        # Also here, not only in the template: plotly.js sizes bar and scatter text labels from the
        # figure's own layout.font (from the template's they came out small and grey).
        "font": LOOK["font"],
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 80 if subtitle else 60, "b": 10},
    }
    # One assignment of the whole layout is cheaper than update_layout (which validates property
    # by property); the template is left out of it and set again from the default.
    current = fig.layout.to_plotly_json()
    current.pop("template", None)
    fig.layout = _merged(current, look)
    return fig


# plotly.js's own toolbar tooltips, in Spanish (its English strings are the keys).
MODEBAR_ES = {
    "Download plot as a png": "Descargar la gráfica (PNG 1920x1080)",
    "Download plot as a PNG": "Descargar la gráfica (PNG 1920x1080)",
    "Zoom": "Zoom de área",
    "Pan": "Desplazar",
    "Zoom in": "Acercar",
    "Zoom out": "Alejar",
    "Reset axes": "Restablecer ejes",
    "Autoscale": "Ajustar escala",
    "Reset view": "Restablecer vista",
    "Double-click to zoom back out": "Doble clic para volver a la vista completa",
}


def plotly_config(filename: str, lang: str) -> dict:
    """Toolbar in the chosen language; its image download is a 1920x1080 PNG with the title inside."""
    config = {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
            "scale": EXPORT_SCALE,
        },
    }
    if lang == "es":
        config["locale"] = "es"
        config["locales"] = {"es": {"dictionary": MODEBAR_ES}}
    return config


# ---------------------------------------------------------------- bars


def bar_ranking(
    frame: pd.DataFrame,
    label_col: str,
    value_col: str,
    colors: list[str] | str,
    title: str,
    lang: str,
    hover_extra: pd.Series | None = None,
    subtitle: str | None = None,
    musd: bool = True,
    room: float = 0.6,
) -> go.Figure:
    """Horizontal bars, largest on top, each labelled with its value (room: see leave_room)."""
    data = frame.iloc[::-1]  # plotly draws the first category at the bottom
    fmt = (lambda v: fmt_musd(v, lang)) if musd else (lambda v: fmt_number(v, lang))
    texts = [fmt(v) for v in data[value_col]]
    hover = [f"<b>{n}</b><br>{t}" for n, t in zip(data[label_col], texts, strict=True)]
    if hover_extra is not None:
        hover = [f"{h}<br>{e}" for h, e in zip(hover, hover_extra.iloc[::-1], strict=True)]
    # numpy arrays, not pandas Series: plotly validates a Series through narwhals, ~5 ms each.
    fig = go.Figure(
        go.Bar(
            x=data[value_col].to_numpy(),
            y=data[label_col].to_numpy(),
            orientation="h",
            marker_color=colors[::-1] if isinstance(colors, list) else colors,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    leave_room(fig, data[value_col], room)
    height = max(300, 90 + 34 * len(data))
    return theme(fig, title, subtitle, height=height)


def leave_room(fig: go.Figure, values: pd.Series, right: float = 0.35) -> go.Figure:
    """Room beside horizontal bars for the value labels written outside them: `right` times the
    values' span on the right (long labels in narrow columns need more), and on the left as well
    when a value is negative."""
    v = pd.Series(values, dtype=float).dropna()
    hi, lo = (max(v.max(), 0.0), min(v.min(), 0.0)) if not v.empty else (1.0, 0.0)
    span = (hi - lo) or 1.0
    fig.update_xaxes(range=[lo - 0.45 * span if lo < 0 else 0, hi + right * span])
    return fig


def stacked_bars(
    frame: pd.DataFrame,
    x_col: str,
    y_col: str,
    group_col: str,
    group_labels: dict[str, str],
    group_colors: dict[str, str],
    title: str,
    lang: str,
    subtitle: str | None = None,
    musd: bool = True,
    percent: bool = False,
) -> go.Figure:
    """Bars per x (years), stacked by group (regions, event types), in group_labels order."""
    fig = go.Figure()
    fmt = (lambda v: fmt_musd(v, lang)) if musd else (lambda v: fmt_number(v, lang))
    totals = frame.groupby(x_col)[y_col].sum()
    for group, name in group_labels.items():
        part = frame[frame[group_col] == group]
        if part.empty:
            continue
        values = part[y_col] / part[x_col].map(totals) * 100 if percent else part[y_col]
        hover = [
            f"<b>{name}</b> · {x}<br>{fmt(v)}"
            + (f" ({fmt_number(p, lang, 0)} %)" if percent else "")
            for x, v, p in zip(part[x_col], part[y_col], values, strict=True)
        ]
        fig.add_bar(
            x=part[x_col].to_numpy(),
            y=values.to_numpy(),
            name=name,
            marker_color=group_colors.get(group, MUTED),
            hovertext=hover,
            hoverinfo="text",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", categoryorder="category ascending")
    if percent:
        fig.update_yaxes(ticksuffix=" %", range=[0, 100])
    return theme(fig, title, subtitle)


# ---------------------------------------------------------------- origin, sectors and companies pages

# Supply-chain tiers and event types: the same colours on every page and slide.
TIER_COLORS = {
    "OEM": "#1f3a5f",
    "Tier 1": "#1f5fa8",
    "Tier 2": "#52b788",
    "Tier 3": "#a6c4e8",
    "services": "#e08e0b",
    "unknown": "#b8c0c8",
}
EVENT_TYPE_COLORS = {
    "new_plant": "#1f5fa8",
    "expansion": "#52b788",
    "new_line": "#a6c4e8",
    "relocation": "#e08e0b",
    "cancellation": "#c0392b",
}
# Announcement statuses (a company's timeline), from planned to built; cancelled in red.
STATUS_COLORS = {
    "announced": "#a6c4e8",
    "under_construction": "#e08e0b",
    "operating": "#1f5fa8",
    "cancelled": "#c0392b",
    "unknown": "#b8c0c8",
}


def treemap(
    frame: pd.DataFrame,
    parent_col: str,
    child_col: str,
    value_col: str,
    parent_labels: dict[str, str],
    parent_colors: dict[str, str],
    title: str,
    lang: str,
    hover_col: str | None = None,
    parent_hover: dict[str, str] | None = None,
    subtitle: str | None = None,
    musd: bool = True,
    height: int = 560,
) -> go.Figure:
    """Two-level treemap (e.g. tier → sector) sized by value_col; rows with no value are left out.

    frame: one row per (parent code, child display label); parent_labels gives the parents' display
    labels in legend order; hover_col / parent_hover carry preformatted hover texts.
    """
    fmt = (lambda v: fmt_musd(v, lang)) if musd else (lambda v: fmt_number(v, lang))
    data = frame[frame[value_col] > 0]
    totals = data.groupby(parent_col)[value_col].sum()
    ids, labels, parents, values, colors, texts, hovers = [], [], [], [], [], [], []
    for code, name in parent_labels.items():
        if code not in totals.index:
            continue
        ids.append(code)
        labels.append(name)
        parents.append("")
        values.append(float(totals[code]))
        colors.append(parent_colors.get(code, MUTED))
        texts.append(fmt(totals[code]))
        hovers.append((parent_hover or {}).get(code, f"<b>{name}</b><br>{fmt(totals[code])}"))
        children = data[data[parent_col] == code].sort_values(value_col, ascending=False)
        for _, row in children.iterrows():
            ids.append(f"{code}/{row[child_col]}")
            labels.append(row[child_col])
            parents.append(code)
            values.append(float(row[value_col]))
            colors.append(parent_colors.get(code, MUTED))
            texts.append(fmt(row[value_col]))
            hovers.append(
                row[hover_col] if hover_col else f"<b>{row[child_col]}</b><br>{texts[-1]}"
            )
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colors, "line": {"color": "white", "width": 1.5}},
            customdata=texts,
            texttemplate="<b>%{label}</b><br>%{customdata}",
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            pathbar={"visible": False},
            tiling={"pad": 2},
            root={"color": "white"},
        )
    )
    fig = theme(fig, title, subtitle, height=height)
    fig.update_layout(margin={"l": 4, "r": 4})
    return fig


def stacked_ranking(
    frame: pd.DataFrame,
    label_col: str,
    value_col: str,
    group_col: str,
    group_labels: dict[str, str],
    group_colors: dict[str, str],
    title: str,
    lang: str,
    hover_col: str | None = None,
    subtitle: str | None = None,
    musd: bool = True,
) -> go.Figure:
    """Horizontal bars per category (sectors), stacked by group (event types), largest on top,
    each labelled with its total."""
    fmt = (lambda v: fmt_musd(v, lang)) if musd else (lambda v: fmt_number(v, lang))
    totals = (
        frame.groupby(label_col)[value_col].sum().reset_index()
        .sort_values([value_col, label_col], ascending=[True, False])
    )  # fmt: skip
    fig = go.Figure()
    for group, name in group_labels.items():
        part = frame[frame[group_col] == group]
        if part.empty or not (part[value_col] > 0).any():
            continue
        hover = (
            part[hover_col]
            if hover_col
            else [f"<b>{lab}</b> · {name}<br>{fmt(v)}"
                  for lab, v in zip(part[label_col], part[value_col], strict=True)]
        )  # fmt: skip
        fig.add_bar(
            x=part[value_col].to_numpy(),
            y=part[label_col].to_numpy(),
            orientation="h",
            name=name,
            marker_color=group_colors.get(group, MUTED),
            hovertext=list(hover),
            hoverinfo="text",
        )
    fig.add_scatter(
        x=totals[value_col].to_numpy(),
        y=totals[label_col].to_numpy(),
        mode="text",
        text=[f"  {fmt(v)}" for v in totals[value_col]],
        textposition="middle right",
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
    )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(categoryorder="array", categoryarray=list(totals[label_col]))
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    height = max(320, 120 + 30 * len(totals))
    fig = theme(fig, title, subtitle, height=height)
    # The legend just under the bars (no axis labels there), whatever the chart's height.
    fig.update_layout(margin={"r": 70}, legend={"y": -12 / max(height - 100, 100)})
    return fig


def timeline(
    frame: pd.DataFrame,
    date_col: str,
    value_col: str,
    group_col: str,
    group_labels: dict[str, str],
    group_colors: dict[str, str],
    hover_col: str,
    title: str,
    lang: str,
    y_title: str,
    subtitle: str | None = None,
) -> go.Figure:
    """Dated events on a time axis: a stem up to each amount (MDD), coloured by group; events
    without an amount sit on the axis as open circles. Years only on the axis (no month names)."""
    fig = go.Figure()
    data = frame.sort_values(date_col)
    for group, name in group_labels.items():
        part = data[data[group_col] == group]
        if part.empty:
            continue
        color = group_colors.get(group, MUTED)
        amounts = part[value_col].astype(float)
        stem_x, stem_y = [], []
        for day, value in zip(part[date_col], amounts, strict=True):
            if not pd.isna(value):
                stem_x += [day, day, None]
                stem_y += [0, value, None]
        if stem_x:
            fig.add_scatter(
                x=stem_x, y=stem_y, mode="lines", line={"color": color, "width": 2},
                hoverinfo="skip", showlegend=False, legendgroup=group,
            )  # fmt: skip
        fig.add_scatter(
            x=part[date_col].to_numpy(),
            y=amounts.fillna(0).to_numpy(),
            mode="markers+text",
            name=name,
            legendgroup=group,
            marker={
                "color": color,
                "size": 13,
                "symbol": ["circle-open" if pd.isna(v) else "circle" for v in amounts],
                "line": {"color": color, "width": 2.5},
            },
            text=["" if pd.isna(v) else fmt_musd(v, lang) for v in amounts],
            textposition="top center",
            cliponaxis=False,
            hovertext=part[hover_col].tolist(),
            hoverinfo="text",
        )
    days = pd.to_datetime(data[date_col])
    start, end = days.min() - pd.DateOffset(months=10), days.max() + pd.DateOffset(months=10)
    span_years = (end - start).days / 365.25
    fig.update_xaxes(
        type="date", range=[start, end], tickformat="%Y", dtick="M24" if span_years > 12 else "M12"
    )
    top = data[value_col].max()
    top = 1.0 if pd.isna(top) or top <= 0 else float(top)
    fig.update_yaxes(title=y_title, range=[-0.06 * top, 1.25 * top], tickformat=",.0f")
    return theme(fig, title, subtitle, height=420)


# ---------------------------------------------------------------- municipalities and official FDI

NEGATIVE = "#c0392b"
POSITIVE = "#1f5fa8"


def column_bars(
    frame: pd.DataFrame,
    x_col: str,
    y_col: str,
    hover: list[str] | pd.Series,
    title: str,
    subtitle: str | None = None,
    colors: list[str] | None = None,
    texts: list[str] | None = None,
    y_title: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Vertical bars per category (years, quarters) in frame order. Negative values (net outflows)
    are drawn below zero in red unless colors are given; hover texts come preformatted."""
    values = frame[y_col].astype(float)
    if colors is None:
        colors = [NEGATIVE if v < 0 else POSITIVE for v in values]
    fig = go.Figure(
        go.Bar(
            x=[str(x) for x in frame[x_col]],
            y=values.to_numpy(),
            marker_color=colors,
            text=texts,
            textposition="outside" if texts is not None else None,
            cliponaxis=False,
            hovertext=list(hover),
            hoverinfo="text",
        )
    )
    fig.update_xaxes(type="category", tickangle=0 if len(frame) <= 12 else -45)
    fig.update_yaxes(title=y_title, tickformat=",.0f")
    return theme(fig, title, subtitle, height=height)


def grouped_bars(
    frame: pd.DataFrame,
    label_col: str,
    series: list[dict],
    title: str,
    lang: str,
    subtitle: str | None = None,
) -> go.Figure:
    """Horizontal bars, one bar per series side by side for each label, first row on top.

    series: dicts with `col` (values, MDD), `name` (legend), `color` and optional `hover` (one
    preformatted text per row). Missing values draw no bar and are labelled '–'.
    """
    data = frame.iloc[::-1]
    fig = go.Figure()
    for s in reversed(series):  # legend and bars in the given order, top to bottom
        values = data[s["col"]].astype(float)
        hover = s.get("hover")
        hover = (
            list(hover)[::-1]
            if hover is not None
            else [f"<b>{n}</b><br>{s['name']}: {fmt_musd(v, lang)}"
                  for n, v in zip(data[label_col], values, strict=True)]
        )  # fmt: skip
        fig.add_bar(
            x=values.to_numpy(),
            y=data[label_col].to_numpy(),
            orientation="h",
            name=s["name"],
            marker_color=s["color"],
            text=[fmt_musd(v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    fig.update_layout(barmode="group", bargap=0.25, legend={"traceorder": "reversed"})
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True)
    height = max(340, 110 + 44 * len(data))
    fig = theme(fig, title, subtitle, height=height)
    fig.update_layout(margin={"r": 90})
    return fig


# ---------------------------------------------------------------- official statistics


def lines(
    frame: pd.DataFrame,
    x_col: str,
    y_col: str,
    group_col: str,
    group_labels: dict[str, str],
    group_colors: dict[str, str],
    title: str,
    subtitle: str | None = None,
    hover_col: str | None = None,
    y_title: str | None = None,
    widths: dict[str, float] | None = None,
    dashes: dict[str, str] | None = None,
    height: int = 420,
) -> go.Figure:
    """One line per group (a state, a release) over x, in group_labels order; hover texts come
    preformatted in hover_col. widths and dashes: per group, for the line to stand out or recede."""
    fig = go.Figure()
    for group, name in group_labels.items():
        part = frame[frame[group_col] == group]
        if part.empty:
            continue
        fig.add_scatter(
            x=part[x_col].to_numpy(),
            y=part[y_col].astype(float).to_numpy(),
            mode="lines+markers",
            name=name,
            line={"color": group_colors.get(group, MUTED), "width": (widths or {}).get(group, 2.5),
                  "dash": (dashes or {}).get(group, "solid")},
            marker={"size": 6},
            hovertext=part[hover_col].tolist() if hover_col else None,
            hoverinfo="text" if hover_col else None,
        )  # fmt: skip
    fig.update_yaxes(title=y_title, tickformat=",.0f")
    return theme(fig, title, subtitle, height=height)
