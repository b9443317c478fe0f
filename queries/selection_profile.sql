-- The selected events summed per year, place, crime type, category, source and synthetic flag: the
-- drill-down's totals, crime types, places and trend all come from this one scan (ui/drilldown.py) instead
-- of four (filter_summary, crime_type_breakdown, country_counts, time_series give the same numbers).
-- Parameters: the selected_events parameters (filters + $sel_kind, $sel_res, $sel_id).
-- Output: period date (1 January of the year), country_iso3, admin1 ('(not recorded)' when missing),
--         crime_type, nexus_category, source, is_synthetic, events, fatalities, first_date, last_date.
with filtered as (
    select * from selected_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                                  $sel_kind, $sel_res, $sel_id)
),

final as (
    select
        date_trunc('year', event_date)::date as period,
        country_iso3,
        coalesce(admin1, '(not recorded)') as admin1,
        crime_type,
        nexus_category,
        source,
        is_synthetic,
        count(*) as events,
        sum(fatalities)::bigint as fatalities,
        min(event_date) as first_date,
        max(event_date) as last_date
    from filtered
    group by all
)

select * from final
order by period, country_iso3, admin1, crime_type, nexus_category, source, is_synthetic
