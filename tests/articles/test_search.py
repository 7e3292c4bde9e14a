import random
import re

import pytest
from django.db import connection

from articles import search
from articles.search import fts5_query, highlight, search_articles
from articles.services import article_store
from tests.factories import make_article, make_seed_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_article(seed_path):
    return make_seed_article(seed_path, source_name="Seed Wire")


def test_phrase_from_the_article_finds_it(seed_article):
    make_article(title="Council meeting", body="Water prices rise again.")

    results = list(search_articles("shoot to kill"))

    assert [a.pk for a in results] == [seed_article.pk]


def test_stemming_matches_other_forms_of_a_word(seed_article):
    # The seed article says "protests" and "protesters", never "protesting".
    assert "protesting" not in seed_article.body_text.lower()

    assert [a.pk for a in search_articles("protesting")] == [seed_article.pk]


def test_title_match_ranks_above_body_only_match():
    body_only = make_article(
        title="Weekly round-up", body="Among other things, the reservoir levels fell."
    )
    in_title = make_article(
        title="Reservoir levels fall", body="Officials said the levels fell by a third."
    )

    results = list(search_articles("reservoir"))

    assert [a.pk for a in results] == [in_title.pk, body_only.pk]
    assert results[0].rank > results[1].rank


def test_snippet_marks_the_matched_words(seed_article):
    (result,) = search_articles("security forces")

    assert "<mark>" in result.snippet
    assert "</mark>" in result.snippet


def test_snippet_escapes_article_text_except_the_marks():
    make_article(title="Markup", body="Cats & kittens, `<script>alert(1)</script>` and <b>x</b>.")

    (result,) = search_articles("kittens")

    assert "<mark>kittens</mark>" in result.snippet
    assert "&amp;" in result.snippet
    unmarked = re.sub(r"</?mark>", "", result.snippet)
    assert "<" not in unmarked
    assert ">" not in unmarked


def test_highlight_never_produces_markup_from_text():
    snippet = highlight("\ue000a <b>\ue001 \ue000 unbalanced & \ue001\ue001 <i>")

    assert snippet == "<mark>a &lt;b&gt;</mark> <mark> unbalanced &amp; </mark> &lt;i&gt;"


@pytest.mark.parametrize("query", ["", "   ", '""', "-", "()", "* ( )"])
def test_empty_query_finds_nothing(seed_article, query):
    results = search_articles(query)

    assert results.count() == 0
    assert list(results) == []


@pytest.mark.parametrize(
    "query",
    [
        '"shoot to kill',
        'shoot" "kill',
        "kill*",
        "*",
        "shoot AND",
        "AND kill",
        "NOT",
        "shoot OR",
        "(kill",
        "kill)) ((",
        "title:kill",
        "^kill",
        "kill NEAR(shoot",
        "shoot & | ! <-> kill",
        "-kill",
        "'; drop table articles_article; --",
    ],
)
def test_query_syntax_characters_never_error(seed_article, query):
    results = search_articles(query)

    assert results.count() == len(list(results))


def test_quoted_phrase_or_and_exclusion():
    water = make_article(title="Water prices", body="The council raised water prices.")
    bread = make_article(title="Bread prices", body="Bakers raised bread prices.")

    assert {a.pk for a in search_articles('"water prices"')} == {water.pk}
    assert {a.pk for a in search_articles("water or bread")} == {water.pk, bread.pk}
    assert {a.pk for a in search_articles("prices -bread")} == {water.pk}


def test_source_filter_narrows_results(seed_article):
    other = make_article(title="Kill switch", body="A kill switch.", source_name="Other Wire")

    assert {a.pk for a in search_articles("kill")} == {seed_article.pk, other.pk}
    assert [a.pk for a in search_articles("kill", source="Other Wire")] == [other.pk]


def test_index_follows_edits_and_deletes():
    article = make_article(title="Budget", body="The mayor praised the aquifer.")
    assert [a.pk for a in search_articles("aquifer")] == [article.pk]

    article_store(article=article, title="Budget", body_markdown="The mayor praised the dam.")
    assert list(search_articles("aquifer")) == []
    assert [a.pk for a in search_articles("dam")] == [article.pk]

    article.delete()
    assert list(search_articles("dam")) == []


def test_snippet_shows_a_match_deep_in_a_long_article():
    filler = " ".join(f"word{n}" for n in range(600))
    make_article(title="Long read", body=f"{filler}\n\nAt last the aquifer appears.\n\n{filler}")

    (result,) = search_articles("aquifer")

    assert "<mark>aquifer</mark>" in result.snippet
    assert not re.search(r"(^|\s)ord\d", result.snippet)  # the window starts at a word


def test_results_are_capped(monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    for n in range(5):
        make_article(title=f"Ferry timetable {n}", body="The ferry runs hourly.")

    results = search_articles("ferry")

    assert results.count() == 3
    assert results.capped
    assert len(list(results)) == 3
    assert search_articles("hourly timetable 4").capped is False


def test_results_slice_and_count_like_a_queryset():
    for n in range(5):
        make_article(title=f"Harbour report {n}", body="The harbour reopened.")

    results = search_articles("harbour")

    assert results.count() == 5
    assert len(results[1:3]) == 2
    assert results[4].title.startswith("Harbour report")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shoot to kill", '("shoot") AND ("to") AND ("kill")'),
        ('"shoot to kill" -police', '("shoot to kill") NOT "police"'),
        ("water or bread", '("water" OR "bread")'),
        ('AND (kill* "', '("AND") AND ("kill")'),
        ("-only -negatives", ""),
    ],
)
def test_fts5_query_translation(query, expected):
    assert fts5_query(query) == expected


def test_rare_old_articles_are_found_and_common_words_capped(monkeypatch):
    # PostgreSQL looks at the newest ids first; make that window tiny to exercise widening.
    monkeypatch.setattr(search.PostgresSearch, "FIRST_WINDOW", 2)
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    oldest = make_article(title="Archive", body="A rare zeppelin sighting.")
    articles = [make_article(title=f"Note {n}", body="Common ground.") for n in range(9)]

    assert [a.pk for a in search_articles("zeppelin")] == [oldest.pk]
    common = search_articles("common")
    assert common.capped
    assert len(list(common)) == 3
    if connection.vendor == "postgresql":
        # Its candidates for a common word are the newest matches.
        assert {a.pk for a in common} <= {a.pk for a in articles[-4:]}


def test_phrases_also_ask_for_their_word_pairs_which_the_index_holds():
    assert search.with_word_pairs("'govern' <-> 'minist' & !'polic'") == (
        "( 'govern~minist' & 'govern' <-> 'minist' ) & !'polic'"
    )
    assert search.with_word_pairs("'a' <-> 'b' <-> 'c' | 'o''brien' <2> 'd'") == (
        "( 'a~b' & 'b~c' & 'a' <-> 'b' <-> 'c' ) | 'o''brien' <2> 'd'"
    )
    assert search.with_word_pairs("") == ""
    # A stop word inside a phrase (<3>): the pairs of the adjacent words only, the whole
    # phrase kept together; the parts of a phrase about a group are left alone.
    assert search.with_word_pairs("'rise' <3> 'water' <-> 'price'") == (
        "( 'water~price' & 'rise' <3> 'water' <-> 'price' )"
    )
    assert search.with_word_pairs("( 'x' | 'y' ) <-> 'a' <-> 'b'") == (
        "( 'x' | 'y' ) <-> 'a' <-> 'b'"
    )


def test_a_phrase_of_two_words_can_be_its_pair_alone():
    pair_alone = {"pair_alone": True}
    assert search.with_word_pairs("'govern' <-> 'minist' & !'polic'", **pair_alone) == (
        "'govern~minist' & !'polic'"
    )
    assert search.with_word_pairs("'it''s' <-> 'time'", **pair_alone) == "'it''s~time'"
    assert search.with_word_pairs("'a' <-> 'b' <-> 'c'", **pair_alone) == (
        "( 'a~b' & 'b~c' & 'a' <-> 'b' <-> 'c' )"
    )


def test_a_phrase_finds_exactly_the_texts_that_have_it():
    """On texts full of the same few words, in every order: a quoted phrase finds the title or
    body that holds its words side by side, and nothing else (on PostgreSQL, from the index's
    word pairs alone; a title's last word and the body's first are no phrase)."""
    words = ["water", "prices", "rose", "the", "council", "said", "prices", "of", "water"]
    rng = random.Random(5)
    articles = []
    for _ in range(40):
        body = " ".join(rng.choice(words) for _ in range(30)) + "."
        articles.append(make_article(title=" ".join(rng.sample(words, 4)), body=body))
    for phrase in ("water prices", "prices water", "council said", "said prices", "prices rose"):
        holding = re.compile(rf"\b{phrase}\b", re.IGNORECASE)
        expected = sorted(
            a.pk for a in articles if holding.search(a.title) or holding.search(a.body_text)
        )
        assert expected, phrase  # the texts do hold each phrase somewhere
        assert sorted(a.pk for a in search_articles(f'"{phrase}"')) == expected, phrase


def test_a_phrase_with_a_stop_word_in_it_is_found():
    article = make_article(title="Levy", body="The rise of the water prices was steep.")
    make_article(title="Other", body="Water prices rise of the kind nobody saw.")
    assert [a.pk for a in search_articles('"rise of the water prices"')] == [article.pk]


def test_a_phrase_is_found_only_where_its_words_are_adjacent():
    together = make_article(title="Levy", body="The water prices rose.")
    make_article(title="Apart", body="Prices of clean water rose.")

    assert [a.pk for a in search_articles('"water prices"')] == [together.pk]
    assert [a.pk for a in search_articles('"prices rose" -water')] == []


def test_a_phrase_of_three_words_can_be_its_triple_alone():
    alone = {"pair_alone": True, "triples": True}
    phrase = "'said' <-> 'dates' <-> 'govern'"
    # Alone, but for a text too long for triples ('~long'), asked for its pairs and rechecked.
    assert search.with_word_pairs(phrase, **alone) == (
        f"( 'said~dates~govern' | '~long' & 'said~dates' & 'dates~govern' & {phrase} )"
    )
    assert search.with_word_pairs("'a' <-> 'b' <-> 'c' <-> 'd' & !'e'", **alone) == (
        "( ( 'a~b~c' & 'b~c~d' | '~long' & 'a~b' & 'b~c' & 'c~d' ) "
        "& 'a' <-> 'b' <-> 'c' <-> 'd' ) & !'e'"
    )
    # Around a stop word, each side asks for what it has: a triple, or a pair.
    assert search.with_word_pairs("'a' <-> 'b' <-> 'c' <2> 'd' <-> 'e'", **alone) == (
        "( ( 'a~b~c' & 'd~e' | '~long' & 'a~b' & 'b~c' & 'd~e' ) "
        "& 'a' <-> 'b' <-> 'c' <2> 'd' <-> 'e' )"
    )
    assert search.with_word_pairs("'a' <-> 'b'", **alone) == "'a~b'"


def test_only_phrases_the_index_cannot_answer_alone_are_rechecked():
    alone = {"pair_alone": True, "triples": True}
    answered = ["'a' <-> 'b'", "'a' <-> 'b' <-> 'c'", "'a' & 'b'", "'a' <-> 'b' <-> 'c' & 'd'"]
    for tsquery in answered:
        assert not search.rechecked(search.with_word_pairs(tsquery, **alone)), tsquery
    for tsquery in ["'a' <3> 'b'", "'a' <-> 'b' <-> 'c' <-> 'd'", "'a' <-> 'b' <2> 'c'"]:
        assert search.rechecked(search.with_word_pairs(tsquery, **alone)), tsquery


def test_a_long_text_without_triples_still_has_its_three_word_phrases_found():
    filler = " ".join(f"word{n:05d}" for n in range(6_500))  # over 60,000 characters
    long = make_article(title="Long", body=f"{filler} council said water. {filler}")
    short = make_article(title="Short", body="The council said water was clean.")
    make_article(title="Apart", body=f"{filler} council said the water {filler}")

    found = sorted(a.pk for a in search_articles('"council said water"'))

    assert found == sorted([long.pk, short.pk])


def _holding(phrase: str, articles) -> list[int]:
    holding = re.compile(rf"\b{phrase}\b", re.IGNORECASE)
    return sorted(a.pk for a in articles if holding.search(a.title) or holding.search(a.body_text))


def test_phrases_of_the_commonest_words_find_exactly_the_texts_that_have_them():
    """Three and four words, all of them in nearly every text: only the texts holding them
    side by side are found (on PostgreSQL a three-word phrase is its triple alone)."""
    words = ["said", "the", "council", "said", "water", "prices", "council", "said"]
    rng = random.Random(11)
    articles = [
        make_article(
            title=" ".join(rng.sample(words, 4)),
            body=" ".join(rng.choice(words) for _ in range(25)) + ".",
        )
        for _ in range(40)
    ]
    phrases = ("said council said", "council said water", "said said said", "water prices said")
    for phrase in (*phrases, "council said council said"):
        expected = _holding(phrase, articles)
        assert expected, phrase  # the texts do hold each phrase somewhere
        assert len(expected) < len(articles), phrase  # and some do not
        assert sorted(a.pk for a in search_articles(f'"{phrase}"')) == expected, phrase


@pytest.mark.parametrize(
    ("phrase", "held"),
    [
        ("council said water", "council said water"),  # PostgreSQL: its triple alone
        ("council said of the water", "council said of the water"),  # rechecked: <3>
    ],
)
def test_a_common_phrase_ranks_a_window_of_its_newest_matches(monkeypatch, phrase, held):
    # More matches than are ranked: the count is capped, every result holds the phrase, and
    # on PostgreSQL they are the newest matches, found through windows widened step by step.
    monkeypatch.setattr(search.PostgresSearch, "FIRST_WINDOW", 2)
    monkeypatch.setattr(search.PostgresSearch, "FIRST_WINDOW_RECHECKED", 1)
    monkeypatch.setattr(search, "MAX_RESULTS", 4)
    articles = []
    for n in range(12):
        body = (
            "The council said water prices rose. The council said of the water: clean."
            if n % 3
            else "Water said the council of the water said."
        )
        articles.append(make_article(title=f"Item {n}", body=body))
    holding = _holding(held, articles)
    assert len(holding) == 8

    results = search_articles(f'"{phrase}"')

    assert results.count() == 4
    assert results.capped
    found = [a.pk for a in results]
    assert len(found) == 4
    assert set(found) <= set(holding)
    if connection.vendor == "postgresql":
        assert set(found) == set(holding[-4:])
