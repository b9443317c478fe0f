-- Events per country and rolling period (the periods of unit_period_counts.sql), for change vs baseline
-- per country and for the whole region.
-- Parameters: the filtered_events parameters, $period_months integer.
-- Output: country_iso3, period_index integer, events, terrorism, organized_crime, both, other, fatalities,
--         window_start date, window_end date.
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
        any_value(b.window_start) as window_start,
        any_value(b.window_end) as window_end
    from units u
    join dated d using (event_date)
    cross join window_bounds b
    group by u.country_iso3, d.period_index
)

select * from final order by country_iso3, period_index
