"""Language: shared texts, code labels, and es-MX / en-US formats of numbers, amounts and dates.

Spanish is the default. Page-specific texts live in their page as (es, en) pairs passed to pick().
"""

import math
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

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
    "source_fdi": ("Fuente: Secretaría de Economía, IED por entidad federativa (cifras preliminares, "
                   "revisadas cada trimestre).",
                   "Source: Secretaría de Economía, FDI by state (preliminary figures, revised "
                   "every quarter)."),
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
}  # fmt: skip

# Labels of the warehouse's coded values.
EVENT_TYPES = {
    "new_plant": ("Nueva planta", "New plant"),
    "expansion": ("Expansión", "Expansion"),
    "new_line": ("Nueva línea", "New line"),
    "relocation": ("Reubicación", "Relocation"),
    "cancellation": ("Cancelación", "Cancellation"),
}
STATUSES = {
    "announced": ("Anunciado", "Announced"),
    "under_construction": ("En construcción", "Under construction"),
    "operating": ("En operación", "Operating"),
    "cancelled": ("Cancelado", "Cancelled"),
    "unknown": ("Sin dato", "Unknown"),
}
TIERS = {
    "OEM": ("Armadora (OEM)", "OEM"),
    "Tier 1": ("Tier 1", "Tier 1"),
    "Tier 2": ("Tier 2", "Tier 2"),
    "Tier 3": ("Tier 3", "Tier 3"),
    "services": ("Servicios", "Services"),
    "unknown": ("Sin dato", "Unknown"),
}
REGIONS = {
    "asia": ("Asia", "Asia"),
    "europe": ("Europa", "Europe"),
    "north_america": ("Norteamérica (EUA y Canadá)", "North America (US and Canada)"),
    "mexico": ("México (nacional)", "Mexico (domestic)"),
    "latin_america": ("América Latina", "Latin America"),
    "other": ("Otras regiones", "Other regions"),
    "unknown": ("Origen no indicado", "Origin not stated"),
}
MONTHS_SHORT = {
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


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
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value, lang: str, decimals: int = 0) -> str:
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


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
