-- The H3 cells at $resolution that hold at least one filtered event (no aggregates: the analyses only need
-- to know how many cells the map would draw, to choose the level of detail; see ui/analysis.py).
-- Parameters: the filtered_events parameters, $resolution integer (3..6).
-- Output: unit_id ubigint.
with final as (
    select distinct unit_id
    from unit_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities,
             $max_geo_precision, 'h3', $resolution)
)

select * from final order by unit_id
