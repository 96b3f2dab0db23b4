"""Every figure of the app and the meeting pack, with one presentation theme.

Numbers in labels and hovers are formatted here in the chosen language (plotly's own formatting
knows one locale), and maps are drawn as polygons on plain axes: no tiles, no CDN, works offline
and exports to PNG the same way.
"""

import functools
import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale

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

NO_DATA = "#e4e7eb"
SEQUENTIAL = "Blues"
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


# ---------------------------------------------------------------- maps


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@functools.lru_cache(maxsize=1024)
def _shape_xy(geometry: str, project) -> tuple[np.ndarray, np.ndarray]:
    """x and y of all rings of a shape (GeoJSON text), rings separated by NaN (one trace per shape).

    Cached: the shapes never change, only their colours and hover texts. Rounded to 4 decimals
    (~11 m on the SLP map, ~640 m on the world map) and float32, which plotly sends as compact
    base64 arrays.
    """
    xs, ys = [], []
    for ring in _rings(json.loads(geometry)):
        ring_x, ring_y = project(np.asarray(ring, dtype=float))
        xs += [np.round(ring_x, 4), [np.nan]]
        ys += [np.round(ring_y, 4), [np.nan]]
    x, y = np.concatenate(xs).astype(np.float32), np.concatenate(ys).astype(np.float32)
    x.flags.writeable = y.flags.writeable = False  # shared by every figure that draws the shape
    return x, y


def slp_projection(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude shrunk by cos(latitude) at SLP's centre, so shapes keep their proportions."""
    return points[:, 0] * math.cos(math.radians(22.6)), points[:, 1]


def equal_earth(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Equal Earth projection (Šavrič, Patterson & Jenny 2018): true areas, familiar shapes."""
    lon, lat = np.radians(points[:, 0]), np.radians(points[:, 1])
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = np.arcsin(math.sqrt(3) / 2 * np.sin(lat))
    t2, t6 = theta**2, theta**6
    x = (
        2
        * math.sqrt(3)
        * lon
        * np.cos(theta)
        / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    )
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, y


def choropleth(
    shapes: pd.DataFrame,
    value_col: str,
    hover_col: str,
    title: str,
    colorbar_title: str,
    projection=slp_projection,
    subtitle: str | None = None,
    height: int = 560,
    labels_col: str | None = None,
    key_col: str | None = None,
    highlight: str | None = None,
    merge_no_data: bool = False,
    negative_color: str | None = None,
) -> go.Figure:
    """Filled polygons coloured by value (no data: light grey), drawn on plain axes.

    shapes: one row per shape with a `geometry` GeoJSON text, the value, and a preformatted hover
    text. With key_col, an invisible marker at each label point carries the key, so a click
    selects the shape in Streamlit. merge_no_data (with key_col): the grey shapes are drawn as one
    trace whose hover is their label point's; the world map has 150 of them, and each trace costs
    the server and the browser time on every run. negative_color: the fill of shapes with a
    negative value (net disinvestment), which are otherwise grey like shapes without data.
    """
    values = shapes[value_col].astype(float)
    top = values.max() if values.notna().any() and values.max() > 0 else 1.0
    has_value = (values > 0).to_numpy()
    # One call for all colours, and one Figure built from a list of trace dicts: a trace added at
    # a time costs plotly a re-validation each, about 1 s for the world's 174 countries.
    scale = sample_colorscale(SEQUENTIAL, list(0.15 + 0.85 * values.fillna(0).clip(lower=0) / top))
    colors = [c if ok else NO_DATA for c, ok in zip(scale, has_value, strict=True)]
    if negative_color is not None:
        colors = [negative_color if v < 0 else c for c, v in zip(colors, values, strict=True)]
        has_value = has_value | (values < 0).to_numpy()
    selected = (
        (shapes[key_col] == highlight).to_numpy()
        if highlight is not None and key_col is not None
        else np.zeros(len(shapes), bool)
    )
    traces, grey_x, grey_y = [], [], []
    merge = merge_no_data and key_col is not None
    for geometry, text, color, is_selected, ok in zip(
        shapes["geometry"], shapes[hover_col], colors, selected, has_value, strict=True
    ):
        x, y = _shape_xy(geometry, projection)
        if merge and not ok and not is_selected:
            grey_x.append(x)
            grey_y.append(y)
            continue
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "fill": "toself",
                "fillcolor": color,
                "mode": "lines",
                "line": {
                    "color": INK if is_selected else "white",
                    "width": 2.5 if is_selected else 0.6,
                },
                "hoveron": "fills",
                "text": text,
                "hoverinfo": "text",
                "showlegend": False,
            }
        )
    if grey_x:  # first, so that the coloured shapes are drawn over it
        traces.insert(0, {"type": "scatter", "x": np.concatenate(grey_x),
                          "y": np.concatenate(grey_y), "fill": "toself", "fillcolor": NO_DATA,
                          "mode": "lines", "line": {"color": "white", "width": 0.6},
                          "hoverinfo": "skip", "showlegend": False})  # fmt: skip
    # The polygons are plain numbers and fixed settings: skipping plotly's validation of each
    # trace (about 0.6 ms apiece) saves about 100 ms on the world map.
    fig = go.Figure(data=traces, _validate=False)
    if key_col is not None:
        centre_x, centre_y = projection(shapes[["centroid_lon", "centroid_lat"]].to_numpy(float))
        fig.add_scatter(
            x=centre_x,
            y=centre_y,
            mode="markers+text" if labels_col else "markers",
            text=shapes[labels_col].tolist() if labels_col else None,
            textfont={"size": 10, "color": INK},
            textposition="middle center",
            marker={"size": 14, "opacity": 0},
            customdata=shapes[key_col].tolist(),
            hovertext=shapes[hover_col].tolist(),
            hoverinfo="text",
            showlegend=False,
        )
    # An invisible trace that only draws the colour bar.
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={
            "colorscale": [
                [0, sample_colorscale(SEQUENTIAL, 0.15)[0]],
                [1, sample_colorscale(SEQUENTIAL, 1.0)[0]],
            ],
            "cmin": 0,
            "cmax": top,
            "color": [0],
            "showscale": True,
            "colorbar": {
                "title": {"text": colorbar_title, "side": "right"},
                "thickness": 14,
                "len": 0.7,
            },
        },
        hoverinfo="skip",
        showlegend=False,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(dragmode="pan")
    return theme(fig, title, subtitle, height=height)


def points_map(
    shapes: pd.DataFrame,
    points: pd.DataFrame,
    title: str,
    subtitle: str | None = None,
    height: int = 560,
) -> go.Figure:
    """Places on SLP's municipalities (drawn light, with their names on hover): one marker per row
    of points (x_lon, y_lat, size, text, hover, exact). Exact places are filled dots; places shown
    at their municipality are hollow circles."""
    outline_x, outline_y = [], []
    for geometry in shapes["geometry"]:
        x, y = _shape_xy(geometry, slp_projection)
        outline_x.append(x)
        outline_y.append(y)
    traces = [{"type": "scatter", "x": np.concatenate(outline_x), "y": np.concatenate(outline_y),
               "fill": "toself", "fillcolor": "#f4f6f8", "mode": "lines",
               "line": {"color": "#c9d1d9", "width": 0.6}, "hoverinfo": "skip",
               "showlegend": False}]  # fmt: skip
    fig = go.Figure(data=traces, _validate=False)
    x, y = slp_projection(points[["x_lon", "y_lat"]].to_numpy(float))
    top = max(float(points["size"].max()), 1.0) if len(points) else 1.0
    fig.add_scatter(
        x=x,
        y=y,
        mode="markers+text",
        text=points["text"].tolist(),
        textposition=[
            f"middle {side}" for side in points.get("label_side", ["right"] * len(points))
        ],
        textfont={"size": 11, "color": INK},
        marker={
            "size": (10 + 26 * np.sqrt(points["size"].astype(float) / top)).tolist(),
            "color": [POSITIVE if e else "white" for e in points["exact"]],  # white: hollow
            "line": {"color": POSITIVE, "width": 2.5},
        },
        hovertext=points["hover"].tolist(),
        hoverinfo="text",
        cliponaxis=False,
        showlegend=False,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(dragmode="pan")
    return theme(fig, title, subtitle, height=height)


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


@functools.lru_cache(maxsize=1024)
def label_point(geometry: str) -> tuple[float, float]:
    """A point on a shape for its click target and hover: the vertex mean of its largest ring.

    Cached: pages ask for the same shapes on every run."""
    rings = [np.asarray(ring, dtype=float) for ring in _rings(json.loads(geometry))]
    largest = max(rings, key=lambda r: np.ptp(r[:, 0]) * np.ptp(r[:, 1]))
    return float(largest[:, 0].mean()), float(largest[:, 1].mean())


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


def slp_projection_compact(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """slp_projection rounded to 4 decimals (about 10 m): the same map in a much smaller JSON."""
    x, y = slp_projection(points)
    return np.round(x, 4), np.round(y, 4)


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
