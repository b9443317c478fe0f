-- Table macro shared by every aggregate: the events a FilterState selects.
-- Parameters (an empty list means "no restriction"):
--   countries varchar[]      ISO3 codes of the region's countries
--   crime_types varchar[]    taxonomy codes
--   date_from, date_to date  inclusive
--   actors varchar[]         matched against actor1 or actor2, exactly
--   sources varchar[]        sources.source_id
--   min_fatalities integer
--   max_geo_precision integer  1 exact place .. 4 country
-- list_contains, not "= any(list)": the same answer (NULL for a NULL value, so the row is left out) and
-- about 5x faster over a million rows (benchmarks/results.md).
create or replace temp macro filtered_events(countries, crime_types, date_from, date_to, actors,
                                             sources, min_fatalities, max_geo_precision) as table
select *
from events
where event_date between date_from and date_to
  and (len(countries) = 0 or list_contains(countries, country_iso3))
  and (len(crime_types) = 0 or list_contains(crime_types, crime_type))
  and (len(actors) = 0 or list_contains(actors, actor1) or list_contains(actors, actor2))
  and (len(sources) = 0 or list_contains(sources, source))
  and fatalities >= min_fatalities
  and geo_precision <= max_geo_precision;
