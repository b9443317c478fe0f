"""Global Terrorism Database (GTD, START): .xlsx or ISO-8859-1 CSV.

Dates come from iyear/imonth/iday where 0 means unknown: an unknown day gives the first of the
month with date precision 3 (month), an unknown month the first of January with precision 4 (year).
specificity (1-5) becomes geo_precision (1 -> 1, 2 -> 2, 3 -> 3, 4-5 -> 4: 'unknown city', 'no
place'). Kidnapping and ransom fields (ishostkid, nhostkid, ransom, ransomamt, ransompaid,
hostkidoutcome_txt, ...) are kept in the notes as 'key=value' pairs after the summary, and a ransom
sets the 'ransom' flag the classification rules read.

Messy CSV copies: some files went through a spreadsheet that wrapped each original line as one
';'-separated field ('related;;;' header tail, rows ending in ';;;', a row quoted whole with its
inner quotes doubled). Such files are unwrapped first; any row that still has the wrong number of
fields is rejected with a reason, never a crash.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

import pandas as pd

from atlas.errors import InputError
from ingest import countries
from ingest.classify import empty_facts
from ingest.event_import import SourceInfo, assemble
from ingest.readers import CountingLines, check_exists, read_csv_table, read_xlsx_table, RawTable
from ingest.report import FileReport
from ingest.values import RowChecks, check_coordinates, join_text, parse_number, per_distinct, tidy

SOURCE = SourceInfo(
    source_id="gtd",
    title="Global Terrorism Database (GTD)",
    citation="National Consortium for the Study of Terrorism and Responses to Terrorism (START), University of "
             "Maryland. (2018). The Global Terrorism Database (GTD). https://www.start.umd.edu/gtd",
    licence="GTD terms of use: START, University of Maryland; no redistribution without START's permission.",
    attribution="Global Terrorism Database, START, University of Maryland",
    url="https://www.start.umd.edu/gtd",
)

SPECIFICITY_TO_GEO = {1: 1, 2: 2, 3: 3, 4: 4, 5: 4}
REQUIRED = ("eventid", "iyear", "imonth", "iday")
# Kidnapping and ransom fields kept in the notes (GTD codebook names).
HOSTAGE_FIELDS = ("ishostkid", "nhostkid", "nhours", "ndays", "kidhijcountry", "ransom", "ransomamt",
                  "ransompaid", "ransomnote", "hostkidoutcome_txt", "nreleased")
CONTEXT_FIELDS = ("attacktype1_txt", "targtype1_txt", "weaptype1_txt", "gname", "nkill", "nwound")


def read(path: Path | str, *, encoding: str = "auto", progress: bool = True) -> FileReport:
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return parse(read_xlsx_table(path, progress=progress))
    check_exists(path)
    if encoding == "auto":
        encoding = _guess_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        header = fh.readline().rstrip("\r\n")
    if header.endswith(";"):
        table = read_csv_table(path, encoding=encoding, records=_unwrapped_records(path, encoding, progress))
    else:
        table = read_csv_table(path, encoding=encoding, delimiter=",", progress=progress)
    return parse(table)


def _guess_encoding(path: Path) -> str:
    """GTD CSVs are ISO-8859-1; a file that decodes as UTF-8 is read as UTF-8 (a re-saved copy)."""
    try:
        with open(path, encoding="utf-8", errors="strict") as fh:
            while fh.read(1 << 20):
                pass
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "iso-8859-1"


def _unwrapped_records(path: Path, encoding: str, progress: bool) -> Iterator[tuple[int, list[str]]]:
    """Undo the spreadsheet wrapping: read the file as ';'-separated, glue each record's pieces back
    together with ';' (the original text had semicolons of its own), drop the ';' tail, parse as CSV."""
    lines = CountingLines(path, encoding, progress)
    outer = csv.reader(lines, delimiter=";")
    previous_end = 0
    for pieces in outer:
        start = previous_end + 1
        previous_end = outer.line_num
        text = ";".join(pieces).rstrip(";")
        try:
            inner = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error:
            inner = [[text]]
        fields = inner[0] if len(inner) == 1 else [f for rec in inner for f in rec]
        yield start, fields


def parse(table: RawTable) -> FileReport:
    missing = [c for c in REQUIRED if not table.has(c)]
    if missing:
        raise InputError(f"this does not look like a GTD file: no {', '.join(repr(m) for m in missing)} column",
                         file=table.name, row=1, column=missing[0])
    for needed in ("latitude", "longitude"):
        if not table.has(needed):
            raise InputError(f"no '{needed}' column: GTD events cannot be placed without it",
                             file=table.name, row=1, column=needed)
    col = table.column
    checks = RowChecks(table.frame.index)
    record_id = col("eventid")
    checks.add(record_id == "", "eventid", "no eventid")
    lat, lon = check_coordinates(checks, col("latitude"), col("longitude"))
    dates, precision = gtd_dates(checks, col("iyear"), col("imonth"), col("iday"))
    spec, _ = parse_number(col("specificity"))
    geo_precision = per_distinct(
        lambda s: s.map(lambda v: SPECIFICITY_TO_GEO.get(int(v)) if v == v else None).fillna(4), spec)
    nkill, _ = parse_number(col("nkill"))
    fatalities = nkill.where(nkill >= 0, 0).fillna(0).round().astype("int64")
    ransom, _ = parse_number(col("ransom"))
    ransom_amt, _ = parse_number(col("ransomamt"))
    hostage, _ = parse_number(col("ishostkid"))
    flags = pd.Series("", index=table.frame.index, dtype=object)
    has_ransom = (ransom == 1) | (ransom_amt > 0)
    flags[hostage == 1] = "hostage"
    flags[has_ransom] = flags[has_ransom].map(lambda f: "|".join(filter(None, [f, "ransom"])))
    iso3 = countries.iso3_from_names(col("country_txt"))
    facts = empty_facts(table.frame.index)
    facts["attack_type"] = tidy(col("attacktype1_txt"))
    facts["actors"] = tidy(col("gname")) + " | " + tidy(col("gname2")) + " | " + tidy(col("gname3"))
    facts["actor1_kind"] = "non_state"
    facts["text"] = tidy(col("summary")) + " " + tidy(col("motive")) + " " + tidy(col("weapdetail"))
    facts["flags"] = flags
    gname = tidy(col("gname"))
    fields = {
        "event_date": dates, "date_precision": precision, "lat": lat, "lon": lon, "geo_precision": geo_precision,
        "country_iso3": iso3, "admin1": tidy(col("provstate")), "admin2": pd.Series("", index=lat.index),
        "location": tidy(col("city")), "actor1": gname.where(gname.str.lower() != "unknown", ""),
        "actor2": tidy(col("targtype1_txt")), "fatalities": fatalities, "notes": _notes(table),
    }
    notes = []
    unknown = col("country_txt")[iso3.isna() & checks.ok]
    if len(unknown):
        notes.append("no ISO3 code for (historical) countries: " + ", ".join(sorted(set(unknown))[:12]))
    return assemble(table, checks, SOURCE, fields, facts, record_ids=record_id, notes=notes)


def gtd_dates(checks: RowChecks, year_t: pd.Series, month_t: pd.Series, day_t: pd.Series):
    """(dates, date_precision) from iyear/imonth/iday with 0 = unknown."""
    year, bad_y = parse_number(year_t)
    month, bad_m = parse_number(month_t)
    day, bad_d = parse_number(day_t)
    month, day = month.fillna(0), day.fillna(0)
    checks.add(year.isna() | bad_y | (year < 1900) | (year > 2100), "iyear",
               lambda m: "iyear " + year_t[m] + " is not a year", "iyear not a year")
    checks.add(bad_m | (month < 0) | (month > 12), "imonth", lambda m: "imonth " + month_t[m] + " is not 0-12",
               "imonth not 0-12")
    checks.add(bad_d | (day < 0) | (day > 31), "iday", lambda m: "iday " + day_t[m] + " is not 0-31", "iday not 0-31")
    precision = pd.Series(1, index=year.index, dtype="int64")
    precision[day == 0] = 3
    precision[month == 0] = 4
    y = year.fillna(1970).clip(1900, 2100).astype("int64").astype(str)
    m = month.where((month >= 1) & (month <= 12), 1).astype("int64").astype(str).str.zfill(2)
    d = day.where((day >= 1) & (month >= 1), 1).clip(1, 31).astype("int64").astype(str).str.zfill(2)
    dates = pd.to_datetime(y + "-" + m + "-" + d, format="%Y-%m-%d", errors="coerce")
    checks.add(dates.isna(), "iday",
               lambda m: "iday " + day_t[m] + " does not exist in month " + month_t[m] + " of " + year_t[m],
               "day does not exist in that month")
    return dates, precision


def _notes(table: RawTable) -> pd.Series:
    col = table.column
    summary = tidy(col("summary"))
    hostage = col("ishostkid").isin(["1", "1.0"])
    parts = []
    for name in CONTEXT_FIELDS + HOSTAGE_FIELDS:
        if not table.has(name):
            continue
        v = tidy(col(name))
        # -9 / -99 are GTD's 'unknown' codes; leave them out so notes only carry facts.
        keep = (v != "") & ~v.isin(["-9", "-99", "-9.0", "-99.0"])
        if name in HOSTAGE_FIELDS:
            keep &= hostage  # ransom fields only mean something for hostage events
        parts.append(pd.Series("", index=v.index).where(~keep, name + "=" + v))
    # The parts are '' or 'name=value', so joining the non-blank ones is joining the non-empty ones.
    structured = join_text(*parts, sep="; ") if parts else pd.Series("", index=summary.index)
    return (summary + (" [GTD: " + structured + "]").where(structured != "", "")).str.strip()
