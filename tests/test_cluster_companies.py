"""Companies and parks: the consolidation of the shipped announcements into companies (the cases
the issue names, and no two different companies merged), the rules and aliases on three-row
frames, the park matching, and the derivation that runs after every write."""

import shutil

import duckdb
import pandas as pd
import pytest

from etl.cluster import companies, derive, parks
from etl.cluster.writes import load_file
from etl.load import municipality_matcher
from etl.parse import normalize
from etl.warehouse import DEFAULT_RAW
from tests.conftest import TODAY, raw_copy

BASE = pd.read_csv(DEFAULT_RAW / "announcements" / "slp_announcements.csv", dtype=str)
# The issue's cases: which shipped rows are one company, by the start of their name as written.
ONE_COMPANY = {
    "General Motors": 7,
    "BMW": 4,
    "Cummins": 5,
    "Toyoda Gosei": 2,
    "Taxan": 2,
    "Metal Technologies": 2,
    "Faurecia": 2,
}


def rows(db, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def company_of(db) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT company, parent_group, company_id, park, park_id FROM announcements"
        ).df()


@pytest.mark.parametrize(("start", "expected"), ONE_COMPANY.items())
def test_the_issues_cases_are_one_company_each(shipped_warehouse, start, expected):
    in_base = BASE[BASE["company"].str.startswith(start)]
    assert len(in_base) == expected  # the shipped rows are as the issue counts them
    found = company_of(shipped_warehouse)
    mine = found[found["company"].str.startswith(start)]
    assert len(mine) >= expected  # the journal may bring more rows of the company
    [company_id] = mine["company_id"].unique()
    # ... and that company holds no other row.
    assert set(found.loc[found["company_id"] == company_id, "company"]) == set(mine["company"])


def test_no_two_different_companies_are_merged(shipped_warehouse):
    """Within a company every row has the same parent group and the same first word of its name
    (aliases merge names, never groups); a placeholder is never merged."""
    found = company_of(shipped_warehouse)
    for company_id, part in found.groupby("company_id"):
        parents = {normalize(p) for p in part["parent_group"].dropna()}
        assert len(parents) <= 1, (company_id, parents)
        first_words = {normalize(n).split()[0] for n in part["company"]}
        assert len(first_words) == 1, (company_id, sorted(part["company"]))
    # Named siblings of one group stay apart: Continental AG's units, Midori's JV, GIS's firms.
    for names in (
        ["Continental Automotive", "ContiTech Mobile", "ContiTech Industrial", "Continental (SLP"],
        ["Midori Auto Leather", "Midori Nanjo"],
        ["GISederlan", "Fagor Ederlan", "Draxton"],
    ):
        ids = {found.loc[found["company"].str.startswith(n), "company_id"].iloc[0] for n in names}
        assert len(ids) == len(names)


def test_every_announcement_has_one_company_and_the_consolidated_groups_are_listed(
    shipped_warehouse,
):
    found = company_of(shipped_warehouse)
    assert found["company_id"].notna().all()
    [(companies_count, announcements)] = rows(
        shipped_warehouse, "SELECT count(*), sum(announcements) FROM companies"
    )
    assert announcements == len(found)
    assert companies_count == found["company_id"].nunique()
    # The groups of more than one name as written are the issue's, and those the rules or the
    # alias list explain (rule 'rules' or 'alias'): none is a single name.
    groups = rows(
        shipped_warehouse,
        "SELECT company_id, list(DISTINCT rule) FROM company_names GROUP BY 1 "
        "HAVING count(DISTINCT company) > 1",
    )
    assert {rule for _, rules in groups for rule in rules} <= {"rules", "alias"}


def test_aliases_are_data_with_their_reason(shipped_warehouse):
    aliases = pd.read_csv(DEFAULT_RAW / "cluster" / "company_aliases.csv", dtype=str)
    assert aliases["reason"].str.len().min() > 20
    assert aliases["source_url"].str.startswith("http").all()
    used = rows(shipped_warehouse, "SELECT count(*) FROM company_names WHERE rule = 'alias'")
    assert used[0][0] >= len(aliases)  # each alias names an announcement as written


# ---------------------------------------------------------------- the rules on small frames


def mapping(names: list[tuple[str, str | None]], aliases=()) -> pd.DataFrame:
    frame = pd.DataFrame(names, columns=["company", "parent_group"])
    alias_frame = pd.DataFrame(list(aliases), columns=["alias", "company"])
    return companies.consolidate(frame, alias_frame).set_index("company")


def test_site_words_parentheses_and_phases_do_not_split_a_company():
    found = mapping(
        [
            ("Acme Partes de México (planta SLP)", "Acme"),
            ("Acme Partes - fase 2", "Acme"),
            ("ACME PARTES, S.A. de C.V.", None),
        ]
    )
    assert found["company_id"].nunique() == 1
    assert set(found["rule"]) == {"rules"}


def test_same_name_in_two_parent_groups_is_two_companies():
    found = mapping([("Delta Tech (SLP)", "Delta Group US"), ("Delta Tech", "Delta Holding JP")])
    assert found["company_id"].nunique() == 2


def test_unnamed_companies_are_never_merged_and_an_alias_joins_names():
    found = mapping(
        [
            ("Empresa china, por confirmar", None),
            ("Empresa china, por confirmar", None),
            ("Omega Frames (SLP)", "Omega"),
            ("Omega Seating", "Omega"),
        ],
        aliases=[("Omega Frames", "Omega Seating")],
    )
    assert found.loc["Empresa china, por confirmar", "rule"] == "unnamed"
    assert pd.isna(found.loc["Empresa china, por confirmar", "company_id"])
    assert found.loc["Omega Frames (SLP)", "company_id"] == found.loc["Omega Seating", "company_id"]
    assert found.loc["Omega Frames (SLP)", "company_name"] == "Omega Seating"
    withdrawn = mapping([("Omega Frames (SLP)", "Omega"), ("Omega Seating", "Omega")],
                        aliases=[("Omega Frames", None)])  # fmt: skip
    assert withdrawn["company_id"].nunique() == 2


# ---------------------------------------------------------------- parks


@pytest.fixture(scope="module")
def matcher():
    listed = parks.parks_frame(DEFAULT_RAW, municipality_matcher(DEFAULT_RAW))
    assert len(listed) == 12
    return parks.ParkMatcher(listed)


@pytest.mark.parametrize(
    ("written", "park_id", "match"),
    [
        ("Logistik II", "logistik-ii", "exact"),
        ("Parque Logistik 2", "logistik-ii", "exact"),
        ("parque industrial logistik ii", "logistik-ii", "exact"),
        ("WTC 2", "wtc-industrial-ii", "exact"),
        ("Logistic II", "logistik-ii", "fuzzy"),
        ("Milenium", "parque-industrial-millennium", "fuzzy"),
        ("Tres Naciones fase 1", "parque-industrial-tres-naciones", "partial"),
        ("Logistik", None, "ambiguous"),
        ("WTC", None, "ambiguous"),
        ("Parque Industrial del Potosí", None, "unknown"),
    ],
)
def test_park_names_match_forgivingly(matcher, written, park_id, match):
    found = matcher.match(written)
    assert (found.park_id, found.match) == (park_id, match)


def test_shipped_announcements_link_to_their_parks(shipped_warehouse):
    found = company_of(shipped_warehouse)
    bmw = found[found["company"].str.startswith("BMW")]
    assert set(bmw["park_id"]) == {"logistik-ii"}
    ambiguous = found[found["park"].isin(["Logistik", "WTC", "WTC Industrial"])]
    assert len(ambiguous) and ambiguous["park_id"].isna().all()
    assert found.loc[found["park"].isna(), "park_id"].isna().all()


# ---------------------------------------------------------------- derived after every write


def test_an_alias_edit_consolidates_at_once_and_is_logged(shipped_warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    raw = raw_copy(tmp_path, journal=True)
    before = company_of(db).drop_duplicates("company").set_index("company")["company_id"]
    edit = tmp_path / "alias.csv"
    pd.DataFrame(
        [{"Alias": "Continental (SLP investment announced for Q1 2026)",
          "Empresa": "Continental Automotive",
          "Motivo": "Prueba de la edición de alias (sintética)",
          "Fuente": "https://example.org/synthetic/alias"}]
    ).to_csv(edit, index=False)  # fmt: skip
    outcome = load_file(edit, db, "company_aliases", raw, "ana@example.org", today=TODAY)
    assert outcome.rows_loaded == 1
    after = company_of(db).drop_duplicates("company").set_index("company")["company_id"]
    q1_2026 = "Continental (SLP investment announced for Q1 2026)"
    assert after[q1_2026] == after["Continental Automotive (San Luis Potosí plant)"]
    assert before[q1_2026] != after[q1_2026]
    [change] = rows(db, "SELECT field, old_value, new_value, changed_by, note FROM changes "
                        "WHERE entity = 'company_aliases'")  # fmt: skip
    assert change[:4] == ("company", None, "Continental Automotive", "ana@example.org")
    # A rebuild from the raw folder replays the edit: the same companies.
    rebuilt = tmp_path / "rebuilt.duckdb"
    from etl.load import build

    build(rebuilt, raw, today=TODAY)
    assert company_of(rebuilt).sort_values("company").equals(company_of(db).sort_values("company"))


def test_a_renamed_company_moves_to_its_company_when_derived_again(shipped_warehouse, tmp_path):
    """What a correction that names a company does (issue 11's corrections run the same step)."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE announcements SET company = 'Empresa china, por confirmar', parent_group = NULL "
            "WHERE company = 'Kingfa (SLP plant)'"
        )
        derive.refresh(con)
        unnamed = con.execute(
            "SELECT company_id FROM announcements WHERE company = 'Empresa china, por confirmar'"
        ).fetchall()
        assert unnamed[0][0].startswith("sin-nombre-")
        con.execute(
            "UPDATE announcements SET company = 'Kingfa Sci. & Tech. México' "
            "WHERE company = 'Empresa china, por confirmar'"
        )
        derive.refresh(con)
        named = con.execute(
            "SELECT a.company_id, c.named FROM announcements a JOIN companies c USING (company_id) "
            "WHERE a.company LIKE 'Kingfa%'"
        ).fetchall()
    assert named == [("kingfa-sci-tech", True)]


def test_park_coordinates_must_fall_in_the_parks_municipality(shipped_warehouse, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    raw = raw_copy(tmp_path, journal=True)
    centres = dict(
        (cvegeo, (lat, lon))
        for cvegeo, lat, lon in rows(
            db, "SELECT cvegeo, centroid_lat, centroid_lon FROM municipalities"
        )
    )
    inside, outside = centres["24050"], centres["24020"]  # Villa de Reyes, Matehuala
    edit = tmp_path / "coordenadas.csv"
    pd.DataFrame(
        [
            {"Parque": "Parque Logistik 2", "Coordenadas": f"{inside[0]:.5f}, {inside[1]:.5f}",
             "Fuente": "https://example.org/synthetic/mapa"},
            {"Parque": "Logistik III", "Latitud": outside[0], "Longitud": outside[1],
             "Fuente": "https://example.org/synthetic/mapa"},
            {"Parque": "Logistik", "Coordenadas": f"{inside[0]}, {inside[1]}",
             "Fuente": "https://example.org/synthetic/mapa"},
        ]
    ).to_csv(edit, index=False)  # fmt: skip
    outcome = load_file(edit, db, "park_coordinates", raw, "ana@example.org", today=TODAY)
    reasons = dict(zip(outcome.file.rejects["row_number"], outcome.file.rejects["reason"],
                       strict=True))  # fmt: skip
    assert set(reasons) == {3, 4}
    assert "fuera de su municipio" in reasons[3] and "Logistik II" in reasons[4]
    [(lat, lon, source)] = rows(
        db, "SELECT lat, lon, coordinates_source FROM parks WHERE park_id = 'logistik-ii'"
    )
    assert (round(lat, 5), round(lon, 5)) == (round(inside[0], 5), round(inside[1], 5))
    assert source == "https://example.org/synthetic/mapa"
    logged = rows(db, "SELECT entity_id, field, old_value FROM changes "
                      "WHERE entity = 'parks' ORDER BY change_id")  # fmt: skip
    assert logged == [("logistik-ii", "lat", None), ("logistik-ii", "lon", None)]


def test_an_append_derives_the_same_companies_as_a_rebuild(shipped_warehouse, tmp_path):
    """An append brings its rows in with their companies and updates only what they change: the
    result is what a rebuild from the same raw folder derives. The appended rows add to a company,
    split one by parent group (its older rows change company) and add an unnamed company."""
    from etl.load import append, build

    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(shipped_warehouse, db)
    raw = raw_copy(tmp_path, journal=True)
    gm = BASE[BASE["company"].str.startswith("General Motors")].iloc[0]
    cummins = BASE[BASE["company"].str.startswith("Cummins")].iloc[0]
    added = pd.DataFrame(
        [
            gm.to_dict() | {"company": "General Motors (Planta SLP, fase 3)", "amount": "1234"},
            gm.to_dict() | {"company": "General Motors", "parent_group": "Otro Grupo Sintético"},
            cummins.to_dict() | {"company": "Cummins Inc.", "jobs": "77"},
            cummins.to_dict() | {"company": "Empresa china, por confirmar", "parent_group": None},
        ]
    )
    file = tmp_path / "added.csv"
    added.to_csv(file, index=False)
    before = company_of(db).set_index("company")["company_id"]
    outcome = append(file, db, raw, today=TODAY, max_bytes=None)
    assert outcome.rows_loaded == len(added)
    after = company_of(db)
    gm_ids = after.loc[after["company"].str.startswith("General Motors"), "company_id"]
    assert gm_ids.nunique() == 2  # the shipped GM rows and the other group's
    assert set(gm_ids) != {before[gm["company"]].iloc[0]}  # the older rows moved
    rebuilt = tmp_path / "rebuilt.duckdb"
    build(rebuilt, raw, today=TODAY)
    in_order = "SELECT announcement_id, company_id FROM announcements"  # rows kept in their order
    assert rows(db, in_order) == rows(rebuilt, in_order)
    for sql in (
        "SELECT announcement_id, company_id FROM announcements",
        "SELECT * FROM companies",
        "SELECT * FROM company_names",
        "SELECT * FROM company_keys",
    ):
        ordered = f"{sql} ORDER BY ALL"
        assert rows(db, ordered) == rows(rebuilt, ordered), sql
