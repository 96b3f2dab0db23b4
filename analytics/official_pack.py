"""The meeting pack's official side: what its slides say (analytics.pack lays them out).

Two slides: SE's quarterly flows in the newest release of each series (up to the period's end),
and one overview of the official figures as they stand when the pack is prepared: the latest IED
with its cut-off and what changed since the release before it (the one the last meeting saw when
SE has published since), exports and jobs. Each finding in words as the title.
"""

from collections.abc import Callable

from analytics import indicator_figures, official, official_figures
from analytics.context import Context
from analytics.i18n import fmt_musd, fmt_pct, quarter_label, t
from analytics.official import Release, period_text

PACK_QUARTERS = 8
PACK_EXPORT_QUARTERS = 8
PACK_JOB_MONTHS = 25


def _quarters(series: str) -> Callable:
    def figure(ctx: Context):
        release = official.latest_release(series)
        return official_figures.quarters(
            ctx, release, last=PACK_QUARTERS, until=ctx.filters.date_to
        )

    return figure


# name (file stem of the PNG), function; in slide order.
CHARTS = {
    "08_ied_original": _quarters("original"),
    "09_ied_actualizada": _quarters("revised"),
    "10_ied_acumulada": official_figures.same_period,
    "11_exportaciones": lambda ctx: indicator_figures.exports(ctx, PACK_EXPORT_QUARTERS),
    "12_empleo_imss": lambda ctx: indicator_figures.jobs(ctx, PACK_JOB_MONTHS),
}


def release_change(ctx: Context, release: Release) -> str:
    """What the release changed against the one before it of the same series: the quarters it
    added and how the latest period they share moved."""
    lang = ctx.lang
    before = official.previous_release(release)
    if before is None:
        return ctx.text(
            f"primera publicación de esta serie en el observatorio ({release.label('es')})",
            f"the first release of this series in the observatory ({release.label('en')})",
        )
    now = official.totals(release.release_id).set_index(["year", "quarter"])["cumulative_musd"]
    then = official.totals(before.release_id).set_index(["year", "quarter"])["cumulative_musd"]
    added = [p for p in now.index if p not in then.index and p > max(then.index)]
    parts = []
    if added:
        first, last = added[0], added[-1]
        span = quarter_label(*first, lang) + (
            f"–{quarter_label(*last, lang)}" if last != first else ""
        )
        parts.append(ctx.text(f"agrega {span}", f"adds {span}"))
    shared = [p for p in then.index if p in now.index]
    if shared:
        period = max(shared, key=lambda p: (p[0], p[1]))
        moved = now[period] - then[period]
        text = period_text(*period, lang)
        parts.append(
            ctx.text(f"{text} sin cambio", f"{text} unchanged")
            if abs(moved) < 0.005
            else ctx.text(
                f"revisa {text} de {fmt_musd(then[period], 'es')} a {fmt_musd(now[period], 'es')}",
                f"revises {text} from {fmt_musd(then[period], 'en')} to "
                f"{fmt_musd(now[period], 'en')}",
            )
        )
    return ctx.text(
        f"frente a la publicación anterior ({official.cut_off_text(before.cut_off, 'es')}): ",
        f"against the release before ({official.cut_off_text(before.cut_off, 'en')}): ",
    ) + ", ".join(parts)


def overview_title(ctx: Context) -> tuple[str, str]:
    """(title, subtitle) of the overview slide: the IED figure officials quote, with its cut-off
    and change since the release before; exports and jobs in the subtitle."""
    lang = ctx.lang
    release = official.latest_release("original") or official.latest_release("revised")
    if release is None:
        return ctx.text("Cifras oficiales", "Official figures"), ""
    head = official.headline(release)
    span = period_text(head["year"], head["quarter"], lang)
    title = ctx.text(
        f"IED en SLP, {span}: {fmt_musd(head['ytd'], 'es')}",
        f"FDI into SLP, {span}: {fmt_musd(head['ytd'], 'en')}",
    )
    if head["ytd_before"] and head["ytd_before"] > 0:
        change = fmt_pct(head["ytd"] / head["ytd_before"] - 1, lang, signed=True)
        title += ctx.text(f" ({change} a/a)", f" ({change} y/y)")
    title += f" · {release.label(lang)}"
    notes = [official.initial(release_change(ctx, release))]
    for name in ("11_exportaciones", "12_empleo_imss"):
        fig, _ = CHARTS[name](ctx)
        notes.append(fig.layout.meta["title"])
    return title, " · ".join(notes)


def slides(ctx: Context, chart: Callable) -> list:
    """The official slides; chart(name) makes a pack Chart from a name of CHARTS."""
    from analytics.pack import Slide  # pack imports this module: its slide type, at call time

    source = t("source_se", ctx.lang)
    original, revised = chart("08_ied_original"), chart("09_ied_actualizada")
    flows = Slide("charts", original.title, revised.title, [original, revised], source=source)
    title, subtitle = overview_title(ctx)
    overview = Slide(
        "charts",
        title,
        subtitle,
        [chart("10_ied_acumulada"), chart("11_exportaciones"), chart("12_empleo_imss")],
        source=" ".join(t(key, ctx.lang) for key in ("source_se", "source_etef", "source_imss")),
    )
    return [flows, overview]
