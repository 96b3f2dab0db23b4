"""Duplicates of an announcement against the warehouse and within its file: exact repeats (the same
content id) are rejected, lookalikes (same company and place, close amount and date) are loaded with
a review flag naming the row they resemble.
"""

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

DUPLICATE_WINDOW_DAYS = 366
DUPLICATE_AMOUNT_TOLERANCE = 0.2


def review(
    con: duckdb.DuckDBPyConnection, valid: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split valid rows into (to load, exact duplicates), and flag suspected duplicates.

    Exact duplicates (same content id as a row already loaded, or as an earlier row of the same
    file) are rejects. Suspected ones (same company and place, similar amount, close dates) are
    loaded with a review flag pointing at the row they resemble.
    """
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'announcements'"
    ).fetchall()[0][0]
    if has_table:
        existing = con.sql(
            "SELECT announcement_id, company, municipality, amount_musd, announced_date "
            "FROM announcements"
        ).to_arrow_table()
    else:
        existing = pa.table(
            {
                "announcement_id": pa.array([], pa.string()),
                "company": pa.array([], pa.string()),
                "municipality": pa.array([], pa.string()),
                "amount_musd": pa.array([], pa.float64()),
                "announced_date": pa.array([], pa.date32()),
            }
        )
    # Exact duplicates found by DuckDB (hashing a million ids in parallel): the positions of rows
    # whose id is already loaded, and of repeats of an id earlier in the file.
    ids = pa.table(
        {
            "announcement_id": _arrow(valid["announcement_id"], pa.large_string()),
            "row_pos": pa.array(np.arange(len(valid), dtype=np.int64)),
        }
    )
    con.register("valid_ids", ids)
    con.register("existing_rows", existing)
    try:
        loaded_pos = con.sql(
            "SELECT row_pos FROM valid_ids WHERE announcement_id IN "
            "(SELECT announcement_id FROM existing_rows)"
        ).fetchnumpy()["row_pos"]
        repeated_pos = con.sql(
            """
            SELECT v.row_pos
            FROM valid_ids v
            JOIN (SELECT announcement_id, min(row_pos) AS first_pos FROM valid_ids
                  GROUP BY announcement_id HAVING count(*) > 1) d
              ON v.announcement_id IS NOT DISTINCT FROM d.announcement_id
            WHERE v.row_pos > d.first_pos
            """
        ).fetchnumpy()["row_pos"]
    finally:
        con.unregister("valid_ids")
        con.unregister("existing_rows")
    in_warehouse = pd.Series(_at(len(valid), loaded_pos), index=valid.index)
    repeated = pd.Series(_at(len(valid), repeated_pos), index=valid.index)
    duplicates = []
    if repeated.any():
        first_row = valid.drop_duplicates("announcement_id").set_index("announcement_id")
    for row in valid[in_warehouse | repeated].itertuples():
        if in_warehouse[row.Index]:
            es = f"Ya está en el almacén (anuncio {row.announcement_id}); no se vuelve a cargar."
            en = f"Already in the warehouse (announcement {row.announcement_id}); not loaded again."
        else:
            other = first_row.at[row.announcement_id, "source_row"]
            es = f"Fila idéntica a la fila {other}; solo se carga una vez."
            en = f"Identical to row {other}; loaded only once."
        duplicates.append(
            {
                "row_number": row.source_row,
                "column": "*",
                "value": row.company,
                "reason": es,
                "reason_en": en,
            }  # fmt: skip
        )
    dropped = in_warehouse | repeated
    # Copy-on-write: the new column and flags below never reach valid, so no copy is needed when
    # every row is kept (the usual case).
    to_load = valid[~dropped] if dropped.any() else valid.copy(deep=False)
    columns = ["row_number", "column", "value", "reason", "reason_en"]
    if to_load.empty:  # nothing to compare (an untyped empty frame would not bind in SQL)
        to_load["possible_duplicate_of"] = pd.Series(dtype=object)
        return to_load.reset_index(drop=True), pd.DataFrame(duplicates, columns=columns)

    # As Arrow, dates as date32: DuckDB reads them far faster than pandas' Python date objects.
    # row_pos: each row's position in to_load, to place the answer without a lookup by id.
    incoming = pa.table(
        {
            "announcement_id": _arrow(to_load["announcement_id"], pa.large_string()),
            "company": _arrow(to_load["company"], pa.large_string()),
            "municipality": _arrow(to_load["municipality"], pa.large_string()),
            "amount_musd": _arrow(to_load["amount_musd"], pa.float64()),
            "source_row": _arrow(to_load["source_row"], pa.int64()),
            "announced_date": _dates(to_load["announced_date"]),
            "row_pos": pa.array(np.arange(len(to_load), dtype=np.int64)),
        }
    )
    con.register("incoming_rows", incoming)
    con.register("existing_rows", existing)
    try:
        resembles = con.execute(
            """
            WITH keys AS (  -- each company name normalised once, not once per row
                SELECT company, strip_accents(lower(trim(company))) AS company_key
                FROM (SELECT company FROM incoming_rows UNION SELECT company FROM existing_rows)
            ),
            incoming AS (
                SELECT announcement_id, company_key, municipality, amount_musd, announced_date,
                       source_row, row_pos
                FROM incoming_rows JOIN keys USING (company)
            ),
            candidates AS (
                SELECT announcement_id, company_key, municipality, amount_musd, announced_date,
                       NULL::BIGINT AS source_row
                FROM existing_rows JOIN keys USING (company)
                UNION ALL
                SELECT announcement_id, company_key, municipality, amount_musd, announced_date,
                       source_row
                FROM incoming
            )
            SELECT n.row_pos, min(o.announcement_id) AS resembles
            FROM incoming n
            JOIN candidates o
              ON o.company_key = n.company_key
             AND o.municipality IS NOT DISTINCT FROM n.municipality
             AND o.announcement_id <> n.announcement_id
             AND (o.source_row IS NULL OR o.source_row < n.source_row)
            WHERE (n.amount_musd IS NOT NULL AND o.amount_musd IS NOT NULL
                   OR n.announced_date IS NOT NULL AND o.announced_date IS NOT NULL)
              AND (n.amount_musd IS NULL OR o.amount_musd IS NULL
                   OR abs(n.amount_musd - o.amount_musd)
                      <= $tolerance * greatest(n.amount_musd, o.amount_musd))
              AND (n.announced_date IS NULL OR o.announced_date IS NULL
                   OR abs(date_diff('day', n.announced_date, o.announced_date)) <= $window)
            GROUP BY n.row_pos
            """,
            {"tolerance": DUPLICATE_AMOUNT_TOLERANCE, "window": DUPLICATE_WINDOW_DAYS},
        ).df()
    finally:
        con.unregister("incoming_rows")
        con.unregister("existing_rows")
    # Each row's lookalike id, or none, placed by position. As Series.map(dict) made them: str with
    # NaN for none, or (no lookalike at all: an empty dict) NaN as float.
    positions = resembles["row_pos"].to_numpy(dtype=np.int64)
    if len(positions):
        found = pa.array([*resembles["resembles"], None], pa.large_string())
        take = np.full(len(to_load), len(positions), dtype=np.int64)
        take[positions] = np.arange(len(positions))
        lookalike = found.take(pa.array(take)).to_pandas().array
        to_load["possible_duplicate_of"] = pd.Series(lookalike, index=to_load.index)
        flagged = _at(len(to_load), positions)
        to_load.loc[flagged, "review_flags"] = to_load.loc[flagged, "review_flags"].map(
            lambda f: ";".join(filter(None, [f, "possible_duplicate"]))
        )
    else:
        to_load["possible_duplicate_of"] = np.full(len(to_load), np.nan)
    return to_load.reset_index(drop=True), pd.DataFrame(duplicates, columns=columns)


def _at(rows: int, positions: np.ndarray) -> np.ndarray:
    """A mask of rows, true at positions."""
    mask = np.zeros(rows, dtype=bool)
    mask[np.asarray(positions, dtype=np.int64)] = True
    return mask


def _arrow(column: pd.Series, type_: pa.DataType) -> pa.Array | pa.ChunkedArray:
    """A column as Arrow (no copy for pandas' Arrow-backed text), of type type_."""
    values = pa.array(column, from_pandas=True)
    return values if values.type == type_ else values.cast(type_)


def _dates(column: pd.Series) -> pa.Array:
    """Python dates (None for none) as date32; other values as pandas reads them."""
    try:
        return pa.array(column, type=pa.date32(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array(pd.to_datetime(column), from_pandas=True)
