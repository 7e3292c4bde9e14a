"""Re-anchoring: the pure functions, the database path behind article_revised, fuzzy create."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.core.anchoring import context_of, locate, locate_fuzzy
from annotations.core.reanchoring import OffsetMap, reanchor_annotations
from annotations.core.services import annotation_create
from annotations.models import Annotation
from annotations.revisions.services import annotations_reanchor
from articles.diffing import DELETE, EQUAL, INSERT, diff_words
from articles.services import article_store
from tests.factories import make_article, make_user

BODY = (
    "The minister said the marchers were armed and trained criminals.\n\n"
    "Witnesses said the marchers were peaceful and unarmed.\n\n"
    "Officials gave no figures for the dead."
)


def quote_on(text: str, quote: str, nth: int = 0) -> SimpleNamespace:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    prefix, suffix = context_of(text, start, start + len(quote))
    return SimpleNamespace(
        exact=quote, prefix=prefix, suffix=suffix, start=start, end=start + len(quote)
    )


# --- the diff and the offset map -----------------------------------------------------------

texts = st.lists(
    st.sampled_from(["cat", "dog", "the", " ", " ", ".", "\n\n", "é", "<b>", "sat", "on"]),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(texts, texts)
def test_diff_rebuilds_both_texts_and_the_map_follows_unchanged_text(old, new):
    diffs = diff_words(old, new)
    assert "".join(t for op, t in diffs if op != INSERT) == old
    assert "".join(t for op, t in diffs if op != DELETE) == new
    offsets = OffsetMap(diffs)
    position_old = position_new = 0
    for op, text in diffs:
        if op == EQUAL:
            for i in range(len(text)):
                assert offsets.start(position_old + i) == position_new + i
                assert offsets.end(position_old + i + 1) == position_new + i + 1
        position_old += 0 if op == INSERT else len(text)
        position_new += 0 if op == DELETE else len(text)
    # Past the end: a start goes after anything appended, an end before it.
    assert offsets.start(len(old)) == len(new)
    assert offsets.end(len(old) + 5) == offsets.end(len(old)) <= len(new)


def test_offsets_in_replaced_text_land_in_what_replaced_it():
    offsets = OffsetMap.from_texts("a teh cat", "a the cat")
    assert (offsets.start(2), offsets.end(5)) == (2, 5)


# --- the pure function ---------------------------------------------------------------------


def test_each_method_is_recorded_with_its_score():
    new = "A new first paragraph.\n\n" + BODY.replace("peaceful", "peacefull").replace(
        "Officials gave no figures for the dead.", "Nothing else."
    )
    items = [
        quote_on(BODY, "minister said"),
        quote_on(BODY, "the marchers were peaceful and unarmed"),
        quote_on(BODY, "gave no figures"),
        SimpleNamespace(exact="", prefix="", suffix="", start=None, end=None),  # a page note
    ]
    moved, fuzzy, orphan, note = reanchor_annotations(
        old_text=BODY, new_text=new, annotations=items
    )
    assert (moved.anchor, moved.score, moved.exact) == ("moved", 1.0, "minister said")
    assert new[moved.start : moved.end] == "minister said"
    assert fuzzy.anchor == "fuzzy"
    assert fuzzy.exact == "the marchers were peacefull and unarmed"
    assert 0.75 <= fuzzy.score < 1
    assert (orphan.anchor, orphan.exact, orphan.start, orphan.end) == (
        "orphan",
        "gave no figures",
        None,
        None,
    )
    assert (note.anchor, note.start) == ("exact", None)


def test_a_repeated_quote_follows_its_own_context_not_the_first_occurrence():
    second = quote_on(BODY, "the marchers were", nth=1)
    new = BODY.replace("Witnesses said", "Several witnesses told us")
    [result] = reanchor_annotations(old_text=BODY, new_text=new, annotations=[second])
    assert result.start == new.rindex("the marchers were")
    assert result.anchor == "moved"


def test_a_moved_paragraph_takes_its_annotations_along():
    paragraphs = BODY.split("\n\n")
    new = "\n\n".join([paragraphs[2], paragraphs[0], paragraphs[1]])
    item = quote_on(BODY, "armed and trained criminals")
    [result] = reanchor_annotations(old_text=BODY, new_text=new, annotations=[item])
    assert result.anchor == "moved"
    assert new[result.start : result.end] == "armed and trained criminals"


def test_an_orphan_is_placed_again_when_its_passage_comes_back():
    orphan = SimpleNamespace(
        exact="peaceful and unarmed", prefix="marchers were ", suffix=".", start=None, end=None
    )
    [result] = reanchor_annotations(old_text="Other text.", new_text=BODY, annotations=[orphan])
    assert (result.anchor, BODY[result.start : result.end]) == ("moved", "peaceful and unarmed")


def test_fuzzy_refuses_text_that_is_only_somewhat_alike():
    text = "The marchers were peaceful.\n\nThe archers were peevish."
    assert locate_fuzzy(text, exact="marchers were peaceful", hint=40) is not None
    assert locate_fuzzy("The archers were peevish.", exact="marchers were peaceful") is None
    assert locate_fuzzy(text, exact="peacefull", hint=0) is not None
    assert locate_fuzzy(text, exact="teh", hint=0) is None  # too short to place by resemblance


def test_locate_is_strict_unless_asked():
    text = "Witnesses said the marchers were peacefull and unarmed."
    assert locate(text, exact="the marchers were peaceful and unarmed") is None
    found = locate(text, exact="the marchers were peaceful and unarmed", fuzzy=True)
    assert found.method == "fuzzy"
    assert text[found.start : found.end] == "the marchers were peacefull and unarmed"


# --- the database path ---------------------------------------------------------------------


@pytest.mark.django_db
def test_annotation_create_accepts_a_fuzzy_quote_only_when_allowed():
    article = make_article(body=BODY)
    quote = "the marchers were peacefull and unarmed"  # as an API client misspelt it
    with pytest.raises(ValidationError):
        annotation_create(article=article, author=make_user(), exact=quote)
    annotation = annotation_create(
        article=article, author=make_user(), exact=quote, start=0, end=5, allow_fuzzy=True
    )
    assert annotation.anchor == "fuzzy"
    assert annotation.exact == "the marchers were peaceful and unarmed"
    assert annotation.original_exact == quote
    assert article.body_text[annotation.start : annotation.end] == annotation.exact
    assert 0.75 <= annotation.anchor_score < 1


@pytest.mark.django_db
def test_revision_reanchors_everything_in_one_bulk_update(django_assert_max_num_queries):
    article = make_article(body=BODY)
    author = make_user()
    for quote in ("minister said", "marchers were peaceful", "no figures", "the dead"):
        start = article.body_text.index(quote)
        annotation_create(
            article=article, author=author, exact=quote, start=start, end=start + len(quote)
        )
    annotation_create(article=article, author=author, note="A page note.")
    article.body_text = "New first paragraph.\n\n" + BODY
    article.revision_number = 2
    # Guards the receiver's work: one read of the annotations, one bulk update, one insert of
    # the moves' history entries, one of their change-feed events (and its lock on
    # PostgreSQL), plus the savepoint: however many annotations the article has.
    with django_assert_max_num_queries(7):
        results = annotations_reanchor(article=article, old_text=BODY)
    assert sorted(r.anchor for r in results) == ["exact", "moved", "moved", "moved", "moved"]
    assert set(Annotation.objects.values_list("revision_number", flat=True)) == {2}
    note = Annotation.objects.get(exact="")
    assert (note.start, note.anchor) == (None, "exact")


@pytest.mark.django_db
def test_an_unchanged_import_does_not_touch_annotations():
    article = make_article(title="Same", body=BODY)
    start = BODY.index("no figures")
    annotation = annotation_create(
        article=article, author=make_user(), exact="no figures", start=start, end=start + 10
    )
    before = Annotation.objects.get(pk=annotation.pk).updated_at
    article_store(title="Same", body_markdown=BODY, article=article)
    assert Annotation.objects.get(pk=annotation.pk).updated_at == before
