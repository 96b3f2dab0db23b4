"""FDI compared: the same period across releases and series (revisions: how much a figure moved
before anyone quotes it) and across states (SLP against its peers, the map of the 32 states).
Context in, (fig, data) out, the finding as the title; every release named by series and cut-off.
"""

import pandas as pd
import plotly.graph_objects as go

from analytics import charts, maps, official
from analytics.context import Context
from analytics.figures import wrap_label
from analytics.i18n import fmt_musd, fmt_pct
from analytics.official import PEERS, SLP, Release, period_text
from analytics.official_figures import (
    OLDER_COLORS,
    PEER_COLORS,
    SERIES_COLORS,
    SLP_COLOR,
    empty_figure,
    themed,
)

# ---------------------------------------------------------------- revisions


def release_name(row, lang: str) -> str:
    return Release(
        row["release_id"],
        row["series"],
        pd.Timestamp(row["cut_off"]).date(),
        row["source"],
        row.get("file_name", ""),
    ).label(lang)


def revisions(
    ctx: Context, year: int, quarter: int, cve_ent: str = SLP
) -> tuple[go.Figure, pd.DataFrame]:
    """One period in every release that publishes it: how much the figure moved."""
    lang = ctx.lang
    span = period_text(year, quarter, lang)
    frame = official.revisions(year, quarter, cve_ent)
    if frame.empty:
        return empty_figure(ctx, ctx.text(f"{span} en cada publicación", f"{span} in each release"))
    frame["name"] = [wrap_label(release_name(r, lang), 34) for _, r in frame.iterrows()]
    original = frame[frame["series"] == "original"]
    revised = frame[frame["series"] == "revised"]
    parts = []
    if len(original):
        first = original.iloc[0]
        parts.append(
            ctx.text(
                f"{fmt_musd(first['cumulative_musd'], 'es')} como se publicó primero",
                f"{fmt_musd(first['cumulative_musd'], 'en')} as first published",
            )
        )
    if len(revised):
        last = revised.iloc[-1]
        parts.append(
            ctx.text(
                f"{fmt_musd(last['cumulative_musd'], 'es')} en la serie actualizada "
                f"(corte al {official.cut_off_text(last['cut_off'], 'es')})",
                f"{fmt_musd(last['cumulative_musd'], 'en')} in the revised series "
                f"(cut-off {official.cut_off_text(last['cut_off'], 'en')})",
            )
        )
    title = ctx.text(f"SLP, {span}: ", f"SLP, {span}: ") + "; ".join(parts)
    colors = [SERIES_COLORS[s] for s in frame["series"]]
    subtitle = ctx.text(
        "El mismo periodo en cada publicación cargada (MDD), de la más antigua a "
        "la más reciente; azul: originalmente publicadas, verde: actualizadas",
        "The same period in every release loaded (USD M), oldest to newest; "
        "blue: as originally published, green: revised",
    )
    shown = frame.iloc[::-1]  # bar_ranking draws its first row on top: newest on top
    fig = charts.bar_ranking(
        shown.reset_index(drop=True),
        "name",
        "cumulative_musd",
        colors[::-1],
        title,
        lang,
        subtitle=subtitle,
        room=0.9,
    )
    data = frame[
        ["release_id", "series", "cut_off", "source", "cumulative_musd", "derivation"]
    ].assign(year=year, quarter=quarter)
    return themed(fig, title, subtitle, height=fig.layout.height), data


def vintages(
    ctx: Context, cve_ent: str = SLP, first_year: int = 2006
) -> tuple[go.Figure, pd.DataFrame]:
    """Every release's whole-year figures as a line of its own: where the vintages part."""
    lang = ctx.lang
    frame = official.vintage_years(cve_ent, first_year)
    if frame["release_id"].nunique() < 1:
        return empty_figure(
            ctx, ctx.text("Cifras anuales en cada publicación", "Yearly figures in each release")
        )
    spread = frame.groupby("year")["cumulative_musd"].agg(["min", "max", "count"])
    spread = spread[spread["count"] >= 2]
    title = ctx.text(
        "Cifras anuales de SLP en cada publicación", "SLP's yearly figures in each release"
    )
    if len(spread):
        widest = int((spread["max"] - spread["min"]).idxmax())
        values = frame[frame["year"] == widest]
        first = values[values["series"] == "original"]
        revised = values[values["series"] == "revised"].sort_values("cut_off")
        if len(first) and len(revised):
            title = ctx.text(
                f"{widest}: {fmt_musd(first['cumulative_musd'].iloc[0], 'es')} como se publicó "
                f"primero, {fmt_musd(revised['cumulative_musd'].iloc[-1], 'es')} revisada: la "
                "mayor revisión del periodo",
                f"{widest}: {fmt_musd(first['cumulative_musd'].iloc[0], 'en')} as first "
                f"published, {fmt_musd(revised['cumulative_musd'].iloc[-1], 'en')} revised: the "
                "largest revision of the period",
            )
    order = frame.drop_duplicates("release_id").sort_values("cut_off", ascending=False)
    labels = {r["release_id"]: release_name(r, lang) for _, r in order.iterrows()}
    newest = {
        s: order[order["series"] == s]["release_id"].iloc[0] for s in order["series"].unique()
    }
    colors = {
        rid: SERIES_COLORS[s] if rid == newest[s] else OLDER_COLORS[s]
        for rid, s in zip(order["release_id"], order["series"], strict=True)
    }
    widths = {rid: 3.5 if rid in newest.values() else 1.8 for rid in order["release_id"]}
    dashes = {
        rid: "dot" if s == "revised" and rid not in newest.values() else "solid"
        for rid, s in zip(order["release_id"], order["series"], strict=True)
    }
    frame["hover"] = [
        f"<b>{y}</b> · {labels[r]}<br>{fmt_musd(v, lang)}"
        for y, r, v in zip(
            frame["year"], frame["release_id"], frame["cumulative_musd"], strict=True
        )
    ]
    subtitle = ctx.text(
        "Enero a diciembre de cada año (MDD); una línea por publicación, con su serie y corte",
        "January to December of each year (USD M); one line per "
        "release, with its series and cut-off",
    )
    fig = charts.lines(
        frame,
        "year",
        "cumulative_musd",
        "release_id",
        labels,
        colors,
        title,
        subtitle,
        "hover",
        ctx.text("MDD", "USD M"),
        widths,
        dashes,
        height=480,
    )
    fig.update_layout(legend={"y": -0.15})
    return themed(fig, title, subtitle, height=520), frame.drop(columns="hover")


# ---------------------------------------------------------------- peer states


def _chosen(states: tuple[str, ...] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys((SLP, *(states or PEERS))))


def peer_period(
    ctx: Context, release: Release, year: int, quarter: int, states: tuple[str, ...] | None = None
) -> tuple[go.Figure, pd.DataFrame]:
    """The chosen states in one period: value, rank among the 32, share of the national total."""
    lang = ctx.lang
    span = period_text(year, quarter, lang)
    frame = official.states_in_period(release.release_id, year, quarter)
    chosen = frame[frame["cve_ent"].isin(_chosen(states))].sort_values("musd", ascending=False)
    slp = frame[frame["cve_ent"] == SLP]
    title = ctx.text(f"IED por entidad, {span}", f"FDI by state, {span}")
    if len(slp):
        s = slp.iloc[0]
        title = ctx.text(
            f"{span}: SLP, lugar {int(s['rank'])} de 32 con {fmt_musd(s['musd'], 'es')} "
            f"({fmt_pct(s['share_national'], 'es', decimals=1)} del total nacional)",
            f"{span}: SLP ranks {int(s['rank'])} of 32 with {fmt_musd(s['musd'], 'en')} "
            f"({fmt_pct(s['share_national'], 'en', decimals=1)} of the national total)",
        )
    colors = [
        SLP_COLOR if c == SLP else charts.POSITIVE if v >= 0 else charts.NEGATIVE
        for c, v in zip(chosen["cve_ent"], chosen["musd"], strict=True)
    ]
    extra = chosen.apply(
        lambda r: ctx.text(
            f"Lugar {int(r['rank'])} de 32 · {fmt_pct(r['share_national'], 'es', decimals=1)} "
            "del total nacional",
            f"Rank {int(r['rank'])} of 32 · {fmt_pct(r['share_national'], 'en', decimals=1)} "
            "of the national total",
        ),
        axis=1,
    )
    subtitle = ctx.text(
        f"Acumulado {span} (MDD); ", f"Cumulative {span} (USD M); "
    ) + release.label(lang)
    chosen = chosen.assign(
        label=[
            f"{n} (#{int(r)})" for n, r in zip(chosen["short_name"], chosen["rank"], strict=True)
        ]
    )
    fig = charts.bar_ranking(
        chosen, "label", "musd", colors, title, lang, hover_extra=extra, subtitle=subtitle, room=0.7
    )
    data = chosen[
        ["cve_ent", "short_name", "musd", "rank", "share_national", "musd_336", "share_336"]
    ].assign(year=year, quarter=quarter, release_id=release.release_id)
    return themed(fig, title, subtitle, height=fig.layout.height), data


def peer_years(
    ctx: Context, release: Release, states: tuple[str, ...] | None = None
) -> tuple[go.Figure, pd.DataFrame]:
    """The chosen states' whole years (Jan-Dec) as lines; SLP in red."""
    lang = ctx.lang
    chosen = _chosen(states)
    frame = official.states_by_year(release.release_id, chosen)
    whole = frame[frame["quarter"] == 4].copy()
    if whole.empty:
        return empty_figure(ctx, ctx.text("IED por año y entidad", "FDI by year and state"))
    last = int(whole["year"].max())
    slp = whole[(whole["cve_ent"] == SLP) & (whole["year"] == last)]
    title = ctx.text(
        f"IED por año: SLP y entidades comparables, {int(whole['year'].min())}–{last}",
        f"FDI by year: SLP and peer states, {int(whole['year'].min())}–{last}",
    )
    if len(slp):
        s = slp.iloc[0]
        title = ctx.text(
            f"{last}: SLP, {fmt_musd(s['musd'], 'es')}, lugar {int(s['rank'])} de 32",
            f"{last}: SLP, {fmt_musd(s['musd'], 'en')}, rank {int(s['rank'])} of 32",
        )
    names = {c: n for c, n in zip(whole["cve_ent"], whole["short_name"], strict=True)}
    labels = {c: names[c] for c in chosen if c in names}
    colors = {
        c: SLP_COLOR if c == SLP else PEER_COLORS[i % len(PEER_COLORS)]
        for i, c in enumerate(labels)
    }
    whole["hover"] = [
        f"<b>{names[c]}</b> · {y}<br>{fmt_musd(v, lang)}<br>"
        + ctx.text(f"lugar {int(r)} de 32", f"rank {int(r)} of 32")
        for c, y, v, r in zip(
            whole["cve_ent"], whole["year"], whole["musd"], whole["rank"], strict=True
        )
    ]
    subtitle = ctx.text(
        "Enero a diciembre (MDD); ", "January to December (USD M); "
    ) + release.label(lang)
    fig = charts.lines(
        whole,
        "year",
        "musd",
        "cve_ent",
        labels,
        colors,
        title,
        subtitle,
        "hover",
        ctx.text("MDD", "USD M"),
        widths={SLP: 4},
    )
    fig.update_xaxes(dtick=1)
    return themed(fig, title, subtitle, height=440), whole.drop(columns="hover").assign(
        release_id=release.release_id
    )


def peer_336(
    ctx: Context, release: Release, year: int, quarter: int, states: tuple[str, ...] | None = None
) -> tuple[go.Figure, pd.DataFrame]:
    """How much of each chosen state's IED went to transport equipment (SCIAN 336)."""
    lang = ctx.lang
    span = period_text(year, quarter, lang)
    frame = official.states_in_period(release.release_id, year, quarter)
    chosen = frame[frame["cve_ent"].isin(_chosen(states)) & frame["musd_336"].notna()]
    title_if_empty = ctx.text(
        f"Equipo de transporte (336), {span}", f"Transport equipment (336), {span}"
    )
    if chosen.empty:
        return empty_figure(ctx, title_if_empty, release.label(lang))
    chosen = chosen.sort_values("musd_336", ascending=False)
    slp = chosen[chosen["cve_ent"] == SLP]
    title = title_if_empty
    if len(slp):
        s = slp.iloc[0]
        share = (
            ctx.text(
                f", {fmt_pct(s['share_336'], 'es')} de su IED",
                f", {fmt_pct(s['share_336'], 'en')} of its FDI",
            )
            if s["musd"] > 0 and pd.notna(s["share_336"])
            else ""
        )
        title = (
            ctx.text(
                f"{span}: SLP, {fmt_musd(s['musd_336'], 'es')} en equipo de transporte (336)",
                f"{span}: SLP, {fmt_musd(s['musd_336'], 'en')} in transport equipment (336)",
            )
            + share
        )
    colors = [
        SLP_COLOR if c == SLP else charts.POSITIVE if v >= 0 else charts.NEGATIVE
        for c, v in zip(chosen["cve_ent"], chosen["musd_336"], strict=True)
    ]
    extra = chosen.apply(
        lambda r: (
            ctx.text(
                f"{fmt_pct(r['share_336'], 'es')} de la IED de la entidad",
                f"{fmt_pct(r['share_336'], 'en')} of the state's FDI",
            )
            if r["musd"] > 0
            else ctx.text("IED total negativa: sin porcentaje", "total FDI negative: no share")
        ),
        axis=1,
    )
    subtitle = ctx.text(
        f"SCIAN 336, acumulado {span} (MDD); ", f"SCIAN 336, cumulative {span} (USD M); "
    ) + release.label(lang)
    fig = charts.bar_ranking(
        chosen,
        "short_name",
        "musd_336",
        colors,
        title,
        lang,
        hover_extra=extra,
        subtitle=subtitle,
        room=0.7,
    )
    data = chosen[["cve_ent", "short_name", "musd_336", "musd", "share_336"]].assign(
        year=year, quarter=quarter, release_id=release.release_id
    )
    return themed(fig, title, subtitle, height=fig.layout.height), data


def peer_map(
    ctx: Context, release: Release, year: int, quarter: int, states: tuple[str, ...] | None = None
) -> tuple[go.Figure, pd.DataFrame]:
    """The 32 states shaded by their IED in the period (net disinvestment in red); the chosen
    states named on the map. Drawn from the shipped state shapes: no tiles, works offline."""
    lang = ctx.lang
    span = period_text(year, quarter, lang)
    frame = official.states_in_period(release.release_id, year, quarter)
    shapes = official.states().merge(frame.drop(columns=["short_name", "name"]), on="cve_ent")
    chosen = _chosen(states)
    shapes["label"] = [
        n if c in chosen else ""
        for c, n in zip(shapes["cve_ent"], shapes["abbreviation"], strict=True)
    ]
    # A few states (the capital's corporate seats above all) would wash every other state out:
    # the shading stops at the fourth largest value, and those above it take the darkest tone.
    positive = shapes.loc[shapes["musd"] > 0, "musd"].sort_values(ascending=False)
    cap = positive.iloc[min(3, len(positive) - 1)] if len(positive) else None
    above = int((positive > cap).sum()) if cap else 0
    shapes["shade"] = shapes["musd"].clip(upper=cap) if cap else shapes["musd"]
    shapes["hover"] = [
        f"<b>{n}</b><br>{fmt_musd(v, lang)}<br>"
        + ctx.text(
            f"lugar {int(r)} de 32 · {fmt_pct(s, 'es', decimals=1)} del total nacional",
            f"rank {int(r)} of 32 · {fmt_pct(s, 'en', decimals=1)} of the national total",
        )
        for n, v, r, s in zip(
            shapes["short_name"],
            shapes["musd"],
            shapes["rank"],
            shapes["share_national"],
            strict=True,
        )
    ]
    top = frame[frame["cve_ent"] != "00"].iloc[0]
    slp = frame[frame["cve_ent"] == SLP].iloc[0]
    title = ctx.text(
        f"{span}: SLP en el lugar {int(slp['rank'])} de 32; la mayor IED, {top['short_name']} "
        f"({fmt_musd(top['musd'], 'es')})",
        f"{span}: SLP ranks {int(slp['rank'])} of 32; the largest FDI, {top['short_name']} "
        f"({fmt_musd(top['musd'], 'en')})",
    )
    subtitle = ctx.text(
        f"Acumulado {span} (MDD); rojo: desinversión neta; ",
        f"Cumulative {span} (USD M); red: net disinvestment; ",
    )
    if above:
        subtitle += ctx.text(
            f"escala hasta {fmt_musd(cap, 'es')} ({above} entidades por encima, en el tono más "
            "oscuro); ",
            f"scale up to {fmt_musd(cap, 'en')} ({above} states above it, in the darkest tone); ",
        )
    subtitle += release.label(lang)
    fig = maps.choropleth(
        shapes,
        "shade",
        "hover",
        title,
        ctx.text("MDD", "USD M"),
        subtitle=subtitle,
        height=560,
        labels_col="label",
        key_col="cve_ent",
        highlight=SLP,
        negative_color=charts.NEGATIVE,
    )
    labels = next(tr for tr in fig.data if tr.customdata is not None)
    halo = ", ".join(f"{dx}px {dy}px 2px white" for dx in (-1, 1) for dy in (-1, 1))
    labels.update(textfont={"color": charts.INK, "size": 11, "shadow": halo})
    data = shapes[["cve_ent", "short_name", "musd", "rank", "share_national"]].assign(
        year=year, quarter=quarter, release_id=release.release_id
    )
    return themed(fig, title, subtitle, height=560), data
