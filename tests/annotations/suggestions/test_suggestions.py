"""Suggestions are found as an article is stored, and accepted or dismissed through services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations.models import Annotation, HistoryEntry, Suggestion
from annotations.suggestions import services
from articles.services import article_store
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

BODY = (
    "The council met on Tuesday.\n\n"
    "“The bus lanes will cut journeys by a third,” said Mayor Ruth Okafor.\n\n"
    "“Nobody asked the shop owners,” said Councillor Dean Whitby."
)


def test_a_new_article_gets_its_suggestions_stored_with_offsets_in_its_text():
    article = make_article(body=BODY)
    suggestions = list(Suggestion.objects.for_article(article))
    assert [s.speaker_full for s in suggestions] == ["Ruth Okafor", "Dean Whitby"]
    for s in suggestions:
        assert article.body_text[s.start : s.end] == s.exact
    assert Suggestion.objects.speakers_of(article) == ["Dean Whitby", "Ruth Okafor"]


def test_a_new_revision_finds_them_again_but_never_offers_a_dismissed_one_twice():
    article = make_article(body=BODY)
    user = make_user(role="annotator")
    whitby = Suggestion.objects.get(article=article, speaker_full="Dean Whitby")
    services.suggestion_dismiss(suggestion=whitby, user=user)
    article_store(
        title=article.title,
        body_markdown=BODY + "\n\n“We start in March,” said Ruth Okafor.",
        article=article,
    )
    article.refresh_from_db()
    offered = [s.exact for s in Suggestion.objects.for_article(article)]
    assert "We start in March" in offered
    assert "Nobody asked the shop owners" not in offered
    assert all(s.revision_number == 2 for s in Suggestion.objects.for_article(article))


def test_accepting_makes_an_unverified_claim_with_the_passage_and_claimant_in_history():
    article = make_article(body=BODY)
    user = make_user(role="annotator")
    okafor = Suggestion.objects.get(article=article, speaker_full="Ruth Okafor")
    annotation = services.suggestion_accept(suggestion=okafor, user=user)
    assert annotation.exact == okafor.exact and annotation.start == okafor.start
    assert annotation.claim.claimant == "Ruth Okafor"
    assert annotation.claim.status.slug == "unverified"
    assert annotation.claim.title.startswith("The bus lanes will cut journeys")
    okafor.refresh_from_db()
    assert okafor.state == "accepted" and okafor.annotation == annotation
    assert HistoryEntry.objects.for_object(okafor).get().action == "accepted"
    assert HistoryEntry.objects.for_object(annotation).get().action == "created"
    assert okafor not in Suggestion.objects.for_article(article)


def test_accepting_into_an_existing_claim_links_it_instead_of_making_another():
    first = make_article(body=BODY)
    second = make_article(body="“The bus lanes will cut journeys by a third,” said Ruth Okafor.")
    user = make_user(role="annotator")
    claim = services.suggestion_accept(
        suggestion=Suggestion.objects.filter(article=first).first(), user=user
    ).claim
    other = Suggestion.objects.get(article=second)
    annotation = services.suggestion_accept(suggestion=other, user=user, claim=claim)
    assert annotation.claim == claim
    assert Annotation.objects.filter(claim=claim).count() == 2


def test_dismissing_hides_it_for_everyone_and_is_recorded():
    article = make_article(body=BODY)
    whitby = Suggestion.objects.get(article=article, speaker_full="Dean Whitby")
    services.suggestion_dismiss(suggestion=whitby, user=make_user(role="annotator"))
    assert list(Suggestion.objects.for_article(article).values_list("speaker_full", flat=True)) == [
        "Ruth Okafor"
    ]
    entry = HistoryEntry.objects.for_object(whitby).get()
    assert entry.action == "dismissed" and entry.article_id == article.pk
    with pytest.raises(ValidationError):
        services.suggestion_dismiss(suggestion=whitby, user=make_user(role="annotator"))


def test_a_reader_can_neither_accept_nor_dismiss():
    article = make_article(body=BODY)
    suggestion = Suggestion.objects.filter(article=article).first()
    reader = make_user(role="reader")
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(suggestion=suggestion, user=reader)
    with pytest.raises(PermissionDenied):
        services.suggestion_dismiss(suggestion=suggestion, user=reader)
    suggestion.refresh_from_db()
    assert suggestion.state == "open"
