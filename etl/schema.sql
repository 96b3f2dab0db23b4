-- Warehouse schema. Analysts query these tables directly: names are stable and documented in README.
-- Amounts in *_musd columns are millions of US dollars (MDD).

CREATE TABLE build_info (
    schema_version   INTEGER NOT NULL,
    sources_sha256   VARCHAR NOT NULL,   -- fingerprint of data/raw and the archived loads; the app rebuilds when it changes
    built_at         TIMESTAMP NOT NULL
);

CREATE TABLE municipalities (
    cvegeo                    VARCHAR PRIMARY KEY,  -- INEGI key, 5 digits (24001..24058)
    cve_mun                   VARCHAR NOT NULL,
    name                      VARCHAR NOT NULL,     -- official Marco Geoestadístico 2023 name
    name_census               VARCHAR,              -- abbreviated name used by the 2020 census
    population_2020           INTEGER,
    economically_active_2020  INTEGER,              -- PEA, 12 years and over
    employed_2020             INTEGER,
    households_2020           INTEGER,
    area_km2                  DOUBLE,               -- from the full-resolution polygon, equal-area projection
    geometry                  VARCHAR NOT NULL,     -- GeoJSON of the simplified (coverage-preserving) polygon, WGS84
    centroid_lon              DOUBLE,               -- a point inside the polygon, for labels
    centroid_lat              DOUBLE,
    vertices_raw              INTEGER,
    vertices_simplified       INTEGER
);

-- Names that are not INEGI municipalities in the 2023 frame but that announcements use.
-- Villa de Pozos was created in 2024 out of San Luis Potosí (24028): its boundaries and census figures
-- are still inside 24028.
CREATE TABLE places (
    name      VARCHAR PRIMARY KEY,
    cvegeo    VARCHAR NOT NULL REFERENCES municipalities (cvegeo),
    note_es   VARCHAR NOT NULL,
    note_en   VARCHAR NOT NULL
);

CREATE TABLE countries (
    iso2         VARCHAR PRIMARY KEY,
    iso3         VARCHAR NOT NULL,
    iso_numeric  VARCHAR,
    name_es      VARCHAR NOT NULL,
    name_en      VARCHAR NOT NULL,
    region       VARCHAR NOT NULL,  -- asia / europe / north_america / mexico / latin_america / other
    geometry     VARCHAR            -- GeoJSON, Natural Earth 1:110m, for the offline origins map (null if not drawn)
);

CREATE TABLE sectors (
    sector   VARCHAR PRIMARY KEY,   -- code as used in announcements.sector
    name_es  VARCHAR NOT NULL,
    name_en  VARCHAR NOT NULL
);

CREATE TABLE load_log (
    load_id        INTEGER PRIMARY KEY,
    kind           VARCHAR NOT NULL,   -- build (shipped file) / append (a file added later) / other journal kinds
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    loaded_by      VARCHAR NOT NULL,
    rows_read      INTEGER NOT NULL,
    rows_loaded    INTEGER NOT NULL,
    rows_rejected  INTEGER NOT NULL,
    rows_flagged   INTEGER NOT NULL,   -- loaded but flagged for review (suspected duplicate, implausible amount)
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP NOT NULL,
    -- lines that changed nothing because the record already held their value (a corrections file
    -- applied again); always 0 for files of new rows
    rows_unchanged INTEGER NOT NULL DEFAULT 0,
    CHECK (rows_read = rows_loaded + rows_rejected + rows_unchanged)
);

-- Keys and references of this table are checked by the loader before each new version is swapped in
-- (etl/load.py, KEY_CHECKS), not declared as PRIMARY KEY / REFERENCES: DuckDB maintains an index per
-- declared key, which costs about 7 s per million rows appended; the checks cost a fraction of one.
CREATE TABLE announcements (
    announcement_id   VARCHAR NOT NULL,     -- unique; hash of the row's content: stable across rebuilds
    company           VARCHAR NOT NULL,
    parent_group      VARCHAR,
    origin_iso2       VARCHAR,              -- countries.iso2
    sector            VARCHAR,              -- sectors.sector
    tier              VARCHAR,              -- OEM / Tier 1 / Tier 2 / Tier 3 / services / unknown
    event_type        VARCHAR,              -- new_plant / expansion / new_line / relocation / cancellation
    municipality      VARCHAR,              -- name as matched (official name, or a place such as Villa de Pozos)
    cvegeo            VARCHAR,              -- municipalities.cvegeo; null only when the place is unknown
    park              VARCHAR,
    announced_date    DATE,                 -- first day of the stated day / month / year
    date_precision    VARCHAR,              -- day / month / year (null when undated)
    announced_until   DATE,                 -- last day of that day / month / year
    announced_year    INTEGER,
    amount            DOUBLE,               -- as stated, in full units of `currency` (150 mdd -> 150000000)
    currency          VARCHAR,
    amount_musd       DOUBLE,               -- millions of USD at the ECB reference rate of the announcement date
    fx_rate_date      DATE,                 -- date of the rate used (mid-month / mid-year for coarser dates)
    jobs              INTEGER,
    status            VARCHAR,              -- announced / under_construction / operating / cancelled / unknown
    source_url        VARCHAR,
    source_title      VARCHAR,
    source_date       VARCHAR,
    notes             VARCHAR,
    review_flags      VARCHAR,              -- ';'-separated: possible_duplicate, implausible_amount, fx_date_assumed, uncertain_match, company_unnamed
    possible_duplicate_of VARCHAR,          -- announcement_id of the row this one resembles
    load_id           INTEGER NOT NULL,     -- load_log.load_id
    source_row        INTEGER NOT NULL,     -- row number in the loaded file, as a spreadsheet shows it
    -- ---- living announcements (issue 11): corrections, withdrawals and merges are change events
    -- (etl/corrections.py, logged in `changes`); the row keeps its announcement_id throughout.
    review_notes      VARCHAR,              -- what an uncertain_match read: "sector «plastcos» → plastics"
    record_state      VARCHAR NOT NULL DEFAULT 'active',  -- active / withdrawn / merged: only active rows count in totals
    state_reason      VARCHAR,              -- why it was withdrawn or merged (the note of that change)
    merged_into       VARCHAR               -- merged: announcement_id of the row kept in its place
);

-- What every total, chart, map, filter option and the meeting pack count: withdrawn and merged rows
-- are left out (the data desk still shows them, with their reason).
CREATE VIEW active_announcements AS
SELECT * FROM announcements WHERE record_state = 'active';

CREATE TABLE rejects (
    load_id      INTEGER NOT NULL REFERENCES load_log (load_id),
    row_number   INTEGER NOT NULL,
    "column"     VARCHAR NOT NULL,
    value        VARCHAR,
    reason       VARCHAR NOT NULL,   -- in Spanish, for the clerk
    reason_en    VARCHAR NOT NULL
);

-- One change log for every kept record (etl/changes.py): corrections of announcements, company
-- aliases, supplier and action edits. Nothing is overwritten without a row here.
CREATE TABLE changes (
    change_id       INTEGER NOT NULL,   -- unique, in the order the changes were applied
    entity          VARCHAR NOT NULL,   -- the table changed (announcements, ...)
    entity_id       VARCHAR NOT NULL,   -- key of the changed row in that table
    field           VARCHAR NOT NULL,   -- column changed, as that table names it
    old_value       VARCHAR,            -- as text (etl.changes.as_text); null: it was blank
    new_value       VARCHAR,
    effective_date  DATE,               -- when it happened in the world (the source's date), if known
    source_url      VARCHAR NOT NULL,   -- URL or document backing the change
    source_title    VARCHAR,
    note            VARCHAR,
    changed_by      VARCHAR NOT NULL,
    changed_at      TIMESTAMP NOT NULL, -- when it was recorded (its journal entry's time)
    load_id         INTEGER NOT NULL,   -- load_log.load_id of the file or form that carried it
    source_row      INTEGER             -- line of that file
);

-- The announcements' share of the change log, under the names the data desk and checks read.
CREATE VIEW announcement_changes AS
SELECT change_id, entity_id AS announcement_id, field, old_value, new_value, source_url,
       source_title, note, effective_date, changed_by, changed_at, load_id, source_row
FROM changes
WHERE entity = 'announcements';

CREATE TABLE fdi_by_country (
    year          INTEGER NOT NULL,
    quarter       INTEGER NOT NULL,
    country_name  VARCHAR NOT NULL,  -- as published by the Secretaría de Economía
    iso2          VARCHAR REFERENCES countries (iso2),  -- null for "Otros países"
    amount_musd   DOUBLE NOT NULL,   -- flows; negative values are net disinvestment
    vintage       VARCHAR NOT NULL,  -- release, named by its last quarter (e.g. 2024-Q2)
    PRIMARY KEY (year, quarter, country_name, vintage)
);

CREATE TABLE fdi_by_sector (
    year             INTEGER NOT NULL,
    scian_sector     VARCHAR NOT NULL,  -- SCIAN 2-digit code, or 31-33 / 48-49
    sector_name      VARCHAR NOT NULL,
    amount_musd      DOUBLE,            -- null where SE did not publish the cell (confidential)
    is_partial_year  BOOLEAN NOT NULL,  -- the year is not complete in this release
    vintage          VARCHAR NOT NULL,
    PRIMARY KEY (year, scian_sector, vintage)
);

CREATE TABLE fdi_state_total (
    year         INTEGER NOT NULL,
    quarter      INTEGER NOT NULL,
    amount_musd  DOUBLE NOT NULL,
    vintage      VARCHAR NOT NULL,
    PRIMARY KEY (year, quarter, vintage)
);
