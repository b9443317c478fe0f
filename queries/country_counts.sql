-- Events per country and admin-1 name as recorded in the source (no boundary file needed).
-- Parameters: the selected_events parameters (filters + $sel_kind, $sel_res, $sel_id).
-- Output: country_iso3, admin1, events, fatalities, terrorism, organized_crime, both, synthetic.
with filtered as (
    select * from selected_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                                  $sel_kind, $sel_res, $sel_id)
),

final as (
    select
        country_iso3,
        coalesce(admin1, '(not recorded)') as admin1,
        count(*) as events,
        sum(fatalities)::bigint as fatalities,
        count(*) filter (where nexus_category = 'terrorism') as terrorism,
        count(*) filter (where nexus_category = 'organized_crime') as organized_crime,
        count(*) filter (where nexus_category = 'both') as both,
        count(*) filter (where is_synthetic) as synthetic
    from filtered
    group by all
)

select * from final order by events desc, country_iso3, admin1
