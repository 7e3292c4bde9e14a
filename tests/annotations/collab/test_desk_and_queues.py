"""The claim desk a reader's card opens, the queues, and the replies moved to claims."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from annotations.collab import discussion, queues, verdicts
from annotations.core.services import evidence_add, status_by_name
from annotations.models import Reply
from tests.factories import make_reply

from .conftest import htmx, make_user, plain_note, tag_claim

pytestmark = pytest.mark.django_db


def test_the_desk_holds_verdicts_evidence_and_the_claims_one_thread(
    client, django_assert_max_num_queries
):
    annotation = tag_claim()
    claim = annotation.claim
    evidence_add(claim=claim, user=annotation.author, url="https://e.org/a", title="A source")
    discussion.reply_create(author=make_user(), body="On the claim page", claim=claim)
    client.force_login(make_user())
    url = reverse("collab:claim-desk", args=[claim.slug])
    # Guards the desk fragment: session, user, claim, cursor, evidence, verdicts, statuses,
    # the thread; fixed, not per reply or verdict.
    with django_assert_max_num_queries(14):
        response = htmx(client, "get", url, {"card": annotation.pk, "where": "desk"})
    html = response.content.decode()
    assert "<html" not in html and f'id="live-claim-{claim.pk}"' in html
    assert "A source" in html and "On the claim page" in html
    assert f'id="desk-{claim.pk}-discussion"' in html and 'name="where" value="desk"' in html
    head = htmx(client, "get", url, {"card": annotation.pk, "part": "head"}).content.decode()
    assert f'id="card-claim-{annotation.pk}" style=' in head and 'hx-swap-oob="true"' in head
    assert client.get(url).status_code == 302  # without htmx: the claim's page


def test_queues_list_what_waits_and_count_it(client, django_assert_max_num_queries):
    annotation = tag_claim()
    claim = annotation.claim
    me, other = make_user(role="moderator"), make_user()
    verdicts.verdict_record(claim=claim, user=other, status=status_by_name("false"))
    assert [c.pk for c in queues.needs_my_verdict(me)] == [claim.pk]
    assert not queues.awaiting_settlement(me).exists()
    discussion.reply_create(author=other, body=f"@{me.username} look", claim=claim)
    verdicts.verdict_record(claim=claim, user=me, status=status_by_name("false"))
    assert not queues.needs_my_verdict(me).exists()
    assert [c.pk for c in queues.awaiting_settlement(me)] == [claim.pk]
    assert [r.body for r in queues.my_mentions(me)] == [f"@{me.username} look"]
    assert queues.queue_count(me) == 2  # the claim to settle and the unread mention
    client.force_login(me)
    # Guards the queues page: a fixed number of queries whatever the queues hold.
    with django_assert_max_num_queries(16):
        page = client.get(reverse("collab:queues")).content.decode()
    assert "Claims awaiting settlement" in page and claim.title in page
    badge = client.get(reverse("collab:queues-badge")).content.decode()
    assert '<span class="queue-count">2</span>' in badge
    verdicts.claim_finalise(claim=claim, user=me, status=status_by_name("false"))
    assert queues.queue_count(me) == 1  # settled: only the mention is left
    reader = make_user(role="reader")
    assert not queues.needs_my_verdict(reader).exists()  # readers give no verdicts


def test_the_migration_moves_replies_on_claims_annotations_to_the_claim():
    annotation = tag_claim()
    plain = plain_note()
    # Made as they were before one thread per claim: directly on the annotations.
    old = make_reply(annotation=annotation, body="on the passage")
    kept = make_reply(annotation=plain, body="on a plain note")
    module = importlib.import_module("annotations.migrations.0010_one_thread_per_claim")
    module.forwards(apps, None)
    old, kept = Reply.objects.get(pk=old.pk), Reply.objects.get(pk=kept.pk)
    assert (old.annotation_id, old.claim_id) == (None, annotation.claim_id)
    assert (kept.annotation_id, kept.claim_id) == (plain.pk, None)
