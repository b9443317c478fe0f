-- Citation and attribution of the given sources, for the "sources on this map" footer.
-- Parameters: $source_ids varchar[].
-- Output: source_id, title, citation, licence, attribution, url, is_synthetic, row_count.
with final as (
    select source_id, title, citation, licence, attribution, url, is_synthetic, row_count
    from sources
    where source_id = any($source_ids)
)

select * from final order by is_synthetic, source_id
