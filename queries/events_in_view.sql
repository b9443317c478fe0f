-- Event points inside the visible map box, for the zoomed-in points layer (capped by $limit).
-- Parameters: the filtered_events parameters, $min_lon, $min_lat, $max_lon, $max_lat double, $limit integer.
-- Output: event_id, lat, lon, event_date, crime_type, nexus_category, location, fatalities, is_synthetic.
with filtered as (
    select * from filtered_events($countries, $crime_types, $date_from, $date_to, $actors, $sources,
                                  $min_fatalities, $max_geo_precision)
),

final as (
    select event_id, lat, lon, event_date, crime_type, nexus_category, location, fatalities, is_synthetic
    from filtered
    where lon between $min_lon and $max_lon and lat between $min_lat and $max_lat
    order by event_date desc, event_id
    limit $limit
)

select * from final
