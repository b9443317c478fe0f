-- Table macro: the selected events as (month, attributes, events) rows, for aggregates that need neither
-- places nor actors (totals, time series, crime-type counts). When the filter allows it (no actor, no
-- selected unit, whole months, and the caller needs no finer dates than months) the rows come from
-- event_cube, about 5x fewer than the events; otherwise one row per event, so the answer is the same
-- either way (tests/test_cube.py). The parameters are constants, so DuckDB drops the branch not taken.
-- Parameters: the selected_events parameters, then day_dates boolean (true: the caller groups by
-- finer periods than months, e.g. weeks).
-- Output: month date, country_iso3, crime_type, nexus_category, source, geo_precision, is_synthetic,
--         fatalities (of each event), events (how many such events), first_date, last_date.
create or replace temp macro overview_rows(countries, crime_types, date_from, date_to, actors, sources,
                                           min_fatalities, max_geo_precision, sel_kind, sel_res, sel_id,
                                           day_dates) as table
select month, country_iso3, crime_type, nexus_category, source, geo_precision, is_synthetic, fatalities,
       events, first_date, last_date
from event_cube
where len(actors) = 0 and sel_kind = '' and not day_dates
  and day(date_from::date) = 1 and date_to::date = last_day(date_to::date)
  and month between date_from::date and date_to::date
  and (len(countries) = 0 or list_contains(countries, country_iso3))
  and (len(crime_types) = 0 or list_contains(crime_types, crime_type))
  and (len(sources) = 0 or list_contains(sources, source))
  and fatalities >= min_fatalities
  and geo_precision <= max_geo_precision
union all
select date_trunc('month', event_date)::date as month, country_iso3, crime_type, nexus_category, source,
       geo_precision, is_synthetic, fatalities, 1::bigint as events, event_date as first_date,
       event_date as last_date
from selected_events(countries, crime_types, date_from, date_to, actors, sources, min_fatalities,
                     max_geo_precision, sel_kind, sel_res, sel_id)
where not (len(actors) = 0 and sel_kind = '' and not day_dates
           and day(date_from::date) = 1 and date_to::date = last_day(date_to::date));
