-- Table macro: the rolling period and decay weight of each event date, shared by the *_period_counts queries.
-- Periods are counted back from the window end E (date_to, or the store's last event when open):
-- period_index p holds the dates in (E - (p + 1) * period_months months, E - p * period_months months],
-- so p = 0 is the most recent period (12 months: a year, 3: a quarter; 12000 makes the window one period).
-- Decay: an event weighs 0.5 ^ (age / half_life_years), age in years (365.25 days) from the END of its own
-- period; half_life_years <= 0 turns decay off (weight 1).
-- Parameters: date_from, date_to date (atlas/filters.py EARLIEST / LATEST mean open), period_months integer,
--             half_life_years double.
-- Output: one row per day from the store's first event date up to E: event_date, period_index, decay,
--         window_start, window_end. Periods depend on the date only, so callers join their filtered events
--         on event_date (dates the filter excludes simply find no partner).
create or replace temp macro event_periods(date_from, date_to, period_months, half_life_years) as table
with store_span as (
    select min(event_date) as first_date, max(event_date) as last_date from events
),

-- A date the user chose bounds the window; an open end falls back to the store's first / last event.
window_bounds as (
    select
        case when date_from::date > date '1900-01-01' then date_from::date else first_date end as window_start,
        case when date_to::date < date '2100-12-31' then date_to::date else last_date end as window_end
    from store_span
),

dates as (
    -- every day of the store's span (its first and last dates come from column statistics), not the
    -- distinct dates of a million events: a quarter of the time, and a day without events joins nothing
    select g.event_date::date as event_date, b.window_start, b.window_end,
           date_diff('day', g.event_date::date, b.window_end) as age_days
    from store_span s
    cross join window_bounds b
    cross join generate_series(s.first_date, s.last_date, interval 1 day) as g(event_date)
),

guessed as (
    -- a first guess from the age in days, corrected by at most one period with the calendar bounds
    select *, floor(age_days / (period_months * 30.436875))::integer as p0
    from dates
    where age_days >= 0
),

dated as (
    select
        event_date,
        case
            when event_date <= window_end - to_months(((p0 + 1) * period_months)::integer) then p0 + 1
            when event_date > window_end - to_months((p0 * period_months)::integer) then p0 - 1
            else p0
        end as period_index,
        window_start,
        window_end
    from guessed
)

select
    event_date,
    period_index,
    case when half_life_years::double <= 0 then 1.0
         else pow(0.5, date_diff('day', event_date, window_end - to_months((period_index * period_months)::integer))
                       / 365.25 / half_life_years::double) end as decay,
    window_start,
    window_end
from dated;
