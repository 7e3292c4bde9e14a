"""Every collaboration page renders for the people who may see it."""

import pytest
from django.urls import reverse

from annotations.collab import discussion, verdicts

from .conftest import make_user, status, tag_claim

pytestmark = pytest.mark.django_db


def test_pages_render(client):
    moderator = make_user(role="moderator")
    annotation = tag_claim(author=moderator)
    claim = annotation.claim
    discussion.reply_create(author=moderator, body="hello @nobody", claim=claim)
    discussion.reply_create(author=moderator, body="on the note", annotation=annotation)
    verdicts.verdict_record(claim=claim, user=moderator, status=status("false"), reason="no")
    client.force_login(moderator)
    for url in [
        reverse("collab:claim-discussion", args=[claim.slug]),
        reverse("collab:annotation-discussion", args=[annotation.pk]),
        reverse("collab:claim-verdicts", args=[claim.slug]),
        reverse("collab:claim-history", args=[claim.slug]),
        reverse("collab:annotation-history", args=[annotation.pk]),
        reverse("annotations:edit", args=[annotation.pk]),
        reverse("collab:agreement"),
        reverse("collab:my-claims"),
        reverse("collab:moderation"),
        reverse("collab:notifications"),
        reverse("collab:person", args=[moderator.username]),
        reverse("collab:annotation-flag", args=[annotation.pk]),
        reverse("articles:list"),
    ]:
        response = client.get(url, follow=True)  # a claim's annotation: the claim's thread
        assert response.status_code == 200, url
        assert b"<html" in response.content, url
