-- Table macro: the filtered events, further restricted to one selected unit (the drill-down).
-- Parameters: the filtered_events parameters, then
--   sel_kind varchar   '' (no selection) | 'h3' | 'priogrid' | 'country' | 'admin'
--   sel_res integer    H3 resolution of sel_id when sel_kind = 'h3'
--   sel_id varchar     the unit: H3 cell id as decimal text, PRIO-GRID gid, ISO3, or
--                      '<boundary set>|<unit code>' for an imported admin unit
--   sel_kind 'ids'     the events listed in the per-connection temp table selection_ids (filled by
--                      layers/selection.py, e.g. the events near a corridor)
create temp table if not exists selection_ids (event_id varchar primary key);

create or replace temp macro selected_events(countries, crime_types, date_from, date_to, actors, sources,
                                             min_fatalities, max_geo_precision, sel_kind, sel_res, sel_id) as table
select *
from filtered_events(countries, crime_types, date_from, date_to, actors, sources, min_fatalities, max_geo_precision)
where sel_kind = ''
   or (sel_kind = 'h3' and sel_res = 3 and h3_r3 = try_cast(sel_id as ubigint))
   or (sel_kind = 'h3' and sel_res = 4 and h3_r4 = try_cast(sel_id as ubigint))
   or (sel_kind = 'h3' and sel_res = 5 and h3_r5 = try_cast(sel_id as ubigint))
   or (sel_kind = 'h3' and sel_res = 6 and h3_r6 = try_cast(sel_id as ubigint))
   or (sel_kind = 'priogrid' and priogrid_gid = try_cast(sel_id as integer))
   or (sel_kind = 'country' and country_iso3 = sel_id)
   or (sel_kind = 'ids' and event_id in (select event_id from selection_ids))
   or (sel_kind = 'admin' and event_id in (
         select event_id from event_units
         where boundary_set = split_part(sel_id, '|', 1) and unit_code = split_part(sel_id, '|', 2)));
