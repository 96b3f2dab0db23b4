"""What is derived from the announcements' current values at the end of every write (a build, an
append, a correction, an alias edit): companies and each announcement's company, and each
announcement's park. A correction that names an unnamed company, or a new alias, shows at once."""

import duckdb

from etl.cluster import companies, parks


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    companies.refresh(con)
    parks.refresh(con)
    broken = con.execute(
        "SELECT count(*) FROM announcements a WHERE company_id IS NULL OR NOT EXISTS "
        "(SELECT 1 FROM companies c WHERE c.company_id = a.company_id)"
    ).fetchall()[0][0]
    if broken:
        raise AssertionError(f"{broken} announcements have no company after consolidation")
