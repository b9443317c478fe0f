"""ACLED event files: the current export, older layouts and HDX copies.

Handled layouts (column names are matched case-insensitively):
- current 31-column export (event_id_cnty, event_date, disorder_type, ..., tags, timestamp);
- 2019-2022 exports with data_id, numeric iso and iso3, no disorder_type;
- pre-2017 files: upper-case names, ALLY_ACTOR_1/2 for assoc_actor_1/2, GWNO, no sub_event_type;
- HDX copies with an HXL '#hashtag' row under the header;
- API pulls without coordinates: every row is rejected with the reason (they cannot be mapped).

event_id_cnty is the record id, so importing a later export updates revised events in place.
time_precision (1 day, 2 week, 3 month) is the date precision; geo_precision (1-3) is kept.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from atlas.errors import InputError
from ingest import countries
from ingest.classify import actor_kind_from_names, empty_facts, keyword_search
from ingest.event_import import SourceInfo, assemble
from ingest.readers import RawTable, read_csv_table
from ingest.report import FileReport
from ingest.store import cell_ids
from ingest.values import RowChecks, check_coordinates, check_date, join_text, parse_count, parse_number, tidy

SOURCE = SourceInfo(
    source_id="acled",
    title="Armed Conflict Location & Event Data Project (ACLED)",
    citation="Raleigh, C., Linke, A., Hegre, H. and Karlsen, J. (2010). Introducing ACLED: An Armed Conflict "
             "Location and Event Dataset. Journal of Peace Research 47(5) 651-660. Data: www.acleddata.com.",
    licence="ACLED Terms of Use: attribution required; the raw data may not be redistributed "
            "(https://acleddata.com/terms-of-use/).",
    attribution="Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com",
    url="https://acleddata.com",
)

# Older names -> current names.
RENAMES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
# Without these a file is not ACLED. A missing event_id_cnty or coordinates rejects the rows instead
# (API pulls with place names only look like that), so people get a rejects file that says why.
REQUIRED = ("event_date", "event_type")


def read(path: Path | str, *, encoding: str = "utf-8-sig", progress: bool = True) -> FileReport:
    table = read_csv_table(path, encoding=encoding, progress=progress)
    table.frame = table.frame.rename(columns=RENAMES)
    table.original_columns = {RENAMES.get(k, k): v for k, v in table.original_columns.items()}
    return parse(table)


def parse(table: RawTable) -> FileReport:
    missing = [c for c in REQUIRED if not table.has(c)]
    if missing:
        raise InputError(f"this does not look like an ACLED file: no {', '.join(repr(m) for m in missing)} "
                         f"column (found: {', '.join(list(table.original_columns.values())[:8])} ...)",
                         file=table.name, row=1, column=missing[0])
    col = table.column
    # The keyword index over the notes is the longest single step and needs nothing else: it is built
    # in the background while the other columns are checked.
    # The cell ids of the good rows follow, while the rows are classified.
    with ThreadPoolExecutor(max_workers=1) as background:
        search = background.submit(keyword_search, col("notes"))
        return _parse(table, search, background)


def _parse(table: RawTable, search, background) -> FileReport:
    col = table.column
    checks = RowChecks(table.frame.index)
    record_id = col("event_id_cnty")
    if table.has("latitude") and table.has("longitude"):
        lat, lon = check_coordinates(checks, col("latitude"), col("longitude"))
    else:
        lat = lon = pd.Series(float("nan"), index=table.frame.index)
        absent = "latitude" if not table.has("latitude") else "longitude"
        checks.add(pd.Series(True, index=table.frame.index), absent,
                   f"no coordinates: the file has no '{absent}' column (an ACLED pull with place names only); "
                   f"export it again with latitude and longitude", "no coordinates in the file")
    checks.add(record_id == "", "event_id_cnty", "no event_id_cnty (ACLED's event id, needed to update the "
               "event when a later export is imported)", "no event_id_cnty")
    dates = check_date(checks, col("event_date"), "event_date")
    fatalities, bad_fat = parse_count(col("fatalities"))
    checks.add(bad_fat, "fatalities", lambda m: "fatalities " + col("fatalities")[m] + " is not a whole number >= 0",
               "fatalities not a whole number")
    time_prec, _ = parse_number(col("time_precision"))
    date_precision = time_prec.where(time_prec.isin([1, 2, 3]), 1)
    geo, _ = parse_number(col("geo_precision"))
    # ACLED uses 1-3; anything else (blank in a few old rows) is treated as province level.
    geo_precision = geo.where(geo.isin([1, 2, 3]), 3)
    iso3 = countries.best_iso3(
        countries.valid_iso3(col("iso3")),
        countries.iso3_from_codes(col("iso"), system="iso_numeric") if table.has("iso") else None,
        countries.iso3_from_names(col("country")),
        countries.iso3_from_codes(col("gwno"), system="gw") if table.has("gwno") else None,
    )
    actor1, actor2 = tidy(col("actor1")), tidy(col("actor2"))
    facts = empty_facts(table.frame.index)
    facts["event_type"] = tidy(col("event_type"))
    facts["sub_event_type"] = tidy(col("sub_event_type"))
    facts["actors"] = join_text(actor1, tidy(col("assoc_actor_1")), actor2, tidy(col("assoc_actor_2")), sep=" | ")
    facts["text"] = col("notes")
    facts["actor1_kind"] = _actor1_kind(col("inter1"), actor1)
    fields = {
        "event_date": dates, "date_precision": date_precision, "lat": lat, "lon": lon,
        "geo_precision": geo_precision, "country_iso3": iso3, "admin1": tidy(col("admin1")),
        "admin2": tidy(col("admin2")), "location": tidy(col("location")), "actor1": actor1, "actor2": actor2,
        "fatalities": fatalities, "notes": col("notes"),
    }
    notes = []
    unknown = col("country")[iso3.isna() & checks.ok]
    if len(unknown):
        notes.append("no ISO3 code for: " + ", ".join(sorted(set(unknown.replace("", "(blank)")))))
    good = checks.ok.to_numpy()
    cells = background.submit(cell_ids, lat.to_numpy()[good], lon.to_numpy()[good])
    return assemble(table, checks, SOURCE, fields, facts, record_ids=record_id, notes=notes, search=search,
                    cells=cells)


def _actor1_kind(inter1: pd.Series, actor1: pd.Series) -> pd.Series:
    """ACLED's inter1 code: 1 state forces, 8 external/other forces (foreign and UN troops); 2-7 are
    rebels, militias, rioters, protesters, civilians. Without inter1 the actor name decides."""
    code, _ = parse_number(inter1)
    by_name = actor_kind_from_names(actor1)
    kind = pd.Series("non_state", index=inter1.index, dtype=object)
    kind[code.isin([1, 8])] = "state"
    kind = kind.where(code.notna(), by_name)
    kind[actor1 == ""] = ""
    return kind
