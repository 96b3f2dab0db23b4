"""Duplicates of an announcement against the warehouse and within its file: exact repeats (the same
content id) are rejected, lookalikes (same company and place, close amount and date) are loaded with
a review flag naming the row they resemble.
"""

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DUPLICATE_WINDOW_DAYS = 366
DUPLICATE_AMOUNT_TOLERANCE = 0.2


def review(con: duckdb.DuckDBPyConnection, valid: pa.Table) -> tuple[pa.Table, pd.DataFrame]:
    """Split valid rows (the intake's, as Arrow) into (to load, exact duplicates), and flag
    suspected duplicates.

    Exact duplicates (same content id as a row already loaded, or as an earlier row of the same
    file) are rejects. Suspected ones (same company and place, similar amount, close dates) are
    loaded with a review flag pointing at the row they resemble (possible_duplicate_of).
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
    # whose id is already loaded, and of repeats of an id earlier in the file (with the first).
    ids = pa.table(
        {
            "announcement_id": valid["announcement_id"],
            "row_pos": pa.array(np.arange(valid.num_rows, dtype=np.int64)),
        }
    )
    con.register("valid_ids", ids)
    con.register("existing_rows", existing)
    try:
        loaded_pos = con.sql(
            "SELECT row_pos FROM valid_ids WHERE announcement_id IN "
            "(SELECT announcement_id FROM existing_rows)"
        ).fetchnumpy()["row_pos"]
        repeated = con.sql(
            """
            SELECT v.row_pos, d.first_pos
            FROM valid_ids v
            JOIN (SELECT announcement_id, min(row_pos) AS first_pos FROM valid_ids
                  GROUP BY announcement_id HAVING count(*) > 1) d
              ON v.announcement_id IS NOT DISTINCT FROM d.announcement_id
            WHERE v.row_pos > d.first_pos
            """
        ).fetchnumpy()
    finally:
        con.unregister("valid_ids")
        con.unregister("existing_rows")
    first_of = dict(zip(repeated["row_pos"].tolist(), repeated["first_pos"].tolist(), strict=True))
    in_warehouse = set(loaded_pos.tolist())
    dropped = sorted(in_warehouse | set(first_of))
    duplicates = []
    if dropped:  # few: visited one by one, in the file's order
        seen = valid.select(["announcement_id", "source_row", "company"])
        rows = seen.take(pa.array(dropped, pa.int64())).to_pylist()
        firsts = seen["source_row"].take(pa.array([first_of.get(p, 0) for p in dropped]))
        for pos, row, first in zip(dropped, rows, firsts.to_pylist(), strict=True):
            if pos in in_warehouse:
                es = f"Ya está en el almacén (anuncio {row['announcement_id']}); no se vuelve a cargar."
                en = (
                    f"Already in the warehouse (announcement {row['announcement_id']}); "
                    "not loaded again."
                )
            else:
                es = f"Fila idéntica a la fila {first}; solo se carga una vez."
                en = f"Identical to row {first}; loaded only once."
            duplicates.append(
                {
                    "row_number": row["source_row"],
                    "column": "*",
                    "value": row["company"],
                    "reason": es,
                    "reason_en": en,
                }  # fmt: skip
            )
    to_load = valid.filter(pa.array(~_at(valid.num_rows, dropped))) if dropped else valid
    columns = ["row_number", "column", "value", "reason", "reason_en"]
    duplicates = pd.DataFrame(duplicates, columns=columns)
    if to_load.num_rows == 0:  # nothing to compare
        return _with_lookalikes(to_load, np.zeros(0, np.int64), []), duplicates

    # row_pos: each row's position in to_load, to place the answer without a lookup by id.
    typed = {"announcement_id": pa.large_string(), "company": pa.large_string(),
             "municipality": pa.large_string(), "amount_musd": pa.float64(),
             "source_row": pa.int64(), "announced_date": pa.date32()}  # fmt: skip
    incoming = pa.table({name: to_load[name].cast(type_) for name, type_ in typed.items()})
    incoming = incoming.append_column(
        "row_pos", pa.array(np.arange(to_load.num_rows, dtype=np.int64))
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
        ).fetchnumpy()
    finally:
        con.unregister("incoming_rows")
        con.unregister("existing_rows")
    positions = np.asarray(resembles["row_pos"], dtype=np.int64)
    return _with_lookalikes(to_load, positions, list(resembles["resembles"])), duplicates


def _with_lookalikes(rows: pa.Table, positions: np.ndarray, lookalikes: list) -> pa.Table:
    """rows with possible_duplicate_of (the lookalike's id at positions, none elsewhere) and the
    possible_duplicate flag at positions."""
    if not len(positions):
        return rows.append_column(
            "possible_duplicate_of", pa.nulls(rows.num_rows, pa.large_string())
        )
    found = pa.array([*lookalikes, None], pa.large_string())
    take = np.full(rows.num_rows, len(positions), dtype=np.int64)
    take[positions] = np.arange(len(positions))
    flagged = _at(rows.num_rows, positions)
    flags = rows["review_flags"].combine_chunks()
    added = [
        ";".join(filter(None, [f, "possible_duplicate"])) for f in flags.filter(flagged).to_pylist()
    ]
    flags = pc.replace_with_mask(flags, pa.array(flagged), pa.array(added, flags.type))
    rows = rows.set_column(rows.schema.get_field_index("review_flags"), "review_flags", flags)
    return rows.append_column("possible_duplicate_of", found.take(pa.array(take)))


def _at(rows: int, positions: np.ndarray) -> np.ndarray:
    """A mask of rows, true at positions."""
    mask = np.zeros(rows, dtype=bool)
    mask[np.asarray(positions, dtype=np.int64)] = True
    return mask
