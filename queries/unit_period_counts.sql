-- Events per analysis unit and rolling period, with time-decayed nexus activity.
-- Periods and decay: see queries/macros/event_periods.sql; the per-period sums: queries/macros/unit_periods.sql.
-- Parameters: the filtered_events parameters, $unit varchar ('h3' | 'priogrid'), $resolution integer (3..6),
--             $period_months integer, $half_life_years double.
-- Output: unit_id ubigint, period_index integer, events, terrorism, organized_crime, both, other,
--         fatalities (counts), terrorism_activity, crime_activity (decayed sums of terrorism + both and
--         organized_crime + both), window_start date, window_end date (the same on every row).
with units as (
    select unit_id, event_date, nexus_category, fatalities
    from unit_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities,
                     $max_geo_precision, $unit, $resolution)
),

-- rolling period and decay of each date (queries/macros/event_periods.sql)
periods as (
    select * from event_periods($date_from, $date_to, $period_months, $half_life_years)
),

final as (
    select * from unit_periods(units, periods)
)

select * from final order by unit_id, period_index
