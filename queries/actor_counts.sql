-- Actors (actor1 or actor2) with their event counts under the current filter (the actor filter itself excluded
-- by the caller passing an empty $actors), for the searchable actor list.
-- Parameters: the filtered_events parameters, $limit integer.
-- Output: actor, events.
with filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision)
),

actors as (
    select actor1 as actor from filtered where actor1 is not null
    union all
    select actor2 as actor from filtered where actor2 is not null
),

final as (
    select actor, count(*) as events from actors group by actor
)

select * from final order by events desc, actor limit $limit
