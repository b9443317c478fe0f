-- The rows of event_cube (ingest/schema.sql) computed from events: one per month and combination of the
-- filterable attributes the overview aggregates need. Fatalities stay part of the key so a minimum-
-- fatalities filter is exact. About 5x fewer rows than events at a million synthetic events.
-- Used to rebuild the table (ingest/cube.py) and, for a store written before the cube existed, as a
-- view computed on the fly (queries.ReadOnlyStore).
select
    date_trunc('month', event_date)::date as month,
    country_iso3, crime_type, nexus_category, source, geo_precision, is_synthetic, fatalities,
    count(*) as events,
    min(event_date) as first_date,
    max(event_date) as last_date
from events
group by all
