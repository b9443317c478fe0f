-- Events per country and rolling period (the periods of unit_period_counts.sql), for change vs baseline
-- per country and for the whole region.
-- Parameters: the filtered_events parameters, $period_months integer.
-- Output: country_iso3, period_index integer, events, terrorism, organized_crime, both, other, fatalities,
--         window_start date, window_end date.
with filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision)
),

-- rolling period and decay of each date (queries/macros/event_periods.sql)
periods as (
    select * from event_periods($date_from, $date_to, $period_months, 0.0)
),

units as (
    select coalesce(country_iso3, '') as country_iso3, event_date, nexus_category, fatalities
    from filtered
),

final as (
    select
        u.country_iso3,
        d.period_index,
        count(*) as events,
        count(*) filter (where u.nexus_category = 'terrorism') as terrorism,
        count(*) filter (where u.nexus_category = 'organized_crime') as organized_crime,
        count(*) filter (where u.nexus_category = 'both') as both,
        count(*) filter (where u.nexus_category = 'other') as other,
        sum(u.fatalities)::bigint as fatalities,
        any_value(d.window_start) as window_start,
        any_value(d.window_end) as window_end
    from units u
    join periods d using (event_date)
    group by u.country_iso3, d.period_index
)

select * from final order by country_iso3, period_index
