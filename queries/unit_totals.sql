-- Events and fatalities per analysis unit: what the map draws and its tooltips say. The same units and
-- numbers as unit_counts without its per-category counts and dates (the data download asks for those),
-- a third of the work over a million events.
-- Parameters: the filtered_events parameters, $unit varchar ('h3' | 'priogrid'), $resolution integer (3..6).
-- Output: unit_id ubigint, events, fatalities.
with units as (
    select unit_id, fatalities
    from unit_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities,
                     $max_geo_precision, $unit, $resolution)
),

final as (
    select unit_id, count(*) as events, sum(fatalities)::bigint as fatalities
    from units
    group by unit_id
)

select * from final order by unit_id
