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
    select coalesce(country_iso3, '') as unit_id, event_date, nexus_category, fatalities
    from filtered
),

-- the per-period sums of queries/macros/unit_periods.sql, countries as the units (decay is off here)
final as (
    select unit_id as country_iso3, period_index, events, terrorism, organized_crime, "both", other, fatalities,
           window_start, window_end
    from unit_periods(units, periods)
)

select * from final order by country_iso3, period_index
