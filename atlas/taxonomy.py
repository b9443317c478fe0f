"""The crime-type taxonomy, kept as data in data/taxonomy.csv."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from atlas.paths import DATA_DIR

NEXUS_CATEGORIES = ("terrorism", "organized_crime", "both", "other")


@dataclass(frozen=True)
class CrimeType:
    code: str
    label: str
    label_fr: str
    nexus_category: str  # the category an event of this type has when no actor rule says otherwise
    group: str
    definition: str
    colour: str


@lru_cache(maxsize=1)
def load_taxonomy() -> tuple[CrimeType, ...]:
    with open(DATA_DIR / "taxonomy.csv", encoding="utf-8", newline="") as fh:
        return tuple(CrimeType(**row) for row in csv.DictReader(fh))


def crime_types_by_code() -> dict[str, CrimeType]:
    return {t.code: t for t in load_taxonomy()}


def crime_type_codes() -> tuple[str, ...]:
    return tuple(t.code for t in load_taxonomy())
