"""Map layers: pure functions from query results to GeoDataFrames in EPSG:4326."""
