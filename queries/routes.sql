-- Trafficking corridors with their citation and confidence (WKB, EPSG:4326).
-- Parameters: none.
-- Output: route_id, name, commodity, crime_type, source_citation, confidence, source, geometry_wkb.
with final as (
    select route_id, name, commodity, crime_type, source_citation, confidence, source, geometry_wkb
    from routes
)

select * from final order by route_id
