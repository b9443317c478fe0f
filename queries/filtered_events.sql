-- The events behind any number: one row per event the filter selects, newest first.
-- Parameters: the selected_events parameters (filters + $sel_kind, $sel_res, $sel_id), $limit integer, $offset integer.
-- Output: event_id, source, source_record_id, event_date, date_precision, lat, lon, geo_precision,
--         country_iso3, admin1, admin2, location, nexus_category, crime_type, classification_rule,
--         actor1, actor2, fatalities, notes, is_synthetic.
-- The page is chosen on the two sort columns first and only its rows are read in full: sorting every
-- filtered row with all twenty columns (notes included) was 3-4x slower at a million events.
with page as (
    select event_id
    from selected_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                         $sel_kind, $sel_res, $sel_id)
    order by event_date desc, event_id
    limit $limit offset $offset
),

final as (
    select event_id, source, source_record_id, event_date, date_precision, lat, lon, geo_precision,
           country_iso3, admin1, admin2, location, nexus_category, crime_type, classification_rule,
           actor1, actor2, fatalities, notes, is_synthetic
    -- the same filter again, so the scan reads only the selected rows before matching the page's ids
    from selected_events($countries, $crime_types, $date_from, $date_to, $actors, $sources, $min_fatalities, $max_geo_precision,
                         $sel_kind, $sel_res, $sel_id)
    semi join page using (event_id)
    order by event_date desc, event_id
)

select * from final
