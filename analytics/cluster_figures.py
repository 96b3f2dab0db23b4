"""What the cluster's charts and tables say, for the Proveedores and Acuerdos pages and the meeting
pack alike: one function per figure (Context in, (fig, data) out, the finding as the title) and
the localized rows of the opportunity and action tables. No Streamlit here."""

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import charts, cluster
from analytics.context import Context
from analytics.figures import short_date
from analytics.i18n import TIERS, fmt_date, fmt_musd, fmt_number, label, pick, t

SEALED_COLOR, WORKING_COLOR, ENROLLED_COLOR = "#52b788", "#a6c4e8", "#1f3a5f"
MONTH_BINS = [0, 3, 6, 9, 12, 18, 24, 36, np.inf]


def _headed(fig: go.Figure, title: str, subtitle: str) -> go.Figure:
    """Keep title and subtitle as plain text for the slides (what figures.headline reads)."""
    fig.update_layout(meta={"title": title, "subtitle": subtitle})
    return fig


def _labels(kind: str, lang: str) -> dict[str, str]:
    return {code: pick(pair, lang) for code, pair in cluster.labels(kind).items()}


def funnel(ctx: Context, as_of: date) -> tuple[go.Figure, pd.DataFrame]:
    """Enrolled, in progress by area, sealed: the programme's funnel at as_of."""
    areas = _labels("area", ctx.lang)
    data = cluster.funnel(as_of)
    names = {
        "enrolled": ctx.text("Inscritos (activos)", "Enrolled (active)"),
        "sealed": ctx.text("Con distintivo", "Sealed"),
    }
    data["label"] = [
        names.get(stage) or ctx.text(f"En proceso · {areas[a]}", f"In progress · {areas[a]}")
        for stage, a in zip(data["stage"], data["area"], strict=True)
    ]
    colors = [
        {"enrolled": ENROLLED_COLOR, "sealed": SEALED_COLOR}.get(s, WORKING_COLOR)
        for s in data["stage"]
    ]
    enrolled = int(data.loc[data["stage"] == "enrolled", "suppliers"].iloc[0])
    sealed = int(data.loc[data["stage"] == "sealed", "suppliers"].iloc[0])
    working = data[data["stage"] == "in_progress"].sort_values("suppliers", ascending=False)
    title = ctx.text(
        f"{fmt_number(sealed, 'es')} de {fmt_number(enrolled, 'es')} proveedores activos tienen "
        "el distintivo",
        f"{fmt_number(sealed, 'en')} of {fmt_number(enrolled, 'en')} active suppliers hold the seal",
    )
    subtitle = ctx.text(f"Al {fmt_date(as_of, 'day', 'es')}", f"On {fmt_date(as_of, 'day', 'en')}")
    if len(working) and working["suppliers"].iloc[0] > 0:
        top = working.iloc[0]
        subtitle += ctx.text(
            f"; {areas[top['area']].lower()} es el área con más en proceso "
            f"({fmt_number(top['suppliers'], 'es')})",
            f"; {areas[top['area']].lower()} is the area with most in progress "
            f"({fmt_number(top['suppliers'], 'en')})",
        )
    fig = charts.bar_ranking(data, "label", "suppliers", colors, title, ctx.lang, musd=False,
                             subtitle=subtitle)  # fmt: skip
    return _headed(fig, title, subtitle), data[["stage", "area", "label", "suppliers"]]


def months_to_seal(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    data = cluster.months_to_seal()
    bins = pd.cut(data["months"], MONTH_BINS, right=False)
    counts = bins.value_counts(sort=False)
    used = counts[counts > 0]
    counts = counts.loc[: used.index[-1]] if len(used) else counts  # no empty bins after the last
    frame = pd.DataFrame(
        {
            "range": [
                f"{int(i.left)}–{int(i.right)}" if np.isfinite(i.right) else f"{int(i.left)}+"
                for i in counts.index
            ],
            "suppliers": counts.to_numpy(),
        }
    )
    median = data["months"].median()
    title = ctx.text(
        f"Mediana: {fmt_number(median, 'es', 1)} meses de la inscripción al distintivo",
        f"Median: {fmt_number(median, 'en', 1)} months from enrolment to the seal",
    )
    hover = [
        ctx.text(f"{r} meses: {fmt_number(n, 'es')} proveedores", f"{r} months: {n} suppliers")
        for r, n in zip(frame["range"], frame["suppliers"], strict=True)
    ]
    subtitle = ctx.text(
        f"{fmt_number(len(data), 'es')} proveedores con distintivo, por meses transcurridos",
        f"{fmt_number(len(data), 'en')} sealed suppliers, by months taken",
    )
    fig = charts.column_bars(
        frame, "range", "suppliers", hover, title, subtitle,
        colors=[SEALED_COLOR] * len(frame), texts=[fmt_number(n, ctx.lang) for n in frame["suppliers"]],
        y_title=ctx.text("Proveedores", "Suppliers"), height=380,
    )  # fmt: skip
    fig.update_xaxes(title=ctx.text("Meses", "Months"))
    return _headed(fig, title, subtitle), data.drop(columns="supplier_id")


def suppliers_by(ctx: Context, column: str) -> tuple[go.Figure, pd.DataFrame]:
    """Active suppliers by municipality or process, with how many hold the seal."""
    names = (
        {code: pick(pair, ctx.lang) for code, pair in cluster.process_labels().items()}
        if column == "process"
        else {}
    )
    data = cluster.suppliers_by(column)
    data["label"] = [names.get(c, c) or t("unknown", ctx.lang) for c in data["code"]]
    top = data.iloc[0]
    what = {
        "municipality": ("municipio", "municipality"),
        "process": ("proceso", "process"),
    }[column]
    title = ctx.text(
        f"{top['label']} encabeza con {fmt_number(top['suppliers'], 'es')} proveedores",
        f"{top['label']} leads with {fmt_number(top['suppliers'], 'en')} suppliers",
    )
    subtitle = ctx.text(f"Proveedores activos por {what[0]}", f"Active suppliers by {what[1]}")
    fig = charts.bar_ranking(
        data.head(12), "label", "suppliers", WORKING_COLOR, title, ctx.lang, musd=False,
        hover_extra=pd.Series([ctx.text(f"{s} con distintivo", f"{s} sealed")
                               for s in data["sealed"].head(12)]),
        subtitle=subtitle,
    )  # fmt: skip
    return _headed(fig, title, subtitle), data[["code", "label", "suppliers", "sealed"]]


def opportunity_rows(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """Opportunities as a table: the plant, what it asks for, the sealed suppliers that fit."""
    processes = {code: pick(pair, ctx.lang) for code, pair in cluster.process_labels().items()}
    lang = ctx.lang
    return pd.DataFrame(
        {
            ctx.text("Planta nueva o en expansión", "New or expanding plant"): frame["company"],
            t("sector", lang): [ctx.sector(s) for s in frame["sector"]],
            ctx.text("Proveedores con distintivo que encajan", "Sealed suppliers that fit"): [
                _names(cluster.items(s), lang) for s in frame["suppliers"]
            ],
            t("tier", lang): [label(TIERS, c, lang) for c in frame["tier"]],
            t("municipality", lang): frame["municipality"].fillna(t("unknown", lang)),
            t("date", lang): [short_date(d, p, lang)
                              for d, p in zip(frame["announced_date"], frame["date_precision"],
                                              strict=True)],
            t("amount_musd", lang): [fmt_number(v, lang, 1) for v in frame["amount_musd"]],
            ctx.text("Procesos que demanda su sector", "Processes its sector asks for"): [
                ", ".join(processes.get(p, p) for p in cluster.items(ps))
                for ps in frame["processes"]
            ],
        }
    )  # fmt: skip


def _names(names: list[str], lang: str, shown: int = 3) -> str:
    if not names:
        return "–"
    more = len(names) - shown
    return f"{len(names)}: " + ", ".join(names[:shown]) + (" …" if more > 0 else "")


def opportunities_title(ctx: Context, frame: pd.DataFrame) -> str:
    if frame.empty:
        return ctx.text(
            f"Sin plantas nuevas o en expansión anunciadas en los últimos "
            f"{cluster.OPPORTUNITY_YEARS} años",
            f"No new or expanding plants announced in the last {cluster.OPPORTUNITY_YEARS} years",
        )
    first = frame.iloc[0]  # the totals of all the plants, not only of the rows fetched
    plants, fitting, musd = int(first["all_plants"]), int(first["all_fitting"]), first["all_musd"]
    head = ctx.text(
        f"{fmt_number(plants, 'es')} plantas nuevas o en expansión ({fmt_musd(musd, 'es')})",
        f"{fmt_number(plants, 'en')} new or expanding plants ({fmt_musd(musd, 'en')})",
    )
    if fitting == 0:
        return head + ctx.text(
            "; ningún proveedor con distintivo encaja aún con sus procesos",
            "; no sealed supplier fits their processes yet",
        )
    return head + ctx.text(
        f"; {fmt_number(fitting, 'es')} tienen proveedores locales con distintivo que encajan",
        f"; {fmt_number(fitting, 'en')} have sealed local suppliers that fit",
    )


# ---------------------------------------------------------------- committee actions

STATE_NAMES = {
    "done_since": ("Cumplidas desde la última reunión", "Done since the last meeting"),
    "overdue": ("Vencidas", "Overdue"),
    "due": ("Vencen antes de la próxima reunión", "Due before the next meeting"),
    "blocked": ("Bloqueadas", "Blocked"),
    "open": ("Abiertas, con plazo posterior", "Open, due later"),
    "done_before": ("Cumplidas antes", "Done earlier"),
}


def actions_title(ctx: Context, states: pd.DataFrame) -> str:
    counts = states["state"].value_counts()

    def n(state: str) -> int:
        return int(counts.get(state, 0))

    return ctx.text(
        f"Comités: {n('done_since')} acuerdos cumplidos desde la última reunión, {n('overdue')} "
        f"vencidos y {n('due')} por vencer",
        f"Committees: {n('done_since')} actions done since the last meeting, {n('overdue')} "
        f"overdue and {n('due')} coming due",
    )


# The same, short enough for a slide's table.
STATE_SHORT = {
    "done_since": ("Cumplida", "Done"),
    "overdue": ("Vencida", "Overdue"),
    "due": ("Por vencer", "Coming due"),
    "blocked": ("Bloqueada", "Blocked"),
    "open": ("Abierta", "Open"),
    "done_before": ("Cumplida antes", "Done earlier"),
}


def action_rows(ctx: Context, states: pd.DataFrame, short: bool = False) -> pd.DataFrame:
    lang = ctx.lang
    names = STATE_SHORT if short else STATE_NAMES
    committees = _labels("committee", lang)
    statuses = _labels("action_status", lang)
    return pd.DataFrame(
        {
            ctx.text("Situación", "Standing"): [pick(names[s], lang) for s in states["state"]],
            ctx.text("Comité", "Committee"): [committees.get(c, c) for c in states["committee"]],
            t("municipality", lang): [
                ctx.text("Todo el estado", "Whole state") if g == "24" else m
                for m, g in zip(states["municipality"], states["cvegeo"], strict=True)
            ],
            ctx.text("Acuerdo", "Action"): states["description"],
            ctx.text("Responsable", "Owner"): states["owner"].fillna("–"),
            ctx.text("Vence", "Due"): [short_date(d, "day", lang) if pd.notna(d) else "–"
                                       for d in states["due_on"]],
            t("status", lang): [statuses.get(s, s) for s in states["status"]],
            ctx.text("Cumplido", "Done on"): [short_date(d, "day", lang) if pd.notna(d) else "–"
                                              for d in states["done_on"]],
        }
    )  # fmt: skip
