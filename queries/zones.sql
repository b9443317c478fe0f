-- Named zones (kind = 'zone') with their citation, for the zones layer. Regions are drawn by the presets instead.
-- Parameters: none.
-- Output: area_id, name, kind, description, source_citation, confidence, source, geometry_wkb.
with final as (
    select area_id, name, kind, description, source_citation, confidence, source, geometry_wkb
    from areas
    where kind = 'zone'
)

select * from final order by area_id
