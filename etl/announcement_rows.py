"""The rules across an announcement's cells, once every cell is parsed: the currency (the amount's
own or the currency column's), the exchange rate's date and the conversion to millions of USD, the
review flags, and the content id; the columns of the announcements table.
"""

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl import parse
from etl.cells import Coded, Problems, Texts, nones, objects
from etl.parse import CellError

PLAUSIBLE_MUSD = (0.1, 20_000.0)


def assemble(
    parsed: dict[str, "Coded | Texts"],
    row_numbers: np.ndarray,
    today: date,
    rates: parse.Rates,
    problems: Problems,
    column_names: dict[str, str],
) -> pd.DataFrame:
    """Row-level rules across cells (currency, conversion, flags) and the announcements columns.

    Every rule is worked out per distinct value (or pair of values) and indexed by row; only rows
    with a problem are visited one by one.
    """
    dates, places, amounts = parsed["announced_date"], parsed["municipality"], parsed["amount"]
    place_name = places.map(lambda p: p[0] if p else None)
    start = dates.map(lambda d: d.start if d else None)

    # The currency: the amount's own ("150 mdd") or the currency column's. Pairs are few.
    pairs = value_pairs(amounts.map(lambda a: (a is not None, a and a.currency)).compact(),
                   parsed["currency"])  # fmt: skip
    currency = pairs.map(lambda pair: (pair[0][1] or pair[1]) if pair[0][0] else None)
    mismatch = pairs.flags(lambda pair: pair[0][1] and pair[1] and pair[0][1] != pair[1])
    no_currency = pairs.flags(lambda pair: pair[0][0] and not (pair[0][1] or pair[1]))
    currency_column = column_names.get("currency", column_names.get("amount", "moneda"))
    for pos in np.flatnonzero(mismatch | no_currency):
        (_, own), stated = pairs.values[pairs.codes[pos]]
        if mismatch[pos]:
            problems.add(
                int(row_numbers[pos]),
                currency_column,
                stated,
                CellError(
                    es=f"La moneda {stated} no coincide con la del monto ({own}).",
                    en=f"Currency {stated} does not match the amount's ({own}).",
                ),
            )
        else:
            problems.add(
                int(row_numbers[pos]),
                column_names["amount"],
                amounts.values[amounts.codes[pos]].value,
                CellError(
                    es="El monto no indica moneda: escríbala en la columna moneda "
                    "(USD, MXN, EUR…) o en el monto (150 mdd).",
                    en="The amount states no currency: write it in the currency column "
                    "(USD, MXN, EUR…) or in the amount (150 mdd).",
                ),
            )

    # The exchange rate's date: the announcement's (midpoint of a month or year), else the source's.
    # Coded as the dates are: values are dates (or None), one code per row.
    fx_on = dates.map(lambda d: d.midpoint if d else None)
    fx_values, fx_codes = list(fx_on.values), fx_on.codes.copy()
    undated = np.flatnonzero(~dates.flags(lambda d: d is not None))
    if len(undated):
        source = parsed["source_date"].take(undated).coded().used()
        fx_codes[undated] = len(fx_values) + source.codes
        fx_values += [source_fx_date(text, today) for text in source.values]
    has_currency = currency.flags(lambda c: c is not None)
    # No date to take a rate from: today's, and a flag for review.
    no_date = np.array([day is None for day in fx_values], dtype=bool)[fx_codes]
    assumed = currency.flags(lambda c: c is not None and c != "USD") & no_date
    fx_codes[assumed] = len(fx_values)
    fx_on = Coded(fx_codes, objects([*fx_values, today]))

    rate = np.full(len(row_numbers), np.nan)
    rate_date = np.full(len(row_numbers), None, dtype=object)
    converted = np.flatnonzero(has_currency)
    on = value_pairs(currency.take(converted).used(), fx_on.take(converted).used().compact())
    per_pair = [rates.to_usd(1.0, c, day) for c, day in on.values]
    rate[converted] = np.array([r for r, _ in per_pair], dtype=float)[on.codes]
    rate_date[converted] = objects([d for _, d in per_pair])[on.codes]
    amount = amounts.map(lambda a: a.value if a else None).used()
    n = len(row_numbers)
    musd = amount.floats() * rate / 1e6
    low, high = PLAUSIBLE_MUSD
    implausible = (musd < low) | (musd > high)
    flags = Coded(
        assumed.astype(np.intp) * 2 + implausible,
        objects(
            ["", "implausible_amount", "fx_date_assumed", "fx_date_assumed;implausible_amount"]
        ),
    )
    columns = {
        "company": parsed["company"].text(),
        "parent_group": parsed["parent_group"].text(),
        "origin_iso2": parsed["origin_country"].text(),
        "sector": parsed["sector"].text(),
        "tier": parsed["tier"].text(),
        "event_type": parsed["event_type"].text(),
        "municipality": place_name.text(),
        "cvegeo": places.map(lambda p: p[1] if p else None).text(),
        "park": parsed["park"].text(),
        "announced_date": start.rows(),
        "date_precision": dates.map(lambda d: d.precision if d else None).text(),
        "announced_until": dates.map(lambda d: d.end if d else None).rows(),
        "announced_year": dates.map(lambda d: d.start.year if d else None).integers("Int32"),
        # As pandas infers a list of them: floats (NaN for none), or None throughout.
        "amount": amount.floats() if any(v is not None for v in amount.values) else nones(n),
        "currency": currency.text(),
        "amount_musd": musd,
        "fx_rate_date": rate_date,
        "jobs": parsed["jobs"].integers("Int64"),
        "status": parsed["status"].text(),
        "source_url": parsed["source_url"].text(),
        "source_title": parsed["source_title"].text(),
        "source_date": parsed["source_date"].text(),
        "notes": parsed["notes"].text(),
        "review_flags": flags.text(),
        "source_row": row_numbers.astype("int64"),
    }
    if len(row_numbers) == 0:  # nothing read (a template's example row): as pandas infers lists
        columns |= {
            k: [] for k, v in columns.items() if isinstance(v, np.ndarray) and k != "source_row"
        }
    out = pd.DataFrame(columns)
    as_text = {  # each ID_FIELDS value as str() writes it, "" for none
        "origin_iso2": parsed["origin_country"],
        "municipality": place_name,
        "announced_date": start.map(lambda d: "" if d is None else str(d)),
        "date_precision": dates.map(lambda d: d.precision if d else None),
        "amount": amounts.map(lambda a: "" if a is None else str(a.value)),
        "currency": currency,
        "jobs": parsed["jobs"].map(lambda j: "" if j is None else str(j)),
    }
    out["announcement_id"] = content_ids([as_text.get(f) or parsed[f] for f in ID_FIELDS])
    return out


def value_pairs(first: Coded, second: Coded) -> Coded:
    """Each row's (first value, second value), each distinct pair once."""
    width = len(second.values)
    codes, keys = pd.factorize(first.codes.astype(np.int64) * width + second.codes)
    return Coded(
        codes, objects([(first.values[k // width], second.values[k % width]) for k in keys])
    )


def source_fx_date(source_date_text, today: date) -> date | None:
    """An undated announcement's rate date: its source's date (midpoint), if readable."""
    if source_date_text:
        try:
            source = parse.parse_date(source_date_text, today)
        except CellError:
            return None
        return source.midpoint if source else None
    return None


ID_FIELDS = [
    "company", "parent_group", "origin_iso2", "sector", "tier", "event_type", "municipality",
    "park", "announced_date", "date_precision", "amount", "currency", "jobs", "status",
    "source_url", "source_title", "source_date", "notes",
]  # fmt: skip


def content_ids(columns: list["Coded | Texts"]) -> pd.Series | list:
    """A stable id from the row's content: the same row gets the same id in every rebuild.

    The sha1 of the ID_FIELDS values as text joined by \\x1f ("" for none); DuckDB hashes the rows
    in parallel, and gives the same digest as hashlib.
    """
    texts = pa.table({f"c{i}": col.arrow_codes() for i, col in enumerate(columns)})
    if texts.num_rows == 0:
        return []
    joined = ", ".join(f"coalesce({name}, '')" for name in texts.column_names)
    con = duckdb.connect()
    try:
        con.register("id_texts", texts)
        ids = con.sql(
            f"SELECT 'A' || left(sha1(concat_ws(chr(31), {joined})), 12) AS id FROM id_texts"  # noqa: S608
        ).to_arrow_table()
    finally:
        con.close()
    return ids.column("id").to_pandas()
