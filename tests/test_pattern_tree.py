"""ingest.pattern_tree: required strings are really required, and the ASCII RE2 form matches ASCII text
exactly when Python's re does."""
from __future__ import annotations

import random
import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from ingest.classify import load_rules
from ingest.pattern_tree import ASCII_LOOKALIKES, ascii_re2, element_chars, matches_literally, requirements

RULE_PATTERNS = [r.keywords for r in load_rules() if r.keywords is not None]
OTHER_PATTERNS = [re.compile(p, re.IGNORECASE) for p in [
    r"\bab\b", r"a\Bb", r"\w+\s\d", r"[^a-c]x", r"x[^\w]y", r"(?:ab|cd){2,3}e", r"colou?r", r"^start",
    r"\Aab", r"ab\Z", r"a.b", r"[a-f0-3_]+z", r"\W\W", r"\S+\s+\S+", r"\D\d", r"(a|b|)c", r"x{0,2}y+?",
]]
ASCII_TEXTS = ["", "ab", "a b", "AB", "ab\n", "start", " start", "colour", "color", "a1", "a\x1c1", "a\x0b1",
               "x_y", "x-y", "ababe", "cdcdcde", "a\nb", "a-b", "fz", "12", "kidnap", "Cattle stolen",
               "zakat", "illegally taxed", "checkpoint: pay", "smuggled migrants", "hijack a ship"]


def _random_ascii(n: int, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    pieces = ["ab", "cd", "e", "x", "y", "z", "1", " ", "\t", "\n", "\x1c", "\x0b", "_", "-", "start", "colo",
              "u", "r", "kidnap", "smuggl", "migrants", "cattle", "stolen", "tax", "on", "the", "traders"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(n)]


def test_lookalikes_are_the_non_ascii_characters_re_equates_with_ascii_letters():
    letters = re.compile("[a-z]", re.IGNORECASE)
    found = {chr(c) for c in range(128, 0x110000) if not 0xD800 <= c <= 0xDFFF and letters.fullmatch(chr(c))}
    assert found == ASCII_LOOKALIKES


@pytest.mark.parametrize("pattern", RULE_PATTERNS + OTHER_PATTERNS, ids=lambda p: p.pattern[:30])
def test_ascii_re2_matches_ascii_text_as_re_does(pattern):
    translated = ascii_re2(pattern)
    if translated is None:
        assert any(s in pattern.pattern for s in ("(?<", "(?!", "(?=")), "only look-arounds are refused here"
        return
    texts = ASCII_TEXTS + _random_ascii(2000)
    got = pc.match_substring_regex(pa.array(texts, pa.large_string()), translated).to_pylist()
    assert got == [pattern.search(t) is not None for t in texts]


@pytest.mark.parametrize("pattern", RULE_PATTERNS, ids=lambda p: p.pattern[:30])
def test_every_match_holds_the_required_strings(pattern):
    need = requirements(pattern)
    assert need, "every shipped rule should pre-select texts"
    rng = random.Random(1)
    # Texts that match: the pattern's own alternatives spelled out by re's parser, in random case.
    samples = [m.group(0) for t in ASCII_TEXTS + _random_ascii(3000) if (m := pattern.search(t))]
    samples += ["Cattle were stolen", "smuggled 30 migrants", "CHECKPOINTS where they pay", "h\u00c9ro\u00efne"]
    for text in samples:
        if not pattern.search(text):
            continue
        lowered = "".join(c.upper() if rng.random() < 0.5 else c for c in text).lower()
        assert any(all(any(s in lowered for s in group) for group in conj) for conj in need), text


@pytest.mark.parametrize("pattern, char, named, literal", [
    (re.compile(r"h[\u00e9e]ro", re.I), "\u00c9", True, True),
    (re.compile(r"h[\u00e9e]ro", re.I), "\u00e8", False, False),
    (re.compile(r"[\u00e0-\u00ff]x", re.I), "\u00f4", True, True),
    (re.compile(r"a_b", re.I), "_", False, True),
    (re.compile(r"[^_]", re.I), "_", False, True),
    (re.compile(r"\w+", re.I), "_", False, False),
])
def test_characters_a_pattern_names(pattern, char, named, literal):
    chars = element_chars(pattern)
    assert (chars is not None and chars[0].fullmatch(char) is not None) == named
    assert matches_literally(pattern, char) == literal
