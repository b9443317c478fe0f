-- Events per analysis unit and rolling period, with time-decayed nexus activity.
-- Periods are counted back from the window end E ($date_to, or the store's last event when open):
-- period_index p holds the events dated in (E - (p + 1) * $period_months months, E - p * $period_months months],
-- so p = 0 is the most recent period (12 months: a year, 3: a quarter; 12000 makes the window one period).
-- Decay: an event weighs 0.5 ^ (age / $half_life_years), age in years (365.25 days) from the END of
-- its own period; $half_life_years <= 0 turns decay off (weight 1).
-- Parameters: the filtered_events parameters, $unit varchar ('h3' | 'priogrid'), $resolution integer (3..6),
--             $period_months integer, $half_life_years double.
-- Output: unit_id ubigint, period_index integer, events, terrorism, organized_crime, both, other,
--         fatalities (counts), terrorism_activity, crime_activity (decayed sums of terrorism + both and
--         organized_crime + both), window_start date, window_end date (the same on every row).
with store_span as (
    select min(event_date) as first_date, max(event_date) as last_date from events
),

-- A date the user chose bounds the window; an open end (atlas/filters.py EARLIEST / LATEST) falls back
-- to the store's first / last event.
window_bounds as (
    select
        case when $date_from::date > date '1900-01-01' then $date_from::date else first_date end as window_start,
        case when $date_to::date < date '2100-12-31' then $date_to::date else last_date end as window_end
    from store_span
),

filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision)
),

-- Periods and decay depend on the date only: work them out once per distinct date, then join.
dates as (
    select distinct f.event_date, b.window_end, date_diff('day', f.event_date, b.window_end) as age_days
    from filtered f cross join window_bounds b
),

guessed as (
    -- a first guess from the age in days, corrected by at most one period with the calendar bounds
    select *, floor(age_days / ($period_months * 30.436875))::integer as p0
    from dates
    where age_days >= 0
),

dated as (
    select
        event_date,
        case
            when event_date <= window_end - to_months(((p0 + 1) * $period_months)::integer) then p0 + 1
            when event_date > window_end - to_months((p0 * $period_months)::integer) then p0 - 1
            else p0
        end as period_index,
        window_end
    from guessed
),

decayed as (
    select
        event_date,
        period_index,
        case when $half_life_years::double <= 0 then 1.0
             else pow(0.5, date_diff('day', event_date, window_end - to_months((period_index * $period_months)::integer))
                           / 365.25 / $half_life_years::double) end as decay
    from dated
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
        any_value(b.window_start) as window_start,
        any_value(b.window_end) as window_end
    from units u
    join decayed d using (event_date)
    cross join window_bounds b
    group by u.unit_id, d.period_index
)

select * from final order by unit_id, period_index
