"""Where else: the same quote in another outlet, a close paraphrase, and a claim to link."""

import pytest

from annotations.models import Suggestion
from annotations.suggestions import services, similarity
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

QUOTE = "The reservoir will be empty before the summer unless the leaks are fixed"


def test_the_same_quote_and_a_close_paraphrase_are_found_and_an_unrelated_text_is_not():
    source = make_article(body=f"“{QUOTE},” said Ana Gil.")
    same = make_article(title="Same words", body=f"Gil warned: “{QUOTE}.”")
    paraphrase = make_article(
        title="Paraphrase",
        body="Ana Gil said the reservoir would be empty before summer unless leaks were fixed.",
    )
    make_article(title="Unrelated", body="The summer festival opens in the park on Friday.")
    found = similarity.passages_elsewhere(QUOTE, exclude_article=source.pk)
    by_article = {p.article.pk: p for p in found}
    assert set(by_article) == {same.pk, paraphrase.pk}
    assert by_article[same.pk].text == QUOTE and by_article[same.pk].score == 100
    exact = by_article[same.pk]
    assert same.body_text[exact.start : exact.end] == exact.text
    assert by_article[paraphrase.pk].score < 100


def test_a_claim_with_a_similar_title_is_offered_to_link_and_an_unrelated_one_is_not():
    user, other = make_user(role="annotator"), make_user(role="annotator")
    article = make_article(body=f"“{QUOTE},” said Ana Gil.")
    claim = services.suggestion_accept(
        suggestion=Suggestion.objects.get(article=article), user=user
    ).claim
    found = similarity.similar_claims("the reservoir will be empty before summer", user=other)
    assert [c for c, _ in found] == [claim]
    assert similarity.similar_claims("the festival opens on Friday", user=other) == []
