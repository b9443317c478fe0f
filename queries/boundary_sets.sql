-- Boundary sets in the store with their level and number of units (admin-0 outlines included).
-- Parameters: none.
-- Output: boundary_set, level, units, countries (distinct ISO3 codes), source, units_with_events.
with sets as (
    select boundary_set, max(level) as level, count(*) as units,
           count(distinct country_iso3) as countries, min(source) as source
    from boundaries
    group by boundary_set
),

used as (
    select boundary_set, count(distinct unit_code) as units_with_events
    from event_units
    group by boundary_set
),

final as (
    select s.boundary_set, s.level, s.units, s.countries, s.source,
           coalesce(u.units_with_events, 0) as units_with_events
    from sets s
    left join used u using (boundary_set)
)

select * from final order by level, boundary_set
