"""Companies: one company's announcements are one company, whatever the plant or site each names.

Names are consolidated by rules, then by the alias list (data/raw/cluster/company_aliases.csv and
the alias edits of the journal), never by editing the announcements:

1. the name's key: lower case without accents; text in parentheses ("(SLP plant)", "(Koito)") and
   a trailing " - ..." part ("- phase 2") dropped; words naming the site or the legal form dropped
   (planta, plant, complejo, San Luis Potosí, SLP, México, S.A. de C.V., Inc., Group, ...);
2. an alias maps a key to a company's canonical name (and so to that name's key);
3. names with the same key are one company, unless their parent groups differ (then one company
   per parent group);
4. a company not yet named ("empresa china, por confirmar") is never merged: each such announcement
   is a company of its own until a correction names it.

The rules run in DuckDB over the distinct names, so a registry of a million announcements is
consolidated in about a second. `consolidate` is the same on DataFrames (tests, previews).
"""

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

# Words that name a site or a legal form rather than the company (whole words, after lower-casing
# and removing accents). Not "México": a Mexican subsidiary's name keeps it in the display name;
# the key drops it, with the legal forms.
SITE_WORDS = (
    "planta", "plantas", "plant", "plants", "complejo", "complex", "factory", "fabrica", "site",
    "sitio", "campus", "operation", "operacion", "project", "proyecto", "investment", "inversion",
    "san luis potosi", "slp", "s l p",
)  # fmt: skip
KEY_ONLY_WORDS = (
    "mexico", "de mexico", "s a de c v", "sa de cv", "s de r l de c v", "s de rl de cv", "s a",
    "sa", "inc", "llc", "ltd", "ltda", "co", "corp", "corporation", "gmbh", "ag", "se", "plc",
    "group", "grupo", "company", "compania",
)  # fmt: skip
# A placeholder, not a name: "empresa china, por confirmar", "armadora china", "confidencial".
UNNAMED = (
    r"\b(por confirmar|sin nombre|confidencial|no revelad[oa]|por definir|por anunciar|"
    r"unnamed|undisclosed|not named|to be confirmed|tbc)\b"
    r"|^(una? )?(empresa|compania|company|firma|armadora|fabricante|proveedor|automaker)( [a-z]+)?$"
)


def _words(words: tuple[str, ...]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in words)


def _cleaned(column: str) -> str:
    """SQL: the name without parentheses and a trailing ' - ...' part, as written otherwise."""
    return (
        f"regexp_replace(regexp_replace({column}, '\\([^)]*\\)', ' ', 'g'), '\\s[-–—]\\s.*$', '')"
    )


def key_sql(column: str) -> str:
    """SQL expression: the consolidation key of a company name (rule 1)."""
    plain = f"regexp_replace(strip_accents(lower({_cleaned(column)})), '[^a-z0-9&]+', ' ', 'g')"
    dropped = f"regexp_replace({plain}, '\\b({_words(SITE_WORDS + KEY_ONLY_WORDS)})\\b', ' ', 'g')"
    spaced = f"trim(regexp_replace({dropped}, '\\s+', ' ', 'g'))"
    trimmed = f"trim(regexp_replace({spaced}, '(^| )(de|del|the|of|y|and)$', ''))"
    # A name made only of such words keeps its plain form.
    return f"coalesce(nullif({trimmed}, ''), trim({plain}))"


def display_sql(column: str) -> str:
    """SQL expression: the name as readers see it, site words dropped, case and accents kept."""
    site = _words(tuple(w.replace("potosi", "potos[ií]") for w in SITE_WORDS))
    # Twice, as adjacent words share the space between them; not \\b, which "í" does not end.
    once = f"regexp_replace({_cleaned(column)}, '(^|\\s)({site})(\\s|$)', ' ', 'gi')"
    dropped = f"regexp_replace({once}, '(^|\\s)({site})(\\s|$)', ' ', 'gi')"
    spaced = f"trim(regexp_replace({dropped}, '\\s+', ' ', 'g'), ' ,;-–')"
    return (
        f"coalesce(nullif(trim(regexp_replace({spaced}, '\\s(de|del)$', '', 'i')), ''), {column})"
    )


def unnamed_sql(column: str) -> str:
    plain = f"trim(regexp_replace(strip_accents(lower({column})), '[^a-z0-9]+', ' ', 'g'))"
    return f"regexp_matches({plain}, '{UNNAMED}')"


def _parent_key(column: str) -> str:
    return (
        f"nullif(trim(regexp_replace(strip_accents(lower({column})), '[^a-z0-9]+', ' ', 'g')), '')"
    )


def name_keys_sql(names: str) -> str:
    """SQL: each distinct company name of relation `names` with its key, display name and whether
    it is a placeholder (rules 1 and 4): pure functions of the name, cached in company_keys."""
    return f"""
    SELECT company, {key_sql("company")} AS name_key, {display_sql("company")} AS display,
           {unnamed_sql("company")} AS unnamed
    FROM (SELECT DISTINCT company FROM {names})
    """  # noqa: S608 (relation names are fixed by the callers)


def mapping_sql(announcements: str, aliases: str, keys: str) -> str:
    """SQL: one row per name as written (company, parent_group) with its company_id, the rule that
    placed it, and the company's display name. `aliases` has alias and company (null: withdrawn);
    `keys` is name_keys_sql of the names (or a table of it)."""
    return f"""
    WITH names AS (
        SELECT n.company, n.parent_group, n.n, k.name_key, k.display, k.unnamed,
               {_parent_key("n.parent_group")} AS parent_key
        FROM (SELECT company, parent_group, count(*) AS n FROM {announcements}
              GROUP BY company, parent_group) n
        JOIN {keys} k USING (company)
    ),
    alias_keys AS (
        SELECT alias_key, target, {key_sql("target")} AS target_key
        FROM (SELECT {key_sql("alias")} AS alias_key, first(company ORDER BY rownum) AS target
              FROM (SELECT *, row_number() OVER () AS rownum FROM {aliases})
              WHERE company IS NOT NULL GROUP BY 1)
    ),
    keyed AS (
        SELECT n.*, a.target, a.alias_key, coalesce(a.target_key, n.name_key) AS company_key
        FROM names n LEFT JOIN alias_keys a ON a.alias_key = n.name_key
        WHERE NOT n.unnamed
    ),
    split AS (  -- rule 3: one company per parent group when a key has several
        SELECT company_key FROM keyed GROUP BY 1 HAVING count(DISTINCT parent_key) > 1
    ),
    slots AS (
        SELECT k.*, CASE WHEN s.company_key IS NOT NULL AND k.parent_key IS NOT NULL
                         THEN k.company_key || ' ' || k.parent_key ELSE k.company_key END AS slot
        FROM keyed k LEFT JOIN split s USING (company_key)
    ),
    per_slot AS (
        SELECT slot, regexp_replace(slot, '[^a-z0-9]+', '-', 'g') AS company_id,
               count(*) AS names_in_company,
               first(coalesce(target, display) ORDER BY target IS NULL, n DESC, length(display),
                     display) AS company_name
        FROM slots GROUP BY slot
    ),
    named AS (SELECT * FROM slots JOIN per_slot USING (slot))
    SELECT company, parent_group, company_id, company_name, n AS announcements,
           CASE WHEN target IS NOT NULL THEN 'alias'
                WHEN names_in_company > 1 THEN 'rules' ELSE 'name' END AS rule,
           alias_key
    FROM named
    UNION ALL
    SELECT company, parent_group, NULL, company, n, 'unnamed', NULL FROM names WHERE unnamed
    """  # noqa: S608 (relation names are fixed by the callers)


def consolidate(announcements: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """The mapping of mapping_sql for DataFrames (company, parent_group; alias, company)."""
    con = duckdb.connect()
    try:
        con.register("names_in", announcements[["company", "parent_group"]])
        con.register("aliases_in", aliases[["alias", "company"]])
        keys = f"({name_keys_sql('names_in')})"
        return con.sql(mapping_sql("names_in", "aliases_in", keys)).df()
    finally:
        con.close()


# Each announcement's company: its name's company_id, or its own for an unnamed company.
COMPANY_ID_OF_ROW = "coalesce(m.company_id, 'sin-nombre-' || lower(a.announcement_id))"
NAME_OF_ROW = "m.company = a.company AND m.parent_group IS NOT DISTINCT FROM a.parent_group"


def _derive_names(con: duckdb.DuckDBPyConnection, announcements: str) -> None:
    """company_keys for the names of relation `announcements` not yet keyed, and company_names
    (the mapping) of all its names."""
    new_names = (
        f"(SELECT company FROM {announcements} "  # noqa: S608 (relation names fixed by callers)
        "WHERE company NOT IN (SELECT company FROM company_keys))"
    )
    con.execute(f"INSERT INTO company_keys {name_keys_sql(new_names)}")  # noqa: S608
    con.execute("DELETE FROM company_names")
    con.execute(
        f"""
        INSERT INTO company_names (company, parent_group, company_id, company_name, announcements,
                                   rule, alias_key)
        {mapping_sql(announcements, "company_aliases", "company_keys")}
        """  # noqa: S608
    )


def insert_announcements(con: duckdb.DuckDBPyConnection, incoming: pa.Table) -> None:
    """Insert the rows of `incoming` into announcements, in their order, each with the company_id
    that refresh derives once they are in. An UPDATE of a million new rows' company_id costs more
    than their insert (and slows every later read until the checkpoint); this way refresh only
    rewrites the older rows whose company the new ones change (a key newly split by parent group)."""
    # Each row's position: a join does not keep the rows' order, which the table keeps.
    names = incoming.select(["company", "parent_group", "announcement_id"]).append_column(
        "row_pos", pa.array(np.arange(incoming.num_rows, dtype=np.int64))
    )
    con.register("incoming_names", names)
    try:
        both = "announcements UNION ALL SELECT company, parent_group FROM incoming_names"
        _derive_names(con, f"(SELECT company, parent_group FROM {both})")  # noqa: S608
        company_id = con.sql(
            f"""
            SELECT {COMPANY_ID_OF_ROW} AS company_id
            FROM incoming_names a LEFT JOIN company_names m ON {NAME_OF_ROW}
            ORDER BY a.row_pos
            """  # noqa: S608 (fixed SQL)
        ).to_arrow_table()["company_id"]
    finally:
        con.unregister("incoming_names")
    con.register("incoming_rows", incoming.append_column("company_id", company_id))
    try:
        con.execute("INSERT INTO announcements BY NAME SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def refresh(con: duckdb.DuckDBPyConnection, names_current: bool = False) -> None:
    """Derive company_names, companies and announcements.company_id from the current announcements
    and aliases. An unnamed company's id is its announcement's ('sin-nombre-a1b2...').

    Each name's key is worked out once (company_keys keeps it): after an append of a million rows
    only its new names are, and after a correction only the corrected one. names_current: the
    last change was insert_announcements, whose mapping stands."""
    if not names_current:
        con.execute(
            "DELETE FROM company_keys WHERE company NOT IN (SELECT company FROM announcements)"
        )
        _derive_names(con, "announcements")
    # After insert_announcements only older rows can have another company now (the newest load's
    # came in with theirs): the newest load's million rows are not joined again.
    older = "AND a.load_id < (SELECT max(load_id) FROM announcements)" if names_current else ""
    con.execute(
        f"""
        UPDATE announcements a SET company_id = {COMPANY_ID_OF_ROW}
        FROM company_names m
        WHERE {NAME_OF_ROW} AND a.company_id IS DISTINCT FROM {COMPANY_ID_OF_ROW} {older}
        """  # noqa: S608 (fixed SQL)
    )
    con.execute("DELETE FROM companies")
    # Each attribute's most frequent value among the company's announcements, ties to the most
    # recent announcement's (grouped once per attribute: a million rows take a fraction of a second).
    ranked = {
        column: f"""
        SELECT company_id, first(v ORDER BY n DESC, d DESC NULLS LAST, v) AS {column}
        FROM (SELECT company_id, {expression} AS v, count(*) AS n, max(announced_date) AS d
              FROM announcements WHERE {expression} IS NOT NULL GROUP BY 1, 2)
        GROUP BY 1
        """  # noqa: S608 (fixed column names)
        for column, expression in (("parent_group", "parent_group"), ("origin_iso2", "origin_iso2"),
                                   ("tier", "nullif(tier, 'unknown')"), ("sector", "sector"))
    }  # fmt: skip
    joins = " ".join(f"LEFT JOIN ({sql}) USING (company_id)" for sql in ranked.values())
    con.execute(
        f"""
        INSERT INTO companies
        WITH per AS (  -- a named company is its names; an unnamed one, one announcement
            SELECT company_id, first(company_name) AS name, true AS named,
                   sum(announcements) AS announcements
            FROM company_names WHERE company_id IS NOT NULL GROUP BY 1
            UNION ALL
            SELECT a.company_id, m.company_name, false, m.announcements
            FROM announcements a JOIN company_names m ON {NAME_OF_ROW} AND m.rule = 'unnamed'
        )
        SELECT company_id, name, parent_group, origin_iso2, coalesce(tier, 'unknown') AS tier,
               sector, named, announcements
        FROM per {joins}
        """  # noqa: S608
    )
