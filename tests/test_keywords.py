"""ingest.keywords gives, for every rule of data/classification_rules.csv, the answers of the original
one-text-at-a-time search (classify.regex_hits: relaxed RE2 pre-selection, then Python's re)."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from ingest.classify import load_rules, regex_hits, relaxed_re2
from ingest.keywords import KeywordSearch

KEYWORD_RULES = [r for r in load_rules() if r.keywords is not None]

TRICKY = [
    "", "nothing to see", "Militants kidnapped a trader", "Militants KIDNAPPED a trader",
    "Militants k\u0131dnapped a trader",             # dotless i: Python's re matches it, RE2 does not
    "\u017fmuggling of migrants across the border",  # long s
    "Ransomware attack on a bank", "a ransom was paid", "ran\u00e7on demand\u00e9e",
    "Heroine and H\u00c9RO\u00cfNE seized", "h\u00e9ro\u00efne", "heroin near S\u00e9gou",
    "poachers killed a rhino near the Ivory Coast border", "anti-poaching unit", "C\u00f4te d'Ivoire ivoire",
    "armed men stole 40 head of cattle", "steal the goats", "goats\u00a0stolen", "caf\u00e9 goats stolen",
    "\u0661\u0662 goats were stolen", "_goats stolen", "cattle\u2003rustling", "cattle\x1cstolen",
    "JNIM levied zakat on herders at a checkpoint and demanded money", "checkpoint\u00e9 tax",
    "smuggled arms and ammunition", "seized an arms cache", "smuggled arms cache", "abductramadol",
    "fuel smuggling", "smuggling    of  migrants", "SMUGGL\u00cfNG migrants", "traffickers of weapons",
    "a hashish hash seizure", "crypto\u00adcurrency scam", "crypto currency", "cryptocurrency",
    "enl\u00e8vement de deux otages", "enlevement", "Ḱidnap", "hostage\u00a0taking", "illegal logging",
    "coupe ill\u00e9gale", "pr\u00e9l\u00e8vement forc\u00e9", "imp\u00f4ts ill\u00e9gaux", "gun-running",
    "gunrunning", "hijacked a dhow", "hijacked the ship", "pirates", "gold mine", "mines d'or",
    "migrant boat capsized", "migrants' truck", "passeurs", "trafic de migrants", "human trafficking",
    "traite des \u00eatres humains", "methamphetamine and tramadol", "capta\u0261on", "counterfeit drugs",
    "faux m\u00e9dicaments", "money laundering via hawala", "d\u00e9tournement de fonds", "contreband",
    "trafiquants", "the K\u212aidnap", "\U0001f600 kidnap \U0001f600", "kidnap\u0301", "\u00e9kidnap",
    "kidnap\u00e9", "looted livestock", "took away the camels", "vol de b\u00e9tail", "b\u00e9tail vol\u00e9",
]


def _random_texts(n: int, seed: int = 3) -> list[str]:
    """Texts made of the rules' own words, near-misses and odd characters, joined by odd separators."""
    words = ["kidnap", "ransom", "smuggl", "migrants", "arms", "cache", "cattle", "goats", "stolen", "raid",
             "checkpoint", "tax", "on", "the", "traders", "fuel", "heroin", "h\u00e9ro\u00efne", "opium",
             "poach", "ivory", "coast", "anti-", "gold", "mine", "hijack", "a", "ship", "crypto", "currency",
             "zakat", "levied", "hash", "C\u00f4te", "d'Ivoire", "\u00e9", "caf\u00e9", "\u0131", "\u017f",
             "\u212a", "trafic", "de", "migrants", "human", "traffick", "ing", "ed", "er", "s", "x", "_", "1"]
    separators = [" ", "  ", "\t", "\u00a0", "", "-", ", ", "\n", "\u2003", "'", "."]
    rng = random.Random(seed)
    return ["".join(rng.choice(words) + rng.choice(separators) for _ in range(rng.randint(1, 12)))
            for _ in range(n)]


@pytest.mark.parametrize("texts", [TRICKY, _random_texts(3000)], ids=["tricky", "random"])
def test_same_hits_as_the_original_search(texts):
    series = pd.Series(texts, dtype="str")
    search = KeywordSearch(series, [r.keywords for r in KEYWORD_RULES],
                           [relaxed_re2(r.keywords.pattern) for r in KEYWORD_RULES])
    every = np.ones(len(texts), dtype=bool)
    for k, rule in enumerate(KEYWORD_RULES):
        expected = regex_hits(series, rule.keywords).to_numpy()
        got = search.hits(k, every)
        differ = [t for t, e, g in zip(texts, expected, got) if e != g]
        assert not differ, (rule.rule_id, differ[:5])


@pytest.mark.parametrize("patterns, texts", [
    # 'abqrs' starts inside the match 'xyzab' and runs into the next match 'qrstu'
    (["xyzab", "abqrs", "qrstu"], ["xyzabqrstu", "xyzab qrstu", "abqrs", "XYZABQRSTU"]),
    # 'tramadol' starts inside 'abduct'; 'indian hemp' inside 'heroin'
    (["abduct", "tramadol", "heroin", "indian hemp"], ["abductramadol", "heroindian hemp", "herOINDIAN HEMP"]),
    # a longer literal at the same place as a shorter one
    (["smuggl", "fuel smuggl", "smuggled arms"], ["fuel smuggled arms", "smuggled armsfuel smuggl"]),
    # patterns naming the usual stand-ins for non-ASCII characters ('_', '0', a control character)
    ([r"a_b", r"x0y", "p\x1cq", r"\bcaf\w\b"], ["a_b", "a\u00e9b", "x0y", "x\u0661y", "p\u00a0q", "p\x1cq",
                                                  "caf\u00e9", "caf\u00e9s", "cafe"]),
])
def test_corner_cases_as_the_original(patterns, texts):
    """Literal strings that overlap, and characters patterns name: the same answers as the original."""
    import re
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    series = pd.Series(texts, dtype="str")
    search = KeywordSearch(series, compiled, [relaxed_re2(p) for p in patterns])
    for k, pattern in enumerate(compiled):
        assert search.hits(k, np.ones(len(texts), dtype=bool)).tolist() == regex_hits(series, pattern).tolist()


def test_only_the_rows_asked_about():
    series = pd.Series(["kidnap", "kidnap", "nothing"], dtype="str")
    search = KeywordSearch(series, [KEYWORD_RULES[0].keywords], [None])
    rows = np.array([True, False, True])
    assert not search.hits(0, rows)[1]


def test_texts_holding_the_marker_characters_are_still_searched():
    series = pd.Series(["kid\x00nap", "kidnap\x01", "ransom"], dtype="str")
    rule = next(r for r in KEYWORD_RULES if r.rule_id == "kidnap_keyword")
    search = KeywordSearch(series, [rule.keywords], [relaxed_re2(rule.keywords.pattern)])
    assert search.hits(0, np.ones(3, dtype=bool)).tolist() == regex_hits(series, rule.keywords).tolist()
