-- Events per imported admin unit and rolling period, with time-decayed nexus activity.
-- Periods and decay: see queries/macros/event_periods.sql; the per-period sums: queries/macros/unit_periods.sql.
-- Parameters: the filtered_events parameters, $boundary_set varchar (events joined through event_units),
--             $period_months integer, $half_life_years double.
-- Output: unit_id varchar (boundaries.unit_code), period_index integer, events, terrorism, organized_crime, both, other,
--         fatalities (counts), terrorism_activity, crime_activity (decayed sums of terrorism + both and
--         organized_crime + both), window_start date, window_end date (the same on every row).
with filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision)
),

-- rolling period and decay of each date (queries/macros/event_periods.sql)
periods as (
    select * from event_periods($date_from, $date_to, $period_months, $half_life_years)
),

units as (
    select u.unit_code as unit_id, f.event_date, f.nexus_category, f.fatalities
    from filtered f
    join event_units u on u.event_id = f.event_id and u.boundary_set = $boundary_set
),

final as (
    select * from unit_periods(units, periods)
)

select * from final order by unit_id, period_index
