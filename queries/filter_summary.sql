-- Totals of what the filter leaves, and whether any of it is synthetic: drives the counters and
-- the "synthetic demonstration data" label.
-- Parameters: the selected_events parameters (filters + $sel_kind, $sel_res, $sel_id).
-- Output: events, fatalities, synthetic, sources (list of source ids), first_date, last_date.
with filtered as (
    select * from overview_rows($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                                $sel_kind, $sel_res, $sel_id, false)
),

final as (
    select
        coalesce(sum(events), 0)::bigint as events,
        coalesce(sum(fatalities * events), 0)::bigint as fatalities,
        coalesce(sum(events) filter (where is_synthetic), 0)::bigint as synthetic,
        list(distinct source order by source) as sources,
        min(first_date) as first_date,
        max(last_date) as last_date
    from filtered
)

select * from final
