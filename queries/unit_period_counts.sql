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

aged as (
    select
        case
            when $unit = 'priogrid' then priogrid_gid::ubigint
            when $resolution = 3 then h3_r3
            when $resolution = 4 then h3_r4
            when $resolution = 5 then h3_r5
            else h3_r6
        end as unit_id,
        f.nexus_category,
        f.fatalities,
        f.event_date,
        b.window_end,
        date_diff('day', f.event_date, b.window_end) as age_days
    from filtered f cross join window_bounds b
),

-- first guess of the period from the age in days, then corrected by at most one period using the
-- exact calendar bounds (E - p * $period_months months, E - (p + 1) * $period_months months]
guessed as (
    select *, floor(age_days / ($period_months * 30.436875))::integer as p0
    from aged
),

periods as (
    select
        *,
        case
            when event_date <= window_end - to_months(((p0 + 1) * $period_months)::integer) then p0 + 1
            when event_date > window_end - to_months((p0 * $period_months)::integer) then p0 - 1
            else p0
        end as period_index
    from guessed
),

ages as (
    select
        *,
        -- age in days from the end of the event's own period
        date_diff('day', event_date, window_end - to_months((period_index * $period_months)::integer)) as age_in_period
    from periods
),

weighted as (
    select
        *,
        case when $half_life_years::double <= 0 then 1.0
             else pow(0.5, age_in_period / 365.25 / $half_life_years::double) end as decay
    from ages
),

final as (
    select
        unit_id,
        period_index,
        count(*) as events,
        count(*) filter (where nexus_category = 'terrorism') as terrorism,
        count(*) filter (where nexus_category = 'organized_crime') as organized_crime,
        count(*) filter (where nexus_category = 'both') as both,
        count(*) filter (where nexus_category = 'other') as other,
        sum(fatalities)::bigint as fatalities,
        coalesce(sum(decay) filter (where nexus_category in ('terrorism', 'both')), 0) as terrorism_activity,
        coalesce(sum(decay) filter (where nexus_category in ('organized_crime', 'both')), 0) as crime_activity,
        any_value(b.window_start) as window_start,
        any_value(b.window_end) as window_end
    from weighted cross join window_bounds b
    where age_days >= 0
    group by unit_id, period_index
)

select * from final order by unit_id, period_index
