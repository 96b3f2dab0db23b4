"""One headless Chromium (kaleido) for the process's static images: started on first use, in the
background, and kept for the next pack. Light to import (no plotly figures, no pandas), so the
command line starts the browser before it loads the rest of the pack."""

import asyncio
import atexit
import collections
import concurrent.futures
import contextlib
import logging
import threading

import kaleido

# A figure in plotly's JSON form: the warm-up's small chart is one, and kaleido takes them as is.
SMALL_CHART = {"data": [{"type": "bar", "x": [1], "y": [1]}], "layout": {}}
# As Chromium exits, its wrapper writes "{bye}" after the last message; when both arrive in one
# read, choreographer logs the pair as a JSON error with a traceback (and ignores it).
PIPE_LOGGER = "choreographer.channels.pipe"


@contextlib.contextmanager
def _quiet(logger_name: str):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


class Renderer:
    """One headless Chromium (kaleido) for every image of the process, driven from an event loop
    of its own in a background thread.

    Started on first use and kept for the next pack; calls are serialised. `tabs` pages render in
    parallel.
    """

    def __init__(self, tabs: int = 2, timeout: float = 180):
        self.tabs, self.timeout = tabs, timeout
        self._lock = threading.Lock()  # one pack's images at a time
        self._start_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._browser: _Browser | None = None
        self._opening: asyncio.Lock | None = None

    @property
    def running(self) -> bool:
        return self._loop is not None

    def start(self) -> None:
        """The loop's thread (the browser itself opens with the first drawing)."""
        with self._start_lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="charts", daemon=True).start()
                self._opening = asyncio.Lock()
                self._loop = loop
                atexit.register(self.stop)  # Chromium is a child process: close it on exit

    def warm_up(self) -> None:
        """Start the browser and draw one small chart in the background (while the pack reads
        its data): Chromium's start and plotly.js's first load then overlap the queries."""
        if not self.running:
            self.start()
            small = (SMALL_CHART, 100, 100, 1)
            asyncio.run_coroutine_threadsafe(self._draw([small]), self._loop)  # errors: png's

    def stop(self) -> None:
        with self._lock, self._start_lock:
            if self._loop is None:
                return
            loop, browser = self._loop, self._browser
            if browser is not None:
                with contextlib.suppress(Exception), _quiet(PIPE_LOGGER):  # gone: nothing to close
                    asyncio.run_coroutine_threadsafe(browser.close(), loop).result(30)
            loop.call_soon_threadsafe(loop.stop)
            self._loop = self._browser = self._opening = None

    def png(self, jobs: list[tuple[object, int, int, int]]) -> list[bytes]:
        """PNG bytes of each (figure, width, height, scale), in order."""
        if not jobs:
            return []
        with self._lock:
            self.start()
            done = asyncio.run_coroutine_threadsafe(self._draw(jobs), self._loop)
            try:
                return done.result(self.timeout)
            except concurrent.futures.TimeoutError:
                done.cancel()
                raise RuntimeError("chart export timed out (is Chromium installed?)") from None
            except Exception as error:
                raise RuntimeError(f"chart export failed: {error}") from error

    async def _draw(self, jobs: list[tuple[object, int, int, int]]) -> list[bytes]:
        async with self._opening:
            if self._browser is None:
                browser = _Browser(n=self.tabs, mathjax=False)
                await browser.open()
                self._browser = browser
        return await asyncio.gather(
            *(self._browser.calc_fig(fig, opts={"format": "png", "width": w, "height": h,
                                               "scale": s})
              for fig, w, h, s in jobs)
        )  # fmt: skip


class _Browser(kaleido.Kaleido):
    """kaleido's browser, keeping each tab's page between images.

    kaleido reloads a tab's page after every image, and the reload (plotly.js parsed and compiled
    again, 0.2-0.5 s) cost more than the drawing: a pack's 28 images took 7-10 s, 2 s without.
    Plotly.toImage draws each figure in an element of its own and removes it afterwards, so the
    images are the same byte for byte. A tab is still reloaded every RELOAD_EVERY images, so that
    the pages of a long-running app do not grow.
    """

    RELOAD_EVERY = 100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._drawn: collections.Counter = collections.Counter()

    async def _return_kaleido_tab(self, tab) -> None:  # kaleido's hook, after each image
        self._drawn[id(tab)] += 1
        if self._drawn[id(tab)] % self.RELOAD_EVERY == 0:
            await tab.reload()
        await self.tabs_ready.put(tab)


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared_renderer() -> Renderer:
    """The process's renderer (the app's sessions and repeated CLI packs share one browser)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Renderer()
        return _shared
