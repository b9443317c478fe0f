-- Every dataset recorded in the store.
-- Parameters: none.
-- Output: source_id.
with final as (
    select source_id from sources
)

select * from final order by source_id
