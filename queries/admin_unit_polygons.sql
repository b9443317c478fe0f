-- Polygons of an imported boundary set used as analysis units (the finest level the set holds),
-- limited to the region's countries (units without a country are kept).
-- Parameters: $boundary_set varchar, $countries varchar[] (empty = all).
-- Output: unit_code varchar, name varchar, level tinyint, country_iso3 varchar, geometry_wkb blob (EPSG:4326).
with in_set as (
    select * from boundaries where boundary_set = $boundary_set
),

finest as (
    select max(level) as level from in_set
),

final as (
    select s.unit_code, s.name, s.level, s.country_iso3, s.geometry_wkb
    from in_set s join finest f on s.level = f.level
    where len($countries) = 0 or s.country_iso3 is null or s.country_iso3 = any($countries)
)

select * from final order by unit_code
