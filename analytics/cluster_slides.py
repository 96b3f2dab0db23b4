"""The meeting pack's cluster slides: the supplier programme's progress in the period (new
enrolments, milestones, seals) and its funnel, the opportunities (new or expanding plants next to
the sealed suppliers that fit them), and the committees' actions done, overdue and coming due.
Each finding is the slide's title; an empty roster or plan gives slides that say so and how to
fill it. Called from analytics.pack.build."""

from datetime import date, timedelta
from urllib.parse import urlparse

import pandas as pd

from analytics import cluster, cluster_figures
from analytics.context import Context
from analytics.figures import short_date
from analytics.i18n import fmt_date, fmt_months, fmt_number, pick, t
from analytics.pack import Chart, Slide

ROWS = 11  # rows a table slide shows; the rest are counted in its subtitle
# Column shares of the table slides (they fill the slide's width).
PROGRESS_WIDTHS = (0.34, 0.22, 0.30, 0.14)
OPPORTUNITY_WIDTHS = (0.21, 0.16, 0.30, 0.10, 0.13, 0.10)
ACTION_WIDTHS = (0.11, 0.15, 0.13, 0.31, 0.12, 0.09, 0.09)
ACTION_ORDER = ("done_since", "overdue", "due", "blocked")


def slides(ctx: Context, today: date) -> list[Slide]:
    f = ctx.filters
    period = fmt_months(f.date_from, f.date_to, ctx.lang)
    roster_source = ctx.text(
        "Fuente: padrón del comité de desarrollo de proveedores (datos públicos: nombre, "
        "municipio, tamaño, procesos y avance).",
        "Source: the supplier development committee's roster (public data: name, municipality, "
        "size, processes and progress).",
    )
    out = []
    if cluster.suppliers().empty:
        out.append(Slide("lines", ctx.text("El padrón del programa de proveedores aún no se ha "
                                           "cargado en el observatorio",
                                           "The supplier programme's roster is not loaded in the "
                                           "observatory yet"),
                         ctx.text("Lo que se sabe públicamente del programa",
                                  "What is publicly known of the programme"),
                         lines=[*_facts(ctx), _how_to(ctx, "suppliers")],
                         source=ctx.text("Fuentes: las citadas en cada punto.",
                                         "Sources: those cited on each point.")))  # fmt: skip
    else:
        out += _progress(ctx, period, roster_source)
        funnel = Chart("15_embudo_proveedores", *cluster_figures.funnel(ctx, min(f.date_to, today)))
        out.append(Slide("charts", funnel.title, funnel.caption, [funnel], source=roster_source))
    out.append(_opportunities(ctx, today))
    out.append(_actions(ctx))
    return out


def _facts(ctx: Context) -> list[str]:
    """The programme's public facts, each citing its source by site and date (a page's title is
    in its own language, which is not always the deck's)."""
    facts = cluster.programme_facts()
    return [
        f"{row.fact_es if ctx.lang == 'es' else row.fact_en} ("
        + (urlparse(row.source_url).netloc.removeprefix("www.") if isinstance(row.source_url, str)
           else row.source_title)
        + (f", {row.source_date}" if isinstance(row.source_date, str) else "")
        + ")"
        for row in facts.itertuples()
    ]  # fmt: skip


def _how_to(ctx: Context, kind: str) -> str:
    if kind == "suppliers":
        return ctx.text(
            "Para cargarlo: página Datos, plantilla del padrón (hojas «Proveedores» e «Hitos») o "
            "formulario; o python -m etl suppliers ARCHIVO.",
            "To load it: Data page, the roster template (sheets «Proveedores» and «Hitos») or the "
            "form; or python -m etl suppliers FILE.",
        )
    return ctx.text(
        "Para registrarlos: página Datos, plantilla de acuerdos (hojas «Acciones» y «Avances») o "
        "formulario; o python -m etl actions ARCHIVO.",
        "To record them: Data page, the actions template (sheets «Acciones» and «Avances») or the "
        "form; or python -m etl actions FILE.",
    )


def _more(ctx: Context, frame: pd.DataFrame, where: tuple[str, str], total: int = 0) -> str:
    """total: how many rows there are in all, when the frame was cut in SQL."""
    total = max(total, len(frame))
    if total <= ROWS:
        return ""
    return ctx.text(f"Se muestran {ROWS} de {fmt_number(total, 'es')}; el resto, en la "
                    f"página {where[0]}", f"Showing {ROWS} of {fmt_number(total, 'en')}; "
                    f"the rest on the {where[1]} page")  # fmt: skip


def _progress(ctx: Context, period: str, source: str) -> list[Slide]:
    f, lang = ctx.filters, ctx.lang
    done = cluster.progress(f.date_from, f.date_to)
    enrolled, milestones, sealed = (len(done[k]) for k in ("enrolled", "milestones", "sealed"))
    title = ctx.text(
        f"Programa de proveedores en {period}: {fmt_number(enrolled, 'es')} inscripciones, "
        f"{fmt_number(milestones, 'es')} hitos cumplidos y {fmt_number(sealed, 'es')} "
        f"distintivo{'s' if sealed != 1 else ''}",
        f"Supplier programme in {period}: {fmt_number(enrolled, 'en')} enrolments, "
        f"{fmt_number(milestones, 'en')} milestones done and {fmt_number(sealed, 'en')} "
        f"seal{'s' if sealed != 1 else ''}",
    )
    if not (enrolled or milestones or sealed):
        return [Slide("lines", title, "", lines=[ctx.text(
            "Sin inscripciones, hitos ni distintivos registrados en el periodo.",
            "No enrolments, milestones or seals recorded in the period.")], source=source)]  # fmt: skip
    areas, steps = cluster.labels("area"), cluster.labels("step")
    events = pd.concat(
        [
            done["sealed"].assign(what=ctx.text("Distintivo otorgado", "Seal granted"),
                                  on=done["sealed"]["certified_on"]),
            done["milestones"].assign(
                what=[f"{pick(areas[a], lang)} · {pick(steps[s], lang)}"
                      for a, s in zip(done["milestones"]["area"], done["milestones"]["step"],
                                      strict=True)],
                on=done["milestones"]["done_on"]),
            done["enrolled"].assign(what=ctx.text("Inscripción", "Enrolment"),
                                    on=done["enrolled"]["enrolled_on"]),
        ],
        ignore_index=True,
    )  # fmt: skip
    table = pd.DataFrame(
        {
            ctx.text("Proveedor", "Supplier"): events["name"],
            ctx.text("Municipio", "Municipality"): events["municipality"].fillna("–"),
            ctx.text("Avance", "Progress"): events["what"],
            ctx.text("Fecha", "Date"): [short_date(d, "day", lang) for d in events["on"]],
        }
    )
    return [Slide("table", title, _more(ctx, table, ("Proveedores", "Suppliers")),
                  table=table.head(ROWS), source=source, weights=PROGRESS_WIDTHS)]  # fmt: skip


def _opportunities(ctx: Context, today: date) -> Slide:
    as_of = min(ctx.filters.date_to, today)
    plants = cluster.opportunities(ctx.filters, as_of, limit=ROWS)
    title = cluster_figures.opportunities_title(ctx, plants)
    source = ctx.text(
        f"Plantas nuevas o en expansión anunciadas en los {cluster.OPPORTUNITY_YEARS} años hasta "
        "el cierre del periodo; procesos por sector: tabla de referencia del observatorio.",
        f"New or expanding plants announced in the {cluster.OPPORTUNITY_YEARS} years to the "
        "period's end; processes by sector: the observatory's reference table.",
    )
    if plants.empty:
        return Slide("lines", title, "", lines=[title], source=source)
    table = cluster_figures.opportunity_rows(ctx, plants)
    table = table.drop(columns=[t("amount_musd", ctx.lang), table.columns[-1]])  # no processes
    more = _more(ctx, table, ("Proveedores", "Suppliers"), int(plants["all_plants"].iloc[0]))
    return Slide("table", title, more, table=table, source=source,
                 weights=OPPORTUNITY_WIDTHS)  # fmt: skip


def _actions(ctx: Context) -> Slide:
    f = ctx.filters
    states = cluster.action_states(f.date_from, f.date_to, f.date_to + timedelta(days=61))
    source = ctx.text("Fuente: acuerdos de los comités del clúster.",
                      "Source: the cluster committees' actions.")  # fmt: skip
    if states.empty:
        return Slide("lines", ctx.text("Aún no hay acuerdos de comités registrados",
                                       "No committee actions are recorded yet"), "",
                     lines=[_how_to(ctx, "actions")], source=source)  # fmt: skip
    shown = states[states["state"].isin(ACTION_ORDER)].copy()
    shown["order"] = shown["state"].map(ACTION_ORDER.index)
    shown = shown.sort_values(["order", "due_on"], kind="stable")
    title = cluster_figures.actions_title(ctx, states)
    if shown.empty:
        return Slide("lines", title, "", lines=[ctx.text(
            "Ningún acuerdo cumplido, vencido, por vencer ni bloqueado en el periodo.",
            "No action done, overdue, coming due or blocked in the period.")], source=source)  # fmt: skip
    table = cluster_figures.action_rows(ctx, shown, short=True)
    table = table.drop(columns=ctx.text("Cumplido", "Done on"))
    subtitle = _more(ctx, table, ("Acuerdos", "Committee actions")) or ctx.text(
        f"Por vencer: hasta el {fmt_date(f.date_to + timedelta(days=61), 'day', 'es')}",
        f"Coming due: by {fmt_date(f.date_to + timedelta(days=61), 'day', 'en')}",
    )
    return Slide("table", title, subtitle, table=table.head(ROWS), source=source,
                 weights=ACTION_WIDTHS)  # fmt: skip
