-- Actors (actor1 or actor2) with their event counts under the current filter (the actor filter itself excluded
-- by the caller passing an empty $actors), most active first: the actor search and the drill-down's top actors.
-- Parameters: the selected_events parameters (filters + $sel_kind, $sel_res, $sel_id), $search varchar (text the
--             name contains, any case; '' for all), $limit integer.
-- Output: actor, events.
with filtered as (
    select * from selected_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                                  $sel_kind, $sel_res, $sel_id)
),

-- pairs first: one pass over the events instead of one per actor column
pairs as (
    select actor1, actor2, count(*) as n from filtered group by all
),

actors as (
    select actor1 as actor, n from pairs where actor1 is not null
    union all
    select actor2 as actor, n from pairs where actor2 is not null
),

-- plain substring match, not LIKE: a typed % or _ means itself
matching as (
    select * from actors where $search = '' or contains(lower(actor), lower($search))
),

final as (
    select actor, sum(n)::bigint as events from matching group by actor
)

select * from final order by events desc, actor limit $limit
