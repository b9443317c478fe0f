-- Events per period (month, quarter or year) and nexus category.
-- Parameters: the selected_events parameters (filters + $sel_kind, $sel_res, $sel_id), $step varchar ('month' | 'quarter' | 'year').
-- Output: period date (first day), nexus_category, events, fatalities.
with filtered as (
    select * from overview_rows($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                                $sel_kind, $sel_res, $sel_id, $step not in ('month', 'quarter', 'year'))
),

final as (
    select
        date_trunc($step, case when $step in ('month', 'quarter', 'year') then month else first_date end)::date as period,
        nexus_category,
        sum(events)::bigint as events,
        sum(fatalities * events)::bigint as fatalities
    from filtered
    group by all
)

select * from final order by period, nexus_category
