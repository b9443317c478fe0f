"""Country names and numeric codes -> ISO 3166 alpha-3, from data/country_codes.csv.

Sources name countries differently (ACLED 'iso' is ISO numeric, legacy ACLED 'GWNO' and UCDP
'country_id' are Gleditsch-Ward numbers, GTD and UNODC use names). Unknown names map to None and
the import summary lists them, rather than guessing.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from atlas.paths import DATA_DIR
from ingest.values import per_distinct


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[int, str], dict[int, str], set[str]]:
    by_name, by_numeric, by_gw, iso3s = {}, {}, {}, set()
    with open(DATA_DIR / "country_codes.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            iso3 = row["iso3"]
            iso3s.add(iso3)
            by_name[_key(row["name"])] = iso3
            by_name[_key(iso3)] = iso3
            for alias in filter(None, row["aliases"].split("|")):
                by_name[_key(alias)] = iso3
            if row["iso_numeric"] not in ("", "0"):
                by_numeric[int(row["iso_numeric"])] = iso3
            if row["gw_code"]:
                by_gw[int(row["gw_code"])] = iso3
    return by_name, by_numeric, by_gw, iso3s


# Each function looks values up one at a time, so it runs once per distinct value (a file names a few
# dozen countries in a million rows).

def iso3_from_names(names: pd.Series) -> pd.Series:
    return per_distinct(_iso3_from_names, names)


def _iso3_from_names(names: pd.Series) -> pd.Series:
    by_name = _tables()[0]
    keys = names.fillna("").astype(str).map(_key)
    return keys.map(lambda k: by_name.get(k)).astype(object)


def iso3_from_codes(codes: pd.Series, *, system: str) -> pd.Series:
    """``system`` is 'iso_numeric' or 'gw'; non-numeric or unknown codes give None."""
    return per_distinct(lambda distinct: _iso3_from_codes(distinct, system), codes)


def _iso3_from_codes(codes: pd.Series, system: str) -> pd.Series:
    table = _tables()[1] if system == "iso_numeric" else _tables()[2]
    numbers = pd.to_numeric(codes, errors="coerce")
    return numbers.map(lambda n: table.get(int(n)) if n == n else None).astype(object)


def valid_iso3(codes: pd.Series) -> pd.Series:
    """Upper-cased codes that are real ISO3 codes, else None."""
    return per_distinct(_valid_iso3, codes)


def _valid_iso3(codes: pd.Series) -> pd.Series:
    iso3s = _tables()[3]
    upper = codes.fillna("").astype(str).str.strip().str.upper()
    return upper.map(lambda c: c if c in iso3s else None).astype(object)


def best_iso3(*candidates: pd.Series | None) -> pd.Series:
    """Row-wise first non-null candidate (None candidates, for absent columns, are skipped)."""
    present = [c for c in candidates if c is not None]
    out = present[0].copy()
    for c in present[1:]:
        out = out.where(out.notna(), c)
    return out
