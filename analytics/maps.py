"""The maps of the app and the meeting pack: shapes drawn as polygons on plain axes (no tiles, no
CDN, works offline and exports to PNG the same way), with their projections.

SLP's municipalities use slp_projection, the world map equal_earth; choropleth colours shapes by a
value, points_map places markers on SLP's municipalities.
"""

import functools
import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from analytics.charts import INK, POSITIVE, theme

NO_DATA = "#e4e7eb"
SEQUENTIAL = "Blues"


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


@functools.lru_cache(maxsize=1024)
def label_point(geometry: str) -> tuple[float, float]:
    """A point on a shape for its click target and hover: the vertex mean of its largest ring.

    Cached: pages ask for the same shapes on every run."""
    rings = [np.asarray(ring, dtype=float) for ring in _rings(json.loads(geometry))]
    largest = max(rings, key=lambda r: np.ptp(r[:, 0]) * np.ptp(r[:, 1]))
    return float(largest[:, 0].mean()), float(largest[:, 1].mean())


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


def slp_projection_compact(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """slp_projection rounded to 4 decimals (about 10 m): the same map in a much smaller JSON."""
    x, y = slp_projection(points)
    return np.round(x, 4), np.round(y, 4)


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
