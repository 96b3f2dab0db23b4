"""Read side on the small fixture warehouse: filters, queries and formats give exact outputs."""

from datetime import date

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import queries
from analytics.filters import Filters
from analytics.i18n import fmt_date, fmt_musd, fmt_number, fmt_pct, fmt_period


@pytest.fixture(autouse=True)
def small(monkeypatch, small_warehouse):
    monkeypatch.setenv("WAREHOUSE_DB", str(small_warehouse))


def companies(frame) -> list[str]:
    return sorted(frame["company"])


def test_period_counts_an_announcement_only_when_its_whole_date_is_inside():
    # Gamma is dated "2022" (the whole year); Beta "2023-06"; Alfa 2024-03-20 and 2025-01-15.
    mid_2022 = Filters(date(2022, 1, 1), date(2022, 6, 30), include_undated=False)
    assert queries.announcements(mid_2022).empty
    year_2022 = Filters(date(2022, 1, 1), date(2022, 12, 31), include_undated=False)
    assert companies(queries.announcements(year_2022)) == ["Gamma Plásticos Sintética"]
    with_undated = Filters(date(2022, 1, 1), date(2022, 12, 31), include_undated=True)
    assert companies(queries.announcements(with_undated)) == [
        "Delta Tren Motriz Sintética",
        "Gamma Plásticos Sintética",
    ]


def test_list_filters_and_regions():
    asia = Filters(regions=("asia",))
    assert companies(queries.announcements(asia)) == [
        "Alfa Motores Sintética",
        "Alfa Motores Sintética",
        "Gamma Plásticos Sintética",
    ]
    pozos = Filters(places=("Villa de Pozos",))
    assert companies(queries.announcements(pozos)) == ["Gamma Plásticos Sintética"]
    nothing = Filters(countries=("CN",), sectors=("plastics",))
    assert queries.announcements(nothing).empty
    assert queries.headline(nothing)["projects"] == 0


def test_headline_sums():
    h = queries.headline(Filters(countries=("CN",)))
    assert (h["musd"], h["jobs"], h["projects"], h["companies"]) == (130.0, 600, 2, 1)


def test_municipalities_count_villa_de_pozos_inside_san_luis_potosi():
    frame = queries.municipalities(Filters()).set_index("cvegeo")
    assert len(frame) == 58
    assert frame.at["24028", "projects"] == 2  # Beta (San Luis Potosí) and Gamma (Villa de Pozos)
    assert frame.at["24028", "projects_in_places"] == 1
    assert frame.at["24050", "musd"] == 130.0
    assert frame["projects"].sum() == 4  # Delta states no municipality
    assert queries.unplaced(Filters())["projects"] == 1


def test_year_and_region_mix():
    mix = queries.by_year_and(Filters(), "region")
    assert mix[["year", "code", "projects"]].values.tolist() == [
        [2022, "asia", 1],
        [2023, "europe", 1],
        [2024, "asia", 1],
        [2025, "asia", 1],
    ]


def test_url_round_trip_and_hostile_values():
    f = Filters(date(2019, 1, 1), date(2025, 12, 31), False, countries=("CN", "JP"))
    params = f.to_query_params()
    assert params == {"desde": "2019-01-01", "hasta": "2025-12-31", "sin_fecha": "0",
                      "pais": ["CN", "JP"]}  # fmt: skip
    as_url = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    allowed = {"countries": {"CN", "JP"}}
    assert Filters.from_query_params(lambda k: as_url.get(k, []), allowed) == f

    hostile = {
        "desde": ["2019-01-01'; DROP TABLE announcements; --"],
        "pais": ["CN", "' OR 1=1 --", "<script>alert(1)</script>"],
        "sin_fecha": ["maybe"],
    }
    parsed = Filters.from_query_params(lambda k: hostile.get(k, []), allowed)
    assert parsed == Filters(countries=("CN",))


def test_previous_period_and_year_earlier():
    bimonthly = Filters(date(2024, 1, 1), date(2024, 2, 29))
    assert (bimonthly.previous_period().date_from, bimonthly.previous_period().date_to) == (
        date(2023, 11, 1),
        date(2023, 12, 31),
    )
    assert bimonthly.year_earlier().date_to == date(2023, 2, 28)
    years = Filters(date(2019, 1, 1), date(2024, 12, 31))
    assert years.previous_period().date_from == date(2013, 1, 1)


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1234.5, "es", "1,234.5 MDD"),
        (1234.5, "en", "US$1,234.5M"),
        (None, "es", "–"),
    ],
)
def test_amounts_as_officials_write_them(value, lang, expected):
    assert fmt_musd(value, lang) == expected


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.decimals(min_value=-10000, max_value=10000, places=3).map(float),  # ties such as 2.675
    ),
    st.sampled_from([0, 1, 2]),
    st.sampled_from(["es", "en"]),
)
def test_numbers_are_written_as_babel_writes_them_in_the_locale(value, decimals, lang):
    """fmt_number skips babel for speed; it must still write what babel writes for es-MX/en-US."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    locale = {"es": "es_MX", "en": "en_US"}[lang]
    assert fmt_number(value, lang, decimals) == format_decimal(value, format=pattern, locale=locale)


def test_number_date_and_period_formats():
    assert fmt_number(34334, "es") == "34,334"
    assert fmt_pct(0.125, "es", signed=True, decimals=1) == "+12.5 %"
    assert fmt_date(date(2024, 3, 20), "day", "es") == "20 de marzo de 2024"
    assert fmt_date(date(2024, 3, 1), "month", "es") == "marzo de 2024"
    assert fmt_date(date(2024, 3, 1), "month", "en") == "March 2024"
    assert fmt_date(date(2024, 1, 1), "year", "en") == "2024"
    assert fmt_date(None, None, "es") == "sin fecha"
    assert fmt_period(date(2019, 1, 1), date(2024, 12, 31), "es") == "2019–2024"
    assert fmt_period(date(2024, 1, 1), date(2024, 2, 29), "es") == (
        "1 de enero de 2024 – 29 de febrero de 2024"
    )
