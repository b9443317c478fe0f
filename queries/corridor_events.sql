-- Filtered events inside a bounding box (the corridors' box grown by the search distance), with
-- their analysis unit, for the distance-to-corridor tests done in layers/corridors.py.
-- Parameters: the filtered_events parameters, $unit varchar ('h3' | 'priogrid' | 'admin'),
--             $resolution integer (3..6), $boundary_set varchar (used when $unit = 'admin'),
--             $min_lon, $min_lat, $max_lon, $max_lat double.
-- Output: event_id, event_date, lat, lon, nexus_category, unit_id varchar (H3 / PRIO-GRID id as text,
--         or the admin unit_code; null when an event has no admin unit in the set).
with filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision)
    where lon between $min_lon and $max_lon and lat between $min_lat and $max_lat
),

admin as (
    select event_id, unit_code from event_units where boundary_set = $boundary_set
),

final as (
    select
        f.event_id, f.event_date, f.lat, f.lon, f.nexus_category,
        case
            when $unit = 'admin' then a.unit_code
            when $unit = 'priogrid' then f.priogrid_gid::varchar
            when $resolution = 3 then f.h3_r3::varchar
            when $resolution = 4 then f.h3_r4::varchar
            when $resolution = 5 then f.h3_r5::varchar
            else f.h3_r6::varchar
        end as unit_id
    from filtered f left join admin a using (event_id)
)

select * from final order by event_id
