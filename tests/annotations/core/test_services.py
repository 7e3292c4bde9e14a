import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations.core.services import (
    EditConflict,
    annotation_create,
    annotation_delete,
    annotation_restore,
    annotation_update,
)
from annotations.models import Annotation, Claim
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

BODY = (
    "The minister said the marchers were “armed and trained criminals” on Friday.\n\n"
    "Witnesses said the marchers were peaceful."
)


def test_create_claim_with_quick_tag_places_passage_and_status():
    article = make_article(body=BODY)
    author = make_user()
    quote = "armed and trained criminals"
    start = article.body_text.index(quote)
    annotation = annotation_create(
        article=article,
        author=author,
        exact=quote,
        start=start,
        end=start + len(quote),
        tags="unverified: terrorists claim",
    )
    assert (annotation.start, annotation.end) == (start, start + len(quote))
    assert annotation.prefix.endswith("were “")
    assert annotation.claim.title == "terrorists claim"
    assert annotation.claim.status.slug == "unverified"


def test_quote_found_by_context_when_offsets_are_wrong():
    article = make_article(body=BODY)
    text = article.body_text
    second = text.rindex("the marchers were")
    annotation = annotation_create(
        article=article,
        author=make_user(),
        exact="the marchers were",
        prefix="Witnesses said ",
        suffix=" peaceful.",
        start=0,
        end=5,
    )
    assert annotation.start == second


def test_quote_not_in_article_is_refused():
    article = make_article(body=BODY)
    with pytest.raises(ValidationError, match="not in the article"):
        annotation_create(article=article, author=make_user(), exact="not there at all")
    assert Annotation.objects.count() == 0


def test_unknown_status_is_refused_without_creating_a_status_or_claim():
    article = make_article(body=BODY)
    with pytest.raises(ValidationError, match="not a claim status"):
        annotation_create(
            article=article, author=make_user(), exact="peaceful", tags="bogus: a claim"
        )
    assert Claim.objects.count() == 0


def test_reader_cannot_annotate():
    with pytest.raises(PermissionDenied):
        annotation_create(
            article=make_article(body=BODY), author=make_user(role="reader"), exact="peaceful"
        )


def test_stale_edit_is_a_conflict_and_keeps_the_saved_text():
    article = make_article(body=BODY)
    author = make_user()
    annotation = annotation_create(article=article, author=author, exact="peaceful", note="v1")
    annotation_update(annotation=annotation, user=author, version=1, note="first edit")
    with pytest.raises(EditConflict) as conflict:
        annotation_update(annotation=annotation, user=author, version=1, note="second edit")
    assert conflict.value.current.note == "first edit"
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("first edit", 2)


def test_delete_and_restore():
    article = make_article(body=BODY)
    author = make_user()
    annotation = annotation_create(article=article, author=author, exact="peaceful")
    annotation_delete(annotation=annotation, user=author)
    assert not Annotation.objects.alive().filter(pk=annotation.pk).exists()
    annotation_restore(annotation=annotation, user=author)
    assert Annotation.objects.alive().filter(pk=annotation.pk).exists()


def test_other_annotator_cannot_edit_but_moderator_can():
    article = make_article(body=BODY)
    annotation = annotation_create(article=article, author=make_user(), exact="peaceful")
    with pytest.raises(PermissionDenied):
        annotation_update(annotation=annotation, user=make_user(), version=1, note="x")
    annotation_update(annotation=annotation, user=make_user(role="moderator"), version=1, note="m")
