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

-- ================================================================ the cluster (etl/cluster)
-- Companies and parks are derived after every write (etl/cluster/derive.py) from the announcements'
-- current values; suppliers, milestones and actions come from the journal (kinds suppliers and
-- actions); aliases and park coordinates from the shipped lists and the journal's edits.

ALTER TABLE announcements ADD COLUMN company_id VARCHAR;  -- companies.company_id
ALTER TABLE announcements ADD COLUMN park_id VARCHAR;     -- parks.park_id when the park named is matched with certainty
ALTER TABLE rejects ADD COLUMN sheet VARCHAR;             -- the sheet of a workbook of several parts (rosters, actions)

CREATE TABLE company_aliases (
    alias_key   VARCHAR PRIMARY KEY,  -- the alias's consolidation key (etl/cluster/companies.py)
    alias       VARCHAR NOT NULL,     -- a company's name as written in announcements
    company     VARCHAR,              -- the company it belongs to (canonical name); null: withdrawn
    reason      VARCHAR NOT NULL,
    source_url  VARCHAR,
    load_id     INTEGER               -- load_log of the desk edit that added it; null: the shipped list
);

-- Each company name's consolidation key, worked out once (etl/cluster/companies.py).
CREATE TABLE company_keys (
    company   VARCHAR NOT NULL,
    name_key  VARCHAR NOT NULL,
    display   VARCHAR NOT NULL,   -- the name without site words, as readers see it
    unnamed   BOOLEAN NOT NULL    -- a placeholder ("empresa china, por confirmar")
);

-- One row per company name as written (and parent group): the company it was consolidated into.
CREATE TABLE company_names (
    company        VARCHAR NOT NULL,
    parent_group   VARCHAR,
    company_id     VARCHAR,           -- null for an unnamed company (each announcement its own)
    company_name   VARCHAR NOT NULL,  -- the company's display name
    announcements  INTEGER NOT NULL,
    rule           VARCHAR NOT NULL,  -- name (alone) / rules (same key as other names) / alias / unnamed
    alias_key      VARCHAR            -- company_aliases.alias_key of the alias applied (rule alias)
);

-- Rebuilt after every write: company_id is unique (checked by etl/cluster/derive.py, not declared:
-- DuckDB's index made replacing a million-row registry's companies take seconds).
CREATE TABLE companies (
    company_id     VARCHAR NOT NULL,     -- slug of the consolidation key ('general-motors'); stable while the name is
    name           VARCHAR NOT NULL,
    parent_group   VARCHAR,              -- most frequent among its announcements
    origin_iso2    VARCHAR,
    tier           VARCHAR NOT NULL,     -- most frequent stated tier, else unknown
    sector         VARCHAR,
    named          BOOLEAN NOT NULL,     -- false: a placeholder ("empresa china, por confirmar")
    announcements  INTEGER NOT NULL
);

CREATE TABLE parks (
    park_id             VARCHAR PRIMARY KEY,
    name                VARCHAR NOT NULL,   -- as listed in slp_industrial_parks.csv
    municipality        VARCHAR,            -- as the sources state it (null: not stated)
    cvegeo              VARCHAR,
    operator            VARCHAR,
    lat                 DOUBLE,             -- WGS84; null until entered on the data desk (no source gave them)
    lon                 DOUBLE,
    coordinates_source  VARCHAR,            -- source of lat/lon
    source_url          VARCHAR NOT NULL,
    note                VARCHAR
);

-- One row per park name as announcements write it: the park it matches, and how.
CREATE TABLE park_names (
    park        VARCHAR PRIMARY KEY,
    park_id     VARCHAR,            -- null when ambiguous or unknown
    match       VARCHAR NOT NULL,   -- exact / partial / fuzzy / ambiguous / unknown
    candidates  VARCHAR             -- '; '-separated park_ids an ambiguous name fits
);

CREATE TABLE processes (
    process   VARCHAR PRIMARY KEY,  -- code (maquinado, estampado, ...)
    name_es   VARCHAR NOT NULL,
    name_en   VARCHAR NOT NULL,
    position  INTEGER NOT NULL
);

-- Which announcement sectors a supplier's process serves (data/raw/cluster/procesos.csv): the
-- opportunities next to sealed suppliers.
CREATE TABLE process_sectors (
    process  VARCHAR NOT NULL,
    sector   VARCHAR NOT NULL,
    PRIMARY KEY (process, sector)
);

-- Labels and order of the cluster's codes: size, supplier_status, area, step, committee, action_status.
CREATE TABLE cluster_vocabulary (
    kind      VARCHAR NOT NULL,
    code      VARCHAR NOT NULL,
    name_es   VARCHAR NOT NULL,
    name_en   VARCHAR NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (kind, code)
);

-- Public facts about the supplier programme, each with its source (data/raw/cluster/programa_hechos.csv).
CREATE TABLE programme_facts (
    position      INTEGER NOT NULL,
    fact_es       VARCHAR NOT NULL,
    fact_en       VARCHAR NOT NULL,
    source_title  VARCHAR,
    source_url    VARCHAR,
    source_date   VARCHAR
);

-- The supplier development programme's roster: public columns only. Viewers read this table.
CREATE TABLE suppliers (
    supplier_id   VARCHAR PRIMARY KEY,  -- PRV-0001, in the order suppliers were first loaded
    name          VARCHAR NOT NULL,
    municipality  VARCHAR,
    cvegeo        VARCHAR,
    size          VARCHAR,              -- micro / pequena / mediana / grande
    processes     VARCHAR[],            -- processes.process codes
    enrolled_on   DATE NOT NULL,
    certified_on  DATE,                 -- the readiness seal; null until granted
    status        VARCHAR NOT NULL,     -- active / withdrawn
    load_id       INTEGER NOT NULL,
    source_row    INTEGER NOT NULL
);

-- Private fields, shown only to signed-in editors of the data desk (analytics/desk/suppliers.py).
CREATE TABLE supplier_private (
    supplier_id   VARCHAR PRIMARY KEY,
    rfc           VARCHAR,
    customers     VARCHAR,
    contact_name  VARCHAR,
    email         VARCHAR,
    phone         VARCHAR,
    notes         VARCHAR
);

CREATE TABLE supplier_milestones (
    milestone_id  VARCHAR PRIMARY KEY,  -- supplier_id|area|step: one step of one area per supplier
    supplier_id   VARCHAR NOT NULL,
    area          VARCHAR NOT NULL,     -- calidad / certificaciones / legal / fiscal / financiamiento / capacitacion
    step          VARCHAR NOT NULL,
    done_on       DATE NOT NULL,
    evidence      VARCHAR,              -- URL or document name
    load_id       INTEGER NOT NULL,
    source_row    INTEGER NOT NULL
);

CREATE TABLE actions (
    action_id     VARCHAR PRIMARY KEY,  -- ACU-0001, in the order actions were first loaded
    committee     VARCHAR NOT NULL,     -- supplier_development / academic / supply_development / human_capital
    municipality  VARCHAR NOT NULL,     -- or 'Todo el estado'
    cvegeo        VARCHAR NOT NULL,     -- municipalities.cvegeo, or '24' (INEGI's key of the state) for the whole state
    description   VARCHAR NOT NULL,
    owner         VARCHAR,
    due_on        DATE,
    status        VARCHAR NOT NULL,     -- pending / in_progress / done / blocked
    done_on       DATE,                 -- when it was done (stated, else the day its entry was recorded)
    load_id       INTEGER NOT NULL,
    source_row    INTEGER NOT NULL
);

CREATE TABLE action_notes (
    action_id   VARCHAR NOT NULL,
    noted_on    DATE NOT NULL,
    note        VARCHAR NOT NULL,
    load_id     INTEGER NOT NULL,
    source_row  INTEGER NOT NULL
);

-- The change log without the roster's private fields: what anyone may read.
CREATE VIEW public_changes AS
SELECT * FROM changes WHERE entity <> 'supplier_private';

-- ---------------------------------------------------------------- official statistics
-- SE's IED by state as published (every release a vintage of its own), INEGI's exports by state
-- (ETEF), IMSS formal jobs and DENUE establishments. Written by etl/official; the shipped files
-- are loaded by the build, later releases by `python -m etl official FILE` (journal kinds
-- fdi_release, exports_etef, jobs_imss). Their keys are checked by etl/official/store.py.

-- The 32 states (INEGI Marco Geoestadístico 2023), for names, peer comparisons and the offline map.
CREATE TABLE states (
    cve_ent       VARCHAR PRIMARY KEY,  -- two digits, '24' = San Luis Potosí
    name          VARCHAR NOT NULL,     -- official name ("Coahuila de Zaragoza")
    short_name    VARCHAR NOT NULL,     -- as people write it ("Coahuila", "Estado de México")
    abbreviation  VARCHAR NOT NULL,     -- the usual abbreviation, for map labels ("Coah.", "SLP")
    geometry      VARCHAR NOT NULL,     -- GeoJSON of the simplified shape, WGS84
    centroid_lon  DOUBLE,               -- a point inside the largest part, for labels
    centroid_lat  DOUBLE
);

-- Short display names of SCIAN codes (sectors, subsectors, the ramas of 336); the full names as
-- SE writes them are in fdi_state_flows.label.
CREATE TABLE scian_activities (
    code         VARCHAR PRIMARY KEY,   -- as SE and INEGI write it: '31-33', '336', '3361', '000'
    level        VARCHAR NOT NULL,      -- sector / subsector / rama
    short_es     VARCHAR NOT NULL,
    short_en     VARCHAR NOT NULL,
    parent_code  VARCHAR                -- one level up ('3361' -> '336' -> '31-33')
);

-- One row per vintage of SE's IED: a workbook SE published, or an older copy the observatory ships.
CREATE TABLE fdi_releases (
    release_id  VARCHAR PRIMARY KEY,   -- e.g. se-original-2025T3 (a second file of the same series and cut-off: -2)
    series      VARCHAR NOT NULL CHECK (series IN ('original', 'revised')),  -- cifras originalmente publicadas / actualizadas
    cut_off     DATE NOT NULL,         -- last day of the last quarter with values
    file_name   VARCHAR NOT NULL,      -- as brought (several files of one release: '; '-separated)
    sha256      VARCHAR NOT NULL,      -- of the file (several files: sha256 of their sha256s, in order)
    loaded_at   TIMESTAMP NOT NULL,
    loaded_by   VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,      -- se_workbook / se_revised_csv / datos_gob / data_mexico
    states      INTEGER NOT NULL,      -- states with values (besides the national total)
    first_year  INTEGER NOT NULL,
    load_id     INTEGER,               -- load_log.load_id of a release loaded with etl official; null: shipped
    note_es     VARCHAR,
    note_en     VARCHAR
);

-- Every value of every release. Cumulative from January as SE publishes them (quarter 3 = Jan-Sep);
-- flow_musd is the quarter's own flow, derived within the year only. Never add two releases or
-- two series together.
CREATE TABLE fdi_state_flows (
    release_id       VARCHAR NOT NULL,  -- fdi_releases.release_id
    series           VARCHAR NOT NULL,  -- original / revised (as its release)
    cut_off          DATE NOT NULL,     -- as its release
    cve_ent          VARCHAR NOT NULL,  -- states.cve_ent; '00' = national total
    year             INTEGER NOT NULL,
    quarter          INTEGER NOT NULL,  -- 1-4: the value covers January to the end of this quarter
    dimension        VARCHAR NOT NULL,  -- type / country / activity
    code             VARCHAR NOT NULL,  -- type: total, new, reinvestment, intercompany; country: ISO alpha-2 ('XX' SE's other origin, 'XS' Scotland); activity: SCIAN code as SE writes it
    label            VARCHAR NOT NULL,  -- as SE writes it
    level            VARCHAR,           -- total / new / ...; country; sector / subsector / rama
    parent_code      VARCHAR,           -- activity: the code one level up; type: 'total'
    cumulative_musd  DOUBLE,            -- as published; null where confidential
    flow_musd        DOUBLE,            -- this quarter's flow: Q1 = cumulative, Qn = cum(n) - cum(n-1); null if not derivable
    confidential     BOOLEAN NOT NULL,  -- SE printed "C"
    derivation       VARCHAR,           -- null: cumulative as published; cumulative_from_flows / total_from_origins
    sheet            VARCHAR,           -- sheet (or file) it was read from
    source_row       INTEGER            -- its row there
);

-- Releases of INEGI's exports, IMSS's jobs and DENUE's establishments (one row per load).
CREATE TABLE indicator_releases (
    release_id  VARCHAR PRIMARY KEY,   -- e.g. exports-2026T2, jobs-2026-04, denue-2015-2019
    indicator   VARCHAR NOT NULL,      -- exports / jobs / establishments
    cut_off     DATE,                  -- last day of the last period with a value (DENUE: null, editions not dated)
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    loaded_at   TIMESTAMP NOT NULL,
    loaded_by   VARCHAR NOT NULL,
    load_id     INTEGER,               -- load_log.load_id of a refresh; null: shipped
    note_es     VARCHAR,
    note_en     VARCHAR
);

-- INEGI, Exportaciones Trimestrales por Entidad Federativa (ETEF), SLP by SCIAN subsector.
CREATE TABLE exports_quarterly (
    release_id       VARCHAR NOT NULL,  -- indicator_releases.release_id
    cve_ent          VARCHAR NOT NULL,
    year             INTEGER NOT NULL,
    quarter          INTEGER NOT NULL,
    scian_code       VARCHAR NOT NULL,  -- subsector ('336'); '000' = subsectors withheld for confidentiality, summed
    value_kusd       DOUBLE,            -- THOUSANDS of US dollars, as published; null: confidential / not available
    figure_status    VARCHAR,           -- ESTATUS_CIFRA as published: Disponible / Confidencial / No disponible
    revision_status  VARCHAR            -- ESTATUS as published: Cifras Preliminares / Revisadas / Definitivas
);

-- IMSS, puestos de trabajo afiliados (formal jobs, not persons), SLP state total by month.
CREATE TABLE jobs_monthly (
    release_id  VARCHAR NOT NULL,
    cve_ent     VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    month       INTEGER NOT NULL,
    jobs        INTEGER NOT NULL
);

-- INEGI DENUE, economic units in the editions 2015 and 2019 and their change, by municipality and
-- sector (manufacturing by subsector); cvegeo '24' with sector '00' is the state total.
CREATE TABLE establishments (
    release_id   VARCHAR NOT NULL,
    cvegeo       VARCHAR NOT NULL,      -- '24' (state) or a municipality, 24001-24058
    sector       VARCHAR NOT NULL,      -- SCIAN sector or manufacturing subsector; '00' = all
    sector_name  VARCHAR NOT NULL,      -- as the source writes it
    units_2015   INTEGER,
    units_2019   INTEGER,               -- null where the source left it blank (72 municipal rows)
    births       INTEGER,               -- units in 2019 not in 2015 (num_altas)
    deaths       INTEGER,               -- units in 2015 not in 2019 (num_bajas)
    balance      INTEGER                -- units_2019 - units_2015
);
