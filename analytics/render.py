"""Static images of the meeting pack's charts: one headless Chromium (kaleido) for the process,
each chart drawn at its slide box (no in-figure title) and at 1920x1080 with its title."""

from __future__ import annotations

import contextlib
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from analytics import charts
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


# ---------------------------------------------------------------- rendering


class Renderer:
    """One headless Chromium (kaleido's sync server) for every image of the process.

    Started on first use and kept for the next pack; calls are serialised (the server is one
    queue). `tabs` pages render in parallel.
    """

    def __init__(self, tabs: int = 2, timeout: float = 180):
        self.tabs, self.timeout = tabs, timeout
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        import kaleido

        return kaleido._global_server.is_running()  # noqa: SLF001

    def start(self) -> None:
        import kaleido

        if not self.running:
            kaleido.start_sync_server(n=self.tabs, mathjax=False, silence_warnings=True)

    def warm_up(self) -> None:
        """Start the browser and draw one small chart in the background (while the pack reads
        its data): Chromium's start and plotly.js's first load then overlap the queries."""

        def start_and_draw() -> None:
            with contextlib.suppress(RuntimeError):  # the pack's own call reports it
                self.png([(go.Figure(go.Bar(x=[1], y=[1])), 100, 100, 1)])

        if not self.running:
            threading.Thread(target=start_and_draw, daemon=True).start()

    def stop(self) -> None:
        import kaleido

        with self._lock:
            kaleido.stop_sync_server(silence_warnings=True)

    def png(self, jobs: list[tuple[go.Figure, int, int, int]]) -> list[bytes]:
        """PNG bytes of each (figure, width, height, scale), in order."""
        import kaleido

        if not jobs:
            return []
        with self._lock, tempfile.TemporaryDirectory(prefix="pack-") as folder:
            self.start()
            paths = [Path(folder) / f"{i:03d}.png" for i in range(len(jobs))]
            specs = [
                {"fig": fig, "path": path,
                 "opts": {"format": "png", "width": w, "height": h, "scale": s}}
                for (fig, w, h, s), path in zip(jobs, paths, strict=True)
            ]  # fmt: skip
            outcome: list = []
            worker = threading.Thread(
                target=lambda: outcome.append(_call(kaleido.write_fig_from_object_sync, specs)),
                daemon=True,
            )
            worker.start()
            worker.join(self.timeout)
            if worker.is_alive() or not outcome:
                raise RuntimeError("chart export timed out (is Chromium installed?)")
            if isinstance(outcome[0], BaseException):
                raise RuntimeError(f"chart export failed: {outcome[0]}") from outcome[0]
            errors = [e for e in (outcome[0] or ()) if isinstance(e, BaseException)]
            if errors:
                raise RuntimeError(f"chart export failed: {errors[0]}") from errors[0]
            return [path.read_bytes() for path in paths]


def _call(fn, *args):
    try:
        return fn(*args)
    except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
        return error


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> Renderer:
    """The process's renderer (the app's sessions and repeated CLI packs share one browser)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Renderer()
        return _shared


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
