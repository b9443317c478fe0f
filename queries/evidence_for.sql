-- Sourced statements that concern some countries or regions (for the drill-down panel).
-- Parameters: $countries varchar[] (ISO3), $regions varchar[] (sahel | horn | central_asia).
-- Output: evidence_id, statement, country_iso3, area_id, region, crime_type, document, document_date, source.
with final as (
    select evidence_id, statement, country_iso3, area_id, region, crime_type, document, document_date, source
    from evidence
    where country_iso3 = any($countries)
       or (country_iso3 is null and region = any($regions))
)

select * from final order by (country_iso3 is null), document_date desc, evidence_id
