"""UCDP Georeferenced Event Dataset (GED): the official CSV zip and HDX copies.

HDX quirks handled: a leading unnamed index column, an HXL '#hashtag' row, integers written as
floats ('15960.0'), the column order 'latitude, iso3, longitude', dates like
'2009-06-09 00:00:00.000'. The GED 'id' is the record id.

Mapping: type_of_violence -> event type (1 state-based, 2 non-state, 3 one-sided);
side_a/side_b -> actor1/actor2; best -> fatalities; where_prec (1-7) -> geo_precision
(1 -> 1, 2-3 -> 2, 4-5 -> 3, 6-7 -> 4); date_prec (1 day ... 5 year or more) -> date_precision
(1 -> 1, 2 -> 2, 3 -> 3, 4-5 -> 4). The file's priogrid_gid is compared with the cell computed
from the coordinates; the store keeps the computed one and the summary reports mismatches.
"""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from atlas.errors import InputError
from ingest import countries
from ingest.cells import priogrid_gid
from ingest.classify import actor_kind_from_names, empty_facts
from ingest.event_import import SourceInfo, assemble
from ingest.readers import RawTable, read_csv_table
from ingest.report import FileReport
from ingest.values import RowChecks, check_coordinates, check_date, parse_count, parse_number, per_distinct, tidy

SOURCE = SourceInfo(
    source_id="ucdp",
    title="UCDP Georeferenced Event Dataset (GED)",
    citation="Sundberg, Ralph and Erik Melander (2013). Introducing the UCDP Georeferenced Event Dataset. "
             "Journal of Peace Research 50(4). Davies, Shawn, Therese Pettersson and Magnus Öberg, "
             "Uppsala Conflict Data Program (UCDP).",
    licence="CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
    attribution="UCDP Georeferenced Event Dataset (Sundberg & Melander 2013), CC BY 4.0",
    url="https://ucdp.uu.se/downloads/",
)

VIOLENCE_TYPES = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}
WHERE_PREC_TO_GEO = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 4, 7: 4}
DATE_PREC_TO_DATE = {1: 1, 2: 2, 3: 3, 4: 4, 5: 4}
REQUIRED = ("id", "date_start", "type_of_violence")


def read(path: Path | str, *, encoding: str = "utf-8-sig", progress: bool = True) -> FileReport:
    path = Path(path)
    if path.suffix.lower() == ".zip":
        return _read_zip(path, encoding=encoding, progress=progress)
    return parse(read_csv_table(path, encoding=encoding, progress=progress))


def _read_zip(path: Path, *, encoding: str, progress: bool) -> FileReport:
    """The UCDP download is a zip holding one CSV; it is unpacked to a temporary folder and read."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError("is not a valid zip file (an interrupted download?); download it again",
                         file=str(path)) from None
    with archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".csv") and not m.startswith("__MACOSX")]
        if not members:
            raise InputError("the zip holds no .csv file; expected the UCDP GED CSV", file=str(path))
        if len(members) > 1:
            raise InputError(f"the zip holds several CSV files ({', '.join(members)}); unpack the GED one and "
                             f"import it directly", file=str(path))
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / Path(members[0]).name
            with archive.open(members[0]) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            table = read_csv_table(target, encoding=encoding, progress=progress)
            table.path = Path(f"{path}!{members[0]}")  # messages name the zip and the member
            return parse(table)


def parse(table: RawTable) -> FileReport:
    missing = [c for c in REQUIRED if not table.has(c)]
    if missing:
        raise InputError(f"this does not look like a UCDP GED file: no {', '.join(repr(m) for m in missing)} column",
                         file=table.name, row=1, column=missing[0])
    for needed in ("latitude", "longitude"):
        if not table.has(needed):
            raise InputError(f"no '{needed}' column: UCDP GED events cannot be placed without it",
                             file=table.name, row=1, column=needed)
    col = table.column
    checks = RowChecks(table.frame.index)
    ids, bad_id = parse_number(col("id"))
    checks.add(col("id") == "", "id", "no GED event id")
    checks.add(bad_id, "id", lambda m: "GED id " + col("id")[m] + " is not a number", "GED id not a number")
    record_id = _whole_number_text(ids)
    lat, lon = check_coordinates(checks, col("latitude"), col("longitude"))
    dates = check_date(checks, col("date_start"), "date_start")
    violence, _ = parse_number(col("type_of_violence"))
    checks.add(~violence.isin(list(VIOLENCE_TYPES)), "type_of_violence",
               lambda m: "type_of_violence " + col("type_of_violence")[m] + " is not 1, 2 or 3",
               "type_of_violence not 1-3")
    best, bad_best = parse_count(col("best"))
    checks.add(bad_best, "best", lambda m: "best (fatality estimate) " + col("best")[m] + " is not a whole number >= 0",
               "best not a whole number")
    where_prec, _ = parse_number(col("where_prec"))
    geo_precision = per_distinct(
        lambda p: p.map(lambda v: WHERE_PREC_TO_GEO.get(int(v)) if v == v else None).fillna(3), where_prec)
    date_prec, _ = parse_number(col("date_prec"))
    date_precision = per_distinct(
        lambda p: p.map(lambda v: DATE_PREC_TO_DATE.get(int(v)) if v == v else None).fillna(1), date_prec)
    iso3 = countries.best_iso3(
        countries.valid_iso3(col("iso3")) if table.has("iso3") else None,
        countries.iso3_from_names(col("country")),
        countries.iso3_from_codes(col("country_id"), system="gw") if table.has("country_id") else None,
    )
    side_a, side_b = tidy(col("side_a")), tidy(col("side_b"))
    facts = empty_facts(table.frame.index)
    facts["event_type"] = per_distinct(
        lambda t: t.map(lambda v: VIOLENCE_TYPES.get(int(v), "") if v == v else ""), violence)
    facts["actors"] = side_a + " | " + side_b
    facts["actor1_kind"] = actor_kind_from_names(side_a)
    # Headlines often summarise a week of events across a country, so they are stored as notes but
    # not searched for crime keywords: UCDP events are classified by violence type and actors only.
    headline = tidy(col("source_headline"))
    notes = headline.where(headline == "", "Headline: " + headline)
    fields = {
        "event_date": dates, "date_precision": date_precision, "lat": lat, "lon": lon,
        "geo_precision": geo_precision, "country_iso3": iso3, "admin1": tidy(col("adm_1")),
        "admin2": tidy(col("adm_2")), "location": tidy(col("where_coordinates")),
        "actor1": side_a, "actor2": side_b, "fatalities": best, "notes": notes,
    }
    report_notes = []
    if table.has("priogrid_gid"):
        report_notes.extend(priogrid_check(col("priogrid_gid")[checks.ok], lat[checks.ok], lon[checks.ok]))
    return assemble(table, checks, SOURCE, fields, facts, record_ids=record_id, notes=report_notes)


def priogrid_check(given_text: pd.Series, lat: pd.Series, lon: pd.Series) -> list[str]:
    """Compare the file's priogrid_gid with the cell computed from the coordinates."""
    given, _ = parse_number(given_text)
    have = given.notna()
    if not have.any():
        return []
    computed = pd.Series(priogrid_gid(lat.to_numpy(), lon.to_numpy()), index=lat.index)
    mismatch = have & (given.round() != computed)
    n = int(mismatch.sum())
    if n == 0:
        return [f"priogrid_gid matches the coordinates for all {int(have.sum()):,} events"]
    examples = ", ".join(f"{int(g)} vs {int(c)}" for g, c in zip(given[mismatch].head(3), computed[mismatch].head(3)))
    return [f"priogrid_gid differs from the cell of the coordinates for {n:,} of {int(have.sum()):,} events "
            f"(file vs computed: {examples}); the computed cell is stored"]


def _whole_number_text(numbers: pd.Series) -> pd.Series:
    """str(int(v)) for each float ('' for NaN), spelled by Arrow when every value fits an int64 exactly."""
    finite = numbers.notna()
    if (numbers[finite].abs() < 2.0 ** 63).all():
        whole = pa.array(numbers.where(finite, 0).to_numpy().astype("int64"))  # truncates as int() does
        text = pc.cast(whole, pa.string()).to_numpy(zero_copy_only=False)
        return pd.Series(text, index=numbers.index, dtype="str").where(finite, "")
    return numbers.map(lambda v: "" if v != v else str(int(v)))
