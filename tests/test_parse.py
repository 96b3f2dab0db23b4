"""Cell parsers of the announcements intake: amounts, currencies, dates, jobs, vocabularies, rates."""

import math
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from unicodedata import combining

import pandas as pd
import pytest
from currency_converter import CurrencyConverter
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.parse import (
    CURRENCIES,
    EVENT_TYPES,
    SECTORS,
    STATUSES,
    TIERS,
    Amount,
    CellError,
    HeaderUnit,
    PartialDate,
    Rates,
    header_unit,
    normalize,
    parse_amount,
    parse_currency,
    parse_date,
    parse_jobs,
)

ANNOUNCEMENTS = Path(__file__).parents[1] / "data/raw/announcements/slp_announcements.csv"
TODAY = date(2026, 11, 22)
BLANKS = [None, float("nan"), pd.NA, "", "  ", "-", "n/d", "N/D", "nd", "s/d", "no disponible"]


def assert_cell_error(call, *args, **kwargs) -> CellError:
    """The call raises CellError naming the offending value, in two different languages."""
    with pytest.raises(CellError) as caught:
        call(*args, **kwargs)
    error = caught.value
    shown = str(args[0]).strip()
    assert shown in error.es
    assert shown in error.en
    assert error.es and error.en and error.es != error.en
    assert str(error) == error.es
    return error


# ---------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Nueva   Línea ", "nueva linea"),
        ("EE.UU.", "ee uu"),
        ("monto_millones_mxn", "monto millones mxn"),
        ("Japón", "japon"),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@given(st.text())
@settings(max_examples=200)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("cell", "value", "currency"),
    [
        ("150 mdd", 150_000_000.0, "USD"),
        ("US$ 1,200 millones", 1_200_000_000.0, "USD"),
        ("3,500 mdp", 3_500_000_000.0, "MXN"),
        ("€800 millones", 800_000_000.0, "EUR"),
        ("1.2 mil millones de dólares", 1_200_000_000.0, "USD"),
        ("USD 45M", 45_000_000.0, "USD"),
        ("45 MUSD", 45_000_000.0, "USD"),
        ("45 million dollars", 45_000_000.0, "USD"),
        ("1.5 billion USD", 1_500_000_000.0, "USD"),
        ("1.5 bn", 1_500_000_000.0, None),
        ("¥5,000 millones", 5_000_000_000.0, "JPY"),
        ("500 millones de yuanes", 500_000_000.0, "CNY"),
        ("RMB 500 millones", 500_000_000.0, "CNY"),
        ("₩ 100 mil millones", 100_000_000_000.0, "KRW"),
        ("100 mil millones de wones", 100_000_000_000.0, "KRW"),
        ("$ 300 millones de pesos", 300_000_000.0, "MXN"),
        ("más de 100 mdd", 100_000_000.0, "USD"),
        ("more than 100 million", 100_000_000.0, None),
        ("1,200", 1200.0, None),
        ("1,200,000", 1_200_000.0, None),
        ("1.200.000,5", 1_200_000.5, None),
        ("1,200,000.50", 1_200_000.5, None),
        ("0.125 mdd", 125_000.0, "USD"),
        ("1234.567", 1234.567, None),
        ("0,5 millones", 500_000.0, None),
        ("1,5 millones de euros", 1_500_000.0, "EUR"),
        ("300 millones M.N.", 300_000_000.0, "MXN"),
        ("500 mil dólares", 500_000.0, "USD"),
        ("2 mmdd", 2_000_000_000.0, "USD"),
        ("120000000", 120_000_000.0, None),  # as written in the shipped CSV
        (120_000_000, 120_000_000.0, None),
        (1.2e8, 120_000_000.0, None),
        (Decimal("150000000.5"), 150_000_000.5, None),
    ],
)
def test_parse_amount(cell, value, currency):
    assert parse_amount(cell) == Amount(value, currency)


@pytest.mark.parametrize("cell", BLANKS)
def test_parse_amount_blank(cell):
    assert parse_amount(cell) is None


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("Monto (MDD)", HeaderUnit(1e6, "USD")),
        ("monto_millones_mxn", HeaderUnit(1e6, "MXN")),
        ("Inversión (millones de pesos)", HeaderUnit(1e6, "MXN")),
        ("Amount (USD m)", HeaderUnit(1e6, "USD")),
        ("amount_musd", HeaderUnit(1e6, "USD")),
        ("Monto (EUR)", HeaderUnit(1, "EUR")),
        ("Inversión (mil millones de pesos)", HeaderUnit(1e9, "MXN")),
        ("Amount (USD billion)", HeaderUnit(1e9, "USD")),
        ("monto", None),
        ("amount", None),
        ("inversión", None),
    ],
)
def test_header_unit(header, unit):
    assert header_unit(header) == unit


def test_header_unit_with_two_currencies():
    assert_cell_error(header_unit, "Monto (USD / MXN)")


@pytest.mark.parametrize(
    ("header", "cell", "expected"),
    [
        ("Monto (MDD)", 150, Amount(150_000_000.0, "USD")),
        ("Monto (MDD)", "150", Amount(150_000_000.0, "USD")),
        ("Monto (MDD)", "150 millones", Amount(150_000_000.0, "USD")),
        ("Monto (MDD)", "1.2 mil millones", Amount(1_200_000_000.0, "USD")),  # the cell's unit wins
        ("Monto (MDD)", "150 USD", Amount(150_000_000.0, "USD")),
        ("Monto (MXN)", "$ 300 millones", Amount(300_000_000.0, "MXN")),
        ("Monto (EUR)", 800_000_000, Amount(800_000_000.0, "EUR")),
        ("monto", 150, Amount(150.0, None)),
    ],
)
def test_parse_amount_with_header_unit(header, cell, expected):
    assert parse_amount(cell, header_unit(header)) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "abc",
        "-5 mdd",
        -150_000_000,
        0,
        "0 mdd",
        "$ 300 millones",  # $ alone: pesos or dollars?
        "1.500 mdd",  # thousands point or decimal point?
        "1.5 billones de pesos",  # Spanish billón (10^12) or English billion (10^9)?
        "100-150 mdd",
        "150 mdd en pesos",
        "1,2,3",
        "150 mdd aprox 2024",
        "dólares canadienses 5",
        True,
        float("inf"),
    ],
)
def test_parse_amount_errors(cell):
    assert_cell_error(parse_amount, cell)


def test_parse_amount_not_an_amount_message():
    error = assert_cell_error(parse_amount, "abc")
    assert error.es == "'abc' no es un monto. Escriba por ejemplo 150 mdd o 150000000."


def test_parse_amount_currency_conflicts_with_header():
    error = assert_cell_error(parse_amount, "150 mdp", unit=HeaderUnit(1e6, "USD"))
    assert "MXN" in error.es and "USD" in error.en


@given(st.integers(min_value=1, max_value=10**14))
@settings(max_examples=200)
def test_parse_amount_round_trips_mdd(cents):
    x = cents / 100
    amount = parse_amount(f"{x:,.2f} mdd")
    assert amount.currency == "USD"
    assert amount.value == pytest.approx(x * 1e6, rel=1e-6)


# ---------------------------------------------------------------- currencies


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("USD", "USD"),
        ("usd", "USD"),
        ("Dólar", "USD"),
        ("dólares", "USD"),
        ("dolares", "USD"),
        ("US$", "USD"),
        ("dlls", "USD"),
        ("dólares estadounidenses", "USD"),
        ("peso", "MXN"),
        ("Pesos", "MXN"),
        ("mxn", "MXN"),
        ("MN", "MXN"),
        ("M.N.", "MXN"),
        ("pesos mexicanos", "MXN"),
        ("euro", "EUR"),
        ("Euros", "EUR"),
        ("€", "EUR"),
        ("yen", "JPY"),
        ("yenes", "JPY"),
        ("¥", "JPY"),
        ("yuan", "CNY"),
        ("yuanes", "CNY"),
        ("renminbi", "CNY"),
        ("RMB", "CNY"),
        ("won", "KRW"),
        ("wones", "KRW"),
        ("₩", "KRW"),
        ("krw", "KRW"),
        ("gbp", "GBP"),
        ("CAD", "CAD"),
    ],
)
def test_parse_currency(cell, code):
    assert parse_currency(cell) == code


@pytest.mark.parametrize("cell", [None, float("nan"), "", "-", "n/d"])
def test_parse_currency_blank(cell):
    assert parse_currency(cell) is None


@pytest.mark.parametrize("cell", ["BTC", "XYZ", "dólares canadienses", "pesos y dólares"])
def test_parse_currency_unknown_lists_accepted(cell):
    error = assert_cell_error(parse_currency, cell)
    for code in ("USD", "MXN", "EUR", "JPY", "CNY", "KRW"):
        assert code in error.es and code in error.en


def test_parse_currency_bare_dollar_sign_is_ambiguous():
    error = assert_cell_error(parse_currency, "$")
    assert "MXN" in error.es and "USD" in error.en


@pytest.fixture(scope="module")
def converter() -> CurrencyConverter:
    return CurrencyConverter()


def test_currencies_have_rates_to_the_end_of_the_series(converter):
    assert CURRENCIES[:6] == ("USD", "MXN", "EUR", "JPY", "CNY", "KRW")
    last = converter.bounds["USD"].last_date
    for code in CURRENCIES:
        assert parse_currency(code) == code
        assert converter.bounds[code].last_date == last


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-20", PartialDate(date(2024, 3, 20), "day")),
        ("20/03/2024", PartialDate(date(2024, 3, 20), "day")),
        ("20-03-2024", PartialDate(date(2024, 3, 20), "day")),
        ("20.03.2024", PartialDate(date(2024, 3, 20), "day")),
        ("2024/03/20", PartialDate(date(2024, 3, 20), "day")),
        ("2024-03-20 00:00:00", PartialDate(date(2024, 3, 20), "day")),
        ("5/3/2024", PartialDate(date(2024, 3, 5), "day")),  # day first, as in Mexico
        ("20 de marzo de 2024", PartialDate(date(2024, 3, 20), "day")),
        ("March 20, 2024", PartialDate(date(2024, 3, 20), "day")),
        ("2024-03", PartialDate(date(2024, 3, 1), "month")),
        ("03/2024", PartialDate(date(2024, 3, 1), "month")),
        ("marzo 2024", PartialDate(date(2024, 3, 1), "month")),
        ("marzo de 2024", PartialDate(date(2024, 3, 1), "month")),
        ("Marzo de 2024", PartialDate(date(2024, 3, 1), "month")),
        ("mar 2024", PartialDate(date(2024, 3, 1), "month")),
        ("Mar-2024", PartialDate(date(2024, 3, 1), "month")),
        ("March 2024", PartialDate(date(2024, 3, 1), "month")),
        ("sept 2024", PartialDate(date(2024, 9, 1), "month")),
        ("Dic. 2023", PartialDate(date(2023, 12, 1), "month")),
        ("2024", PartialDate(date(2024, 1, 1), "year")),
        (2024, PartialDate(date(2024, 1, 1), "year")),
        (2024.0, PartialDate(date(2024, 1, 1), "year")),
        (date(2024, 3, 20), PartialDate(date(2024, 3, 20), "day")),
        (datetime(2024, 3, 20, 10, 30), PartialDate(date(2024, 3, 20), "day")),
        (pd.Timestamp("2024-03-20"), PartialDate(date(2024, 3, 20), "day")),
        ("2026-11-22", PartialDate(TODAY, "day")),  # today itself is allowed
        ("2026-11", PartialDate(date(2026, 11, 1), "month")),  # the current month too
    ],
)
def test_parse_date(cell, expected):
    assert parse_date(cell, TODAY) == expected


@pytest.mark.parametrize("cell", [*BLANKS, pd.NaT, "s/f"])
def test_parse_date_blank(cell):
    assert parse_date(cell, TODAY) is None


@pytest.mark.parametrize(
    "cell",
    [
        "31/02/2024",  # impossible
        "2024-13",
        "00/03/2024",
        "abc",
        "Marzzo 2024",
        "20/03/24",  # two-digit year
        "2026-11-23",  # future
        "2027",
        date(2027, 1, 1),
        "1989",  # before the observatory's scope
        datetime(1985, 5, 1),
        45371,  # an Excel serial number, not a year
        2024.5,
        True,
    ],
)
def test_parse_date_errors(cell):
    assert_cell_error(parse_date, cell, TODAY)


@pytest.mark.parametrize(
    ("partial", "end", "midpoint"),
    [
        (PartialDate(date(2024, 3, 20), "day"), date(2024, 3, 20), date(2024, 3, 20)),
        (PartialDate(date(2024, 2, 1), "month"), date(2024, 2, 29), date(2024, 2, 15)),
        (PartialDate(date(2023, 2, 1), "month"), date(2023, 2, 28), date(2023, 2, 15)),
        (PartialDate(date(2024, 1, 1), "year"), date(2024, 12, 31), date(2024, 7, 1)),
    ],
)
def test_partial_date_end_and_midpoint(partial, end, midpoint):
    assert (partial.end, partial.midpoint) == (end, midpoint)


MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
         "octubre", "noviembre", "diciembre"]  # fmt: skip


@given(st.dates(min_value=date(1990, 1, 1), max_value=TODAY))
@settings(max_examples=200)
def test_parse_date_round_trips(day):
    assert parse_date(day.isoformat(), TODAY) == PartialDate(day, "day")
    assert parse_date(day.strftime("%d/%m/%Y"), TODAY) == PartialDate(day, "day")
    month_text = f"{MESES[day.month - 1]} {day.year}"
    assert parse_date(month_text, TODAY) == PartialDate(day.replace(day=1), "month")


def test_every_shipped_date_parses():
    dates = pd.read_csv(ANNOUNCEMENTS, dtype=str)["announced_date"].dropna()
    assert all(parse_date(cell, TODAY) for cell in dates)


# ---------------------------------------------------------------- exchange rates


@pytest.fixture(scope="module")
def rates() -> Rates:
    return Rates()


def test_rates_known_figure(rates, converter):
    on = date(2024, 3, 20)  # a Wednesday with an ECB fixing
    usd, rate_date = rates.to_usd(3_500_000_000.0, "MXN", on)
    assert rate_date == on
    assert usd == converter.convert(3_500_000_000.0, "MXN", "USD", on)
    assert parse_amount("3,500 mdp") == Amount(3_500_000_000.0, "MXN")


@pytest.mark.parametrize(
    ("on", "published"),
    [
        (date(2024, 3, 23), date(2024, 3, 22)),  # Saturday -> Friday
        (date(2024, 3, 24), date(2024, 3, 22)),  # Sunday -> Friday
        (date(2024, 12, 25), date(2024, 12, 24)),  # ECB holiday
    ],
)
def test_rates_use_the_closest_earlier_fixing(rates, converter, on, published):
    usd, rate_date = rates.to_usd(1_000_000.0, "EUR", on)
    assert rate_date == published
    assert usd == converter.convert(1_000_000.0, "EUR", "USD", published)


def test_rates_after_the_series_end_use_the_last_rate(rates, converter):
    last = converter.bounds["MXN"].last_date
    usd, rate_date = rates.to_usd(1_000_000.0, "MXN", date(2026, 11, 20))
    assert rate_date == last
    assert usd == converter.convert(1_000_000.0, "MXN", "USD", last)


def test_rates_before_the_series_start_use_the_first_rate(rates, converter):
    first = converter.bounds["MXN"].first_date  # the ECB quotes MXN from 2008
    usd, rate_date = rates.to_usd(1_000_000.0, "MXN", date(2005, 6, 1))
    assert rate_date == first
    assert usd == converter.convert(1_000_000.0, "MXN", "USD", first)


def test_rates_usd_is_identity(rates):
    assert rates.to_usd(123.0, "USD", date(2024, 3, 23)) == (123.0, date(2024, 3, 23))


def test_rates_unknown_currency(rates):
    with pytest.raises(CellError) as caught:
        rates.to_usd(1.0, "BTC", date(2024, 3, 20))
    assert "BTC" in caught.value.es and "BTC" in caught.value.en


# ---------------------------------------------------------------- jobs


@pytest.mark.parametrize(
    ("cell", "jobs"),
    [
        ("1,500", 1500),
        (1500, 1500),
        (1500.0, 1500),
        ("1500 empleos", 1500),
        ("1.500", 1500),
        ("más de 1,500 empleos directos", 1500),
        ("0", 0),
        ("100000", 100_000),
    ],
)
def test_parse_jobs(cell, jobs):
    assert parse_jobs(cell) == jobs


@pytest.mark.parametrize("cell", BLANKS)
def test_parse_jobs_blank(cell):
    assert parse_jobs(cell) is None


@pytest.mark.parametrize(
    "cell",
    ["-5", -5, 1500.5, "1500.5", "1,5", "abc", "1500 indirectos", "100001", 150_000, True],
)
def test_parse_jobs_errors(cell):
    assert_cell_error(parse_jobs, cell)


# ---------------------------------------------------------------- vocabularies


@pytest.mark.parametrize(
    ("vocabulary", "cell", "code"),
    [
        (EVENT_TYPES, "new_plant", "new_plant"),
        (EVENT_TYPES, "Nueva planta", "new_plant"),
        (EVENT_TYPES, "planta nueva", "new_plant"),
        (EVENT_TYPES, "Greenfield", "new_plant"),
        (EVENT_TYPES, "Expansión", "expansion"),
        (EVENT_TYPES, "ampliacion", "expansion"),
        (EVENT_TYPES, "nueva línea", "new_line"),
        (EVENT_TYPES, "Reubicación", "relocation"),
        (EVENT_TYPES, "relocalización", "relocation"),
        (EVENT_TYPES, "Cancelación", "cancellation"),
        (EVENT_TYPES, "cancelado", "cancellation"),
        (STATUSES, "anunciado", "announced"),
        (STATUSES, "Anunciada", "announced"),
        (STATUSES, "en construccion", "under_construction"),
        (STATUSES, "En operación", "operating"),
        (STATUSES, "operando", "operating"),
        (STATUSES, "operativa", "operating"),
        (STATUSES, "cancelado", "cancelled"),
        (STATUSES, "Cancelada", "cancelled"),
        (STATUSES, "desconocido", "unknown"),
        (STATUSES, "sin dato", "unknown"),
        (STATUSES, "n/d", "unknown"),
        (TIERS, "OEM", "OEM"),
        (TIERS, "armadora", "OEM"),
        (TIERS, "Tier 1", "Tier 1"),
        (TIERS, "tier1", "Tier 1"),
        (TIERS, "T1", "Tier 1"),
        (TIERS, "nivel 1", "Tier 1"),
        (TIERS, "Proveedor nivel 1", "Tier 1"),
        (TIERS, "tier 2", "Tier 2"),
        (TIERS, "Tier 3", "Tier 3"),
        (TIERS, "servicios", "services"),
        (TIERS, "desconocido", "unknown"),
        (SECTORS, "powertrain", "powertrain"),
        (SECTORS, "Tren motriz", "powertrain"),
        (SECTORS, "Ensamble de vehículos (OEM)", "OEM vehicle assembly"),
        (SECTORS, "Baterías y vehículo eléctrico", "battery/EV"),
        (SECTORS, "Battery/EV", "battery/EV"),
        (SECTORS, "autopartes", "automotive components (unspecified)"),
        (SECTORS, "llantas", "tires/rubber"),
    ],
)
def test_vocabulary_parse(vocabulary, cell, code):
    assert vocabulary.parse(cell) == code


@pytest.mark.parametrize("vocabulary", [EVENT_TYPES, STATUSES, TIERS, SECTORS])
def test_vocabulary_names_are_unambiguous(vocabulary):
    """Every code, label and alias parses back to its own code (no name serves two codes)."""
    assert vocabulary.parse(None) is None
    assert vocabulary.parse("") is None
    for code, (label_es, label_en) in vocabulary.codes.items():
        assert label_es and label_en
        for name in (code, label_es, label_en):
            assert vocabulary.parse(name) == code
    for alias, code in vocabulary.aliases.items():
        assert alias == normalize(alias)
        assert vocabulary.parse(alias) == code


def test_vocabulary_error_names_the_closest_values_and_the_full_list_comes_once():
    """The rejected cell names the three closest values; every accepted value is listed once per
    report (Vocabulary.accepted), not in every rejected row."""
    error = assert_cell_error(TIERS.parse, "tier 9")
    assert "«Tier 1», «Tier 2», «Tier 3»" in error.es and "'Tier 1', 'Tier 2', 'Tier 3'" in error.en
    assert "Servicios" not in error.es
    es, en = TIERS.accepted()
    assert "Servicios" in es and "Desconocido" in es and "Services" in en and "Unknown" in en


@pytest.mark.parametrize(
    ("column", "vocabulary"),
    [("sector", SECTORS), ("tier", TIERS), ("event_type", EVENT_TYPES), ("status", STATUSES)],
)
def test_shipped_values_are_codes(column, vocabulary):
    values = set(pd.read_csv(ANNOUNCEMENTS, dtype=str)[column].dropna())
    assert {vocabulary.parse(value) for value in values} == values
    if vocabulary is SECTORS:
        assert set(SECTORS.codes) == values and len(values) == 20


# ---------------------------------------------------------------- properties: garbage and spellings
# Random cells never pass silently: a parser either raises CellError (with a message in each
# language) or returns a value within its domain.

MUNICIPAL_CATALOG = Path(__file__).parents[1] / "data/raw/geo/slp_municipios_catalogo.csv"
STATE_SUFFIXES = ["", ", S.L.P.", ", SLP", ", San Luis Potosí", " , s.l.p."]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not combining(c)))


def _recase(text: str, flips: list[bool]) -> str:
    return "".join(
        (c.upper() if flip else c.lower())
        for c, flip in zip(text, flips + [False] * len(text), strict=False)
    )


@pytest.fixture(scope="module")
def municipality_matcher_():
    from etl.load import municipality_matcher

    return municipality_matcher()


def _official_names() -> list[tuple[str, str]]:
    catalog = pd.read_csv(MUNICIPAL_CATALOG, dtype=str)
    names = [(row.NOMGEO, row.CVEGEO) for row in catalog.itertuples()]
    names += [(row.NOM_MUN_ABREV_CENSO2020, row.CVEGEO) for row in catalog.itertuples()]
    return sorted(set(names)) + [("Villa de Pozos", "24028")]


OFFICIAL_MUNICIPALITIES = _official_names()


def test_the_catalogue_has_58_municipalities():
    assert len({key for _, key in OFFICIAL_MUNICIPALITIES}) == 58


@given(
    st.sampled_from(OFFICIAL_MUNICIPALITIES),
    st.lists(st.booleans(), max_size=60),
    st.booleans(),
    st.sampled_from(STATE_SUFFIXES),
)
@settings(max_examples=300, deadline=None)
def test_every_official_municipality_name_matches_its_key(
    municipality_matcher_, entry, flips, strip, suffix
):
    name, cvegeo = entry
    written = _recase(_strip_accents(name) if strip else name, flips) + suffix
    assert municipality_matcher_.match(written)[1] == cvegeo


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_garbage_never_matches_a_municipality_silently(municipality_matcher_, cell):
    keys = {key for _, key in OFFICIAL_MUNICIPALITIES}
    try:
        found = municipality_matcher_.match(cell)
    except CellError as error:
        assert error.es and error.en
        return
    if found is None:
        assert normalize(cell) == ""
    else:
        assert found[1] in keys


@pytest.fixture(scope="module")
def country_names():
    from etl.countries import countries_frame

    frame = countries_frame()
    return [(r.iso2, r.name_es, r.name_en, r.iso3) for r in frame.itertuples()]


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_every_country_matches_by_code_and_names_in_any_case(country_names, data):
    from etl.countries import match_country

    iso2, name_es, name_en, iso3 = data.draw(st.sampled_from(country_names))
    written = data.draw(st.sampled_from([iso2, iso3, name_es, name_en, _strip_accents(name_es)]))
    flips = data.draw(st.lists(st.booleans(), max_size=60))
    assert match_country(_recase(written, flips)) == iso2


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_garbage_never_matches_a_country_silently(country_names, cell):
    from etl.countries import match_country

    try:
        found = match_country(cell)
    except CellError as error:
        assert error.es and error.en
        return
    assert found is None or found in {iso2 for iso2, *_ in country_names}


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True), st.integers()))
@settings(max_examples=400, deadline=None)
def test_garbage_is_never_a_silent_amount(cell):
    try:
        amount = parse_amount(cell)
    except CellError as error:
        assert error.es and error.en
        return
    if amount is not None:
        assert math.isfinite(amount.value) and amount.value > 0
        assert amount.currency is None or amount.currency in CURRENCIES


@given(
    st.decimals(min_value="0.01", max_value="99999", places=2),
    st.sampled_from(
        [
            ("mdd", "USD"),
            ("mdp", "MXN"),
            ("millones de dólares", "USD"),
            ("millones de pesos", "MXN"),
            ("millones de euros", "EUR"),
            ("millones de yenes", "JPY"),
        ]
    ),  # fmt: skip
)
@settings(max_examples=200, deadline=None)
def test_amounts_in_millions_with_their_currency_word(number, unit):
    word, currency = unit
    amount = parse_amount(f"{number:,} {word}")
    assert amount.currency == currency
    assert amount.value == pytest.approx(float(number) * 1e6, rel=1e-9)


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True)))
@settings(max_examples=400, deadline=None)
def test_garbage_is_never_a_silent_date(cell):
    try:
        parsed = parse_date(cell, TODAY)
    except CellError as error:
        assert error.es and error.en
        return
    if parsed is not None:
        assert date(1990, 1, 1) <= parsed.start <= TODAY
        assert parsed.precision in ("day", "month", "year")
        assert parsed.start <= parsed.end


@given(st.dates(min_value=date(1990, 1, 1), max_value=TODAY))
@settings(max_examples=200, deadline=None)
def test_english_month_names_round_trip(day):
    assert parse_date(day.strftime("%B %Y"), TODAY) == PartialDate(day.replace(day=1), "month")
    assert parse_date(day.strftime("%B %d, %Y"), TODAY) == PartialDate(day, "day")


@given(st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2200, 1, 1)))
@settings(max_examples=100, deadline=None)
def test_future_dates_are_always_rejected(day):
    with pytest.raises(CellError):
        parse_date(day.isoformat(), TODAY)
