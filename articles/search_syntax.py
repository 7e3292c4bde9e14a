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
    0009), so three words side by side ask for their triple ('a~b~c', alone with pair_alone)
    and longer runs for theirs, which only the rows with the phrase nearly always hold.
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
        size = 3 if triples else 2
        lexemes = []
        for run in runs:
            width = min(size, len(run))
            if width > 1:
                lexemes += ["~".join(run[n : n + width]) for n in range(len(run) - width + 1)]
        if not lexemes:
            return phrase
        asked = [f"'{lexeme}'" for lexeme in dict.fromkeys(lexemes)]
        if pair_alone and len(runs) == 1 and len(words) <= size:
            return asked[0]
        return f"( {' & '.join(asked)} & {phrase} )"

    return _PHRASE.sub(paired, tsquery or "")


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
