-- Events per analysis unit and rolling period, with time-decayed nexus activity.
-- Periods and decay: see queries/macros/event_periods.sql.
-- Parameters: the filtered_events parameters, $unit varchar ('h3' | 'priogrid'), $resolution integer (3..6),
--             $period_months integer, $half_life_years double.
-- Output: unit_id ubigint, period_index integer, events, terrorism, organized_crime, both, other,
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
    select
        case
            when $unit = 'priogrid' then priogrid_gid::ubigint
            when $resolution = 3 then h3_r3
            when $resolution = 4 then h3_r4
            when $resolution = 5 then h3_r5
            else h3_r6
        end as unit_id,
        event_date, nexus_category, fatalities
    from filtered
),

final as (
    select
        u.unit_id,
        d.period_index,
        count(*) as events,
        count(*) filter (where u.nexus_category = 'terrorism') as terrorism,
        count(*) filter (where u.nexus_category = 'organized_crime') as organized_crime,
        count(*) filter (where u.nexus_category = 'both') as both,
        count(*) filter (where u.nexus_category = 'other') as other,
        sum(u.fatalities)::bigint as fatalities,
        coalesce(sum(d.decay) filter (where u.nexus_category in ('terrorism', 'both')), 0) as terrorism_activity,
        coalesce(sum(d.decay) filter (where u.nexus_category in ('organized_crime', 'both')), 0) as crime_activity,
        any_value(d.window_start) as window_start,
        any_value(d.window_end) as window_end
    from units u
    join periods d using (event_date)
    group by u.unit_id, d.period_index
)

select * from final order by unit_id, period_index
