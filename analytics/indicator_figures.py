"""Figures of INEGI's exports (ETEF), IMSS formal jobs and DENUE establishments: Context in,
(fig, data) out, the finding as the title, the cut-off in the subtitle."""

import pandas as pd
import plotly.graph_objects as go

from analytics import charts, official
from analytics.context import Context
from analytics.i18n import fmt_musd, fmt_number, fmt_pct, pick, quarter_label
from analytics.official_figures import empty_figure, themed

# ---------------------------------------------------------------- exports, jobs, establishments

EXPORTS_COLORS = {"336": charts.POSITIVE, "rest": "#a6c4e8"}


def exports(ctx: Context, quarters_shown: int | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """SLP's exports by quarter (millions of USD from INEGI's thousands), transport equipment
    (336) apart, with the year-on-year change of the latest quarter."""
    lang = ctx.lang
    release = official.latest_indicator("exports")
    title_if_empty = ctx.text("Exportaciones de SLP", "SLP's exports")
    if release is None:
        return empty_figure(ctx, title_if_empty)
    frame = official.exports_by_quarter(release["release_id"])
    frame = (frame.tail(quarters_shown) if quarters_shown else frame).reset_index(drop=True)
    frame["label"] = [
        quarter_label(int(y), int(q), lang)
        for y, q in zip(frame["year"], frame["quarter"], strict=True)
    ]
    frame["musd"] = frame["total_kusd"] / 1000
    frame["musd_336"] = frame["kusd_336"] / 1000
    last = frame.iloc[-1]
    title = ctx.text(
        f"Exportaciones de SLP, {last['label']}: {fmt_musd(last['musd'], 'es', 0)}",
        f"SLP's exports, {last['label']}: {fmt_musd(last['musd'], 'en', 0)}",
    )
    if pd.notna(last["yoy"]):
        title += ctx.text(
            f", {fmt_pct(last['yoy'], 'es', signed=True, decimals=1)} a/a",
            f", {fmt_pct(last['yoy'], 'en', signed=True, decimals=1)} y/y",
        )
    title += ctx.text(
        f"; equipo de transporte {fmt_pct(last['share_336'], 'es', decimals=1)}",
        f"; transport equipment {fmt_pct(last['share_336'], 'en', decimals=1)}",
    )
    cut = official.cut_off_text(release["cut_off"], lang)
    subtitle = ctx.text(
        f"Millones de dólares por trimestre (INEGI publica miles); corte al {cut}",
        f"Millions of US dollars per quarter (INEGI publishes thousands); cut-off {cut}",
    )
    fig = go.Figure()
    rest = frame["musd"] - frame["musd_336"].fillna(0)
    for code, values, name in (
        (
            "336",
            frame["musd_336"],
            ctx.text("Equipo de transporte (336)", "Transport equipment (336)"),
        ),
        ("rest", rest, ctx.text("Resto de subsectores", "Other subsectors")),
    ):
        fig.add_bar(
            x=frame["label"].to_numpy(),
            y=values.to_numpy(),
            name=name,
            marker_color=EXPORTS_COLORS[code],
            hovertext=[
                f"<b>{lab}</b> · {name}<br>{fmt_musd(v, lang, 0)}"
                + (
                    ctx.text(
                        f"<br>{fmt_pct(s, 'es', decimals=1)} del total",
                        f"<br>{fmt_pct(s, 'en', decimals=1)} of the total",
                    )
                    if code == "336"
                    else ""
                )
                for lab, v, s in zip(frame["label"], values, frame["share_336"], strict=True)
            ],
            hoverinfo="text",
        )
    fig.add_scatter(
        x=frame["label"].to_numpy(),
        y=frame["musd"].to_numpy(),
        mode="text",
        text=[fmt_pct(v, lang, signed=True) if pd.notna(v) else "" for v in frame["yoy"]],
        textposition="top center",
        hoverinfo="skip",
        showlegend=False,
        cliponaxis=False,
    )
    fig.update_layout(barmode="stack")
    # Each quarter by its number, the year under the first quarter shown of each year.
    first_of_year = ~frame["year"].duplicated()
    ticks = [
        f"{lab.split()[-1]}<br>{y}" if first else lab.split()[-1]
        for lab, y, first in zip(frame["label"], frame["year"], first_of_year, strict=True)
    ]
    fig.update_xaxes(type="category", tickangle=0, tickvals=frame["label"].tolist(), ticktext=ticks)
    fig.update_layout(legend={"y": -0.18})
    fig.update_yaxes(
        title=ctx.text("MDD", "USD M"), tickformat=",.0f", range=[0, frame["musd"].max() * 1.15]
    )
    subtitle += ctx.text(
        "; sobre cada barra, cambio frente al mismo trimestre del año anterior",
        "; above each bar, change on the same quarter a year before",
    )
    data = frame[
        [
            "year",
            "quarter",
            "total_kusd",
            "kusd_336",
            "share_336",
            "yoy",
            "yoy_336",
            "revision_status",
        ]
    ].assign(release_id=release["release_id"])
    return themed(fig, title, subtitle, height=440, wide=True), data


def jobs(ctx: Context, months_shown: int | None = 121) -> tuple[go.Figure, pd.DataFrame]:
    """IMSS formal jobs in SLP by month, with the year-on-year change of the latest month."""
    lang = ctx.lang
    release = official.latest_indicator("jobs")
    if release is None:
        return empty_figure(ctx, ctx.text("Empleo formal (IMSS)", "Formal jobs (IMSS)"))
    frame = official.jobs_by_month(release["release_id"])
    frame = (frame.tail(months_shown) if months_shown else frame).reset_index(drop=True)
    frame["day"] = pd.to_datetime(dict(year=frame["year"], month=frame["month"], day=1))
    last = frame.iloc[-1]
    when = official.month_text(int(last["year"]), int(last["month"]), lang)
    title = ctx.text(
        f"Empleo formal en SLP, {when}: {fmt_number(last['jobs'], 'es')} puestos IMSS",
        f"Formal jobs in SLP, {when}: {fmt_number(last['jobs'], 'en')} IMSS jobs",
    )
    if pd.notna(last["yoy"]):
        title += ctx.text(
            f", {fmt_pct(last['yoy'], 'es', signed=True, decimals=1)} a/a "
            f"({'+' if last['yoy_jobs'] >= 0 else '−'}{fmt_number(abs(last['yoy_jobs']), 'es')})",
            f", {fmt_pct(last['yoy'], 'en', signed=True, decimals=1)} y/y "
            f"({'+' if last['yoy_jobs'] >= 0 else '−'}{fmt_number(abs(last['yoy_jobs']), 'en')})",
        )
    cut = official.cut_off_text(release["cut_off"], lang)
    subtitle = ctx.text(
        f"Puestos de trabajo afiliados por mes (no personas); corte al {cut}",
        f"Insured jobs by month (not persons); cut-off {cut}",
    )
    frame["hover"] = [
        f"<b>{official.month_text(int(y), int(m), lang)}</b><br>{fmt_number(j, lang)}"
        + (
            ctx.text(
                f"<br>{fmt_pct(p, 'es', signed=True, decimals=1)} a/a",
                f"<br>{fmt_pct(p, 'en', signed=True, decimals=1)} y/y",
            )
            if pd.notna(p)
            else ""
        )
        for y, m, j, p in zip(
            frame["year"], frame["month"], frame["jobs"], frame["yoy"], strict=True
        )
    ]
    frame["group"] = "jobs"
    fig = charts.lines(
        frame,
        "day",
        "jobs",
        "group",
        {"jobs": ctx.text("Puestos", "Jobs")},
        {"jobs": charts.POSITIVE},
        title,
        subtitle,
        "hover",
        ctx.text("Puestos de trabajo", "Jobs"),
    )
    fig.update_traces(mode="lines", showlegend=False)
    fig.update_xaxes(type="date", tickformat="%Y")
    data = frame[["year", "month", "jobs", "yoy_jobs", "yoy"]].assign(
        release_id=release["release_id"]
    )
    return themed(fig, title, subtitle, wide=True), data


def jobs_change(ctx: Context, months_shown: int = 36) -> tuple[go.Figure, pd.DataFrame]:
    """Each month's change in IMSS jobs against the same month a year before."""
    lang = ctx.lang
    release = official.latest_indicator("jobs")
    if release is None:
        return empty_figure(ctx, ctx.text("Cambio anual del empleo", "Yearly change in jobs"))
    frame = official.jobs_by_month(release["release_id"]).dropna(subset=["yoy_jobs"])
    frame = frame.tail(months_shown).reset_index(drop=True)
    frame["label"] = [official.month_text(int(y), int(m), lang)
                      for y, m in zip(frame["year"], frame["month"], strict=True)]  # fmt: skip
    falling = int((frame["yoy_jobs"] < 0).sum())
    title = ctx.text(
        f"{falling} de los últimos {len(frame)} meses con menos puestos que un año antes",
        f"{falling} of the last {len(frame)} months with fewer jobs than a year before",
    )
    cut = official.cut_off_text(release["cut_off"], lang)
    subtitle = ctx.text(
        f"Puestos frente al mismo mes del año anterior; en rojo, caídas; corte al {cut}",
        f"Jobs against the same month a year before; falls in red; cut-off {cut}",
    )
    hover = [
        f"<b>{lab}</b><br>{'+' if v >= 0 else '−'}{fmt_number(abs(v), lang)} "
        + ctx.text("puestos", "jobs")
        + f" ({fmt_pct(p, lang, signed=True, decimals=1)})"
        for lab, v, p in zip(frame["label"], frame["yoy_jobs"], frame["yoy"], strict=True)
    ]
    fig = charts.column_bars(frame, "label", "yoy_jobs", hover, title, subtitle,
                             y_title=ctx.text("Puestos", "Jobs"))  # fmt: skip
    january = frame["month"] == 1
    fig.update_xaxes(tickangle=0, tickvals=frame.loc[january, "label"].tolist(),
                     ticktext=[str(y) for y in frame.loc[january, "year"]])  # fmt: skip
    data = frame[["year", "month", "jobs", "yoy_jobs", "yoy"]].assign(
        release_id=release["release_id"]
    )
    return themed(fig, title, subtitle, wide=True), data


def establishments(
    ctx: Context, cvegeo: str, name: str, top: int = 12
) -> tuple[go.Figure, pd.DataFrame]:
    """DENUE units by sector in a municipality, 2015 to 2019: units that appeared and closed."""
    lang = ctx.lang
    frame = official.establishments(cvegeo)
    title_if_empty = ctx.text(
        f"Establecimientos en {name} (DENUE)", f"Establishments in {name} (DENUE)"
    )
    if frame.empty:
        return empty_figure(ctx, title_if_empty)
    total = frame[frame["sector"] == "00"]
    sectors = frame[frame["sector"] != "00"].copy()
    sectors["name"] = [
        pick((es, en), lang) if isinstance(es, str) else n
        for es, en, n in zip(
            sectors["short_es"], sectors["short_en"], sectors["sector_name"], strict=True
        )
    ]
    shown = sectors.head(top).iloc[::-1]
    title = title_if_empty
    if len(total):
        t = total.iloc[0]
        title = ctx.text(
            f"{name}: {fmt_number(t['units_2019'], 'es')} establecimientos en 2019, "
            f"{'+' if t['balance'] >= 0 else '−'}{fmt_number(abs(t['balance']), 'es')} frente a 2015",
            f"{name}: {fmt_number(t['units_2019'], 'en')} establishments in 2019, "
            f"{'+' if t['balance'] >= 0 else '−'}{fmt_number(abs(t['balance']), 'en')} on 2015",
        )
    fig = go.Figure()
    for column, color, label in (
        ("births", "#52b788", ctx.text("Aparecieron (altas)", "Appeared")),
        ("deaths", charts.NEGATIVE, ctx.text("Desaparecieron (bajas)", "Closed")),
    ):
        sign = -1 if column == "deaths" else 1
        values = shown[column].astype(float) * sign
        fig.add_bar(
            y=shown["name"].to_numpy(),
            x=values.to_numpy(),
            orientation="h",
            name=label,
            marker_color=color,
            hovertext=[
                f"<b>{n}</b><br>{label}: {fmt_number(abs(v), lang)}<br>"
                + ctx.text(
                    f"2015: {fmt_number(a, 'es')} · 2019: {fmt_number(b, 'es')}",
                    f"2015: {fmt_number(a, 'en')} · 2019: {fmt_number(b, 'en')}",
                )
                for n, v, a, b in zip(
                    shown["name"], values, shown["units_2015"], shown["units_2019"], strict=True
                )
            ],
            hoverinfo="text",
        )
    fig.update_layout(barmode="relative")
    fig.update_xaxes(tickformat=",")
    fig.update_layout(legend={"y": -0.12})
    subtitle = ctx.text(
        f"Unidades económicas de los {len(shown)} sectores con más unidades en 2019; altas a "
        "la derecha, bajas a la izquierda; ediciones 2015 y 2019",
        f"Economic units of the {len(shown)} sectors with most units in 2019; appeared to "
        "the right, closed to the left; 2015 and 2019 editions",
    )
    height = max(360, 120 + 30 * len(shown))
    data = frame.drop(columns=["short_es", "short_en"]).assign(cvegeo=cvegeo)
    return themed(fig, title, subtitle, height=height, wide=True), data
