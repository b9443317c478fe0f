-- Response activities reported in the UN texts, for the activities layer.
-- Parameters: none.
-- Output: activity_id, title, kind, start_date, end_date, place, country_iso3, lat, lon, summary, document,
--         document_date, source.
with final as (
    select activity_id, title, kind, start_date, end_date, place, country_iso3, lat, lon, summary, document,
           document_date, source
    from activities
)

select * from final order by start_date, activity_id
