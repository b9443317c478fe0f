"""Which texts the classification rules' keyword patterns match, for a million texts at once.

Python's re decides, as data/classification_rules.csv documents, but trying two dozen patterns on a
million notes one text at a time takes minutes. Arrow's RE2 engine tests whole columns in C++, and three
steps let it give Python's answers (ingest.pattern_tree reads the patterns):

1. Pre-selection. Each pattern needs certain strings in a text ('heroin' or 'opium' or ...; 'cattle' or
   'goats' ... and 'stolen' or 'raid' ...). One RE2 pass with the union of all patterns' strings marks every
   occurrence, so each pattern is only tried on texts holding what it needs.
2. ASCII texts: Python's \\w, \\b, \\s, \\d and case-insensitive matching are then their ASCII forms, so a
   pattern without look-arounds translates exactly into RE2.
3. Other texts: each non-ASCII character is replaced by an ASCII one of the same kind (word character,
   digit, white space, other) that no pattern names; Python's re cannot tell the two apart, so the ASCII
   translation decides there too. Texts where that could differ (a character a pattern names, such as
   the é of 'h[ée]ro[iï]ne', when the translation finds no match; characters on which Python and RE2 disagree
   about case or word-ness) and patterns with look-arounds go to Python's re, and there, as
   classify.regex_hits has always required, the relaxed RE2 form of the pattern must match too.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.pattern_tree import ASCII_LOOKALIKES, ascii_re2, element_chars, matches_literally, re2_literal, \
    requirements
from ingest.values import arrow_text

# Stand-ins for non-ASCII characters, by kind; the first one no pattern names is used.
_STAND_INS = {"digit": "0123456789", "word": "_qxzjkvwy", "space": "\x1c\x1d\x1e\x1f\x0b", "other": "\x7f\x1b\x1a\x19"}


def _bool(array) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def _re2_class(chars) -> str:
    return "[" + "".join(re2_literal(c) for c in sorted(chars)) + "]"


class KeywordSearch:
    """``hits(k, rows)``: where pattern k matches, as classify.regex_hits would answer, for the given rows."""

    def __init__(self, texts: pd.Series, patterns: Sequence[re.Pattern], relaxed: Sequence[str | None]):
        arrow = pc.cast(arrow_text(texts), pa.large_string())
        self.arrow = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
        self.patterns, self.relaxed = list(patterns), list(relaxed)
        self.exact = [ascii_re2(p) for p in self.patterns]
        self.ascii = _bool(pc.string_is_ascii(self.arrow))
        self.candidates = self._preselect([requirements(p) for p in self.patterns])
        self._other = None  # the translation of non-ASCII texts, made on first use

    def hits(self, k: int, rows: np.ndarray) -> np.ndarray:
        todo = rows & self.candidates[k]
        out = np.zeros(len(self.arrow), dtype=bool)
        if self.exact[k] is None:
            self._python(k, np.flatnonzero(todo), out)
            return out
        plain = np.flatnonzero(todo & self.ascii)
        if len(plain):
            out[plain] = _bool(pc.match_substring_regex(self.arrow.take(plain), self.exact[k]))
        other = todo & ~self.ascii
        if other.any():
            self._non_ascii(k, other, out)
        return out

    # --- non-ASCII texts -------------------------------------------------------------------------------

    def _non_ascii(self, k: int, rows: np.ndarray, out: np.ndarray) -> None:
        t = self._other or self._translate()
        slow = rows & t["slow"]
        self._python(k, np.flatnonzero(slow), out)
        fast = np.flatnonzero(rows & ~t["slow"])
        if not len(fast):
            return
        found = _bool(pc.match_substring_regex(t["text"].take(t["position"][fast]), self.exact[k]))
        out[fast[found]] = True
        named = t["named"][k]
        if named is not None and not found.all():
            missed = fast[~found]  # a character the pattern names was replaced: Python decides
            holds = _bool(pc.match_substring_regex(self.arrow.take(missed), named))
            self._python(k, missed[holds], out)

    def _translate(self) -> dict:
        """Replace every non-ASCII character by an ASCII stand-in of its kind, once for all patterns."""
        rows = np.flatnonzero(~self.ascii)
        text = self.arrow.take(rows)
        chars = sorted(set("".join(pc.replace_substring_regex(text, r"[\x{0}-\x{7f}]+", "").to_pylist())))
        re2_word = _bool(pc.match_substring_regex(pa.array(chars, pa.large_string()), r"^[\pL\pN_]$"))
        named = [element_chars(p) for p in self.patterns]
        disagree, kinds = set(), {kind: [] for kind in _STAND_INS}
        for char, word_in_re2 in zip(chars, re2_word):
            word = re.match(r"\w", char) is not None
            if char in ASCII_LOOKALIKES or word != word_in_re2 or any(
                    n is not None and (n[0].fullmatch(char) is not None) != _re2_has(n[1], n[0].flags, char)
                    for n in named):
                disagree.add(char)
                continue
            kind = "digit" if re.match(r"\d", char) else "word" if word else \
                "space" if re.match(r"\s", char) else "other"
            kinds[kind].append(char)
        for kind, members in kinds.items():
            if not members:
                continue
            stand_in = next((s for s in _STAND_INS[kind]
                             if not any(matches_literally(p, s) for p in self.patterns)), None)
            if stand_in is None:
                disagree.update(members)
                continue
            text = pc.replace_substring_regex(text, _re2_class(members), stand_in)
        position = np.full(len(self.arrow), -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        slow = np.zeros(len(self.arrow), dtype=bool)
        if disagree:
            slow[rows] = _bool(pc.match_substring_regex(self.arrow.take(rows), _re2_class(disagree)))
        # Per pattern, the characters present whose replacement may hide a match.
        held = [None if n is None else [c for c in chars if n[0].fullmatch(c)] for n in named]
        self._other = {"text": text, "position": position, "slow": slow,
                       "named": [_re2_class(h) if h else None for h in held]}
        return self._other

    def _python(self, k: int, index: np.ndarray, out: np.ndarray) -> None:
        """Python's re on these texts, then the relaxed RE2 form classify.regex_hits also requires."""
        if not len(index):
            return
        search = self.patterns[k].search
        found = np.fromiter((search(t) is not None for t in self.arrow.take(index).to_pylist()), dtype=bool,
                            count=len(index))
        index = index[found]
        if len(index) and self.relaxed[k] is not None:
            try:
                index = index[_bool(pc.match_substring_regex(self.arrow.take(index), self.relaxed[k]))]
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass  # RE2 cannot run it: regex_hits then let Python decide alone
        out[index] = True

    # --- pre-selection --------------------------------------------------------------------------------

    def _preselect(self, needs) -> list[np.ndarray]:
        """Per pattern, the texts holding what it needs (all texts for a pattern that needs nothing)."""
        n = len(self.arrow)
        literals = sorted({s for need in needs if need for conj in need for group in conj for s in group},
                          key=lambda s: (-len(s), s))
        everything = [np.ones(n, dtype=bool) for _ in needs]
        if not literals or not n or _has_markers(self.arrow) or any("\x00" in s for s in literals):
            return everything  # nothing to look for, or the marker used below occurs in the text
        holds, unsure = self._literal_rows(literals)
        out = []
        for need in needs:
            if need is None:
                out.append(np.ones(n, dtype=bool))
                continue
            mask = np.zeros(n, dtype=bool)
            for conj in need:
                part = np.ones(n, dtype=bool)
                for group in conj:
                    part &= holds(group)
                mask |= part
            out.append(mask | unsure)
        return out

    def _literal_rows(self, literals: list[str]):
        """(holds(strings) -> rows holding one of them, rows where an occurrence may have been missed)."""
        n = len(self.arrow)
        # Longest first: RE2 takes the first alternative that fits. (The group makes RE2 about 15% faster.)
        union = "(?i)(?:" + "|".join(_re2_word(s) for s in literals) + ")"
        # Each match between two NULs: a row splits into [text before, match, text after, match, ...].
        pieces = pc.split_pattern(pc.replace_substring_regex(self.arrow, union, "\x00\\0\x00"), "\x00")
        parents = pc.list_parent_indices(pieces).to_numpy()
        starts = pieces.offsets.to_numpy()[:-1]
        at_match = np.flatnonzero((np.arange(len(parents)) - starts[parents]) % 2 == 1)
        piece_rows = parents[at_match]
        flat = pieces.flatten()
        matched, rest = flat.take(at_match), flat.take(at_match + 1)
        found = pc.dictionary_encode(matched)
        spelled = found.dictionary
        which = found.indices.to_numpy(zero_copy_only=False)
        order = np.argsort(which, kind="stable")
        bounds = np.searchsorted(which[order], np.arange(len(spelled) + 1))
        # Every literal a matched text holds (itself, and shorter ones inside it) counts for the row.
        inside = np.column_stack([_bool(pc.match_substring_regex(spelled, "(?i)" + _re2_word(s)))
                                  for s in literals])
        # The search skips a literal that starts inside a match and runs past its end ('…d' + 'dian hemp').
        # For each matched text, the continuations that would complete such a literal are known; a row whose
        # text after the match starts with one counts for every pattern. (So does one where the next match
        # follows too closely to tell.)
        unsure = np.zeros(n, dtype=bool)
        last = np.r_[piece_rows[1:] != piece_rows[:-1], True]
        rest_length = pc.utf8_length(rest).to_numpy(zero_copy_only=False)
        by_first = {}
        for s in literals:
            by_first.setdefault(s[0].lower() if s[0].isascii() else "", []).append(s)
        for d, text in enumerate(spelled.to_pylist()):
            group = order[bounds[d]:bounds[d + 1]]
            ways = _continuations(text, {s for s, held in zip(literals, inside[d]) if not held}, by_first)
            if not ways or not len(group):
                continue
            follows = _bool(pc.match_substring_regex(rest.take(group), "(?i)^(?:" + "|".join(map(_re2_word, ways)) + ")"))
            # Text after the match shorter than a continuation, with another match right after it: the
            # literal could run on into that match if the short text begins the continuation.
            short = np.flatnonzero((rest_length[group] < max(map(len, ways))) & ~last[group])
            if len(short):
                between = pc.dictionary_encode(rest.take(group[short]))
                begins = np.array([any(len(w) > len(r) and _same_text(r, w[:len(r)]) for w in ways)
                                   for r in between.dictionary.to_pylist()], dtype=bool)
                follows[short[begins[between.indices.to_numpy(zero_copy_only=False)]]] = True
            unsure[piece_rows[group[follows]]] = True
        index = {s: i for i, s in enumerate(literals)}
        rows_by_spelling = [piece_rows[order[bounds[d]:bounds[d + 1]]] for d in range(len(spelled))]

        def holds(strings) -> np.ndarray:
            mask = np.zeros(n, dtype=bool)
            for d in np.flatnonzero(inside[:, [index[s] for s in strings]].any(axis=1)):
                mask[rows_by_spelling[d]] = True
            return mask

        return holds, unsure


def _has_markers(strings: pa.Array) -> bool:
    """Whether a NUL occurs in the strings' bytes (a memchr over the data buffer, which re does without
    copying it: Arrow's substring search is ten times slower)."""
    data = strings.buffers()[2]
    return data is not None and _NUL.search(memoryview(data)) is not None


_NUL = re.compile(b"\x00")


def _continuations(matched: str, others: set[str], by_first: dict[str, list[str]]) -> set[str]:
    """What must follow ``matched`` for one of ``others`` (literals it does not hold) to start inside it and
    run past its end: the remaining parts of those literals. ``by_first`` files literals under their first
    letter (non-ASCII first characters under '')."""
    ways = set()
    for start in range(1, len(matched)):
        tail = matched[start:]
        first = tail[0].lower() if tail[0].isascii() else None
        candidates = by_first.get("", []) + (by_first.get(first, []) if first is not None else
                                             [s for group in by_first.values() for s in group])
        for other in candidates:
            if other not in others or len(other) <= len(tail):
                continue
            if _same_text(tail, other[:len(tail)]):
                ways.add(other[len(tail):])
    return ways


def _same_text(text: str, literal: str) -> bool:
    """Whether ``text`` (as found in a note) matches ``literal`` as the case-insensitive search does."""
    if text.isascii() and literal.isascii():
        return text.lower() == literal.lower()
    return _same_ignoring_case(text, literal)


def _same_ignoring_case(text: str, literal: str) -> bool:
    """Whether ``text`` (as found in a note) matches ``literal`` as the case-insensitive search does."""
    found = pc.match_substring_regex(pa.array([text], pa.large_string()), "(?i)^" + _re2_word(literal) + "$")
    return bool(found[0].as_py())


def _re2_word(text: str) -> str:
    """``text`` as an RE2 pattern matching it literally: letters and digits as they are (RE2 compiles
    that faster), everything else escaped."""
    return "".join(c if c.isalnum() else re2_literal(c) for c in text)


def _re2_has(re2_class: str, flags: int, char: str) -> bool:
    pattern = ("(?i)" if flags & re.IGNORECASE else "") + "^" + re2_class + "$"
    return bool(pc.match_substring_regex(pa.array([char], pa.large_string()), pattern)[0].as_py())
