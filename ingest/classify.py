"""Crime-type classification by ordered rules kept as data.

data/classification_rules.csv holds the rules, one a line, tried top to bottom: the first rule whose
conditions all hold decides the event's crime_type and nexus_category, and its rule_id is stored in
events.classification_rule so every classification can be traced back to one line of that file.
A blank condition matches anything; several accepted values are separated by '|'.

Conditions:
  source          importer source id (acled, ucdp, gtd, or a generic table's --source-id)
  event_type, sub_event_type, attack_type
                  exact values, case-insensitive (ACLED types, UCDP violence type, GTD attacktype1_txt)
  actor1_kind     state | non_state (importers derive it: ACLED inter1, UCDP 'Government of', GTD always non_state)
  armed_group     yes | no: whether an actor matches data/armed_groups.csv
  flag            a structured fact the importer sets (GTD 'ransom', 'hostage')
  keywords        a regular expression searched, case-insensitively, in the event's free text (notes)

nexus_category 'auto' takes the crime type's category from data/taxonomy.csv, except that a crime
(organized_crime or both) becomes 'both' when a listed armed group is involved and
'organized_crime' when none is.
"""
from __future__ import annotations

import csv
import re
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from atlas.errors import InputError
from atlas.paths import DATA_DIR
from atlas.taxonomy import NEXUS_CATEGORIES, crime_types_by_code
from ingest.keywords import KeywordSearch
from ingest.values import arrow_text, per_distinct

RULES_CSV = DATA_DIR / "classification_rules.csv"
ARMED_GROUPS_CSV = DATA_DIR / "armed_groups.csv"

# Columns of the facts frame classify_frame() reads; importers fill them (blank when unknown).
FACT_COLUMNS = ("source", "event_type", "sub_event_type", "attack_type", "actor1_kind", "actors", "text", "flags")
ACTOR_KINDS = ("state", "non_state")


# --- fast pre-selection of the rows a regular expression may match -------------------------------
# Python's re tests one text at a time (about 10 us a rule and a row: minutes for a million rows).
# Arrow's RE2 engine tests a whole column in C++, but lacks look-arounds and treats \w and \b as
# ASCII. So each pattern is relaxed into an RE2 pattern that matches at least everything the original
# matches (look-arounds and \b dropped: they only restrict; \w, \W spelled out in Unicode classes);
# RE2 picks the candidate rows and Python's re decides on those only. The answer is the same.

_LOOKAROUND = ("(?<!", "(?<=", "(?!", "(?=")
_WORD, _NON_WORD = r"[\pL\pN_]", r"[^\pL\pN_]"


def relaxed_re2(pattern: str) -> str | None:
    """An RE2 pattern matching a superset of ``pattern`` (Python syntax, case-insensitive), or None
    when the pattern uses something this translation does not handle (then no pre-selection)."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1:i + 2]
            if nxt.isdigit() or nxt in ("s", "S", "d", "D", "A", "Z", "B") or (in_class and nxt == "W"):
                return None  # back-references and Unicode-sensitive classes: keep Python's re
            if nxt == "b" and not in_class:
                pass  # a word boundary only restricts: dropped
            elif nxt == "w":
                out.append(r"\pL\pN_" if in_class else _WORD)
            elif nxt == "W":
                out.append(_NON_WORD)
            elif nxt and not nxt.isalnum():
                out.append(f"\\x{{{ord(nxt):x}}}")  # an escaped symbol, spelled so RE2 accepts any of them
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            out.append(c)
            if c == "]":
                in_class = False
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":  # a ']' first in a class is a literal
                out.append("]")
                i += 1
            i += 1
            continue
        if any(pattern.startswith(a, i) for a in _LOOKAROUND):
            end = _group_end(pattern, i)
            if end is None:
                return None
            i = end + 1  # a look-around only restricts: dropped
            continue
        out.append(c)
        i += 1
    return "(?i)" + "".join(out)


def _group_end(pattern: str, start: int) -> int | None:
    """Index of the ')' closing the group opened at ``start`` (escapes and classes skipped)."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def regex_hits(texts: pd.Series, pattern: re.Pattern) -> pd.Series:
    """pattern.search(text) is not None for every text (bool Series aligned to texts), fast."""
    relaxed = relaxed_re2(pattern.pattern)
    candidates = np.ones(len(texts), dtype=bool)
    if relaxed is not None and len(texts):
        try:
            arrow = pa.array(texts.to_numpy(dtype=object), type=pa.string())
            candidates = pc.match_substring_regex(arrow, relaxed).to_numpy(zero_copy_only=False)
            candidates = np.asarray(candidates, dtype=bool)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            candidates = np.ones(len(texts), dtype=bool)
    hits = np.zeros(len(texts), dtype=bool)
    search = pattern.search
    values = texts.to_numpy(dtype=object)
    for k in np.flatnonzero(candidates):
        hits[k] = search(values[k]) is not None
    return pd.Series(hits, index=texts.index)


@dataclass(frozen=True)
class Rule:
    rule_id: str
    source: frozenset[str]
    event_type: frozenset[str]
    sub_event_type: frozenset[str]
    attack_type: frozenset[str]
    actor1_kind: str
    armed_group: str
    flag: str
    keywords: re.Pattern | None
    crime_type: str
    nexus_category: str
    explanation: str


@dataclass(frozen=True)
class Classification:
    crime_type: str
    nexus_category: str
    rule_id: str
    armed_group: str | None


def _values(cell: str) -> frozenset[str]:
    cell = (cell or "").strip()
    return frozenset(v.strip().lower() for v in cell.split("|")) if cell else frozenset()


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_CSV) -> tuple[Rule, ...]:
    """Read and check the rules; a mistake in the file is reported with its line."""
    codes = crime_types_by_code()
    rules, seen = [], set()
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            line = reader.line_num

            def fail(column, message):
                raise InputError(message, file=str(path), row=line, column=column)

            rule_id = (row.get("rule_id") or "").strip()
            if not rule_id:
                fail("rule_id", "a rule needs an id")
            if rule_id in seen:
                fail("rule_id", f"rule id '{rule_id}' is used twice")
            seen.add(rule_id)
            if row["crime_type"] not in codes:
                fail("crime_type", f"'{row['crime_type']}' is not a code in data/taxonomy.csv")
            if row["nexus_category"] not in NEXUS_CATEGORIES + ("auto",):
                fail("nexus_category", f"'{row['nexus_category']}' is not one of {', '.join(NEXUS_CATEGORIES)}, auto")
            kind = row["actor1_kind"].strip()
            if kind and kind not in ACTOR_KINDS:
                fail("actor1_kind", f"'{kind}' is not one of {', '.join(ACTOR_KINDS)}")
            group = row["armed_group"].strip().lower()
            if group not in ("", "yes", "no"):
                fail("armed_group", f"'{group}' must be yes, no or blank")
            try:
                keywords = re.compile(row["keywords"], re.IGNORECASE) if row["keywords"].strip() else None
            except re.error as exc:
                fail("keywords", f"the regular expression does not compile: {exc}")
            rules.append(Rule(rule_id=rule_id, source=_values(row["source"]), event_type=_values(row["event_type"]),
                              sub_event_type=_values(row["sub_event_type"]), attack_type=_values(row["attack_type"]),
                              actor1_kind=kind, armed_group=group, flag=row["flag"].strip().lower(),
                              keywords=keywords, crime_type=row["crime_type"],
                              nexus_category=row["nexus_category"], explanation=row["explanation"]))
    if not rules or any(rules[-1].__getattribute__(c) for c in ("source", "event_type", "sub_event_type",
                                                                  "attack_type", "actor1_kind", "armed_group",
                                                                  "flag", "keywords")):
        raise InputError("the last rule must have no conditions (a fallback), so every event gets a class",
                         file=str(path))
    return tuple(rules)


@dataclass(frozen=True)
class ArmedGroups:
    ids_by_alias: dict[str, str]      # lower-cased alias -> group_id
    ids_by_exact: dict[str, str]      # exact actor name -> group_id
    pattern: re.Pattern
    names: dict[str, str]             # group_id -> display name

    def match(self, actors: pd.Series) -> pd.Series:
        """group_id of the first listed group named in each actors text (None when none).

        ``actors`` holds the actor fields joined with ' | ' so exact names can be checked per field.
        """
        text = actors.fillna("").astype(str)
        found = pd.Series(np.nan, index=text.index, dtype=object)
        maybe = regex_hits(text, self.pattern)  # most rows name no listed group: skip them fast
        if maybe.any():
            found[maybe] = text[maybe].str.extract(self.pattern, expand=False)
        ids = found.str.lower().map(self.ids_by_alias)
        if self.ids_by_exact:
            exact = text.map(self._exact)
            ids = ids.where(ids.notna(), exact)
        return ids.astype(object).where(ids.notna(), None)

    def _exact(self, text: str):
        for part in text.split(" | "):
            gid = self.ids_by_exact.get(part.strip())
            if gid:
                return gid
        return None


@lru_cache(maxsize=4)
def load_armed_groups(path: Path = ARMED_GROUPS_CSV) -> ArmedGroups:
    by_alias, by_exact, names = {}, {}, {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            gid = row["group_id"]
            names[gid] = row["name"]
            for alias in filter(None, (a.strip() for a in row["aliases"].split("|"))):
                by_alias.setdefault(alias.lower(), gid)
            for exact in filter(None, (a.strip() for a in row["exact_names"].split("|"))):
                by_exact[exact] = gid
    # Longest aliases first, so 'Islamic State (Greater Sahara)' wins over 'Islamic State' at the same place.
    aliases = sorted(by_alias, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in aliases)
    pattern = re.compile(rf"(?<![\w])({body})(?![\w])", re.IGNORECASE)
    return ArmedGroups(by_alias, by_exact, pattern, names)


def empty_facts(index: pd.Index) -> pd.DataFrame:
    blank = pa.chunked_array([pa.repeat(pa.scalar("", pa.large_string()), len(index))])  # one array, shared

    def column() -> pd.Series:
        out = blank.to_pandas()
        out.index = index
        return out

    return pd.DataFrame({c: column() for c in FACT_COLUMNS})


class _Distinct:
    """A fact column as codes into its distinct values, so conditions are tested once per distinct value
    (a million events have a few dozen event types, actor kinds and sources)."""

    def __init__(self, values: pd.Series):
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        self.codes, self.uniques = codes, pd.Series(uniques, dtype=values.dtype)

    def where(self, test) -> np.ndarray:
        return test(self.uniques).to_numpy(dtype=bool)[self.codes]


def keyword_search(texts: pd.Series, rules: tuple[Rule, ...] | None = None) -> KeywordSearch:
    """The keyword index over ``texts`` (facts["text"]) that classify_frame uses; importers may build it
    in a background thread while they check the other columns (it releases the GIL, and takes a second
    or two per million events)."""
    keyword_rules = [r for r in (rules or load_rules()) if r.keywords is not None]
    return KeywordSearch(texts.fillna("").astype(str), [r.keywords for r in keyword_rules],
                         [relaxed_re2(r.keywords.pattern) for r in keyword_rules])


def classify_frame(facts: pd.DataFrame, *, rules: tuple[Rule, ...] | None = None,
                   groups: ArmedGroups | None = None, search: KeywordSearch | Future | None = None) -> pd.DataFrame:
    """Classify every row of ``facts`` (FACT_COLUMNS). Returns crime_type, nexus_category,
    classification_rule and armed_group (the matched group id, or None), aligned to facts.index.

    Conditions are tested once per distinct value of a column, and keywords with ingest.keywords, which
    answers as regex_hits would text by text (tests/test_keywords.py compares the two). ``search`` is
    keyword_search(facts["text"], rules), or a future of it, if already started."""
    rules = rules or load_rules()
    groups = groups or load_armed_groups()
    facts = facts.reindex(columns=list(FACT_COLUMNS))
    facts = pd.DataFrame({c: _as_text(facts[c]) for c in FACT_COLUMNS}, index=facts.index)
    armed = per_distinct(groups.match, facts["actors"])
    has_group = armed.notna().to_numpy()
    columns = {c: _Distinct(facts[c]) for c in FACT_COLUMNS if c not in ("actors", "text")}
    keyword_rules = [r for r in rules if r.keywords is not None]
    rule_of = np.full(len(facts), -1)
    for number, rule in enumerate(rules):
        todo = rule_of < 0
        if not todo.any():
            break
        mask = todo
        for name in ("source", "event_type", "sub_event_type", "attack_type"):
            allowed = getattr(rule, name)
            if allowed:
                mask = mask & columns[name].where(lambda u: u.str.lower().isin(allowed))
        if rule.actor1_kind:
            mask = mask & columns["actor1_kind"].where(lambda u: u == rule.actor1_kind)
        if rule.armed_group == "yes":
            mask = mask & has_group
        elif rule.armed_group == "no":
            mask = mask & ~has_group
        if rule.flag:
            mask = mask & columns["flags"].where(
                lambda u: ("|" + u.str.lower() + "|").str.contains(f"|{rule.flag}|", regex=False))
        if rule.keywords is not None and mask.any():
            if search is None:  # built on first use: the text index is the costly part
                search = keyword_search(facts["text"], rules)
            elif isinstance(search, Future):  # waited for only now: the steps above overlap its making
                search = search.result()
            mask = search.hits(keyword_rules.index(rule), mask)
        rule_of[mask] = number
    if (rule_of < 0).any():
        raise KeyError("no rule matched some events; the last rule must be a fallback without conditions")
    # Each row's answer depends on its rule and, for 'auto' crimes, on whether a listed group is involved.
    taxonomy = crime_types_by_code()
    categories = []
    for rule in rules:
        default = taxonomy[rule.crime_type].nexus_category
        for group in (False, True):
            category = rule.nexus_category
            if category == "auto":
                category = ("both" if group else "organized_crime") if default in ("organized_crime", "both") \
                    else default
            categories.append(category)
    index = facts.index
    return pd.DataFrame({
        "crime_type": _spelled(rule_of, [r.crime_type for r in rules], index),
        "nexus_category": _spelled(rule_of * 2 + has_group, categories, index),
        "classification_rule": _spelled(rule_of, [r.rule_id for r in rules], index),
        "armed_group": armed}, index=index)


def _as_text(values: pd.Series) -> pd.Series:
    """values.fillna("").astype(str): nothing to do for text without gaps, else once per distinct value."""
    if values.dtype == "str" and arrow_text(values).null_count == 0:
        return values
    return per_distinct(lambda distinct: distinct.fillna("").astype(str), values)


def _spelled(codes: np.ndarray, words: list[str], index: pd.Index) -> pd.Series:
    """A str Series of words[code] per row, spelled out by Arrow (not a million Python strings)."""
    spelled = pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(words, pa.large_string()))
    out = pc.cast(spelled, pa.large_string()).to_pandas()
    out.index = index
    return out


def classify_event(**facts: str) -> Classification:
    """Classify one event given as keyword facts (see FACT_COLUMNS); for tests and explanations."""
    unknown = set(facts) - set(FACT_COLUMNS)
    if unknown:
        raise TypeError(f"unknown facts {sorted(unknown)}; expected some of {FACT_COLUMNS}")
    frame = pd.DataFrame([{c: facts.get(c, "") for c in FACT_COLUMNS}])
    row = classify_frame(frame).iloc[0]
    return Classification(row["crime_type"], row["nexus_category"], row["classification_rule"],
                          row["armed_group"] if isinstance(row["armed_group"], str) else None)


def actor_kind_from_names(actor1: pd.Series) -> pd.Series:
    """'state' for governments, their forces and foreign/UN forces, else 'non_state' ('' when blank)."""
    return per_distinct(_actor_kind_from_names, actor1)  # a file names a few hundred actors


def _actor_kind_from_names(actor1: pd.Series) -> pd.Series:
    state = actor1.str.contains(
        r"^(?:Military Forces of|Police Forces of|Government of|Military Forces|Police|MINUSMA|AMISOM|"
        r"UNMISS|MONUSCO|NATO|MNJTF|Operation Barkhane|Security Forces)", case=False, regex=True, na=False)
    kind = pd.Series("non_state", index=actor1.index, dtype=object)
    kind[state] = "state"
    kind[actor1.fillna("").str.strip() == ""] = ""
    return kind
