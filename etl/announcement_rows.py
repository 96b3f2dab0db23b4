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
from etl.cells import Coded, Problems, Texts, objects
from etl.parse import CellError

PLAUSIBLE_MUSD = (0.1, 20_000.0)


def assemble(
    parsed: dict[str, "Coded | Texts"],
    row_numbers: np.ndarray,
    today: date,
    rates: parse.Rates,
    problems: Problems,
    column_names: dict[str, str],
) -> pa.Table:
    """Row-level rules across cells (currency, conversion, flags) and the announcements columns,
    with each row's source_row and announcement_id.

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
    converted = np.flatnonzero(has_currency)
    on = value_pairs(currency.take(converted).used(), fx_on.take(converted).used().compact())
    per_pair = [rates.to_usd(1.0, c, day) for c, day in on.values]
    rate[converted] = np.array([r for r, _ in per_pair], dtype=float)[on.codes]
    # The date of the rate used, coded as the pairs are (no rate: None, the last value).
    rate_date_codes = np.full(len(row_numbers), len(per_pair), dtype=np.intp)
    rate_date_codes[converted] = on.codes
    rate_date = Coded(rate_date_codes, objects([*(d for _, d in per_pair), None]))
    amount = amounts.map(lambda a: a.value if a else None).used()
    musd = amount.floats() * rate / 1e6
    low, high = PLAUSIBLE_MUSD
    implausible = (musd < low) | (musd > high)
    flags = Coded(
        assumed.astype(np.intp) * 2 + implausible,
        objects(
            ["", "implausible_amount", "fx_date_assumed", "fx_date_assumed;implausible_amount"]
        ),
    )
    day, year = pa.date32(), pa.int32()
    columns = {
        "company": parsed["company"].arrow(),
        "parent_group": parsed["parent_group"].arrow(),
        "origin_iso2": parsed["origin_country"].arrow(),
        "sector": parsed["sector"].arrow(),
        "tier": parsed["tier"].arrow(),
        "event_type": parsed["event_type"].arrow(),
        "municipality": place_name.arrow(),
        "cvegeo": places.map(lambda p: p[1] if p else None).arrow(),
        "park": parsed["park"].arrow(),
        "announced_date": start.arrow(day),
        "date_precision": dates.map(lambda d: d.precision if d else None).arrow(),
        "announced_until": dates.map(lambda d: d.end if d else None).arrow(day),
        "announced_year": dates.map(lambda d: d.start.year if d else None).arrow(year),
        # Floats (null for none: NaN only in pandas), or null throughout.
        "amount": amount.arrow(pa.float64()),
        "currency": currency.arrow(),
        "amount_musd": pa.array(musd, from_pandas=True),
        "fx_rate_date": rate_date.arrow(day),
        "jobs": parsed["jobs"].arrow(pa.int64()),
        "status": parsed["status"].arrow(),
        "source_url": parsed["source_url"].arrow(),
        "source_title": parsed["source_title"].arrow(),
        "source_date": parsed["source_date"].arrow(),
        "notes": parsed["notes"].arrow(),
        "review_flags": flags.arrow(),
        "source_row": pa.array(row_numbers.astype("int64")),
    }
    as_text = {  # each ID_FIELDS value as str() writes it, "" for none
        "origin_iso2": parsed["origin_country"],
        "municipality": place_name,
        "announced_date": start.map(lambda d: "" if d is None else str(d)),
        "date_precision": dates.map(lambda d: d.precision if d else None),
        "amount": amounts.map(lambda a: "" if a is None else str(a.value)),
        "currency": currency,
        "jobs": parsed["jobs"].map(lambda j: "" if j is None else str(j)),
    }
    columns["announcement_id"] = content_ids([as_text.get(f) or parsed[f] for f in ID_FIELDS])
    return pa.table(columns)


def announcements_frame(table: pa.Table, typed_when_empty: bool = True) -> pd.DataFrame:
    """Rows of the announcements columns as pandas, for the callers that ask for a frame (the data
    desk, previews, the report): converted by Arrow (a million rows of text and dates in a
    fraction of a second, where pandas' own constructor copies every column into blocks), dates as
    Python dates, whole numbers as nullable integers, a column of no value as None throughout,
    review notes as written (None where none).

    An empty table gives, unless typed_when_empty, what pandas infers from empty lists (float
    columns, but for the integers): the frame of a file without rows."""
    whole = {"announced_year": pd.Int32Dtype(), "jobs": pd.Int64Dtype()}
    if table.num_rows == 0 and not typed_when_empty:
        out = pd.DataFrame({name: [] for name in table.column_names})
        out = out.astype(whole | {"source_row": "int64"})
    else:
        out = table.drop_columns(list(whole)).to_pandas(date_as_object=True)
        for name, dtype in whole.items():
            position = table.column_names.index(name)
            out.insert(position, name, table[name].to_pandas().astype(dtype))
    if "review_notes" in table.column_names:
        notes = table["review_notes"].to_numpy(zero_copy_only=False)
        out["review_notes"] = pd.Series(notes, index=out.index, dtype=object)
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


def content_ids(columns: list["Coded | Texts"]) -> pa.ChunkedArray:
    """A stable id from the row's content: the same row gets the same id in every rebuild.

    The sha1 of the ID_FIELDS values as text joined by \\x1f ("" for none); DuckDB hashes the rows
    in parallel, and gives the same digest as hashlib.
    """
    texts = pa.table({f"c{i}": col.arrow_codes() for i, col in enumerate(columns)})
    if texts.num_rows == 0:
        return pa.chunked_array([], pa.string())
    joined = ", ".join(f"coalesce({name}, '')" for name in texts.column_names)
    con = duckdb.connect()
    try:
        con.register("id_texts", texts)
        ids = con.sql(
            f"SELECT 'A' || left(sha1(concat_ws(chr(31), {joined})), 12) AS id FROM id_texts"  # noqa: S608
        ).to_arrow_table()
    finally:
        con.close()
    return ids.column("id")
