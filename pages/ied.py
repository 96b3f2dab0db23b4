"""IED oficial / Official FDI: the Secretaría de Economía's recorded flows into SLP by quarter, year,
country and sector, and how they compare with the announcements.

The official series has its own year range (on the page); the sidebar's period and filters apply
only to the announced side of the comparison.
"""

import pandas as pd
import streamlit as st

from analytics import charts, queries, ui
from analytics.i18n import fmt_musd, fmt_number, fmt_pct, fmt_period, pick, quarter_label, t

ctx = ui.context()
lang, f = ctx.lang, ctx.filters

# SCIAN 2018 sector names, short enough for a chart axis (SE publishes only the Spanish name).
SCIAN = {
    "11": ("Agropecuario, forestal y pesca", "Agriculture, forestry and fishing"),
    "21": ("Minería", "Mining"),
    "22": ("Electricidad, agua y gas", "Electricity, water and gas"),
    "23": ("Construcción", "Construction"),
    "31-33": ("Industrias manufactureras", "Manufacturing"),
    "43": ("Comercio al por mayor", "Wholesale trade"),
    "46": ("Comercio al por menor", "Retail trade"),
    "48-49": ("Transportes y almacenamiento", "Transportation and warehousing"),
    "51": ("Información en medios masivos", "Information and media"),
    "52": ("Servicios financieros y de seguros", "Finance and insurance"),
    "53": ("Servicios inmobiliarios y de alquiler", "Real estate and rental"),
    "54": ("Servicios profesionales y técnicos", "Professional and technical services"),
    "55": ("Corporativos", "Management of companies"),
    "56": ("Apoyo a los negocios y residuos", "Business support and waste management"),
    "61": ("Servicios educativos", "Educational services"),
    "62": ("Servicios de salud", "Health care"),
    "71": ("Esparcimiento y cultura", "Arts, entertainment and recreation"),
    "72": ("Alojamiento y alimentos", "Accommodation and food services"),
    "81": ("Otros servicios", "Other services"),
}
ANNOUNCED_COLOR = "#e08e0b"
NOT_ITEMISED_COLOR = "#c8ced3"


release = queries.fdi_release()  # e.g. "2024-Q2"
release_year, release_q = int(release[:4]), int(release[-1])
release_text = ctx.text(
    f"datos al {release_q}.º trimestre de {release_year}",
    f"data through Q{release_q} {release_year}",
)
ui.page_header(
    ctx,
    ("IED oficial", "Official FDI"),
    (
        "Inversión extranjera directa (IED) que la Secretaría de Economía registra en San Luis "
        f"Potosí, {release_text}. Las cifras son preliminares y se revisan cada trimestre.",
        "Foreign direct investment (FDI) recorded by Mexico's Secretaría de Economía in San Luis "
        f"Potosí, {release_text}. Figures are preliminary and revised every quarter.",
    ),
)

quarterly = queries.fdi_quarterly()
if ui.no_data(ctx, quarterly):
    ui.stop(ctx, "ied")

# ---------------------------------------------------------------- the official series' years

first, last = int(quarterly["year"].min()), int(quarterly["year"].max())
# First time on the page: the years the sidebar period shares with the official series.
start = max(first, f.date_from.year) if f.date_from else first
end = min(last, f.date_to.year) if f.date_to else last
default = (start, end) if start <= end else (first, last)
year_from, year_to = st.slider(
    ctx.text("Años de la serie oficial", "Years of the official series"),
    first,
    last,
    default,
    key="fdi_years",
)
st.caption(
    ctx.text(
        "Este control de años aplica a las cifras oficiales de IED. El periodo y los filtros de la "
        "barra lateral aplican solo a los anuncios (comparación al final de la página).",
        "This year control applies to the official FDI figures. The sidebar's period and filters "
        "apply only to the announcements (comparison at the bottom of the page).",
    )
)

yearly = queries.fdi_yearly(year_from, year_to)
quarters = quarterly[quarterly["year"].between(year_from, year_to)].reset_index(drop=True)
if ui.no_data(ctx, yearly):
    ui.stop(ctx, "ied")


def year_label(row) -> str:
    """'2024 (T1–T2)' for a year the release does not complete (years are published from Q1)."""
    if row["quarters"] >= 4:
        return str(int(row["year"]))
    q = int(row["last_quarter"])
    span = ctx.text(f"T1–T{q}", f"Q1–Q{q}") if q > 1 else ctx.text("T1", "Q1")
    return f"{int(row['year'])} ({span})"


yearly["label"] = yearly.apply(year_label, axis=1)
partial = yearly[yearly["quarters"] < 4]
full = yearly[yearly["quarters"] >= 4]
range_text = str(year_from) if year_from == year_to else f"{year_from}–{year_to}"
if not partial.empty and partial["year"].max() == year_to:
    last_q = int(partial.iloc[-1]["last_quarter"])
    range_text += ctx.text(f" (hasta el {last_q}.º trimestre)", f" (through Q{last_q})")

# ---------------------------------------------------------------- headline

total = yearly["musd"].sum()
countries = queries.fdi_by_country(year_from, year_to)
countries["name"] = [
    pick((row["name_es"], row["name_en"]), lang)
    if isinstance(row["iso2"], str) and isinstance(row["name_es"], str)
    else row["country_name"]
    if isinstance(row["iso2"], str)
    else ctx.text("Otros países (sin desglose)", "Other countries (not itemised)")
    for _, row in countries.iterrows()
]
top = countries.iloc[0]
negative = quarters[quarters["musd"] < 0]

items = [(ctx.text("IED registrada en el periodo", "FDI recorded in the period"),
          fmt_musd(total, lang), None)]  # fmt: skip
if not full.empty:
    last_full = full.iloc[-1]
    before = yearly[yearly["year"] == last_full["year"] - 1]
    delta = (
        fmt_pct(last_full["musd"] / before["musd"].iloc[0] - 1, lang, signed=True)
        + ctx.text(f" vs. {last_full['year'] - 1}", f" vs. {last_full['year'] - 1}")
        if not before.empty and before["musd"].iloc[0] > 0
        else None
    )
    items.append(
        (ctx.text(f"Último año completo ({last_full['year']})",
                  f"Last full year ({last_full['year']})"),
         fmt_musd(last_full["musd"], lang), delta)
    )  # fmt: skip
items += [
    (ctx.text("Principal origen", "Main origin"), top["name"], None),
    (ctx.text("Trimestres con salida neta", "Quarters with net outflow"),
     ctx.text(f"{len(negative)} de {len(quarters)}", f"{len(negative)} of {len(quarters)}"), None),
]  # fmt: skip
st.markdown(
    ctx.text(
        f"**{range_text}:** la Secretaría de Economía registró **{fmt_musd(total, lang)}** de IED "
        f"en San Luis Potosí; el principal país de origen fue **{top['name']}** con "
        f"{fmt_musd(top['musd'], lang)} ({fmt_pct(top['musd'] / total, lang)}).",
        f"**{range_text}:** the Secretaría de Economía recorded **{fmt_musd(total, lang)}** of FDI "
        f"in San Luis Potosí; the main country of origin was **{top['name']}** with "
        f"{fmt_musd(top['musd'], lang)} ({fmt_pct(top['musd'] / total, lang)}).",
    )
    if total > 0
    else ctx.text(
        f"**{range_text}:** salida neta de {fmt_musd(total, lang)}.",
        f"**{range_text}:** net outflow of {fmt_musd(total, lang)}.",
    )
)
ui.kpis(items)

# ---------------------------------------------------------------- by year and by quarter

left, right = st.columns(2)
with left:
    colors = [
        charts.NEGATIVE if v < 0 else "#a6c4e8" if q < 4 else charts.POSITIVE
        for v, q in zip(yearly["musd"], yearly["quarters"], strict=True)
    ]
    hover = [
        f"<b>{label}</b><br>{fmt_musd(v, lang)}"
        + (ctx.text(f"<br>Solo {q} trimestres publicados", f"<br>Only {q} quarters published")
           if q < 4 else "")
        for label, v, q in zip(yearly["label"], yearly["musd"], yearly["quarters"], strict=True)
    ]  # fmt: skip
    subtitle = ctx.text("Flujos anuales; ", "Yearly flows; ") + release_text
    if not partial.empty:
        subtitle += ctx.text("; en azul claro, año incompleto", "; light blue: year not complete")
    fig = charts.column_bars(
        yearly, "label", "musd", hover,
        ctx.text("IED anual en San Luis Potosí (MDD)", "Yearly FDI into San Luis Potosí (USD M)"),
        subtitle=subtitle, colors=colors,
        texts=[fmt_number(v, lang) for v in yearly["musd"]] if len(yearly) <= 8 else None,
    )  # fmt: skip
    ui.chart(ctx, fig, yearly.drop(columns=["label"]), "ied_anual", source="source_fdi")

with right:
    quarters["label"] = [
        quarter_label(y, q, lang)
        for y, q in zip(quarters["year"], quarters["quarter"], strict=True)
    ]
    hover = [
        f"<b>{label}</b><br>{fmt_musd(v, lang)}"
        + (ctx.text("<br>Salida neta (desinversión)", "<br>Net outflow (disinvestment)")
           if v < 0 else "")
        for label, v in zip(quarters["label"], quarters["musd"], strict=True)
    ]  # fmt: skip
    fig = charts.column_bars(
        quarters, "label", "musd", hover,
        ctx.text("IED por trimestre (MDD)", "FDI by quarter (USD M)"),
        subtitle=ctx.text(
            f"En rojo, {len(negative)} trimestres con flujo negativo (salida neta)",
            f"In red, {len(negative)} quarters with a negative flow (net outflow)",
        ),
    )  # fmt: skip
    firsts = quarters.drop_duplicates("year")  # one tick per year, at its first quarter
    step = max(1, round(len(firsts) / 10))
    fig.update_xaxes(
        tickvals=list(firsts["label"])[::step],
        ticktext=[str(y) for y in firsts["year"]][::step],
        tickangle=0 if len(firsts) <= 6 else -45,
    )
    ui.chart(ctx, fig, quarters[["year", "quarter", "musd"]], "ied_trimestral", source="source_fdi")
st.caption(
    ctx.text(
        "Un flujo negativo significa que las salidas (desinversiones, pagos de préstamos entre "
        "empresas del grupo) superaron a las entradas en ese periodo.",
        "A negative flow means outflows (disinvestment, repayments of intercompany loans) "
        "exceeded inflows in that period.",
    )
)

# ---------------------------------------------------------------- by country and by sector

left, right = st.columns([2, 3])
with left:
    shown = countries.head(12)
    shares = shown["musd"].map(
        lambda v: (
            ctx.text(
                f"{fmt_pct(v / total, lang)} del total", f"{fmt_pct(v / total, lang)} of total"
            )
            if total > 0
            else ""
        )
    )
    fig = charts.bar_ranking(
        shown, "name", "musd",
        [charts.country_color(i if isinstance(i, str) else None, r)
         for i, r in zip(shown["iso2"], shown["region"], strict=True)],
        ctx.text("IED por país de origen (MDD)", "FDI by country of origin (USD M)"),
        lang, hover_extra=shares,
        subtitle=ctx.text(
            f"{range_text}; domicilio fiscal del inversionista",
            f"{range_text}; investor's fiscal domicile",
        ),
        room=1.0,
    )  # fmt: skip
    ui.chart(
        ctx,
        fig,
        shown[["iso2", "country_name", "name", "musd"]],
        "ied_por_pais",
        source="source_fdi",
    )

with right:
    sectors = queries.fdi_by_sector(year_from, year_to)
    sectors["name"] = [
        pick(SCIAN[code], lang) if code in SCIAN else name
        for code, name in zip(sectors["scian_sector"], sectors["sector_name"], strict=True)
    ]
    n_years = year_to - year_from + 1
    sector_hover = [
        ctx.text(f"{u} de {n_years} años sin cifra publicada (confidencial)",
                 f"{u} of {n_years} years not published (confidential)")
        if u else ctx.text("Todos los años publicados", "All years published")
        for u in sectors["unpublished_cells"]
    ]  # fmt: skip
    fig = charts.bar_ranking(
        sectors, "name", "musd", charts.POSITIVE,
        ctx.text("IED por sector SCIAN (MDD)", "FDI by SCIAN sector (USD M)"),
        lang, hover_extra=pd.Series(sector_hover),
        subtitle=ctx.text(
            f"{range_text}; «sin publicar»: cifra confidencial, que falta (no es cero)",
            f"{range_text}; 'not published': a confidential figure, missing (not zero)",
        ),
        room=0.8,
    )  # fmt: skip
    # Sectors with no published cell: no bar, and a label saying so instead of a number.
    bars = fig.data[0]
    bars.update(
        x=[0 if pd.isna(v) else v for v in bars.x],
        text=[ctx.text("sin publicar", "not published") if pd.isna(v) else s
              for v, s in zip(bars.x, bars.text, strict=True)],
    )  # fmt: skip
    ui.chart(
        ctx,
        fig,
        sectors[["scian_sector", "sector_name", "name", "musd", "unpublished_cells", "partial"]],
        "ied_por_sector",
        source="source_fdi",
    )
    notes = [
        ctx.text(
            "La SE no publica las cifras confidenciales (pocas empresas en la celda): faltan, "
            "no son cero, y la suma de los sectores queda por debajo del total estatal.",
            "SE does not publish confidential cells (few companies in the cell): they are "
            "missing, not zero, so the sectors add up to less than the state total.",
        )
    ]
    if sectors["partial"].any():
        notes.append(
            ctx.text(
                f"{int(partial['year'].max())}: solo los trimestres publicados.",
                f"{int(partial['year'].max())}: published quarters only.",
            )
        )
    st.caption(" ".join(notes))

# ---------------------------------------------------------------- the gap the sectors leave

gap = queries.fdi_sector_gap(year_from, year_to)
if not gap.empty:
    st.subheader(
        ctx.text("¿Cuánto de la IED tiene sector publicado?",
                 "How much of the FDI has a published sector?")
    )  # fmt: skip
    widest = gap.loc[gap["not_itemised"].idxmax()]
    widest_year = int(widest["year"])
    if widest["not_itemised"] > 0 and widest["total"] > 0:
        st.markdown(
            ctx.text(
                f"La mayor brecha del periodo es **{widest_year}**: de "
                f"{fmt_musd(widest['total'], lang)} registrados, los sectores publicados suman "
                f"{fmt_musd(widest['published'], lang)}; **{fmt_musd(widest['not_itemised'], lang)}"
                f"** ({fmt_pct(widest['not_itemised'] / widest['total'], lang)}) quedan en celdas "
                "confidenciales.",
                f"The widest gap in the period is **{widest_year}**: of "
                f"{fmt_musd(widest['total'], lang)} recorded, the published sectors add up to "
                f"{fmt_musd(widest['published'], lang)}; **{fmt_musd(widest['not_itemised'], lang)}"
                f"** ({fmt_pct(widest['not_itemised'] / widest['total'], lang)}) sit in "
                "confidential cells.",
            )
        )
    long = pd.concat(
        [
            gap.assign(code="published", musd=gap["published"]),
            gap.assign(code="not_itemised", musd=gap["not_itemised"]),
        ]
    )[["year", "code", "musd", "total"]]
    group_labels = {
        "published": ctx.text("Sectores publicados", "Published sectors"),
        "not_itemised": ctx.text("Sin sector publicado (confidencial)",
                                 "No published sector (confidential)"),
    }  # fmt: skip
    fig = charts.stacked_bars(
        long, "year", "musd", "code", group_labels,
        {"published": charts.POSITIVE, "not_itemised": NOT_ITEMISED_COLOR},
        ctx.text("IED anual: con sector publicado y sin desglosar (MDD)",
                 "Yearly FDI: with a published sector and not itemised (USD M)"),
        lang,
        subtitle=ctx.text("La barra completa es el total estatal del archivo por país",
                          "The whole bar is the state total from the by-country file"),
    )  # fmt: skip
    ui.chart(
        ctx,
        fig,
        gap.rename(columns={"total": "state_total_musd", "published": "published_sectors_musd",
                            "not_itemised": "not_itemised_musd"}),
        "ied_brecha_sectores",
        source="source_fdi",
    )  # fmt: skip

# ---------------------------------------------------------------- announced versus recorded

st.subheader(
    ctx.text("Anunciado frente a IED registrada, por país",
             "Announced versus recorded FDI, by country")
)  # fmt: skip
period = fmt_period(f.date_from, f.date_to, lang)
st.markdown(
    ctx.text(
        f"Anuncios: **{period}** con los filtros de la barra lateral. IED registrada: "
        f"**{range_text}** (control de años de esta página).",
        f"Announcements: **{period}** with the sidebar filters. Recorded FDI: **{range_text}** "
        "(this page's year control).",
    )
)
both = queries.announced_vs_fdi(f, year_from, year_to)
domestic = both[both["region"] == "mexico"]
both = both[both["region"] != "mexico"].copy()
# With an origin filter in the sidebar, the official side shows the same origins only.
if f.countries:
    both = both[both["iso2"].isin(f.countries) | (both["projects"] > 0)]
if f.regions:
    both = both[both["region"].isin(f.regions) | (both["projects"] > 0)]
if not ui.no_data(ctx, None if both["projects"].sum() == 0 else both):
    both["name"] = [pick(p, lang) for p in zip(both["name_es"], both["name_en"], strict=True)]
    both["fdi_shown"] = both["fdi_musd"].fillna(0)
    shown = both.head(12).assign(
        # No bar (rather than a 0.0 label) where a side has nothing.
        announced_bar=both["announced_musd"].where(both["projects"] > 0)
    )
    announced_hover = [
        f"<b>{n}</b><br>" + ctx.text("Anunciado: ", "Announced: ") + fmt_musd(a, lang)
        + f" ({fmt_number(p, lang)} {t('projects', lang).lower()})"
        for n, a, p in zip(shown["name"], shown["announced_musd"], shown["projects"], strict=True)
    ]  # fmt: skip
    fdi_hover = [
        f"<b>{n}</b><br>"
        + ctx.text(f"IED registrada {range_text}: ", f"FDI recorded {range_text}: ")
        + (fmt_musd(v, lang) if pd.notna(v) else ctx.text("sin registro", "none recorded"))
        for n, v in zip(shown["name"], shown["fdi_musd"], strict=True)
    ]
    fig = charts.grouped_bars(
        shown,
        "name",
        [
            {"col": "announced_bar", "name": ctx.text("Anunciado", "Announced"),
             "color": ANNOUNCED_COLOR, "hover": announced_hover},
            {"col": "fdi_musd", "name": ctx.text("IED registrada (SE)", "Recorded FDI (SE)"),
             "color": charts.POSITIVE, "hover": fdi_hover},
        ],
        ctx.text("Anunciado frente a IED registrada, por país (MDD)",
                 "Announced versus recorded FDI, by country (USD M)"),
        lang,
        subtitle=ctx.text(f"Anuncios: {period} · IED: {range_text}",
                          f"Announcements: {period} · FDI: {range_text}"),
    )  # fmt: skip
    gaps = both.assign(diff=both["announced_musd"] - both["fdi_shown"])
    over, under = gaps.loc[gaps["diff"].idxmax()], gaps.loc[gaps["diff"].idxmin()]
    lines = []
    if over["diff"] > 0:
        lines.append(
            ctx.text(
                f"Más anunciado que registrado: **{over['name']}**, "
                f"{fmt_musd(over['announced_musd'], lang)} anunciados frente a "
                f"{fmt_musd(over['fdi_shown'], lang)} de IED registrada.",
                f"More announced than recorded: **{over['name']}**, "
                f"{fmt_musd(over['announced_musd'], lang)} announced against "
                f"{fmt_musd(over['fdi_shown'], lang)} of recorded FDI.",
            )
        )
    if under["diff"] < 0:
        against = (
            ctx.text(
                f"frente a {fmt_musd(under['announced_musd'], lang)} anunciados",
                f"against {fmt_musd(under['announced_musd'], lang)} announced",
            )
            if under["projects"]
            else ctx.text("sin anuncios con estos filtros", "with no announcements in this view")
        )
        lines.append(
            ctx.text(
                f"Más registrado que anunciado: **{under['name']}**, "
                f"{fmt_musd(under['fdi_shown'], lang)} de IED registrada {against}.",
                f"More recorded than announced: **{under['name']}**, "
                f"{fmt_musd(under['fdi_shown'], lang)} of recorded FDI {against}.",
            )
        )
    st.markdown(" ".join(lines))
    charts.leave_room(fig, pd.concat([shown["announced_musd"], shown["fdi_shown"]]), 0.3)
    data = shown[["iso2", "name", "announced_musd", "projects", "fdi_musd"]]
    ui.chart(ctx, fig, data, "anunciado_vs_ied", source="source_announcements")
    st.caption(t("source_fdi", lang))
    notes = [
        ctx.text(
            "Se omiten los anuncios sin país de origen y la IED de «Otros países».",
            "Announcements without an origin country and FDI from 'Other countries' are left out.",
        )
    ]
    if f.countries or f.regions:
        notes.append(
            ctx.text(
                "Con el filtro de origen de la barra lateral, la IED se muestra solo para esos "
                "orígenes.",
                "With the sidebar's origin filter, FDI is shown for those origins only.",
            )
        )
    if not domestic.empty and domestic["announced_musd"].sum() > 0:
        notes.append(
            ctx.text(
                f"Los anuncios de empresas mexicanas ({fmt_musd(domestic['announced_musd'].sum(), lang)})"
                " son inversión nacional, no IED, y no se comparan.",
                f"Announcements by Mexican companies ({fmt_musd(domestic['announced_musd'].sum(), lang)})"
                " are domestic investment, not FDI, and are not compared.",
            )
        )
    st.caption(" ".join(notes))

st.markdown(
    ctx.text(
        """**Por qué no coinciden las dos cifras**

- Un **anuncio** es una intención, a menudo de varios años: se cuenta completo en la fecha en que
  se anuncia, puede ejecutarse en etapas o con otro monto, y a veces no se ejecuta nunca.
- La **IED** es el flujo que efectivamente se registró en cada año. Se atribuye al país del
  **domicilio fiscal** del inversionista inmediato, que puede ser un tercer país: los grupos
  asiáticos suelen invertir a través de filiales en Países Bajos o en Estados Unidos.
- La IED incluye además **reinversión de utilidades** y **cuentas entre compañías** del mismo
  grupo (préstamos, pagos), que no se anuncian; por eso puede ser negativa.
- Los anuncios de este observatorio cubren el clúster automotriz; la IED cubre todos los sectores.""",
        """**Why the two figures differ**

- An **announcement** is an intention, often spread over several years: it is counted in full
  when it is announced, may be carried out in stages or with another amount, and is sometimes
  never carried out.
- **FDI** is the flow actually recorded in each year. It is attributed to the country of the
  immediate investor's **fiscal domicile**, which may be a third country: Asian groups often
  invest through subsidiaries in the Netherlands or the United States.
- FDI also includes **reinvested earnings** and **intercompany accounts** within a group (loans,
  repayments), which are never announced; that is why it can be negative.
- This observatory's announcements cover the automotive cluster; FDI covers every sector.""",
    )
)

ui.page_foot(ctx, "ied")
