"""Queries in each database's full-text syntax: PostgreSQL tsqueries asking for the word pairs
and triples the index holds, and FTS5 expressions that can never be malformed.

articles.search uses them (and re-exports them); annotations reach them through it.
"""

from __future__ import annotations

import re

# A phrase in a tsquery's text: lexemes joined by <-> (adjacent) or <N> (a stop word or more
# between), standing alone (not an operand of a wider phrase operator).
_LEXEME = r"'(?:[^']|'')+'"
_PHRASE = re.compile(rf"(?<!> ){_LEXEME}(?: <(?:-|\d+)> {_LEXEME})+(?! <)")
_PHRASE_PART = re.compile(rf"{_LEXEME}|<(?:-|\d+)>")


def with_word_pairs(tsquery: str, *, pair_alone: bool = False, triples: bool = False) -> str:
    """Return a PostgreSQL tsquery (as text) whose phrases also ask for their word pairs.

    Every indexed text holds each pair of adjacent words as one lexeme ('govern~minist', see
    migration 0006), so `'govern' <-> 'minist'` becomes
    `( 'govern~minist' & 'govern' <-> 'minist' )`: the same matches, but the GIN index finds
    the few rows with the pair and only those are rechecked for the phrase.

    `pair_alone`: a phrase of two words is its pair alone, `'govern~minist'`. That is the
    same test (the pair is in a text exactly where the two words are at positions p and p + 1,
    which is what <-> asks), but one the GIN index answers by itself: no row is rechecked.

    `triples`: the index also holds each run of three adjacent words (articles, migration
    0009), so three words side by side ask for their triple and longer runs for theirs, which
    nearly only the rows with the phrase hold. A text too long for triples holds '~long'
    instead, and is asked for its pairs: `( 'a~b~c' | '~long' & 'a~b' & 'b~c' & phrase )`,
    which the index answers alone for every other row.
    """

    def paired(match: re.Match) -> str:
        phrase = match.group(0)
        parts = _PHRASE_PART.findall(phrase)  # lexeme, operator, lexeme, ...
        words = [part[1:-1] for part in parts[::2]]
        runs, run = [], [words[0]]  # the words side by side (joined by <->)
        for operator, word in zip(parts[1::2], words[1:], strict=True):
            if operator != "<->":
                runs.append(run)
                run = []
            run.append(word)
        runs.append(run)
        pairs = _asked(_runs_of(runs, 2))
        if not pairs:
            return phrase
        alone = pair_alone and len(runs) == 1
        if not triples or max(map(len, runs)) < 3:
            if alone and len(words) == 2:
                return pairs
            return f"( {pairs} & {phrase} )"
        either = f"{_asked(_runs_of(runs, 3))} | '~long' & {pairs}"
        if alone and len(words) == 3:
            return f"( {either} & {phrase} )"
        return f"( ( {either} ) & {phrase} )"

    return _PHRASE.sub(paired, tsquery or "")


# What only a text too long for triples is asked for, up to its group's end.
_LONG_BRANCH = re.compile(r"\| '~long' & [^()]*\)")


def rechecked(tsquery: str) -> bool:
    """Return whether the GIN index hands rows of tsquery (with_word_pairs') to a recheck:
    a phrase operator left, not counting the branch for texts too long for triples."""
    return "<" in _LONG_BRANCH.sub(")", tsquery)


def _runs_of(runs: list[list[str]], width: int) -> list[str]:
    """Return the lexemes of `width` adjacent words (fewer where a run is shorter) of runs."""
    found = []
    for run in runs:
        size = min(width, len(run))
        if size > 1:
            found += ["~".join(run[n : n + size]) for n in range(len(run) - size + 1)]
    return found


def _asked(lexemes: list[str]) -> str:
    return " & ".join(f"'{lexeme}'" for lexeme in dict.fromkeys(lexemes))


_FTS_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str:
    """Translate a web-search style query into FTS5 syntax that can never be malformed.

    Like PostgreSQL's websearch_to_tsquery: words are all required, "quoted words" form a
    phrase, `or` between two terms accepts either, a leading `-` excludes a term. Everything
    else (FTS5 operators, column filters, stray quotes and brackets) is taken as plain words.
    """
    required: list[str] = []
    excluded: list[str] = []
    pending_or = False
    for match in _FTS_TERM.finditer(query):
        negated, phrase, bare = match.groups()
        if bare is not None:
            negated = "-" if bare.startswith("-") else ""
            if bare.lower() == "or" and required:
                pending_or = True
                continue
        words = _WORD.findall(phrase if phrase is not None else bare)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negated:
            excluded.append(term)
        elif pending_or:
            required[-1] = f"{required[-1]} OR {term}"
            pending_or = False
        else:
            required.append(term)
    if not required:
        return ""
    positive = " AND ".join(f"({term})" for term in required)
    return " NOT ".join([positive, *excluded]) if excluded else positive
