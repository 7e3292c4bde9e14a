"""Property-based tests of re-anchoring: random edits to generated articles.

Hypothesis runs derandomized (the same examples every run, no example database), so CI is
reproducible; a failure prints the falsifying scenario, which is all that is needed to replay it.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from annotations.core.anchoring import FUZZY_MIN_SIMILARITY, context_of, similarity
from annotations.core.reanchoring import reanchor_annotations

# A small vocabulary, so that short quotes recur and the right occurrence has to be chosen.
_syllables = ["ka", "lo", "mi", "ta", "ren", "so", "vu", "pe", "dan", "ri", "zo", "bel"]
_rnd = random.Random(7)
VOCAB = sorted({"".join(_rnd.sample(_syllables, _rnd.randint(1, 3))) for _ in range(60)})

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("REANCHOR_EXAMPLES", 100)),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass
class Quote:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def render(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(words) + "." for words in paragraphs)


def word_starts(paragraphs: list[list[str]]) -> list[list[int]]:
    """Return the offset in render(paragraphs) where each word starts."""
    starts, offset = [], 0
    for words in paragraphs:
        row = []
        for word in words:
            row.append(offset)
            offset += len(word) + 1  # the space after it, or the full stop
        starts.append(row)
        offset += 2  # the paragraph break ("." took the place of the last space)
    return starts


def apply_edit(paragraphs: list[list[str]], edit: tuple, rnd: random.Random) -> None:
    kind, a, b = edit
    if kind == "insert_paragraph" or not paragraphs:
        paragraphs.insert(a % (len(paragraphs) + 1), rnd.choices(VOCAB, k=rnd.randint(4, 20)))
        return
    i = a % len(paragraphs)
    words = paragraphs[i]
    if kind == "delete_paragraph":
        del paragraphs[i]
    elif kind == "move_paragraph":
        paragraphs.insert(b % len(paragraphs), paragraphs.pop(i))
    elif kind == "copy_paragraph":  # the same passage twice: context and nearness must choose
        paragraphs.insert(b % (len(paragraphs) + 1), list(words))
    elif kind == "insert_word":
        words.insert(b % (len(words) + 1), rnd.choice(VOCAB))
    elif kind == "delete_word" and len(words) > 1:
        del words[b % len(words)]
    elif kind == "replace_word":
        words[b % len(words)] = rnd.choice(VOCAB)
    elif kind == "typo":
        j = b % len(words)
        word = words[j]
        if len(word) > 2:  # swap two letters: the kind of change a correction undoes
            k = rnd.randrange(len(word) - 1)
            words[j] = word[:k] + word[k + 1] + word[k] + word[k + 2 :]


edits = st.tuples(
    st.sampled_from(
        [
            "insert_paragraph",
            "delete_paragraph",
            "move_paragraph",
            "copy_paragraph",
            "insert_word",
            "delete_word",
            "replace_word",
            "typo",
        ]
    ),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)


@st.composite
def scenarios(draw):
    """Return (old text, new text, quotes on the old text)."""
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    paragraphs = [rnd.choices(VOCAB, k=rnd.randint(6, 30)) for _ in range(draw(st.integers(2, 9)))]
    old_text = render(paragraphs)
    starts = word_starts(paragraphs)
    quotes = []
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(paragraphs) - 1))
        first = draw(st.integers(0, len(paragraphs[i]) - 1))
        last = draw(st.integers(first, min(first + 8, len(paragraphs[i]) - 1)))
        start = starts[i][first]
        end = starts[i][last] + len(paragraphs[i][last])
        # Sometimes a selection that starts or ends inside a word.
        start += draw(st.integers(0, 2)) if end - start > 4 else 0
        end -= draw(st.integers(0, 2)) if end - start > 4 else 0
        prefix, suffix = context_of(old_text, start, end)
        quotes.append(Quote(old_text[start:end], prefix, suffix, start, end))
    new_paragraphs = [list(words) for words in paragraphs]
    for edit in draw(st.lists(edits, min_size=1, max_size=8)):
        apply_edit(new_paragraphs, edit, rnd)
    return old_text, render(new_paragraphs), quotes


def occurrences(text: str, needle: str) -> list[int]:
    found, i = [], text.find(needle)
    while i != -1:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


@PROPERTY_SETTINGS
@given(scenarios())
def test_a_quote_that_survives_with_its_context_is_placed_exactly_on_it(scenario):
    old_text, new_text, quotes = scenario
    results = reanchor_annotations(old_text=old_text, new_text=new_text, annotations=quotes)
    assert [r.annotation for r in results] == quotes
    for quote, result in zip(quotes, results, strict=True):
        in_context = occurrences(new_text, quote.prefix + quote.exact + quote.suffix)
        if len(in_context) == 1:
            # Untouched with its context, and unambiguous: exactly there, at that occurrence.
            assert result.anchor in {"exact", "moved"}
            assert result.start == in_context[0] + len(quote.prefix)
        if quote.exact in new_text:
            # Still in the text somewhere: placed on the quote itself, never fuzzily.
            assert result.anchor in {"exact", "moved"}
            assert new_text[result.start : result.end] == quote.exact
        if result.anchor == "exact":
            assert result.start == quote.start


@PROPERTY_SETTINGS
@given(scenarios())
def test_nothing_is_placed_on_text_unlike_its_quote(scenario):
    old_text, new_text, quotes = scenario
    results = reanchor_annotations(old_text=old_text, new_text=new_text, annotations=quotes)
    for quote, result in zip(quotes, results, strict=True):
        event(result.anchor)  # --hypothesis-show-statistics shows how often each path ran
        if not result.placed:
            assert result.anchor == "orphan"
            assert (result.exact, result.start, result.end) == (quote.exact, None, None)
            continue
        placed = new_text[result.start : result.end]
        assert result.exact == placed
        assert similarity(quote.exact, placed) >= FUZZY_MIN_SIMILARITY
        assert (result.prefix, result.suffix) == context_of(new_text, result.start, result.end)
        if result.anchor == "fuzzy":
            assert placed != quote.exact
            assert FUZZY_MIN_SIMILARITY <= result.score <= 1


@PROPERTY_SETTINGS
@given(scenarios())
def test_an_unchanged_text_keeps_every_annotation_where_it_is(scenario):
    old_text, _, quotes = scenario
    results = reanchor_annotations(old_text=old_text, new_text=old_text, annotations=quotes)
    assert all(r.anchor == "exact" for r in results)
    assert [(r.start, r.end) for r in results] == [(q.start, q.end) for q in quotes]
