"""Revisions of the seed article: what a reader sees happen to annotations when text changes.

The seed's text is read from /work/shared/seeds at test time and stored as an import would;
quotes are picked from it by position, so none of it is written into the project.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils.html import escape

from annotations.core.services import annotation_create, annotation_delete
from annotations.models import Annotation
from articles.models import ArticleRevision
from articles.services import UPDATED, article_store
from tests.factories import make_seed_article, make_user

pytestmark = pytest.mark.django_db


def revise(article, body: str):
    """Store a new text of the article, as importing it again would."""
    return article_store(title=article.title, body_markdown=body, article=article)


def plain_paragraphs(article, markdown: str) -> list[str]:
    """Return the paragraphs of the article's text that its Markdown holds word for word."""
    return [p for p in article.body_text.split("\n\n") if len(p.split()) >= 30 and p in markdown]


def quote_in(paragraph: str, first: int, count: int) -> str:
    return " ".join(paragraph.split()[first : first + count])


def annotate(article, quote: str, author=None) -> Annotation:
    start = article.body_text.index(quote)
    return annotation_create(
        article=article,
        author=author or make_user(),
        exact=quote,
        start=start,
        end=start + len(quote),
        note="Checked against the statement.",
    )


@pytest.fixture
def seed(seed_path):
    article = make_seed_article(seed_path)
    return article, article.body_markdown


def test_typo_corrected_inside_a_quote_is_reanchored_fuzzily_and_keeps_the_old_quote(seed):
    article, markdown = seed
    paragraph = plain_paragraphs(article, markdown)[3]
    correct = quote_in(paragraph, 4, 12)
    word = max(correct.split(), key=len)
    typo = correct.replace(word, word[0] + word[2] + word[1] + word[3:], 1)
    assert typo != correct and typo not in markdown
    # Revision 2 carries the typo, and is annotated; revision 3 corrects it.
    article = revise(article, markdown.replace(correct, typo, 1)).article
    annotation = annotate(article, typo)
    untouched = annotate(article, quote_in(plain_paragraphs(article, markdown)[0], 2, 6))

    result = revise(article, markdown)

    assert result.status == UPDATED
    annotation.refresh_from_db()
    assert annotation.anchor == Annotation.Anchor.FUZZY
    assert annotation.exact == correct
    assert annotation.original_exact == typo
    assert result.article.body_text[annotation.start : annotation.end] == correct
    assert 0.75 <= annotation.anchor_score < 1
    assert annotation.revision_number == result.article.revision_number == 3
    untouched.refresh_from_db()
    assert (untouched.anchor, untouched.original_exact) == ("exact", "")

    # The card shows it was re-anchored, with the score, and can reveal the old quote.
    badge = render_to_string(
        "annotations/reader/includes/_anchor_badge.html", {"annotation": annotation}
    )
    percent = round(annotation.anchor_score * 100)
    assert f"re-anchored ({percent}%)" in badge
    assert "<details" in badge and escape(typo) in badge
    plain = render_to_string(
        "annotations/reader/includes/_anchor_badge.html", {"annotation": untouched}
    )
    assert "anchor-badge" not in plain and "<details" not in plain


def test_paragraph_inserted_before_a_quote_moves_it(seed):
    article, markdown = seed
    paragraph = plain_paragraphs(article, markdown)[5]
    quote = quote_in(paragraph, 3, 10)
    annotation = annotate(article, quote)
    old_start = annotation.start
    inserted = "Editor's note: this paragraph was added in a later revision."
    new_markdown = markdown.replace(paragraph, f"{inserted}\n\n{paragraph}", 1)

    article = revise(article, new_markdown).article

    annotation.refresh_from_db()
    assert annotation.anchor == Annotation.Anchor.MOVED
    assert annotation.exact == quote
    assert annotation.start == old_start + len(inserted) + 2
    assert article.body_text[annotation.start : annotation.end] == quote
    assert annotation.original_exact == ""
    assert annotation.revision_number == 2
    badge = render_to_string(
        "annotations/reader/includes/_anchor_badge.html", {"annotation": annotation}
    )
    assert ">moved</span>" in badge
    assert "<details" not in badge  # the quote itself did not change


def test_quoted_paragraph_deleted_leaves_an_orphan_listed_with_its_quote(seed):
    article, markdown = seed
    paragraph = plain_paragraphs(article, markdown)[2]
    quote = quote_in(paragraph, 0, 9)
    author = make_user(username="orphan-author")
    annotation = annotate(article, quote, author=author)

    revise(article, markdown.replace(paragraph + "\n\n", "", 1))

    annotation.refresh_from_db()
    assert annotation.anchor == Annotation.Anchor.ORPHAN
    assert (annotation.start, annotation.end) == (None, None)
    assert annotation.exact == quote  # kept, not deleted
    assert annotation.deleted_at is None
    orphans = Annotation.objects.filter(article=article).orphaned().with_related()
    assert list(orphans) == [annotation]
    html = render_to_string(
        "annotations/reader/includes/_orphans.html", {"orphans": orphans, "user": author}
    )
    assert "Orphans" in html
    assert f'id="orphan-{annotation.pk}"' in html
    assert escape(quote) in html
    assert "orphan-author" in html
    assert "Checked against the statement." in html
    assert "Re-attach" in html  # its author may re-attach it


def test_every_revision_stays_readable_and_deleted_annotations_are_carried(seed):
    article, markdown = seed
    paragraph = plain_paragraphs(article, markdown)[1]
    quote = quote_in(paragraph, 5, 7)
    annotation = annotate(article, quote)
    annotation_delete(annotation=annotation, user=annotation.author)
    first_text = article.body_text

    article = revise(article, "New opening.\n\n" + markdown).article

    assert list(article.revisions.values_list("number", flat=True)) == [1, 2]
    assert ArticleRevision.objects.get(article=article, number=1).body_text == first_text
    annotation.refresh_from_db()
    # Undoing the delete later must find the annotation on the current text.
    assert annotation.deleted_at is not None
    assert annotation.anchor == "moved"
    assert article.body_text[annotation.start : annotation.end] == quote
