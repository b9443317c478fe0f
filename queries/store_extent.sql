-- What the store holds, for the controls' ranges and choices.
-- Parameters: none.
-- Output: first_date, last_date, events, sources (list), max_fatalities.
with final as (
    select
        min(event_date) as first_date,
        max(event_date) as last_date,
        count(*) as events,
        list(distinct source order by source) as sources,
        coalesce(max(fatalities), 0) as max_fatalities
    from events
)

select * from final
