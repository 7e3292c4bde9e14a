"""The one locator (annotations.core.anchoring): classic text-quote cases, and a property test."""

from __future__ import annotations

import os
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.core.anchoring import CONTEXT_CHARS, anchor_quote, context_of, locate

TEXT = (
    "The mayor said the bridge was safe. Engineers disagreed.\n\n"
    "On Monday the mayor said the bridge was safe. Divers found cracks.\n\n"
    "By Friday the mayor said the bridge was safe. Nobody believed him."
)
QUOTE = "the mayor said the bridge was safe"


def nth(text: str, quote: str, n: int) -> int:
    at = -1
    for _ in range(n + 1):
        at = text.index(quote, at + 1)
    return at


def client_context(text: str, start: int, end: int) -> tuple[str, str]:
    """Return prefix and suffix as Hypothesis clients send them: no joining space."""
    prefix, suffix = context_of(text, start, end)
    return prefix.rstrip(), suffix.lstrip()


@pytest.mark.parametrize("n", [0, 1])
@pytest.mark.parametrize("joined", [True, False])
@pytest.mark.parametrize("sides", ["prefix", "suffix", "both"])
def test_a_repeated_quote_is_told_apart_by_its_context(n, joined, sides):
    start = nth(TEXT, QUOTE, n)
    end = start + len(QUOTE)
    prefix, suffix = context_of(TEXT, start, end) if joined else client_context(TEXT, start, end)
    prefix = prefix if sides in {"prefix", "both"} else ""
    suffix = suffix if sides in {"suffix", "both"} else ""
    found = locate(TEXT, exact=QUOTE, prefix=prefix, suffix=suffix)
    assert (found.start, found.end, found.method) == (start, end, "moved")


def test_without_context_the_position_decides_and_else_the_first_occurrence():
    second = nth(TEXT, QUOTE, 1)
    assert locate(TEXT, exact=QUOTE).start == TEXT.index(QUOTE)
    assert locate(TEXT, exact=QUOTE, start=second + 3).start == second
    exact = locate(TEXT, exact=QUOTE, start=second, end=second + len(QUOTE))
    assert (exact.start, exact.method) == (second, "exact")


def test_a_typo_in_the_quote_is_placed_fuzzily_only_when_allowed():
    start = nth(TEXT, QUOTE, 1)
    prefix, suffix = client_context(TEXT, start, start + len(QUOTE))
    typo = QUOTE.replace("bridge", "bridg")
    assert locate(TEXT, exact=typo, prefix=prefix, suffix=suffix) is None
    found = locate(TEXT, exact=typo, prefix=prefix, suffix=suffix, fuzzy=True)
    assert (found.start, found.end, found.method) == (start, start + len(QUOTE), "fuzzy")
    assert 0.75 <= found.score < 1


def test_a_short_approximate_quote_is_found_without_a_position():
    text = "Prices rose. The ministry blamed the weather, not the new tarif rules."
    found = locate(text, exact="new tariff", fuzzy=True)
    assert text[found.start : found.end] == "new tarif"
    # Shorter than 8 characters, it needs its context on both sides to confirm it.
    start = text.index("tarif")
    prefix, suffix = client_context(text, start, start + 5)
    assert locate(text, exact="tarff", fuzzy=True) is None
    found = locate(text, exact="tarff", prefix=prefix, suffix=suffix, fuzzy=True)
    assert text[found.start : found.end] == "tarif"


def test_a_quote_longer_than_the_text_or_not_in_it_is_refused_with_a_reason():
    refused = anchor_quote("Short text.", exact="Short text. And then a much longer quote.")
    assert refused.placement is None and "not in the article" in refused.reason
    refused = anchor_quote("Short text.", exact="Short texts and more", fuzzy=True)
    assert refused.placement is None
    assert "differs from the quote" in refused.reason or "close enough" in refused.reason
    long_quote = " ".join(["The council never voted on any of this, the clerk said"] * 20)
    refused = anchor_quote(TEXT * 20, exact=long_quote, fuzzy=True)
    assert refused.placement is None and refused.reason


def test_a_loose_match_is_refused_and_the_reason_names_the_closest_passage():
    text = "The archers were peevish."
    refused = anchor_quote(text, exact="marchers were peaceful", fuzzy=True)
    assert refused.placement is None
    assert "“" in refused.reason and "0.75" in refused.reason


def test_empty_quote_and_empty_context():
    assert anchor_quote(TEXT, exact="   ").reason == "there is no quote to place"
    found = locate(TEXT, exact="Divers found cracks.", prefix="", suffix="")
    assert TEXT[found.start : found.end] == "Divers found cracks."


def test_a_quote_across_a_block_boundary_given_with_a_single_space():
    start = TEXT.index("Engineers disagreed.")
    end = TEXT.index("On Monday") + len("On Monday")
    found = locate(TEXT, exact="Engineers disagreed. On Monday")
    assert (found.start, found.end, found.respaced) == (start, end, True)
    # Also with a single line break, as browsers give it.
    assert locate(TEXT, exact="Engineers disagreed.\nOn Monday").start == start


def test_words_joined_by_a_line_break_are_found_and_the_context_still_counts():
    text = "Call it foo bar, they said.\n\nThen came foo\nbar, the sequel."
    start = text.index("foo\nbar")
    found = locate(text, exact="foo bar", prefix="Then came", suffix=", the sequel.")
    assert (found.start, found.end, found.respaced) == (start, start + 7, True)
    # Without context the literal one, spaced as the quote, ranks first.
    assert locate(text, exact="foo bar").start == text.index("foo bar")


def test_unicode_combining_characters_and_emoji():
    cafe = unicodedata.normalize("NFD", "Café")  # "e" and a combining acute accent
    text = f"{cafe} owners 👍🏽 it. Then {cafe} owners 👍🏽 it again. {cafe} owners 👍🏽 it!"
    quote = f"{cafe} owners 👍🏽 it"
    second = nth(text, quote, 1)
    prefix, suffix = client_context(text, second, second + len(quote))
    found = locate(text, exact=quote, prefix=prefix, suffix=suffix)
    assert (found.start, found.end) == (second, second + len(quote))
    # The composed spelling of a decomposed text is an approximate match, not a lost one.
    composed = unicodedata.normalize("NFC", quote)
    found = locate(text, exact=composed, prefix=prefix, suffix=suffix, fuzzy=True)
    assert (found.start, found.end, found.method) == (second, second + len(quote), "fuzzy")


def test_a_stored_selection_keeps_its_edge_spaces():
    text = "alpha beta gamma beta"
    found = locate(text, exact=" beta", prefix="alpha", suffix=" gamma")
    assert text[found.start : found.end] == " beta" and found.start == 5


# --- property: what a client takes from the text lands where it came from --------------------

WORDS = ["kai", "lo", "mira", "tan", "renu", "so", "vu", "pe", "dano", "ri", "zo", "bel", "é", "🙂"]
SEPARATORS = [" ", " ", " ", " ", "\n", "\n\n", ", ", ". "]


@st.composite
def texts_and_spans(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=120))
    parts = [words[0]]
    for word in words[1:]:
        parts += [draw(st.sampled_from(SEPARATORS)), word]
    text = "".join(parts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 60)))
    # Trimmed, as the Hypothesis client trims a selection.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text, start, end


@settings(
    max_examples=int(os.environ.get("ANCHORING_EXAMPLES", 300)),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(texts_and_spans(), st.booleans())
def test_a_quote_with_its_context_from_the_text_lands_on_its_span(scenario, strip_joins):
    text, start, end = scenario
    exact = text[start:end]
    if not exact.strip():
        return  # nothing to anchor: a selection of white space only
    prefix = text[max(0, start - CONTEXT_CHARS) : start]
    suffix = text[end : end + CONTEXT_CHARS]
    if strip_joins:
        prefix, suffix = prefix.rstrip(), suffix.lstrip()
    found = locate(text, exact=exact, prefix=prefix, suffix=suffix, fuzzy=True)
    # Where the quote with its context occurs twice, either place is right.
    in_context = (
        {i + len(prefix) for i in _occurrences(text, prefix + exact + suffix)}
        if not strip_joins
        else None
    )
    placed = (found.start, found.end)
    if in_context is not None and len(in_context) > 1:
        assert found.start in in_context
    else:
        assert placed == (start, end) or _same_context(text, placed, (start, end), strip_joins)


def _occurrences(text: str, needle: str) -> list[int]:
    found, i = [], text.find(needle)
    while i != -1:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _same_context(text, placed, wanted, strip_joins) -> bool:
    """Return whether two spans are indistinguishable to a client: same quote, same context."""

    def seen(span):
        start, end = span
        prefix = text[max(0, start - CONTEXT_CHARS) : start]
        suffix = text[end : end + CONTEXT_CHARS]
        if strip_joins:
            prefix, suffix = prefix.rstrip(), suffix.lstrip()
        return " ".join(text[start:end].split()), " ".join(prefix.split()), " ".join(suffix.split())

    return text[placed[0] : placed[1]] == text[wanted[0] : wanted[1]] and seen(placed) == seen(
        wanted
    )
