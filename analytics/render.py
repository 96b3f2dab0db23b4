"""Static images of the meeting pack's charts, drawn by the process's headless Chromium
(analytics.chromium): each chart at its slide box (no in-figure title) and at 1920x1080 with its
title."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from analytics import charts
from analytics.chromium import Renderer, shared_renderer
from analytics.deck import SLIDE_SCALE, slide_boxes, slide_pixels

if TYPE_CHECKING:
    from analytics.pack import Pack

# ---------------------------------------------------------------- figures as images show them


def slide_figure(fig: go.Figure, height: int) -> go.Figure:
    """The figure as a slide shows it: no in-figure title (the slide's title and the caption above
    the picture say it), slightly larger text, bars no thicker than a label needs."""
    out = go.Figure(fig)
    out.update_layout(title={"text": ""}, margin={"t": 16}, font={"size": 15})
    return thin_bars(out, height - 16 - 40)


def export_figure(fig: go.Figure) -> go.Figure:
    """The figure as the 1920x1080 PNG shows it: with its title and subtitle."""
    out = go.Figure(fig)
    out.update_layout(width=charts.EXPORT_WIDTH, height=charts.EXPORT_HEIGHT)
    top = out.layout.margin.t or 80
    return thin_bars(out, charts.EXPORT_HEIGHT - top - 40)


def thin_bars(fig: go.Figure, plot_height: float, thickness: float = 44) -> go.Figure:
    """Horizontal bars drawn at a fixed picture height: few categories would make slabs."""
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.orientation == "h"]
    if bars:
        categories = {y for tr in bars if tr.y is not None for y in tr.y}
        per_category = plot_height / max(len(categories), 1)
        fig.update_layout(bargap=min(max(1 - thickness / per_category, 0.2), 0.85))
    return fig


@dataclass
class Images:
    slide: dict[str, bytes]  # chart name -> PNG at its slide box size, no in-figure title
    full: dict[str, bytes]  # chart name -> 1920x1080 PNG with its title


def render(pack: Pack, renderer: Renderer | None = None) -> Images:
    renderer = renderer or shared_renderer()
    jobs, keys = [], []
    for s in pack.slides:
        for chart, box in zip(s.charts, slide_boxes(s), strict=True):
            width, height = slide_pixels(box)
            jobs.append((slide_figure(chart.fig, height), width, height, SLIDE_SCALE))
            keys.append(("slide", chart.name))
            jobs.append(
                (export_figure(chart.fig), charts.EXPORT_WIDTH, charts.EXPORT_HEIGHT,
                 charts.EXPORT_SCALE)
            )  # fmt: skip
            keys.append(("full", chart.name))
    images = Images({}, {})
    for (kind, name), png in zip(keys, renderer.png(jobs), strict=True):
        getattr(images, kind)[name] = png
    return images
