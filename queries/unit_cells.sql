-- The H3 cells at $resolution that hold at least one filtered event (no aggregates: the analyses only need
-- to know how many cells the map would draw, to choose the level of detail; see ui/analysis.py).
-- Parameters: the filtered_events parameters, $resolution integer (3..6).
-- Output: unit_id ubigint.
with filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision)
),

final as (
    select distinct
        case
            when $resolution = 3 then h3_r3
            when $resolution = 4 then h3_r4
            when $resolution = 5 then h3_r5
            else h3_r6
        end as unit_id
    from filtered
)

select * from final order by unit_id
