-- Trafficking corridors for the corridor and nexus analyses (WKB LineString / MultiLineString, EPSG:4326).
-- Parameters: none.
-- Output: route_id, name, commodity, crime_type, confidence (high | medium | low), source_citation, geometry_wkb.
with final as (
    select route_id, name, commodity, crime_type, lower(confidence) as confidence, source_citation, geometry_wkb
    from routes
)

select * from final order by route_id
