-- Events per analysis unit: an H3 cell at $resolution, or a PRIO-GRID cell when $unit = 'priogrid'.
-- Parameters: the filtered_events parameters, $unit varchar ('h3' | 'priogrid'), $resolution integer (3..6).
-- Output: unit_id ubigint, events, fatalities, terrorism, organized_crime, both, other, synthetic (counts),
--         first_date, last_date.
with units as (
    select unit_id, fatalities, nexus_category, is_synthetic, event_date
    from unit_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities,
                     $max_geo_precision, $unit, $resolution)
),

final as (
    select
        unit_id,
        count(*) as events,
        sum(fatalities)::bigint as fatalities,
        count(*) filter (where nexus_category = 'terrorism') as terrorism,
        count(*) filter (where nexus_category = 'organized_crime') as organized_crime,
        count(*) filter (where nexus_category = 'both') as both,
        count(*) filter (where nexus_category = 'other') as other,
        count(*) filter (where is_synthetic) as synthetic,
        min(event_date) as first_date,
        max(event_date) as last_date
    from units
    group by unit_id
)

select * from final order by unit_id
