"""Figures of SE's IED into SLP, one function each (Context in, (fig, data) out, the finding as the
figure's title), shared by the IED page and the meeting pack. Every figure here draws one release
of one series and says which (series and cut-off) in its subtitle; comparison_figures puts
releases and states side by side, indicator_figures draws exports, jobs and establishments.
"""

import pandas as pd
import plotly.graph_objects as go

from analytics import charts, official
from analytics.context import Context
from analytics.figures import _themed, no_data_figure
from analytics.i18n import fmt_musd, fmt_number, fmt_pct, pick, quarter_label
from analytics.official import SLP, Release, axis_period, initial, period_text

SERIES_COLORS = {"original": charts.POSITIVE, "revised": "#1b7f5b"}
OLDER_COLORS = {"original": "#9ab8dc", "revised": "#9fd3b8"}
TYPE_COLORS = {"new": "#1f5fa8", "reinvestment": "#52b788", "intercompany": "#e08e0b"}
TYPE_NAMES = {
    "new": ("Nuevas inversiones", "New investment"),
    "reinvestment": ("Reinversión de utilidades", "Reinvested earnings"),
    "intercompany": ("Cuentas entre compañías", "Intercompany accounts"),
}
NOT_ASIA = "#b8c4cf"
SLP_COLOR = "#c0392b"
PEER_COLORS = [
    "#1f5fa8",
    "#52b788",
    "#e08e0b",
    "#8e44ad",
    "#6baed6",
    "#7b8794",
    "#d35400",
    "#2c7fb8",
    "#b8860b",
    "#16a085",
]
QUARTERS_SHOWN = 12


TITLE_WIDTH, SUBTITLE_WIDTH = 44, 70  # characters a line holds in a half-width column


def _lines(text: str, width: int) -> list[str]:
    """text broken at spaces into lines of at most width characters (plotly does not wrap)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def themed(
    fig: go.Figure, title: str, subtitle: str, height: int = 420, wide: bool = False
) -> go.Figure:
    """The figure's theme, with its title (the finding) and subtitle (series and cut-off) kept as
    plain text for the slides, and drawn wrapped so that they fit a half-width column (wide: a
    full-width one); a title
    that starts with a period ('ene–sep 2025: …') gets its capital."""
    title = initial(title)
    widths = (2 * TITLE_WIDTH, 2 * SUBTITLE_WIDTH) if wide else (TITLE_WIDTH, SUBTITLE_WIDTH)
    title_lines, subtitle_lines = _lines(title, widths[0]), _lines(subtitle, widths[1])
    fig = _themed(fig, "<br>".join(title_lines), "<br>".join(subtitle_lines), height=height)
    top = 54 + 26 * len(title_lines) + 20 * len(subtitle_lines) if subtitle else 60
    # The title block hangs from the figure's top edge (plotly centres it in the margin otherwise,
    # and a title of several lines then runs into the plot). With less padding than a line, the
    # pack's static images cut the top of a title of two lines.
    fig.update_layout(
        margin={"t": top},
        height=height + top - 80,
        title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 28}},
        meta={"title": title, "subtitle": subtitle},
    )
    return fig


def empty_figure(ctx: Context, title: str, subtitle: str = "") -> tuple[go.Figure, pd.DataFrame]:
    message = ctx.text("Sin cifras publicadas", "No published figures")
    return no_data_figure(ctx, title, subtitle, message=message), pd.DataFrame()


def _change(now: float, before: float, lang: str) -> str | None:
    """'+12 %' against a positive base; None when the base is not positive (no meaningful %)."""
    if pd.isna(now) or pd.isna(before) or before <= 0:
        return None
    return fmt_pct(now / before - 1, lang, signed=True)


def _release(series: str, release: Release | None, cve_ent: str = SLP) -> Release | None:
    return release or official.latest_release(series, cve_ent)


# ---------------------------------------------------------------- SLP in one release


def same_period(
    ctx: Context, release: Release | None = None, cve_ent: str = SLP
) -> tuple[go.Figure, pd.DataFrame]:
    """The release's year to date against the same months of every earlier year."""
    release = _release("original", release, cve_ent)
    if release is None:
        return empty_figure(ctx, ctx.text("IED acumulada en el año", "Year-to-date FDI"))
    lang = ctx.lang
    frame = official.same_period(release.release_id, cve_ent)
    last = frame.iloc[-1]
    year, quarter = int(last["year"]), int(last["quarter"])
    span = period_text(year, quarter, lang)
    before = frame[frame["year"] == year - 1]
    before_value = before["cumulative_musd"].iloc[0] if len(before) else float("nan")
    title = ctx.text(
        f"IED en SLP, {span}: {fmt_musd(last['cumulative_musd'], lang)}",
        f"FDI into SLP, {span}: {fmt_musd(last['cumulative_musd'], lang)}",
    )
    change = _change(last["cumulative_musd"], before_value, lang)
    if change:
        title += ctx.text(
            f", {change} frente a {period_text(year - 1, quarter, 'es')}",
            f", {change} on {period_text(year - 1, quarter, 'en')}",
        )
    elif len(before):
        title += ctx.text(
            f"; {period_text(year - 1, quarter, 'es')}: {fmt_musd(before_value, 'es')}",
            f"; {period_text(year - 1, quarter, 'en')}: {fmt_musd(before_value, 'en')}",
        )
    months = official.span_text(quarter, lang)
    subtitle = ctx.text(
        f"Acumulado {months} de cada año (MDD); ", f"Cumulative {months} of each year (USD M); "
    ) + release.label(lang)
    frame = frame.assign(label=frame["year"].astype(str))
    colors = [
        charts.NEGATIVE
        if v < 0
        else SERIES_COLORS[release.series]
        if y == year
        else OLDER_COLORS[release.series]
        for y, v in zip(frame["year"], frame["cumulative_musd"], strict=True)
    ]
    hover = [
        f"<b>{period_text(int(y), quarter, lang)}</b><br>{fmt_musd(v, lang)}"
        for y, v in zip(frame["year"], frame["cumulative_musd"], strict=True)
    ]
    texts = [fmt_number(v, lang) for v in frame["cumulative_musd"]]
    fig = charts.column_bars(
        frame,
        "label",
        "cumulative_musd",
        hover,
        title,
        subtitle,
        colors=colors,
        texts=texts if len(frame) <= 12 else None,
        y_title=ctx.text("MDD", "USD M"),
    )
    fig = themed(fig, title, subtitle)
    data = frame[["year", "quarter", "cumulative_musd"]].assign(
        release_id=release.release_id, series=release.series
    )
    return fig, data


def years(
    ctx: Context, release: Release | None = None, cve_ent: str = SLP
) -> tuple[go.Figure, pd.DataFrame]:
    """Whole years (Jan-Dec), the current year to date drawn lighter and labelled so."""
    release = _release("original", release, cve_ent)
    if release is None:
        return empty_figure(ctx, ctx.text("IED por año", "FDI by year"))
    lang = ctx.lang
    frame = official.by_year(release.release_id, cve_ent)
    frame = frame.assign(
        label=[
            axis_period(int(y), int(q), lang)
            for y, q in zip(frame["year"], frame["quarter"], strict=True)
        ]
    )
    whole = frame[frame["quarter"] == 4]
    title = ctx.text("IED por año en SLP", "FDI into SLP by year")
    if len(whole):
        last = whole.iloc[-1]
        title = ctx.text(
            f"IED en SLP, {int(last['year'])}: {fmt_musd(last['cumulative_musd'], 'es')}",
            f"FDI into SLP, {int(last['year'])}: {fmt_musd(last['cumulative_musd'], 'en')}",
        )
        prior = whole[whole["year"] == last["year"] - 1]
        change = _change(last["cumulative_musd"], prior["cumulative_musd"].sum(), lang)
        if len(prior) and change:
            title += ctx.text(
                f", {change} frente a {int(last['year']) - 1}",
                f", {change} on {int(last['year']) - 1}",
            )
    subtitle = ctx.text(
        "Enero a diciembre (MDD); en claro, año aún incompleto; ",
        "January to December (USD M); lighter: year not complete; ",
    ) + release.label(lang)
    colors = [
        charts.NEGATIVE
        if v < 0
        else SERIES_COLORS[release.series]
        if q == 4
        else OLDER_COLORS[release.series]
        for v, q in zip(frame["cumulative_musd"], frame["quarter"], strict=True)
    ]
    hover = [
        f"<b>{lab}</b><br>{fmt_musd(v, lang)}"
        for lab, v in zip(frame["label"], frame["cumulative_musd"], strict=True)
    ]
    fig = charts.column_bars(
        frame,
        "label",
        "cumulative_musd",
        hover,
        title,
        subtitle,
        colors=colors,
        y_title=ctx.text("MDD", "USD M"),
        texts=[fmt_number(v, lang) for v in frame["cumulative_musd"]] if len(frame) <= 10 else None,
    )
    return themed(fig, title, subtitle), frame[["year", "quarter", "cumulative_musd"]].assign(
        release_id=release.release_id, series=release.series
    )


def quarters(
    ctx: Context,
    release: Release | None = None,
    cve_ent: str = SLP,
    last: int | None = QUARTERS_SHOWN,
    until=None,
) -> tuple[go.Figure, pd.DataFrame]:
    """Each quarter's own flow (the cumulative value less the quarter before, within the year);
    until: only the quarters that end by that date (a meeting pack's period)."""
    release = _release("original", release, cve_ent)
    if release is None:
        return empty_figure(ctx, ctx.text("IED por trimestre", "FDI by quarter"))
    lang = ctx.lang
    frame = official.totals(release.release_id, cve_ent).dropna(subset=["flow_musd"])
    if until is not None:
        latest = until.year * 10 + until.month // 3  # the last quarter that has ended by then
        frame = frame[frame["year"] * 10 + frame["quarter"] <= latest]
        if frame.empty:
            title = ctx.text("IED por trimestre: ninguno publicado hasta el periodo",
                             "FDI by quarter: none published up to the period")  # fmt: skip
            return empty_figure(ctx, title, release.label(lang))
    frame = (frame.tail(last) if last else frame).reset_index(drop=True)
    frame["label"] = [
        quarter_label(int(y), int(q), lang)
        for y, q in zip(frame["year"], frame["quarter"], strict=True)
    ]
    latest = frame.iloc[-1]
    negative = int((frame["flow_musd"] < 0).sum())
    title = ctx.text(
        f"{latest['label']}: flujo de {fmt_musd(latest['flow_musd'], 'es')} en SLP",
        f"{latest['label']}: a flow of {fmt_musd(latest['flow_musd'], 'en')} into SLP",
    )
    if negative:
        title += ctx.text(
            f"; {negative} de {len(frame)} trimestres con salida neta",
            f"; {negative} of {len(frame)} quarters with a net outflow",
        )
    subtitle = ctx.text(
        "Flujo de cada trimestre (MDD), en rojo las salidas netas; ",
        "Each quarter's flow (USD M), net outflows in red; ",
    ) + release.label(lang)
    hover = [
        f"<b>{lab}</b><br>{fmt_musd(v, lang)}<br>"
        + ctx.text(
            f"acumulado {period_text(int(y), int(q), 'es')}: ",
            f"cumulative {period_text(int(y), int(q), 'en')}: ",
        )
        + fmt_musd(c, lang)
        for lab, v, y, q, c in zip(
            frame["label"],
            frame["flow_musd"],
            frame["year"],
            frame["quarter"],
            frame["cumulative_musd"],
            strict=True,
        )
    ]
    fig = charts.column_bars(
        frame,
        "label",
        "flow_musd",
        hover,
        title,
        subtitle,
        texts=[fmt_number(v, lang) for v in frame["flow_musd"]] if len(frame) <= 12 else None,
        y_title=ctx.text("MDD", "USD M"),
    )
    fig.update_xaxes(tickangle=-45)
    return themed(fig, title, subtitle), frame[
        ["year", "quarter", "flow_musd", "cumulative_musd"]
    ].assign(release_id=release.release_id)


def types(
    ctx: Context, release: Release | None = None, cve_ent: str = SLP
) -> tuple[go.Figure, pd.DataFrame]:
    """By type of investment and year: new investment, reinvested earnings and intercompany
    accounts stacked, negatives (disinvestment) below zero, the total as a marker."""
    release = _release("original", release, cve_ent)
    if release is None:
        return empty_figure(ctx, ctx.text("IED por tipo de inversión", "FDI by type of investment"))
    lang = ctx.lang
    frame = official.by_year(release.release_id, cve_ent, "type", ("total", *TYPE_NAMES))
    frame = frame.assign(
        period=[
            axis_period(int(y), int(q), lang)
            for y, q in zip(frame["year"], frame["quarter"], strict=True)
        ]
    )
    last_year = frame["year"].max()
    latest = frame[frame["year"] == last_year].set_index("code")["cumulative_musd"]
    last_quarter = int(frame.loc[frame["year"] == last_year, "quarter"].iloc[0])
    span = period_text(int(last_year), last_quarter, lang)
    parts = latest.drop("total", errors="ignore").sort_values()
    title = ctx.text(f"{span}: ", f"{span}: ")
    lead = parts.index[-1]
    title += ctx.text(
        f"{pick(TYPE_NAMES[lead], 'es').lower()} {fmt_musd(parts.iloc[-1], 'es')}",
        f"{pick(TYPE_NAMES[lead], 'en').lower()} {fmt_musd(parts.iloc[-1], 'en')}",
    )
    if parts.iloc[0] < 0:
        low = parts.index[0]
        title += ctx.text(
            f"; {pick(TYPE_NAMES[low], 'es').lower()} {fmt_musd(parts.iloc[0], 'es')} "
            "(desinversión neta)",
            f"; {pick(TYPE_NAMES[low], 'en').lower()} {fmt_musd(parts.iloc[0], 'en')} "
            "(net disinvestment)",
        )
    fig = go.Figure()
    for code, names in TYPE_NAMES.items():
        part = frame[frame["code"] == code]
        fig.add_bar(
            x=part["period"].to_numpy(),
            y=part["cumulative_musd"].to_numpy(),
            name=pick(names, lang),
            marker_color=TYPE_COLORS[code],
            hovertext=[
                f"<b>{pick(names, lang)}</b> · {p}<br>{fmt_musd(v, lang)}"
                for p, v in zip(part["period"], part["cumulative_musd"], strict=True)
            ],
            hoverinfo="text",
        )
    total = frame[frame["code"] == "total"]
    fig.add_scatter(
        x=total["period"].to_numpy(),
        y=total["cumulative_musd"].to_numpy(),
        mode="markers",
        name=ctx.text("Total", "Total"),
        marker={"symbol": "diamond", "size": 11, "color": charts.INK},
        hovertext=[
            f"<b>Total</b> · {p}<br>{fmt_musd(v, lang)}"
            for p, v in zip(total["period"], total["cumulative_musd"], strict=True)
        ],
        hoverinfo="text",
    )
    fig.update_layout(barmode="relative", legend={"y": -0.2})
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_yaxes(
        title=ctx.text("MDD", "USD M"), tickformat=",.0f", zeroline=True, zerolinecolor=charts.MUTED
    )
    subtitle = ctx.text(
        "Por debajo de cero, desinversión neta (MDD); ", "Below zero, net disinvestment (USD M); "
    ) + release.label(lang)
    data = frame[["year", "quarter", "code", "label", "cumulative_musd"]].assign(
        release_id=release.release_id
    )
    return themed(fig, title, subtitle, height=440), data


def origins(
    ctx: Context,
    release: Release | None = None,
    year: int | None = None,
    quarter: int | None = None,
    cve_ent: str = SLP,
    top: int = 12,
) -> tuple[go.Figure, pd.DataFrame]:
    """Origins over Jan..quarter of a year (default: the release's latest), Asia and China in
    red, the rest in grey; confidential origins listed in the hover, never as zero."""
    release = _release("original", release, cve_ent)
    if release is None:
        return empty_figure(ctx, ctx.text("IED por país de origen", "FDI by country of origin"))
    lang = ctx.lang
    if year is None:
        year, quarter = release.last_quarter
    frame = official.origins(release.release_id, year, quarter, cve_ent)
    span = period_text(year, quarter, lang)
    if frame.empty:
        return empty_figure(
            ctx,
            ctx.text(f"IED por país de origen, {span}", f"FDI by country of origin, {span}"),
            release.label(lang),
        )
    frame["name"] = [
        pick((es, en), lang) if isinstance(es, str) else label
        for es, en, label in zip(frame["name_es"], frame["name_en"], frame["label"], strict=True)
    ]
    total = official.totals(release.release_id, cve_ent)
    total = total[(total["year"] == year) & (total["quarter"] == quarter)]["cumulative_musd"].sum()
    asia = frame.loc[frame["region"] == "asia", "cumulative_musd"].sum()
    china = frame.loc[frame["code"] == "CN", "cumulative_musd"].sum()
    title = ctx.text(
        f"{span}: Asia, {fmt_musd(asia, 'es')} de IED en SLP",
        f"{span}: Asia, {fmt_musd(asia, 'en')} of FDI into SLP",
    )
    if total > 0 and asia > 0:
        title += ctx.text(
            f" ({fmt_pct(asia / total, 'es')} del total)",
            f" ({fmt_pct(asia / total, 'en')} of the total)",
        )
    title += ctx.text(f"; China, {fmt_musd(china, 'es')}", f"; China, {fmt_musd(china, 'en')}")
    shown = frame.dropna(subset=["cumulative_musd"])
    shown = shown.reindex(shown["cumulative_musd"].abs().sort_values(ascending=False).index)
    shown = shown.head(top).sort_values("cumulative_musd", ascending=False)
    colors = [
        charts.country_color(c, r) if r == "asia" else NOT_ASIA
        for c, r in zip(shown["code"], shown["region"], strict=True)
    ]
    masked = frame[frame["confidential"]]
    subtitle = ctx.text(
        f"Acumulado {span} (MDD), por domicilio fiscal del inversionista; Asia en rojo; ",
        f"Cumulative {span} (USD M), by the investor's fiscal domicile; Asia in red; ",
    ) + release.label(lang)
    if len(masked):
        subtitle += ctx.text(
            f"; {len(masked)} orígenes confidenciales («C»)",
            f"; {len(masked)} confidential origins ('C')",
        )
    fig = charts.bar_ranking(
        shown, "name", "cumulative_musd", colors, title, lang, subtitle=subtitle, room=0.9
    )
    data = frame[["code", "label", "name", "region", "cumulative_musd", "confidential"]].assign(
        year=year, quarter=quarter, release_id=release.release_id
    )
    return themed(fig, title, subtitle, height=fig.layout.height), data


def transport_equipment(
    ctx: Context, release: Release | None = None, cve_ent: str = SLP
) -> tuple[go.Figure, pd.DataFrame]:
    """SCIAN 336 (transport equipment) by rama and year, where the release publishes it."""
    release = _release("original", release, cve_ent)
    title_if_empty = ctx.text(
        "IED en equipo de transporte (SCIAN 336)", "FDI in transport equipment (SCIAN 336)"
    )
    if release is None:
        return empty_figure(ctx, title_if_empty)
    lang = ctx.lang
    frame = official.transport_equipment(release.release_id, cve_ent)
    if frame.empty:
        return empty_figure(ctx, title_if_empty, release.label(lang))
    frame["period"] = [
        axis_period(int(y), int(q), lang)
        for y, q in zip(frame["year"], frame["quarter"], strict=True)
    ]
    frame["name"] = [
        pick((es, en), lang) if isinstance(es, str) else label
        for es, en, label in zip(frame["short_es"], frame["short_en"], frame["label"], strict=True)
    ]
    whole = frame[frame["code"] == "336"]
    last = whole.iloc[-1]
    span = period_text(int(last["year"]), int(last["quarter"]), lang)
    title = ctx.text(
        f"Equipo de transporte (336): {fmt_musd(last['cumulative_musd'], 'es')} en {span}",
        f"Transport equipment (336): {fmt_musd(last['cumulative_musd'], 'en')} in {span}",
    )
    if last["total_musd"] > 0 and pd.notna(last["cumulative_musd"]):
        title += ctx.text(
            f", {fmt_pct(last['cumulative_musd'] / last['total_musd'], 'es')} de la IED de SLP",
            f", {fmt_pct(last['cumulative_musd'] / last['total_musd'], 'en')} of SLP's FDI",
        )
    ramas = frame[frame["code"] != "336"]
    published = ramas.groupby("code")["cumulative_musd"].apply(lambda v: (v.fillna(0) != 0).any())
    ramas = ramas[ramas["code"].isin(published[published].index)]
    palette = dict(zip(sorted(ramas["code"].unique()), PEER_COLORS, strict=False))
    fig = go.Figure()
    for code, part in ramas.groupby("code", sort=True):
        fig.add_bar(
            x=part["period"].to_numpy(),
            y=part["cumulative_musd"].to_numpy(),
            name=f"{code} {part['name'].iloc[0]}",
            marker_color=palette[code],
            hovertext=[
                f"<b>{code} {n}</b> · {p}<br>"
                + (ctx.text("confidencial", "confidential") if c else fmt_musd(v, lang))
                for n, p, v, c in zip(
                    part["name"],
                    part["period"],
                    part["cumulative_musd"],
                    part["confidential"],
                    strict=True,
                )
            ],
            hoverinfo="text",
        )
    fig.add_scatter(
        x=whole["period"].to_numpy(),
        y=whole["cumulative_musd"].to_numpy(),
        mode="markers+text",
        name=ctx.text("336 total", "336 total"),
        text=[fmt_number(v, lang) for v in whole["cumulative_musd"]],
        textposition="top center",
        marker={"symbol": "diamond", "size": 11, "color": charts.INK},
        hoverinfo="skip",
        cliponaxis=False,
    )
    fig.update_layout(barmode="relative", legend={"y": -0.2})
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_yaxes(title=ctx.text("MDD", "USD M"), tickformat=",.0f")
    subtitle = ctx.text(
        "Por rama (MDD), valor del último trimestre publicado de cada año; ",
        "By rama (USD M), at each year's last quarter published; ",
    ) + release.label(lang)
    data = frame[
        ["year", "quarter", "code", "label", "cumulative_musd", "confidential", "total_musd"]
    ].assign(release_id=release.release_id)
    return themed(fig, title, subtitle, height=460), data


# ---------------------------------------------------------------- announced against recorded

ANNOUNCED_COLOR = "#e08e0b"


def announced_vs_recorded(
    ctx: Context, release: Release, year_from: int, year_to: int, top: int = 12
) -> tuple[go.Figure, pd.DataFrame]:
    """Announced investment (sidebar filters) against recorded IED by origin country, in one
    release. Domestic announcements and SE's 'other origin' are left out (see the page's note)."""
    from analytics import queries  # the announcements' side

    lang = ctx.lang
    announced = queries.by_group(ctx.filters, "origin_iso2").rename(
        columns={"code": "iso2", "musd": "announced_musd"}
    )
    recorded = official.origins_over_years(release.release_id, year_from, year_to)
    recorded = recorded.rename(columns={"code": "iso2"})
    both = announced[["iso2", "announced_musd", "projects"]].merge(recorded, on="iso2", how="outer")
    names = ctx.names["countries"]
    both = both[both["iso2"].isin(names.index)]  # real countries: not XX, not unknown origins
    both = both.assign(
        name=both["iso2"].map(names[f"name_{lang}"]),
        region=both["iso2"].map(names["region"]),
        announced_musd=both["announced_musd"].fillna(0),
        projects=both["projects"].fillna(0).astype(int),
    )
    both = both[both["region"] != "mexico"]  # domestic investment is not FDI
    # With an origin filter in the sidebar, the recorded side shows the same origins only.
    f = ctx.filters
    if f.countries:
        both = both[both["iso2"].isin(f.countries) | (both["projects"] > 0)]
    if f.regions:
        both = both[both["region"].isin(f.regions) | (both["projects"] > 0)]
    both["largest"] = both[["announced_musd", "fdi_musd"]].fillna(0).max(axis=1)
    both = both.sort_values("largest", ascending=False)
    years = f"{year_from}" if year_from == year_to else f"{year_from}–{year_to}"
    title_if_empty = ctx.text("Anunciado frente a IED registrada, por país",
                              "Announced versus recorded FDI, by country")  # fmt: skip
    if both.empty or both["projects"].sum() == 0:
        return empty_figure(ctx, title_if_empty), both
    shown = both.head(top).assign(
        announced_bar=lambda d: d["announced_musd"].where(d["projects"] > 0)
    )
    gaps = both.assign(diff=both["announced_musd"] - both["fdi_musd"].fillna(0))
    over, under = gaps.loc[gaps["diff"].idxmax()], gaps.loc[gaps["diff"].idxmin()]
    parts = []
    if over["diff"] > 0:
        parts.append(ctx.text(f"más anunciado que registrado: {over['name']}",
                              f"more announced than recorded: {over['name']}"))  # fmt: skip
    if under["diff"] < 0:
        parts.append(ctx.text(f"más registrado que anunciado: {under['name']}",
                              f"more recorded than announced: {under['name']}"))  # fmt: skip
    title = official.initial("; ".join(parts)) if parts else title_if_empty
    announced_hover = [
        f"<b>{n}</b><br>" + ctx.text("Anunciado: ", "Announced: ") + fmt_musd(a, lang)
        + f" ({fmt_number(p, lang)} " + ctx.text("proyectos", "projects") + ")"
        for n, a, p in zip(shown["name"], shown["announced_musd"], shown["projects"], strict=True)
    ]  # fmt: skip
    recorded_hover = [
        f"<b>{n}</b><br>" + ctx.text(f"IED registrada {years}: ", f"FDI recorded {years}: ")
        + (fmt_musd(v, lang) if pd.notna(v) else ctx.text("sin registro", "none recorded"))
        for n, v in zip(shown["name"], shown["fdi_musd"], strict=True)
    ]  # fmt: skip
    subtitle = ctx.text(
        f"Anuncios con los filtros de la barra lateral · IED {years}, {release.label('es')}",
        f"Announcements with the sidebar filters · FDI {years}, {release.label('en')}",
    )
    fig = charts.grouped_bars(
        shown, "name",
        [{"col": "announced_bar", "name": ctx.text("Anunciado", "Announced"),
          "color": ANNOUNCED_COLOR, "hover": announced_hover},
         {"col": "fdi_musd", "name": ctx.text("IED registrada (SE)", "Recorded FDI (SE)"),
          "color": SERIES_COLORS[release.series], "hover": recorded_hover}],
        title, lang, subtitle=subtitle,
    )  # fmt: skip
    charts.leave_room(fig, pd.concat([shown["announced_musd"], shown["fdi_musd"].fillna(0)]), 0.3)
    data = shown[["iso2", "name", "announced_musd", "projects", "fdi_musd"]].assign(
        release_id=release.release_id, fdi_years=years
    )
    return themed(fig, title, subtitle, height=fig.layout.height, wide=True), data
