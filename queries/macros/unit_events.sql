-- Table macro: the events a FilterState selects (filtered_events, same parameters first), each with the id
-- of the analysis unit it falls in: its H3 cell at `resolution`, or its PRIO-GRID cell when unit = 'priogrid'.
-- Output: the events columns and unit_id ubigint.
create or replace temp macro unit_events(countries, crime_types, date_from, date_to, actors,
                                         sources, min_fatalities, max_geo_precision, unit, resolution) as table
select
    *,
    case
        when unit = 'priogrid' then priogrid_gid::ubigint
        when resolution = 3 then h3_r3
        when resolution = 4 then h3_r4
        when resolution = 5 then h3_r5
        else h3_r6
    end as unit_id
from filtered_events(countries, crime_types, date_from, date_to, actors, sources, min_fatalities, max_geo_precision);
