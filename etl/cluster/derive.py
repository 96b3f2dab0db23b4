"""What is derived from the announcements' current values at the end of every write (a build, an
append, a correction, an alias edit): companies and each announcement's company, and each
announcement's park. A correction that names an unnamed company, or a new alias, shows at once."""

import duckdb

# Journal kinds whose writes change neither announcements nor aliases nor park names: the derived
# tables stand (a roster form on a registry of a million announcements need not wait for them;
# nor an official release, which only adds statistics).
UNAFFECTED_KINDS = {"suppliers", "actions", "park_coordinates",
                    "fdi_release", "exports_etef", "jobs_imss"}  # fmt: skip


def after_write(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    """The end of every journal write (etl.load.write_entry)."""
    if kind not in UNAFFECTED_KINDS:
        # An append's rows came in with their companies (companies.insert_announcements).
        refresh(con, names_current=kind == "announcements")


def refresh(con: duckdb.DuckDBPyConnection, names_current: bool = False) -> None:
    from etl.cluster import companies, parks  # pandas: not imported by the writes that skip this

    companies.refresh(con, names_current)
    parks.refresh(con)
    broken = con.execute(
        "SELECT count(*) FROM announcements a WHERE company_id IS NULL OR NOT EXISTS "
        "(SELECT 1 FROM companies c WHERE c.company_id = a.company_id)"
    ).fetchall()[0][0]
    if broken:
        raise AssertionError(f"{broken} announcements have no company after consolidation")
    repeated = con.execute(
        "SELECT company_id FROM companies GROUP BY 1 HAVING count(*) > 1 LIMIT 5"
    ).fetchall()
    if repeated:
        raise AssertionError(f"company_id is not unique: {', '.join(r[0] for r in repeated)}")
