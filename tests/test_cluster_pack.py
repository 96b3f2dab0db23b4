"""The meeting pack's cluster slides: with the empty shipped roster and plan they say so; with a
SYNTHETIC roster and plan their titles state the period's findings, computed here from the
generated sheets, and the deck holds them with the funnel's picture."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from pptx import Presentation

from analytics import cluster_slides, pack
from analytics.context import load_context
from tests.conftest import TODAY

PERIOD = (date(2026, 9, 1), date(2026, 10, 31))


def context(lang: str):
    return load_context(lang, pack.meeting_filters(*PERIOD))


def test_empty_roster_and_plan_give_slides_that_say_so(monkeypatch, shipped_warehouse):
    monkeypatch.setenv("WAREHOUSE_DB", str(shipped_warehouse))
    for lang, roster, plan in (
        ("es", "El padrón del programa de proveedores aún no se ha cargado",
         "Aún no hay acuerdos de comités registrados"),
        ("en", "The supplier programme's roster is not loaded", "No committee actions are recorded"),
    ):  # fmt: skip
        titles = [s.title for s in cluster_slides.slides(context(lang), TODAY)]
        assert titles[0].startswith(roster) and titles[-1].startswith(plan)
    facts = cluster_slides.slides(context("es"), TODAY)[0].lines
    assert any("24" in line and "8" in line and "elsoldesanluis.com.mx" in line for line in facts)


def between(series, start, end):
    return series.notna() & (series >= start) & (series <= end)


@pytest.fixture(scope="module")
def synthetic_pack(synthetic_cluster):
    db, _, sheets = synthetic_cluster
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_DB", str(db))
        yield pack.make(context("es"), TODAY), sheets


def test_titles_state_the_periods_findings(synthetic_pack):
    result, sheets = synthetic_pack
    start, end = PERIOD
    suppliers, milestones, actions = sheets["suppliers"], sheets["milestones"], sheets["actions"]
    enrolled = between(suppliers["Fecha de inscripción"], start, end).sum()
    steps = between(milestones["Fecha"], start, end).sum()
    seals = between(suppliers["Fecha del distintivo"], start, end).sum()
    titles = [s.title for s in result.pack.slides]
    assert (
        f"Programa de proveedores en septiembre–octubre de 2026: {enrolled} inscripciones, "
        f"{steps} hitos cumplidos y {seals} distintivo"
    ) in " ".join(titles)
    active = suppliers[suppliers["Estatus"] == "Activo"]
    sealed_by_end = between(active["Fecha del distintivo"], date(2000, 1, 1), end).sum()
    enrolled_by_end = (active["Fecha de inscripción"] <= end).sum()
    assert any(
        t.startswith(f"{sealed_by_end} de {enrolled_by_end} proveedores activos") for t in titles
    )
    done = actions["Estatus"] == "Cumplida"
    blocked = actions["Estatus"] == "Bloqueada"
    due = actions["Fecha compromiso"]
    done_since = (done & between(actions["Fecha de cumplimiento"], start, end)).sum()
    overdue = (~done & ~blocked & (due < end)).sum()
    coming = (~done & ~blocked & (due >= end) & (due <= end + timedelta(days=61))).sum()
    assert (
        f"Comités: {done_since} acuerdos cumplidos desde la última reunión, {overdue} vencidos "
        f"y {coming} por vencer"
    ) in titles


def test_the_deck_holds_the_cluster_slides(synthetic_pack):
    result, _ = synthetic_pack
    slides = Presentation(io.BytesIO(result.pptx)).slides
    titles = [s.shapes.title.text_frame.text for s in slides]
    model = result.pack.slides
    funnel = next(i for i, s in enumerate(model) if s.charts and s.charts[0].name.startswith("15_"))
    assert len([sh for sh in slides[funnel].shapes if sh.shape_type == 13]) == 1  # its picture
    assert titles[-1] == "Fuentes y notas"
    tables = [i for i, s in enumerate(model) if s.kind == "table"]
    for i in tables:
        table = next(sh for sh in slides[i].shapes if sh.has_table).table
        assert len(table.rows) <= cluster_slides.ROWS + 1

    with zipfile.ZipFile(io.BytesIO(result.zip)) as archive:
        assert {"15_embudo_proveedores.png", "datos/15_embudo_proveedores.csv"} <= set(
            archive.namelist()
        )
