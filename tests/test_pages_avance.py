"""Avance de proyectos / Project pipeline (AppTest, es and en), the freshness line at the foot of
every page, and the overview's count of recent changes; expectations from the raw files."""

import csv
import json
from datetime import date, datetime

import pandas as pd
import pytest

from analytics.i18n import fmt_date, fmt_number
from analytics.navigation import PAGES
from etl.correct import correct
from etl.journal import JOURNAL
from etl.warehouse import DEFAULT_RAW, resolve_raw
from tests.conftest import run_app, shipped_announcements

OPEN = ("announced", "under_construction")


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_pipeline_counts_projects_by_stage(monkeypatch, shipped_warehouse, lang):
    app = run_app(monkeypatch, shipped_warehouse, page="avance", lang=lang)
    assert app.title[0].value == ("Avance de proyectos" if lang == "es" else "Project pipeline")
    projects = [r for r in shipped_announcements() if r["event_type"] != "cancellation"]
    operating = sum(r["status"] == "operating" for r in projects)
    shown = metrics(app)
    assert shown["Proyectos" if lang == "es" else "Projects"] == fmt_number(len(projects), lang)
    assert shown["En operación" if lang == "es" else "Operating"] == fmt_number(operating, lang)
    # No shipped status change carries its source's date: the page says the median has no basis.
    median = "Mediana (meses)" if lang == "es" else "Median (months)"
    assert shown[median] == "–"
    said = " ".join(c.value for c in app.caption)
    assert (f"Ninguno de los {operating} proyectos en operación" if lang == "es"
            else f"None of the {operating} operating projects") in said  # fmt: skip
    assert len(app.get("plotly_chart")) == 2
    links = [df.value for df in app.dataframe][0].iloc[:, -1]
    assert links.str.startswith("datos?anuncio=").all()


def test_the_median_rests_on_dated_status_changes(monkeypatch, private_warehouse, tmp_path):
    raw = shipped_announcements()
    chosen = next(r for r in raw if r["status"] == "announced" and len(r["announced_date"]) == 10)
    fix = tmp_path / "operando.csv"
    with open(fix, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["company", "existing_announced_date", "field", "old_value", "new_value",
                         "source_url", "source_date"])  # fmt: skip
        writer.writerow([chosen["company"], chosen["announced_date"], "status", "announced",
                         "operating", "https://example.org/inaugura", "2025-06-30"])  # fmt: skip
    assert correct(fix, private_warehouse, resolve_raw(), "ana").applied
    months = (date(2025, 6, 30) - date.fromisoformat(chosen["announced_date"])).days / 30.4375
    app = run_app(monkeypatch, private_warehouse, page="avance")
    assert metrics(app)["Mediana (meses)"] == fmt_number(months, "es")
    operating = sum(r["status"] == "operating" and r["event_type"] != "cancellation" for r in raw)
    said = " ".join(c.value for c in app.caption)
    assert f"calculada sobre 1 de {operating + 1} proyectos en operación" in said
    table = [df.value for df in app.dataframe][-1]
    assert table.iloc[0, 0] == chosen["company"]


# ---------------------------------------------------------------- freshness


def journal_times() -> list[tuple[datetime, str, dict]]:
    """(recorded_at, kind, metadata) of each shipped journal entry."""
    folder = DEFAULT_RAW / JOURNAL
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    return [(datetime.fromisoformat(m["recorded_at"]), m["kind"], m) for m in metas]


# The cut-off of each official series the shipped data holds (SOURCES.md; the SE workbook's
# footnote, the revised series' last quarter, ETEF's last quarter, IMSS's last month), as a page's
# foot writes it.
SHIPPED_CUT_OFFS = {
    "fdi_original": date(2025, 9, 30),
    "fdi_revised": date(2025, 6, 30),
    "exports": date(2026, 6, 30),
    "jobs": date(2026, 4, 30),
}
MONTHS = {
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def cut_off_said(series: str, lang: str) -> str:
    if series == "establishments":  # DENUE: two editions, no cut-off
        return "ediciones 2015 y 2019" if lang == "es" else "2015 and 2019 editions"
    day = SHIPPED_CUT_OFFS[series]
    text = f"{day.day:02d}-{MONTHS[lang][day.month - 1]}-{day.year}"
    return f"corte al {text}" if lang == "es" else f"cut-off {text}"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url or "resumen")
def test_every_page_ends_with_its_freshness_line(monkeypatch, shipped_warehouse, page, lang):
    app = run_app(monkeypatch, shipped_warehouse, page=page.file[6:-3], lang=lang)
    foot = app.caption[-1].value
    latest = max(at for at, _, _ in journal_times())
    when = fmt_date(latest.date(), "day", lang)
    assert foot.startswith(f"Anuncios: último cambio el {when}" if lang == "es"
                           else f"Announcements: last changed on {when}")  # fmt: skip
    for series in ("fdi_original", "fdi_revised", "exports", "jobs", "establishments"):
        # the official series the page uses, and only those
        assert (cut_off_said(series, lang) in foot) == (series in page.series), series
    assert foot.count(" · ") == len(page.series)


def test_a_page_that_stops_early_still_says_how_fresh_it_is(monkeypatch, shipped_warehouse):
    app = run_app(
        monkeypatch, shipped_warehouse, params={"pais": ["KR"], "evento": ["cancellation"]}
    )
    assert "No hay anuncios" in app.info[0].value
    assert app.caption[-1].value.startswith("Anuncios: último cambio el")


def test_the_overview_counts_the_changes_of_the_last_two_months(monkeypatch, shipped_warehouse):
    since = (pd.Timestamp.today() - pd.DateOffset(months=2)).date()
    added = corrections = 0
    for at, kind, meta in journal_times():
        if at.date() < since:
            continue
        folder = DEFAULT_RAW / JOURNAL
        (path,) = [p for p in folder.glob(f"*_{kind}_{meta['sha256'][:16]}.*")
                   if p.suffix != ".json"]  # fmt: skip
        with open(path, encoding="utf-8", newline="") as f:
            lines = len(list(csv.DictReader(f)))
        added += lines if kind == "announcements" else 0
        corrections += lines if kind == "corrections" else 0  # one change per shipped line
    app = run_app(monkeypatch, shipped_warehouse)
    line = next(m.value for m in app.markdown if m.value.startswith("**Datos al día:**"))
    assert f"se agregaron {added} anuncio" in line and f"{corrections} correcciones" in line
