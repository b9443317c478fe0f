"""What a Python regular expression's parse tree tells about the texts it can match.

Used by ingest.keywords to search a million texts with RE2 (Arrow) and get Python's answers:
- ``requirements``: strings a text must contain for the pattern to match (to pre-select texts);
- ``ascii_re2``: an RE2 pattern that matches an ASCII-only text exactly when Python's search does;
- ``element_chars`` / ``matches_literally``: which non-ASCII characters the pattern names, and whether a
  character is named by the pattern at all (so it can stand in for other characters of its kind).
Patterns are read with re's own parser (re._parser), so they mean what Python's re makes of them.
"""
from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from itertools import product

MIN_LITERAL = 3       # shorter strings would pre-select most texts
MAX_STRINGS = 64      # alternatives kept when spelling out classes and alternations
MAX_CONJUNCTIONS = 32

# Non-ASCII characters Python's re.IGNORECASE equates with an ASCII letter (dotless i, dotted capital I,
# long s, Kelvin sign); tests/test_pattern_tree.py checks the list against every code point.
ASCII_LOOKALIKES = frozenset("\u0131\u0130\u017f\u212a")


def _hex(code: int) -> str:
    return f"\\x{{{code:x}}}"


def re2_literal(text: str) -> str:
    """``text`` as an RE2 pattern matching it literally."""
    return "".join(_hex(ord(c)) for c in text)


def _parse(pattern: re.Pattern):
    return sre_parse.parse(pattern.pattern, pattern.flags)


# --- strings every match contains ------------------------------------------------------------------------
# A requirement is a disjunction of conjunctions: the text matches only if, for some conjunction, it holds
# (ignoring case) one string of every set in it. None means nothing is required.

def _char(code: int) -> str:
    return chr(code).lower() if code < 128 else chr(code)  # the search ignores case


def _useful(strings) -> bool:
    return bool(strings) and min(map(len, strings)) >= MIN_LITERAL


def _trimmed(strings) -> set[str]:
    """Spaces at either end dropped: what remains is still required, and a string starting with a space
    ('\u0020arms') would often begin inside another match ('seized arms cache'), where a search misses it."""
    return {s.strip(" ") for s in strings}


class _Node:
    """exact: the node matches exactly one of these strings (None: not a small finite set).
    need: requirement (list of conjunctions, each a list of string sets), or None."""

    def __init__(self, exact=None, need=None):
        self.exact, self.need = exact, need


def _and(a, b):
    if a is None:
        return b
    if b is None:
        return a
    joined = [x + y for x, y in product(a, b)]
    return joined if len(joined) <= MAX_CONJUNCTIONS else min((a, b), key=len)  # keep the finer side


def _or(needs):
    if any(n is None for n in needs):
        return None
    joined = [c for n in needs for c in n]
    if len(joined) <= MAX_CONJUNCTIONS:
        return joined
    # Too many alternatives: one conjunction whose single set is every branch's longest strings.
    merged = set()
    for conj in joined:
        merged |= max(conj, key=lambda s: min(map(len, s)))
    return [[frozenset(merged)]]


def _node(op, av) -> _Node:
    if op is sre.LITERAL:
        return _Node(exact={_char(av)})
    if op is sre.IN:
        chars = set()
        for item_op, item in av:
            if item_op is sre.LITERAL:
                chars.add(_char(item))
            elif item_op is sre.RANGE and item[1] - item[0] < 8:
                chars.update(_char(c) for c in range(item[0], item[1] + 1))
            else:
                return _Node()
        return _Node(exact=chars) if len(chars) <= 8 else _Node()
    if op is sre.BRANCH:
        branches = [_sequence(items) for items in av[1]]
        exact = None
        if all(b.exact is not None for b in branches):
            exact = set().union(*(b.exact for b in branches))
            exact = exact if len(exact) <= MAX_STRINGS else None
        return _Node(exact=exact, need=_or([b.need for b in branches]))
    if op is sre.SUBPATTERN:
        return _sequence(av[3])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, items = av
        inner = _sequence(items)
        if low == high == 1:
            return inner
        if low == 0 and high == 1 and inner.exact is not None:
            return _Node(exact=inner.exact | {""})
        return _Node(need=inner.need if low >= 1 else None)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _Node(exact={""})  # zero width: consumes nothing
    return _Node()  # ANY, NOT_LITERAL, categories, back-references ...: nothing known


def _run_need(run):
    run = _trimmed(run)
    return [[frozenset(run)]] if _useful(run) else None


def _sequence(items) -> _Node:
    need, run, all_exact = None, {""}, True
    for op, av in items:
        node = _node(op, av)
        if node.exact is not None:
            joined = {a + b for a, b in product(run, node.exact)}
            if len(joined) <= MAX_STRINGS:
                run = joined
                continue
            all_exact = False
            need, run = _and(need, _run_need(run)), node.exact
            continue
        all_exact = False
        need, run = _and(_and(need, _run_need(run)), node.need), {""}
    need = _and(need, _run_need(run))
    return _Node(exact=run if all_exact else None, need=need)


def requirements(pattern: re.Pattern) -> list[list[frozenset[str]]] | None:
    """Which strings (ASCII letters in lower case, matched ignoring case) a text must hold for ``pattern``
    to match it: a list of alternatives, each a list of sets of which the text holds one string each.
    None when nothing useful can be read off the pattern (every text is then a candidate)."""
    try:
        return _sequence(list(_parse(pattern))).need
    except re.error:
        return None


# --- exact RE2 form for ASCII text -----------------------------------------------------------------------

_ASCII_CATEGORIES = {
    sre.CATEGORY_DIGIT: ("0-9", False), sre.CATEGORY_NOT_DIGIT: ("0-9", True),
    sre.CATEGORY_WORD: ("0-9A-Za-z_", False), sre.CATEGORY_NOT_WORD: ("0-9A-Za-z_", True),
    # str.isspace() on ASCII: \t \n \v \f \r, the separators \x1c-\x1f, and the space
    sre.CATEGORY_SPACE: (r"\x{9}-\x{d}\x{1c}-\x{20}", False),
    sre.CATEGORY_NOT_SPACE: (r"\x{9}-\x{d}\x{1c}-\x{20}", True),
}
_ASCII_AT = {sre.AT_BEGINNING: "^", sre.AT_BEGINNING_STRING: r"\A", sre.AT_END_STRING: r"\z",
             sre.AT_BOUNDARY: r"\b", sre.AT_NON_BOUNDARY: r"\B"}


class _Untranslatable(Exception):
    pass


def ascii_re2(pattern: re.Pattern) -> str | None:
    """An RE2 pattern that matches an ASCII-only text exactly when ``pattern.search`` does, or None (for
    look-arounds, back-references, $, flags other than IGNORECASE, and characters Python's
    case-insensitive matching equates with ASCII letters)."""
    if pattern.flags & ~(re.IGNORECASE | re.UNICODE) or any(c in ASCII_LOOKALIKES for c in pattern.pattern):
        return None
    try:
        return ("(?i)" if pattern.flags & re.IGNORECASE else "") + _emit(_parse(pattern))
    except (_Untranslatable, re.error):
        return None


def _emit(items) -> str:
    return "".join(_emit_node(op, av) for op, av in items)


def _emit_node(op, av) -> str:
    if op is sre.LITERAL:
        return _hex(av)
    if op is sre.NOT_LITERAL:
        return f"[^{_hex(av)}]"
    if op is sre.ANY:
        return "."  # neither engine's dot matches \n by default
    if op is sre.IN:
        if len(av) == 1 and av[0][0] is sre.CATEGORY:  # \w, \W, \s, \d ... outside a class
            return _emit_node(sre.CATEGORY, av[0][1])
        negate, parts = False, []
        for item_op, item in av:
            if item_op is sre.NEGATE:
                negate = True
            elif item_op is sre.LITERAL:
                parts.append(_hex(item))
            elif item_op is sre.RANGE:
                if any(item[0] <= ord(c) <= item[1] for c in ASCII_LOOKALIKES):
                    raise _Untranslatable
                parts.append(f"{_hex(item[0])}-{_hex(item[1])}")
            elif item_op is sre.CATEGORY and not _ASCII_CATEGORIES[item][1]:
                parts.append(_ASCII_CATEGORIES[item][0])
            else:
                raise _Untranslatable  # a negated category inside a class
        return f"[{'^' if negate else ''}{''.join(parts)}]"
    if op is sre.CATEGORY:
        chars, negate = _ASCII_CATEGORIES[av]
        return f"[{'^' if negate else ''}{chars}]"
    if op is sre.BRANCH:
        return "(?:" + "|".join(_emit(items) for items in av[1]) + ")"
    if op is sre.SUBPATTERN:
        if av[1] or av[2]:  # flags switched inside the group
            raise _Untranslatable
        return "(?:" + _emit(av[3]) + ")"
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):  # greedy or lazy: the same texts match
        low, high, items = av
        if high is not sre.MAXREPEAT and high > 1000:
            raise _Untranslatable
        return f"(?:{_emit(items)}){{{low},{'' if high is sre.MAXREPEAT else high}}}"
    if op is sre.AT and av in _ASCII_AT:
        return _ASCII_AT[av]
    raise _Untranslatable  # look-arounds, back-references, possessive repeats, $ ...


# --- characters the pattern names ------------------------------------------------------------------------

def _elements(items):
    """(op, value) of every literal, negated literal and class member (categories aside) in the tree."""
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL):
            yield op, av
        elif op is sre.IN:
            yield from ((o, v) for o, v in av if o in (sre.LITERAL, sre.RANGE))
        elif op is sre.BRANCH:
            for branch in av[1]:
                yield from _elements(branch)
        elif op is sre.SUBPATTERN:
            yield from _elements(av[3])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            yield from _elements(av[2])
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _elements(av[1])
        elif op is sre.ATOMIC_GROUP:
            yield from _elements(av)


def element_chars(pattern: re.Pattern) -> tuple[re.Pattern, str] | None:
    """The characters the pattern's non-ASCII literals and class members name, as a one-character Python
    pattern (comparing as ``pattern`` does) and as an RE2 class; None when it names none."""
    python, re2 = [], []
    for op, av in _elements(_parse(pattern)):
        low, high = av if op is sre.RANGE else (av, av)
        if high < 128:
            continue
        low = max(low, 128)
        python.append(re.escape(chr(low)) + (f"-{re.escape(chr(high))}" if high > low else ""))
        re2.append(_hex(low) + (f"-{_hex(high)}" if high > low else ""))
    if not python:
        return None
    return re.compile(f"[{''.join(python)}]", pattern.flags), f"[{''.join(re2)}]"


def matches_literally(pattern: re.Pattern, char: str) -> bool:
    """Whether ``char`` equals (as the pattern compares) one of its literals or class members, or is what
    one of its negated literals excludes: then it cannot stand in for other characters of its kind."""
    flags = pattern.flags & re.IGNORECASE
    for op, av in _elements(_parse(pattern)):
        member = f"[{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}]" if op is sre.RANGE else re.escape(chr(av))
        if re.fullmatch(member, char, flags):
            return True
    return False
