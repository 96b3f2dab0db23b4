"""Language: shared texts, code labels, and es-MX / en-US formats of numbers, amounts and dates.

Spanish is the default. Page-specific texts live in their page as (es, en) pairs passed to pick().
"""

import math
from datetime import date
from decimal import Decimal

import pandas as pd
from babel.dates import format_date

from etl import countries
from etl import parse as vocabularies

LANGS = ("es", "en")
LOCALES = {"es": "es_MX", "en": "en_US"}

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("Observatorio de inversión automotriz · San Luis Potosí",
                  "Automotive investment observatory · San Luis Potosí"),
    "language": ("Idioma", "Language"),
    "filters": ("Filtros", "Filters"),
    "period": ("Periodo", "Period"),
    "include_undated": ("Incluir anuncios sin fecha", "Include undated announcements"),
    "region": ("Región de origen", "Origin region"),
    "country": ("País de origen", "Origin country"),
    "sector": ("Sector", "Sector"),
    "tier": ("Nivel (tier)", "Tier"),
    "municipality": ("Municipio", "Municipality"),
    "event_type": ("Tipo de evento", "Event type"),
    "status": ("Estatus", "Status"),
    "all": ("Todos", "All"),
    "clear_filters": ("Quitar filtros", "Clear filters"),
    "no_data": ("No hay anuncios con estos filtros. Amplíe el periodo o quite algún filtro.",
                "No announcements match these filters. Widen the period or remove a filter."),
    "download_csv": ("Descargar CSV", "Download CSV"),
    "source": ("Fuente", "Source"),
    "source_announcements": (
        "Fuente: anuncios públicos de inversión compilados por el observatorio (cada uno con su "
        "fuente); montos convertidos a USD con el tipo de referencia del BCE de la fecha del anuncio.",
        "Source: public investment announcements compiled by the observatory (each with its "
        "source); amounts converted to USD at the ECB reference rate of the announcement date."),
    "source_pipeline": ("Fuente: anuncios del observatorio y su historial de cambios de estatus "
                        "(cada cambio con la fecha de su fuente).",
                        "Source: the observatory's announcements and their status-change history "
                        "(each change with its source's date)."),
    "source_inegi": ("Fuente: INEGI, Marco Geoestadístico 2023 y Censo de Población y Vivienda 2020.",
                     "Source: INEGI, Marco Geoestadístico 2023 and 2020 Population and Housing "
                     "Census."),
    "investment_musd": ("Inversión anunciada (MDD)", "Announced investment (USD M)"),
    "investment": ("Inversión anunciada", "Announced investment"),
    "jobs": ("Empleos anunciados", "Announced jobs"),
    "projects": ("Proyectos", "Projects"),
    "companies": ("Empresas", "Companies"),
    "year": ("Año", "Year"),
    "quarter": ("Trimestre", "Quarter"),
    "company": ("Empresa", "Company"),
    "parent_group": ("Grupo", "Parent group"),
    "park": ("Parque industrial", "Industrial park"),
    "date": ("Fecha", "Date"),
    "amount_musd": ("Monto (MDD)", "Amount (USD M)"),
    "vs_previous": ("vs. periodo anterior", "vs. previous period"),
    "no_comparison": ("sin periodo anterior comparable", "no comparable previous period"),
    "undated": ("sin fecha", "undated"),
    "unknown": ("No indicado", "Not stated"),
    "other": ("Otros", "Other"),
    "villa_de_pozos_in_map": ("incluye Villa de Pozos", "includes Villa de Pozos"),
    # the cluster (analytics/cluster.py)
    "source_roster": ("Fuente: padrón del comité de desarrollo de proveedores, cargado en Datos "
                      "(datos públicos del padrón: nombre, municipio, tamaño, procesos y avance).",
                      "Source: the supplier development committee's roster, loaded on the Data "
                      "page (its public data: name, municipality, size, processes and progress)."),
    "source_actions": ("Fuente: acuerdos de los comités del clúster, cargados en Datos.",
                       "Source: the cluster committees' actions, loaded on the Data page."),
    # Official statistics (analytics/official.py and its pages)
    "source_se": ("Fuente: Secretaría de Economía, Registro Nacional de Inversiones Extranjeras "
                  "(RNIE), IED por entidad federativa (domicilio fiscal del inversionista).",
                  "Source: Secretaría de Economía, Registro Nacional de Inversiones Extranjeras "
                  "(RNIE), FDI by state (the investor's fiscal domicile)."),
    "source_etef": ("Fuente: INEGI, Exportaciones Trimestrales por Entidad Federativa (ETEF), "
                    "cifras preliminares y revisadas; INEGI publica miles de dólares.",
                    "Source: INEGI, Exportaciones Trimestrales por Entidad Federativa (ETEF), "
                    "preliminary and revised figures; INEGI publishes thousands of dollars."),
    "source_imss": ("Fuente: IMSS, puestos de trabajo afiliados (histórico de empleo); cuenta "
                    "puestos, no personas.",
                    "Source: IMSS, insured jobs (employment history); it counts jobs, not "
                    "persons."),
    "source_denue": ("Fuente: INEGI, DENUE, ediciones 2015 y 2019 (altas y bajas calculadas por "
                     "jjsantos01/denue-movimientos).",
                     "Source: INEGI, DENUE, 2015 and 2019 editions (units appeared and closed "
                     "computed by jjsantos01/denue-movimientos)."),
    "announcements_vs_fdi": (
        "**Anuncios e IED no son lo mismo.** Un anuncio es el plan que una empresa declara (a "
        "menudo de varios años, puede cambiar o no ejecutarse). La IED de la SE es el flujo "
        "registrado, atribuido a la entidad del domicilio fiscal de la empresa (no a donde está "
        "la planta); incluye reinversión y cuentas entre compañías, y puede ser negativa.",
        "**Announcements and FDI are different things.** An announcement is a company's stated "
        "plan (often over several years; it may change or never happen). SE's FDI is the flow "
        "recorded, attributed to the state of the company's fiscal domicile (not where the plant "
        "is); it includes reinvestment and intercompany accounts, and can be negative."),
}  # fmt: skip

# Labels of the warehouse's coded values: the intake's own vocabularies, so that what a clerk may
# type and what a reader sees never drift apart.
EVENT_TYPES = vocabularies.EVENT_TYPES.codes
STATUSES = vocabularies.STATUSES.codes
TIERS = vocabularies.TIERS.codes
REGIONS = {**countries.REGIONS, "unknown": ("Origen no indicado", "Origin not stated")}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "es" else pair[1]


def t(key: str, lang: str) -> str:
    return pick(TEXTS[key], lang)


def label(codes: dict[str, tuple[str, str]], code, lang: str) -> str:
    """A coded value's label; unknown codes are shown as written, blanks as 'not stated'."""
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return t("unknown", lang)
    return pick(codes[code], lang) if code in codes else str(code)


# ---------------------------------------------------------------- numbers


def _missing(value) -> bool:
    """None, NaN, NaT and pandas' NA (nullable integer columns) all mean 'not stated'."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def each(values, fn) -> list:
    """fn of each value, worked out once per distinct value: countries, dates and amounts repeat
    in long tables, and formatting them one by one is most of such a table's cost."""
    done: dict = {}
    return [done[v] if v in done else done.setdefault(v, fn(v)) for v in values]


def fmt_number(value, lang: str, decimals: int = 0) -> str:
    if _missing(value):
        return "–"
    # es-MX and en-US group and mark decimals alike (1,234.5), so one format serves both. Decimal of
    # the written value rounds half-even as babel's format_decimal does (checked equal on 180,000
    # values, tests/test_analytics.py) at a twelfth of its cost: tables format thousands of cells.
    return format(Decimal(str(value)), f",.{decimals}f")


def fmt_musd(value, lang: str, decimals: int = 1) -> str:
    """Millions of USD as officials write them: '1,234.5 MDD' / 'US$1,234.5M'."""
    if _missing(value):
        return "–"
    number = fmt_number(value, lang, decimals)
    return f"{number} MDD" if lang == "es" else f"US${number}M"


def fmt_pct(ratio, lang: str, signed: bool = False, decimals: int = 0) -> str:
    if _missing(ratio):
        return "–"
    text = fmt_number(abs(ratio) * 100, lang, decimals) + " %"
    if signed:
        text = ("+" if ratio > 0 else "−" if ratio < 0 else "±") + text
    return text


def fmt_share(part, whole, lang: str) -> str:
    """part as a percentage of whole ('45 %'), or a dash when there is no whole."""
    return fmt_pct(part / whole, lang) if whole else "–"


# Countable nouns: (singular, plural) per language.
NOUNS = {
    "projects": (("proyecto", "proyectos"), ("project", "projects")),
    "announcements": (("anuncio", "anuncios"), ("announcement", "announcements")),
}


def count_text(n, noun: str, lang: str) -> str:
    """'1 proyecto', '25 proyectos', '1,234 announcements'."""
    singular, plural = pick(NOUNS[noun], lang)
    return f"{fmt_number(n, lang)} {singular if n == 1 else plural}"


# ---------------------------------------------------------------- dates

_DATE_PATTERNS = {
    ("es", "day"): "d 'de' MMMM 'de' y",
    ("en", "day"): "MMMM d, y",
    ("es", "month"): "LLLL 'de' y",
    ("en", "month"): "LLLL y",
}


def fmt_date(day, precision: str | None, lang: str) -> str:
    """A date as precisely as it was stated: '20 de marzo de 2024', 'marzo de 2024', '2024'."""
    if precision not in ("day", "month", "year") or day is None:
        return t("undated", lang)
    if hasattr(day, "date"):
        day = day.date()
    if precision == "year":
        return str(day.year)
    return format_date(day, _DATE_PATTERNS[lang, precision], locale=LOCALES[lang])


def fmt_period(date_from: date | None, date_to: date | None, lang: str) -> str:
    """'2019–2024' for whole years, else 'enero de 2024 – febrero de 2024'."""
    if not (date_from and date_to):
        return t("all", lang)
    whole_years = (date_from.month, date_from.day, date_to.month, date_to.day) == (1, 1, 12, 31)
    if whole_years:
        if date_from.year == date_to.year:
            return str(date_from.year)
        return f"{date_from.year}–{date_to.year}"
    return f"{fmt_date(date_from, 'day', lang)} – {fmt_date(date_to, 'day', lang)}"


def quarter_label(year: int, quarter: int, lang: str) -> str:
    return f"{year} T{quarter}" if lang == "es" else f"{year} Q{quarter}"


def fmt_months(date_from: date | None, date_to: date | None, lang: str) -> str:
    """A meeting period as people say it: 'enero–febrero de 2024' / 'January–February 2024',
    'noviembre de 2023 – febrero de 2024', '2024'; other spans as fmt_period writes them."""
    if not (date_from and date_to):
        return fmt_period(date_from, date_to, lang)
    whole_months = date_from.day == 1 and (date_to.toordinal() + 1) == _next_month(date_to)
    if not whole_months or (date_from.month, date_to.month) == (1, 12):
        return fmt_period(date_from, date_to, lang)
    locale = LOCALES[lang]
    if (date_from.year, date_from.month) == (date_to.year, date_to.month):
        return fmt_date(date_from, "month", lang)
    if date_from.year == date_to.year:
        first = format_date(date_from, "LLLL", locale=locale)
        return f"{first}–{fmt_date(date_to, 'month', lang)}"
    return f"{fmt_date(date_from, 'month', lang)} – {fmt_date(date_to, 'month', lang)}"


def _next_month(day: date) -> int:
    """Ordinal of the first day of the month after `day`'s."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1).toordinal()
