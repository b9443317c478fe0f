-- Boundary polygons of one set (WKB, EPSG:4326), for outlines and admin layers.
-- Parameters: $boundary_set varchar.
-- Output: unit_code, name, level, country_iso3, parent_code, geometry_wkb.
with final as (
    select unit_code, name, level, country_iso3, parent_code, geometry_wkb
    from boundaries
    where boundary_set = $boundary_set
)

select * from final order by unit_code
