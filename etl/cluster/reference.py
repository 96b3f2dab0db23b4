"""The cluster's reference data, loaded by every build from data/raw: parks, the shipped company
aliases, the processes suppliers offer with the announcement sectors each serves, the cluster's
vocabularies, and the programme's public facts (each with its source)."""

from pathlib import Path

import duckdb
import pandas as pd

from etl.cluster import companies, parks, vocabulary
from etl.cluster.store import insert
from etl.places import MunicipalityMatcher

ALIASES_CSV = vocabulary.CLUSTER_DIR / "company_aliases.csv"
FACTS_CSV = vocabulary.CLUSTER_DIR / "programa_hechos.csv"


def write_base(con: duckdb.DuckDBPyConnection, raw_dir: Path, matcher: MunicipalityMatcher) -> None:
    insert(con, "parks", parks.parks_frame(raw_dir, matcher))
    aliases = pd.read_csv(raw_dir / ALIASES_CSV, dtype=str, keep_default_na=False)
    con.register("shipped_aliases", aliases)
    try:
        con.execute(
            f"""
            INSERT INTO company_aliases (alias_key, alias, company, reason, source_url)
            SELECT {companies.key_sql("alias")}, alias, company, reason, nullif(source_url, '')
            FROM shipped_aliases
            """  # noqa: S608
        )
    finally:
        con.unregister("shipped_aliases")
    processes = vocabulary.processes_frame(raw_dir)
    insert(con, "processes", processes[["process", "name_es", "name_en", "position"]])
    insert(
        con,
        "process_sectors",
        processes[["process", "sectors"]].explode("sectors").rename(columns={"sectors": "sector"}),
    )
    insert(con, "cluster_vocabulary", vocabulary.vocabulary_frame())
    facts = pd.read_csv(raw_dir / FACTS_CSV, dtype=str, keep_default_na=False).replace("", None)
    insert(con, "programme_facts", facts.assign(position=range(len(facts))))
