-- Canonical store schema. The only definition of the tables: docs/data-model.md describes it
-- column by column and tests/test_store.py checks the two agree.
-- Geometries are kept as WKB blobs in EPSG:4326 so the store needs no DuckDB extension.

create table if not exists sources (
    source_id      varchar primary key,  -- dataset key used in events.source ('synthetic', 'acled', ...)
    title          varchar not null,
    citation       varchar not null,
    licence        varchar not null,
    attribution    varchar not null,     -- text the map must show when this source is on it
    url            varchar,
    is_synthetic   boolean not null default false,
    imported_at    timestamp not null default current_timestamp,
    row_count      bigint
);

-- event_id is unique but has no primary-key index: ingest.store.upsert_events is the only writer and
-- deletes an id before inserting it again, and imports drop repeated ids first. Keeping an ART index
-- up to date cost 2 of the 9.5 s a 1 M-row import took, and no query looks events up by id alone.
create table if not exists events (
    event_id             varchar not null,     -- '<source>:<source_record_id>'
    source               varchar not null,     -- sources.source_id
    source_record_id     varchar not null,     -- id in the source file (event_id_cnty, GED id, eventid, ...)
    event_date           date not null,
    date_precision       tinyint not null,     -- 1 day, 2 week, 3 month, 4 year
    year                 smallint not null,
    lat                  double not null,
    lon                  double not null,
    geo_precision        tinyint not null,     -- 1 exact place, 2 near place / district, 3 province, 4 country
    country_iso3         varchar,
    admin1               varchar,
    admin2               varchar,
    location             varchar,
    nexus_category       varchar not null,     -- terrorism | organized_crime | both | other
    crime_type           varchar not null,     -- data/taxonomy.csv code
    classification_rule  varchar not null,     -- id of the rule in data/classification_rules.csv that fired
    actor1               varchar,
    actor2               varchar,
    fatalities           integer not null default 0,
    notes                varchar,
    is_synthetic         boolean not null,
    h3_r3                ubigint not null,     -- H3 cell ids at the resolutions the map uses
    h3_r4                ubigint not null,
    h3_r5                ubigint not null,
    h3_r6                ubigint not null,
    priogrid_gid         integer not null,     -- PRIO-GRID 0.5 degree cell
    imported_at          timestamp not null default current_timestamp
);

create table if not exists routes (
    route_id         varchar primary key,
    name             varchar not null,
    commodity        varchar not null,         -- plain words: 'opiates', 'migrants', ...
    crime_type       varchar not null,         -- taxonomy code
    source_citation  varchar not null,
    confidence       varchar not null,         -- high | medium | low
    source           varchar not null,         -- sources.source_id
    geometry_wkb     blob not null             -- LineString / MultiLineString, EPSG:4326
);

create table if not exists areas (
    area_id          varchar primary key,
    name             varchar not null,
    kind             varchar not null,         -- region | zone
    description      varchar,
    source_citation  varchar not null,
    confidence       varchar not null,
    source           varchar not null,
    geometry_wkb     blob not null             -- Polygon / MultiPolygon, EPSG:4326
);

create table if not exists boundaries (
    boundary_set  varchar not null,            -- 'natural_earth_admin0' or a user-chosen name
    level         tinyint not null,            -- 0 country, 1 admin-1, 2 admin-2
    unit_code     varchar not null,
    name          varchar not null,
    country_iso3  varchar,
    parent_code   varchar,
    source        varchar not null,
    geometry_wkb  blob not null,               -- Polygon / MultiPolygon, EPSG:4326, valid
    primary key (boundary_set, unit_code)
);

create table if not exists event_units (       -- events assigned to imported admin units
    event_id      varchar not null,
    boundary_set  varchar not null,
    unit_code     varchar not null,
    primary key (event_id, boundary_set)
);

create table if not exists activities (
    activity_id    varchar primary key,
    title          varchar not null,
    kind           varchar not null,           -- training | workshop | conference | project | meeting
    start_date     date not null,
    end_date       date,
    place          varchar not null,
    country_iso3   varchar,
    lat            double not null,
    lon            double not null,
    summary        varchar not null,
    document       varchar not null,           -- the UN text it is drawn from
    document_date  date not null,
    source         varchar not null
);

create table if not exists evidence (
    evidence_id    varchar primary key,
    statement      varchar not null,           -- a sourced sentence, quoted or closely paraphrased
    country_iso3   varchar,                    -- the country it concerns, or null
    area_id        varchar,                    -- or the area it concerns
    region         varchar,                    -- sahel | horn | central_asia | null (global)
    crime_type     varchar,                    -- taxonomy code or null
    document       varchar not null,
    document_date  date not null,
    source         varchar not null
);

create table if not exists store_meta (
    key    varchar primary key,
    value  varchar not null
);

-- Events summed per month and every filterable attribute except actors and place (ingest/event_cube.sql):
-- the overview aggregates (totals, time series, crime-type counts) read it instead of every event
-- whenever the filter allows (queries/macros/overview_rows.sql). Rebuilt whenever events change.
create table if not exists event_cube (
    month          date not null,              -- first day of the events' month
    country_iso3   varchar,
    crime_type     varchar not null,
    nexus_category varchar not null,
    source         varchar not null,
    geo_precision  tinyint not null,
    is_synthetic   boolean not null,
    fatalities     integer not null,           -- fatalities of each event in the row (part of the key)
    events         bigint not null,
    first_date     date not null,
    last_date      date not null
);
