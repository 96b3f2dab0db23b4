"""The meeting pack's figures, one function each, shared by the pack, its preview page and any page
that wants the same chart.

Every figure function takes a Context (its filters say the period and the list filters in force)
and returns (fig, data): the themed plotly figure and a DataFrame of exactly what it draws. The
figure's title states the finding, computed from the data ("China concentra 45 % de la inversión
anunciada del periodo"); `headline(fig)` gives it back as (title, subtitle) for slide titles.
"""

import re
from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_date

from analytics import charts, maps, queries
from analytics.context import Context
from analytics.filters import Filters
from analytics.i18n import (
    LOCALES,
    REGIONS,
    STATUSES,
    TIERS,
    each,
    fmt_date,
    fmt_months,
    fmt_musd,
    fmt_number,
    fmt_pct,
    label,
    pick,
    t,
)

TOP_COUNTRIES = 10
TOP_SECTORS = 10
TOP_MUNICIPALITIES = 10
TREND_YEARS = 10
KPI_KEYS = ("musd", "jobs", "projects", "companies")
# Horizontal bars: the value axis runs to LABEL_ROOM times the largest value, so that the value
# written after the longest bar fits even in a half-slide picture.
LABEL_ROOM = 1.7


# ---------------------------------------------------------------- shared bits


def headline(fig: go.Figure) -> tuple[str, str]:
    """The finding (title) and the metric line (subtitle) a figure function wrote."""
    meta = fig.layout.meta or {}
    return meta.get("title", ""), meta.get("subtitle", "")


def _finish(fig: go.Figure, title: str, subtitle: str) -> go.Figure:
    """Theme-independent bookkeeping: keep title and subtitle as plain text for the slides."""
    fig.update_layout(meta={"title": title, "subtitle": subtitle})
    return fig


def _themed(fig: go.Figure, title: str, subtitle: str, height: int = 420) -> go.Figure:
    return _finish(charts.theme(fig, title, subtitle, height=height), title, subtitle)


def period_text(ctx: Context) -> str:
    f = ctx.filters
    return fmt_months(f.date_from, f.date_to, ctx.lang)


def no_data_figure(
    ctx: Context, title: str, subtitle: str = "", message: str | None = None
) -> go.Figure:
    """A figure that says there is nothing to draw (an empty period still makes a valid pack)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message or ctx.text("Sin anuncios en el periodo", "No announcements in the period"),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 20, "color": charts.MUTED},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _themed(fig, title, subtitle)


def _projects_text(ctx: Context, n) -> str:
    word = t("projects", ctx.lang).lower() if n != 1 else ctx.text("proyecto", "project")
    return f"{fmt_number(n, ctx.lang)} {word}"


def wrap_label(text: str, width: int = 24, rows: int = 0) -> str:
    """A long category name on two lines (at the space nearest its middle), for axis labels; with
    more than 6 rows there is no room for two lines: cut with '…'."""
    if not isinstance(text, str) or len(text) <= width:
        return text
    if rows > 6 or " " not in text:
        return text[: width + 2].rstrip(" ,(") + "…"
    middle = len(text) // 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
    return f"{text[:cut]}<br>{text[cut + 1 :]}"


def _basis(frame: pd.DataFrame) -> str:
    """Rank by amount when the period states one, else by number of projects."""
    return "musd" if frame["musd"].sum() > 0 else "projects"


def _top_and_rest(frame: pd.DataFrame, basis: str, n: int, rest_label: str) -> pd.DataFrame:
    """The n largest rows (basis > 0) and one row summing the others, labelled rest_label."""
    shown = frame[frame[basis] > 0].sort_values([basis, "projects"], ascending=False)
    if len(shown) <= n:
        return shown.reset_index(drop=True)
    rest = shown.iloc[n - 1 :]
    other = {
        "code": "other",
        "name": rest_label.format(n=len(rest)),
        "musd": rest["musd"].sum(),
        "projects": rest["projects"].sum(),
        "jobs": rest["jobs"].sum(),
        "color": charts.MUTED,
    }
    return pd.concat([shown.iloc[: n - 1], pd.DataFrame([other])], ignore_index=True)


def _share_title(ctx: Context, name: str, part: float, whole: float, basis: str, what: str) -> str:
    """'China concentra 45 % de la inversión anunciada del periodo' and its variants."""
    if basis == "projects":
        return ctx.text(
            f"{name} suma {fmt_number(part, 'es')} de {_projects_text(ctx, whole)} del periodo "
            f"(ninguno indica monto)",
            f"{name} accounts for {fmt_number(part, 'en')} of the period's "
            f"{_projects_text(ctx, whole)} (none states an amount)",
        )
    if part >= whole:
        return ctx.text(
            f"Toda la inversión anunciada del periodo ({fmt_musd(whole, 'es')}) {what[0]} {name}",
            f"All the period's announced investment ({fmt_musd(whole, 'en')}) {what[1]} {name}",
        )
    share = fmt_pct(part / whole, ctx.lang)
    return ctx.text(
        f"{name} concentra {share} de la inversión anunciada del periodo",
        f"{name} accounts for {share} of the period's announced investment",
    )


def _ranking(
    ctx: Context,
    frame: pd.DataFrame,
    basis: str,
    title: str,
    subtitle: str,
) -> go.Figure:
    hover = frame["projects"].map(lambda n: _projects_text(ctx, n))
    if basis == "projects":
        hover = frame["musd"].map(lambda v: fmt_musd(v, ctx.lang))
    fig = charts.bar_ranking(
        frame.assign(name=frame["name"].map(lambda n: wrap_label(n, rows=len(frame)))),
        "name",
        basis,
        list(frame["color"]),
        title,
        ctx.lang,
        hover_extra=hover,
        subtitle=subtitle,
        musd=basis == "musd",
        room=LABEL_ROOM - 1,
    )
    fig.update_yaxes(ticksuffix="  ")
    return _finish(fig, title, subtitle)


def _metric_line(ctx: Context, basis: str, by: tuple[str, str]) -> str:
    what = (
        ctx.text("Inversión anunciada (MDD)", "Announced investment (USD M)")
        if basis == "musd"
        else ctx.text("Proyectos anunciados", "Announced projects")
    )
    return f"{what} {ctx.text(by[0], by[1])} · {period_text(ctx)}"


# ---------------------------------------------------------------- headline figures


def kpis(ctx: Context) -> pd.DataFrame:
    """Investment, jobs, projects and companies now, in the previous period and a year earlier.

    One row per measure (KPI_KEYS); columns now, previous, year_earlier (NaN when the filters have
    no closed period to compare with). Dated announcements only: an undated one has no period.
    """
    columns = {}
    for name, period in kpi_periods(ctx).items():
        if period is None:
            columns[name] = pd.Series(float("nan"), index=list(KPI_KEYS))
        else:
            row = queries.headline(period)
            columns[name] = pd.Series({k: float(row[k]) for k in KPI_KEYS})
    frame = pd.DataFrame(columns)
    frame.index.name = "measure"
    return frame


def kpi_periods(ctx: Context) -> dict[str, Filters | None]:
    """The period and its comparisons; None for a comparison that ends before the record starts
    (no announcement is dated before options['first_year']: 'zero' there would be a guess)."""
    f = replace(ctx.filters, include_undated=False)
    start = date(ctx.options["first_year"], 1, 1)
    periods = {"now": f, "previous": f.previous_period(), "year_earlier": f.year_earlier()}
    return {k: None if p is not None and p.date_to < start else p for k, p in periods.items()}


def change_parts(ctx: Context, now: float, before: float, musd: bool = False) -> tuple[str, str]:
    """('+25 %', 'antes 365.2 MDD'); ('nuevo', 'antes 0'); ('–', '') with nothing to compare."""
    if pd.isna(before):
        return ctx.text("sin datos", "no data"), ctx.text(
            f"el registro empieza en {ctx.options['first_year']}",
            f"the record starts in {ctx.options['first_year']}",
        )
    shown = fmt_musd(before, ctx.lang) if musd else fmt_number(before, ctx.lang)
    was = ctx.text(f"antes {shown}", f"was {shown}")
    if before == 0:
        return (ctx.text("sin cambio", "no change") if now == 0 else ctx.text("nuevo", "new")), was
    return fmt_pct(now / before - 1, ctx.lang, signed=True), was


# ---------------------------------------------------------------- origin


def by_country(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    """Announced investment by origin country: the ten largest, the rest summed."""
    frame = queries.by_group(ctx.filters, "origin_iso2")
    title_if_empty = ctx.text("Inversión por país de origen", "Investment by origin country")
    if frame.empty:
        return no_data_figure(ctx, title_if_empty, period_text(ctx)), frame
    regions = ctx.names["countries"]["region"]
    frame = frame.assign(
        name=frame["code"].map(ctx.country),
        color=[charts.country_color(c, regions.get(c)) for c in frame["code"]],
    )
    basis = _basis(frame)
    rest = ctx.text("Otros {n} países", "{n} other countries")
    drawn = _top_and_rest(frame, basis, TOP_COUNTRIES, rest)
    lead = drawn.iloc[0]
    title = _share_title(
        ctx, lead["name"], lead[basis], frame[basis].sum(), basis, ("viene de", "comes from")
    )
    subtitle = _metric_line(ctx, basis, ("por país de origen", "by origin country"))
    fig = _ranking(ctx, drawn, basis, title, subtitle)
    return fig, drawn[["code", "name", "musd", "projects", "jobs"]]


def by_region(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    frame = queries.by_group(ctx.filters, "region")
    title_if_empty = ctx.text("Inversión por región de origen", "Investment by origin region")
    if frame.empty:
        return no_data_figure(ctx, title_if_empty, period_text(ctx)), frame
    frame = frame.assign(
        name=frame["code"].map(ctx.region),
        color=[charts.REGION_COLORS.get(c, charts.MUTED) for c in frame["code"]],
    )
    basis = _basis(frame)
    drawn = frame[frame[basis] > 0].sort_values([basis, "projects"], ascending=False)
    lead = drawn.iloc[0]
    title = _share_title(
        ctx, lead["name"], lead[basis], frame[basis].sum(), basis, ("viene de", "comes from")
    )
    subtitle = _metric_line(ctx, basis, ("por región de origen", "by origin region"))
    fig = _ranking(ctx, drawn, basis, title, subtitle)
    return fig, drawn[["code", "name", "musd", "projects", "jobs"]].reset_index(drop=True)


# ---------------------------------------------------------------- sectors and tiers


def _tier_labels(lang: str) -> dict[str, str]:
    return {code: label(TIERS, code, lang) for code in TIERS}


def by_sector_and_tier(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    """Sectors (the ten largest) as bars stacked by supply-chain tier."""
    cells = queries.by_sector_and(ctx.filters, "tier")
    title_if_empty = ctx.text("Inversión por sector y nivel", "Investment by sector and tier")
    if cells.empty:
        return no_data_figure(ctx, title_if_empty, period_text(ctx)), cells
    basis = "musd" if cells["musd"].sum() > 0 else "projects"
    cells = cells.assign(sector_name=cells["sector"].map(ctx.sector))
    rows = min(cells["sector"].nunique(), TOP_SECTORS)
    cells = cells.assign(label=cells["sector_name"].map(lambda n: wrap_label(n, rows=rows)))
    totals = cells.groupby("sector")[basis].sum().sort_values(ascending=False)
    totals = totals[totals > 0]
    kept = list(totals.index[:TOP_SECTORS])
    drawn = cells[cells["sector"].isin(kept) & (cells[basis] > 0)].reset_index(drop=True)
    lead = ctx.sector(totals.index[0]) if totals.index[0] != "unknown" else t("unknown", ctx.lang)
    title = _share_title(ctx, lead, totals.iloc[0], totals.sum(), basis, ("es de", "is in"))
    subtitle = _metric_line(ctx, basis, ("por sector y nivel", "by sector and tier"))
    if len(totals) > TOP_SECTORS:
        subtitle += ctx.text(
            f" · los {TOP_SECTORS} sectores mayores de {len(totals)}",
            f" · the {TOP_SECTORS} largest of {len(totals)} sectors",
        )
    fig = charts.stacked_ranking(
        drawn,
        "label",
        basis,
        "code",
        _tier_labels(ctx.lang),
        charts.TIER_COLORS,
        title,
        ctx.lang,
        subtitle=subtitle,
        musd=basis == "musd",
    )
    charts.leave_room(fig, totals, LABEL_ROOM - 1)  # room for the totals' labels
    fig.update_yaxes(ticksuffix="  ")
    return _finish(fig, title, subtitle), drawn[
        ["sector", "sector_name", "code", "musd", "projects"]
    ]


def by_tier(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    frame = queries.by_group(ctx.filters, "tier")
    title_if_empty = ctx.text("Inversión por nivel de proveeduría", "Investment by supplier tier")
    if frame.empty:
        return no_data_figure(ctx, title_if_empty, period_text(ctx)), frame
    frame = frame.assign(code=frame["code"].fillna("unknown"))
    frame = frame.assign(
        name=frame["code"].map(lambda c: label(TIERS, c, ctx.lang)),
        color=[charts.TIER_COLORS.get(c, charts.MUTED) for c in frame["code"]],
    )
    basis = _basis(frame)
    drawn = frame[frame[basis] > 0].sort_values([basis, "projects"], ascending=False)
    lead = drawn.iloc[0]
    title = _share_title(ctx, lead["name"], lead[basis], frame[basis].sum(), basis,
                         ("es de", "is in"))  # fmt: skip
    subtitle = _metric_line(ctx, basis, ("por nivel (tier)", "by tier"))
    fig = _ranking(ctx, drawn, basis, title, subtitle)
    return fig, drawn[["code", "name", "musd", "projects", "jobs"]].reset_index(drop=True)


# ---------------------------------------------------------------- municipalities


def municipal_map(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    """The 58 municipalities coloured by the period's announced investment (or projects)."""
    frame = queries.municipalities(ctx.filters)
    lang = ctx.lang
    title_if_empty = ctx.text("Inversión por municipio", "Investment by municipality")
    if frame["projects"].sum() == 0:
        fig = no_data_figure(ctx, title_if_empty, period_text(ctx))
        return fig, frame.drop(columns=["geometry"])
    basis = _basis(frame)
    frame = frame.assign(
        label=[n if p > 0 else "" for n, p in zip(frame["name"], frame["projects"], strict=True)],
        hover=[
            f"<b>{n}</b><br>{fmt_musd(m, lang)}<br>{_projects_text(ctx, p)}"
            for n, m, p in zip(frame["name"], frame["musd"], frame["projects"], strict=True)
        ],
    )
    ranked = frame.sort_values([basis, "projects"], ascending=False)
    lead = ranked.iloc[0]
    mapped = frame[basis].sum()
    if basis == "musd" and lead["musd"] < mapped:
        title = ctx.text(
            f"{lead['name']} recibe {fmt_pct(lead['musd'] / mapped, lang)} de la inversión "
            "anunciada con municipio",
            f"{lead['name']} receives {fmt_pct(lead['musd'] / mapped, lang)} of the announced "
            "investment with a stated municipality",
        )
    elif basis == "musd":
        title = ctx.text(
            f"Toda la inversión anunciada con municipio ({fmt_musd(mapped, lang)}) va a "
            f"{lead['name']}",
            f"All announced investment with a stated municipality ({fmt_musd(mapped, lang)}) "
            f"goes to {lead['name']}",
        )
    else:
        title = ctx.text(
            f"{lead['name']} recibe {fmt_number(lead['projects'], lang)} de "
            f"{_projects_text(ctx, mapped)} con municipio",
            f"{lead['name']} receives {fmt_number(lead['projects'], lang)} of "
            f"{_projects_text(ctx, mapped)} with a stated municipality",
        )
    unplaced = queries.unplaced(ctx.filters)
    metric = subtitle = _metric_line(ctx, basis, ("por municipio", "by municipality"))
    if unplaced["projects"]:
        subtitle += ctx.text(
            f" · {_projects_text(ctx, unplaced['projects'])} sin municipio no aparecen",
            f" · {_projects_text(ctx, unplaced['projects'])} without a municipality not shown",
        )
    fig = maps.choropleth(
        frame,
        basis,
        "hover",
        title,
        ctx.text("MDD", "USD M") if basis == "musd" else t("projects", lang),
        projection=maps.slp_projection_compact,
        subtitle=subtitle,
        labels_col="label",
        key_col="cvegeo",
    )
    fig.update_traces(
        textfont={
            "size": 13,
            "weight": "bold",
            "shadow": "1px 1px 1px white, -1px -1px 1px white, 1px -1px 1px white, "
            "-1px 1px 1px white",
        },
        selector={"mode": "markers+text"},
    )
    fig.update_layout(margin={"l": 10, "r": 10})
    data = frame[["cvegeo", "name", "musd", "projects", "jobs"]]
    # The slide's caption: the metric only (the slide's subtitle says what the map leaves out).
    return _finish(fig, title, metric), data


def by_municipality(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    """The municipalities (or places such as Villa de Pozos) as stated, ranked."""
    frame = queries.by_group(ctx.filters, "municipality")
    title_if_empty = ctx.text("Inversión por municipio", "Investment by municipality")
    if frame.empty:
        return no_data_figure(ctx, title_if_empty, period_text(ctx)), frame
    frame = frame.assign(
        name=frame["code"].fillna(t("unknown", ctx.lang)),
        color=[charts.POSITIVE if isinstance(c, str) else charts.MUTED for c in frame["code"]],
    )
    basis = _basis(frame)
    rest = ctx.text("Otros {n} municipios", "{n} other municipalities")
    drawn = _top_and_rest(frame, basis, TOP_MUNICIPALITIES, rest)
    placed = drawn[drawn["code"].notna() & (drawn["code"] != "other")]
    lead = placed.iloc[0] if len(placed) else drawn.iloc[0]
    title = _share_title(ctx, lead["name"], lead[basis], frame[basis].sum(), basis,
                         ("va a", "goes to"))  # fmt: skip
    subtitle = _metric_line(ctx, basis, ("por municipio", "by municipality"))
    fig = _ranking(ctx, drawn, basis, title, subtitle)
    return fig, drawn[["code", "name", "musd", "projects", "jobs"]]


# ---------------------------------------------------------------- trend


def trend_filters(ctx: Context) -> Filters:
    """The TREND_YEARS years up to the end of the period, same list filters, dated only."""
    end = ctx.filters.date_to or date(ctx.options["last_year"], 12, 31)
    return replace(
        ctx.filters,
        date_from=date(end.year - TREND_YEARS + 1, 1, 1),
        date_to=end,
        include_undated=False,
    )


def trend_by_year(ctx: Context) -> tuple[go.Figure, pd.DataFrame]:
    """Announced investment by year and origin region, the ten years up to the period's end."""
    lang = ctx.lang
    f = trend_filters(ctx)
    frame = queries.by_year_and(f, "region")
    years = queries.by_year(f).set_index("year")["musd"]
    end = f.date_to
    span = f"{f.date_from.year}–{end.year}"
    if frame.empty or years.sum() == 0:
        title = ctx.text(
            f"Sin inversión anunciada con monto en {span}",
            f"No announced investment with an amount in {span}",
        )
        return no_data_figure(ctx, title, span, message=title), frame
    last, today = end.year, date.today()
    full_year = (end.month, end.day) == (12, 31) and end < today
    now, before = years.get(last, 0.0), years.get(last - 1, 0.0)
    if full_year and before > 0:
        title = ctx.text(
            f"{last} cerró con {fmt_musd(now, lang)} anunciados, "
            f"{fmt_pct(now / before - 1, lang, signed=True)} frente a {last - 1}",
            f"{last} closed with {fmt_musd(now, lang)} announced, "
            f"{fmt_pct(now / before - 1, lang, signed=True)} on {last - 1}",
        )
    elif full_year:
        title = ctx.text(
            f"{last} cerró con {fmt_musd(now, lang)} anunciados; {last - 1} no tuvo montos",
            f"{last} closed with {fmt_musd(now, lang)} announced; {last - 1} had no amounts",
        )
    else:
        end = min(end, today)
        until = fmt_date(end, "month" if (end.toordinal() + 1) == _first_of_next(end) else "day",
                         lang)  # fmt: skip
        title = ctx.text(
            f"{last} suma {fmt_musd(now, lang)} hasta {until}; {last - 1} cerró con "
            f"{fmt_musd(before, lang)}",
            f"{last} adds up to {fmt_musd(now, lang)} through {until}; {last - 1} closed with "
            f"{fmt_musd(before, lang)}",
        )
    peak_year = int(years.idxmax())
    subtitle = ctx.text(
        f"Inversión anunciada por año y región de origen (MDD), {span}; máximo: {peak_year} "
        f"({fmt_musd(years.max(), 'es')})",
        f"Announced investment by year and origin region (USD M), {span}; peak: {peak_year} "
        f"({fmt_musd(years.max(), 'en')})",
    )
    if not full_year:
        subtitle += ctx.text(f"; {last} incompleto", f"; {last} incomplete")
    labels = {code: label(REGIONS, code, lang) for code in REGIONS}
    fig = charts.stacked_bars(frame, "year", "musd", "code", labels, charts.REGION_COLORS,
                              title, lang, subtitle=subtitle)  # fmt: skip
    # Every year of the span on the axis, even those without announcements.
    fig.update_xaxes(categoryorder="array",
                     categoryarray=list(range(f.date_from.year, end.year + 1)))  # fmt: skip
    totals = years.reindex(range(f.date_from.year, end.year + 1), fill_value=0)
    fig.add_scatter(
        x=list(totals.index),
        y=list(totals.values),
        mode="text",
        text=[fmt_number(v, lang) if v > 0 else "" for v in totals.values],
        textposition="top center",
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
    )
    fig.update_yaxes(range=[0, float(totals.max()) * 1.15], tickformat=",.0f")
    data = frame.rename(columns={"code": "region"}).assign(region_name=frame["code"].map(labels))
    return _finish(fig, title, subtitle), data


def _first_of_next(day: date) -> int:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1).toordinal()


# ---------------------------------------------------------------- announcements of the period

TABLE_HEADERS = {
    "company": ("Empresa", "Company"),
    "country": ("Origen", "Origin"),
    "municipality": ("Municipio", "Municipality"),
    "date": ("Fecha", "Date"),
    "amount": ("Monto", "Amount"),
    "jobs": ("Empleos", "Jobs"),
    "status": ("Estatus", "Status"),
}
NUMERIC_COLUMNS = ("amount", "jobs")


def short_date(day, precision: str | None, lang: str) -> str:
    """'30 sep 2024', 'sep 2024', '2024': a date as precise as stated, short enough for a table."""
    if precision not in ("day", "month", "year") or day is None or pd.isna(day):
        return t("undated", lang)
    day = day.date() if hasattr(day, "date") else day
    if precision == "year":
        return str(day.year)
    pattern = "d MMM y" if precision == "day" else "MMM y"
    return format_date(day, pattern, locale=LOCALES[lang]).replace(".", "")


def short_company(name: str) -> str:
    """The company without the descriptions the record adds after it: 'Ford Motor Company
    (planned SLP assembly plant)' -> 'Ford Motor Company'; 'Aluminum Dynamics (Steel Dynamics) -
    SLP aluminium plant' -> 'Aluminum Dynamics'."""
    short = re.split(r"\s+\(|\s+-\s+", str(name), maxsplit=1)[0].strip()
    return short or str(name)


def announcement_rows(ctx: Context) -> pd.DataFrame:
    """The period's announcements as a reader sees them, largest first: company, origin,
    municipality, date, amount, jobs, status (formatted text, labels in the chosen language;
    columns named by TABLE_HEADERS)."""
    lang = ctx.lang
    frame = queries.announcements(ctx.filters, order="amount")
    dates = zip(frame["announced_date"], frame["date_precision"], strict=True)
    columns = {  # each distinct value formatted once (a year can list many thousands)
        "company": each(frame["company"], short_company),
        "country": each(frame["origin_iso2"], ctx.country),
        "municipality": frame["municipality"].fillna(t("unknown", lang)),
        "date": each(dates, lambda d: short_date(d[0], d[1], lang)),
        "amount": each(frame["amount_musd"], lambda v: fmt_musd(v, lang)),
        "jobs": each(frame["jobs"], lambda v: fmt_number(v, lang) if pd.notna(v) else "–"),
        "status": each(frame["status"], lambda c: label(STATUSES, c, lang)),
    }
    return pd.DataFrame({pick(TABLE_HEADERS[k], lang): v for k, v in columns.items()})


def announcements_title(ctx: Context) -> str:
    frame = queries.announcements(ctx.filters, order="amount")
    n, lang = len(frame), ctx.lang
    if n == 0:
        return ctx.text("Sin anuncios en el periodo", "No announcements in the period")
    count = ctx.text(
        f"{fmt_number(n, lang)} anuncio{'s' if n != 1 else ''} en el periodo",
        f"{fmt_number(n, lang)} announcement{'s' if n != 1 else ''} in the period",
    )
    top = frame.dropna(subset=["amount_musd"])
    if top.empty:
        return count + ctx.text(", ninguno con monto", ", none with an amount")
    first = top.iloc[0]
    company, amount = short_company(first["company"]), fmt_musd(first["amount_musd"], lang)
    if n == 1:
        return f"{count}: {company} ({amount})"
    return count + ctx.text(f"; el mayor, {company} ({amount})",
                            f"; the largest, {company} ({amount})")  # fmt: skip


# ---------------------------------------------------------------- the pack's chart list

# name (file stem of the PNG), function; in slide order.
CHARTS = {
    "01_inversion_por_pais": by_country,
    "02_inversion_por_region": by_region,
    "03_sector_y_nivel": by_sector_and_tier,
    "04_nivel": by_tier,
    "05_mapa_municipal": municipal_map,
    "06_municipios": by_municipality,
    "07_tendencia_anual": trend_by_year,
}
