-- Events per imported admin unit of one boundary set; units with no events are included (zeros).
-- When countries are filtered, only the units of those countries (or of no recorded country) are kept.
-- Parameters: the filtered_events parameters ($countries, $crime_types, $date_from, $date_to, $actors,
--             $sources, $min_fatalities, $max_geo_precision) and $boundary_set varchar.
-- Output: unit_code, name, country_iso3, level, events, fatalities, terrorism, organized_crime, both,
--         geometry_wkb (EPSG:4326).
with units as (
    select unit_code, name, country_iso3, level, geometry_wkb
    from boundaries
    where boundary_set = $boundary_set
      and (len($countries) = 0 or country_iso3 is null or country_iso3 = any($countries))
),

filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision)
),

assigned as (
    select eu.unit_code, f.fatalities, f.nexus_category
    from filtered f
    join event_units eu on eu.event_id = f.event_id and eu.boundary_set = $boundary_set
),

counts as (
    select
        unit_code,
        count(*) as events,
        sum(fatalities)::bigint as fatalities,
        count(*) filter (where nexus_category = 'terrorism') as terrorism,
        count(*) filter (where nexus_category = 'organized_crime') as organized_crime,
        count(*) filter (where nexus_category = 'both') as both
    from assigned
    group by unit_code
),

final as (
    select
        u.unit_code,
        u.name,
        u.country_iso3,
        u.level,
        coalesce(c.events, 0)::bigint as events,
        coalesce(c.fatalities, 0)::bigint as fatalities,
        coalesce(c.terrorism, 0)::bigint as terrorism,
        coalesce(c.organized_crime, 0)::bigint as organized_crime,
        coalesce(c.both, 0)::bigint as both,
        u.geometry_wkb
    from units u
    left join counts c using (unit_code)
)

select * from final order by unit_code
