-- Events per crime type (taxonomy code) with their nexus category.
-- Parameters: the selected_events parameters (filters + $sel_kind, $sel_res, $sel_id).
-- Output: crime_type, nexus_category, events, fatalities, synthetic.
with filtered as (
    select * from overview_rows($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                                $sel_kind, $sel_res, $sel_id, false)
),

final as (
    select
        crime_type,
        nexus_category,
        sum(events)::bigint as events,
        sum(fatalities * events)::bigint as fatalities,
        coalesce(sum(events) filter (where is_synthetic), 0)::bigint as synthetic
    from filtered
    group by all
)

select * from final order by events desc, crime_type, nexus_category
