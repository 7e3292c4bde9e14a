"""The change feed, the poll endpoint and presence."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations.collab import discussion
from annotations.core import changefeed, services
from annotations.core.services import annotation_create, annotation_delete, annotation_update
from annotations.models import ChangeEvent, Presence
from tests.factories import make_presence

from .conftest import BODY, htmx, make_article, make_user, tag_claim

pytestmark = pytest.mark.django_db


def poll(client, article, cursor, **extra):
    url = reverse("collab:article-changes", args=[article.pk])
    return client.get(url, {"after": cursor}, HTTP_HX_REQUEST="true", **extra)


def trigger(response) -> dict:
    return json.loads(response["HX-Trigger"])["claimlens:changed"]


def test_every_annotation_change_is_in_the_feed_in_order():
    article = make_article(body=BODY)
    author = make_user()
    annotation = annotation_create(article=article, author=author, exact="peaceful", note="a")
    annotation = annotation_update(annotation=annotation, user=author, version=1, note="b")
    annotation_delete(annotation=annotation, user=author)
    kinds = list(ChangeEvent.objects.filter(article=article).values_list("kind", "object_id"))
    assert kinds == [
        ("annotation.created", annotation.pk),
        ("annotation.updated", annotation.pk),
        ("annotation.deleted", annotation.pk),
    ]


def test_private_annotations_stay_out_of_the_feed_until_shared():
    article = make_article(body=BODY)
    author = make_user()
    private = annotation_create(
        article=article, author=author, exact="peaceful", visibility="private"
    )
    assert not ChangeEvent.objects.filter(article=article).exists()
    annotation_update(annotation=private, user=author, version=1, visibility="shared")
    assert ChangeEvent.objects.filter(article=article, kind="annotation.updated").count() == 1


def test_idle_poll_is_one_query_and_never_reads_the_session(client, django_assert_num_queries):
    article = make_article(body=BODY)
    reader = make_user()
    annotation_create(article=article, author=reader, exact="peaceful")
    cursor = changefeed.cursor_for(article=article)
    client.force_login(reader)  # a session cookie is sent: reading it would cost a query
    # Guards the 2-second poll every open reader page makes: one indexed query, no session.
    with django_assert_num_queries(1):
        response = poll(client, article, cursor)
    assert response.status_code == 204
    assert response.content == b""
    assert "sessionid" not in response.cookies  # the session was not touched


def test_poll_reports_changes_with_the_new_cursor_and_changed_ids(
    client, django_assert_max_num_queries
):
    article = make_article(body=BODY)
    alice, bob = make_user(), make_user()
    cursor = changefeed.cursor_for(article=article)
    annotation = annotation_create(article=article, author=alice, exact="peaceful")
    reply = discussion.reply_create(author=bob, body="I agree", annotation=annotation)
    # Guards the poll that found changes: the feed read and nothing per event.
    with django_assert_max_num_queries(2):
        response = poll(client, article, cursor)
    assert response.status_code == 200
    payload = trigger(response)
    assert payload["cursor"] == changefeed.cursor_for(article=article) > cursor
    assert payload["annotations"] == [annotation.pk]
    assert payload["replies"] == [reply.pk]
    assert [e["kind"] for e in payload["events"]] == ["annotation.created", "reply.created"]
    assert payload["events"][0]["actor"] == alice.username
    # The body is the poller itself, carrying the new cursor for the next poll.
    body = response.content.decode()
    assert f"after={payload['cursor']}" in body and 'hx-trigger="every 2s"' in body
    assert "<html" not in body
    # Polling again from the new cursor is idle.
    assert poll(client, article, payload["cursor"]).status_code == 204


def test_other_articles_changes_do_not_wake_a_poller(client):
    article, other = make_article(body=BODY), make_article(body=BODY)
    cursor = changefeed.cursor_for(article=article)
    annotation_create(article=other, author=make_user(), exact="peaceful")
    assert poll(client, article, cursor).status_code == 204


def test_hiding_and_replies_reach_the_feed():
    article = make_article(body=BODY)
    annotation = annotation_create(article=article, author=make_user(), exact="peaceful")
    moderator = make_user(role="moderator")
    services.content_set_hidden(obj=annotation, user=moderator, hidden=True)
    reply = discussion.reply_create(author=moderator, body="hidden", annotation=annotation)
    discussion.reply_delete(reply=reply, user=moderator)
    kinds = list(ChangeEvent.objects.filter(article=article).values_list("kind", flat=True))
    assert kinds[-3:] == ["annotation.hidden", "reply.created", "reply.deleted"]


def test_claim_poll_sees_appearances_verdicts_and_replies(client):
    annotation = tag_claim()
    claim = annotation.claim
    cursor = changefeed.cursor_for(claim=claim)
    url = reverse("collab:claim-changes", args=[claim.pk])
    assert client.get(url, {"after": cursor}).status_code == 204
    tag_claim(article=make_article(body=BODY), title=claim.title)
    discussion.reply_create(author=make_user(), body="hm", claim=claim)
    response = client.get(url, {"after": cursor})
    kinds = [e["kind"] for e in trigger(response)["events"]]
    assert kinds == ["annotation.created", "reply.created"]


def test_bad_cursor_is_refused(client):
    article = make_article(body=BODY)
    url = reverse("collab:article-changes", args=[article.pk])
    assert client.get(url).status_code == 400
    assert client.get(url, {"after": "-1"}).status_code == 400
    assert client.get(url, {"after": "x"}).status_code == 400


def test_poll_with_changes_needs_sign_in_when_the_site_does(client, settings):
    settings.CLAIMLENS_REQUIRE_LOGIN = True
    article = make_article(body=BODY)
    annotation_create(article=article, author=make_user(), exact="peaceful")
    assert poll(client, article, 0).status_code == 403
    client.force_login(make_user(role="reader"))
    assert poll(client, article, 0).status_code == 200


def test_feed_is_in_the_database_not_the_process(client):
    # Two app servers share nothing but the database: a cursor from one process is valid on
    # another because it is an id in the table; nothing is kept in memory between requests.
    article = make_article(body=BODY)
    cursor = changefeed.cursor_for(article=article)
    annotation_create(article=article, author=make_user(), exact="peaceful")
    from django.test import Client

    first, second = Client(), Client()
    assert trigger(poll(first, article, cursor)) == trigger(poll(second, article, cursor))


def test_live_include_renders_a_poller_for_the_reader_page():
    from django.template import engines

    article = make_article(body=BODY)
    html = (
        engines["django"]
        .from_string(
            '{% include "annotations/collab/includes/_live.html"'
            " with article=article cursor=cursor %}"
        )
        .render({"article": article, "cursor": 7})
    )
    assert f'hx-get="/articles/{article.pk}/changes/?after=7"' in html
    assert 'hx-trigger="every 2s"' in html and 'hx-swap="outerHTML"' in html


# --- presence --------------------------------------------------------------------------------


def presence_get(client, article, **params):
    url = reverse("collab:article-presence", args=[article.pk])
    return client.get(url, params, HTTP_HX_REQUEST="true")


def test_presence_records_me_and_lists_the_others(client, django_assert_max_num_queries):
    article = make_article(body=BODY)
    me, other = make_user(), make_user()
    make_presence(user=other, article=article)
    client.force_login(me)
    # Guards the 15-second presence refresh: session, user, article exists, upsert, who's here.
    with django_assert_max_num_queries(5):
        response = presence_get(client, article)
    assert response.status_code == 200
    html = response.content.decode()
    assert other.username in html and me.username not in html
    assert 'hx-trigger="every 15s"' in html and "seen=" in html
    assert Presence.objects.filter(user=me, article=article).exists()


def test_presence_is_throttled_and_quiet_when_nothing_changed(
    client, django_assert_max_num_queries
):
    article = make_article(body=BODY)
    me = make_user()
    client.force_login(me)
    first = presence_get(client, article)
    seen = Presence.objects.get(user=me).last_seen
    who = first.content.decode().split("who=")[1].split('"')[0]
    # Guards a refresh within 10 s of the last write: no write, same list → 204.
    with django_assert_max_num_queries(3):
        again = presence_get(client, article, seen=f"{timezone.now().timestamp():.3f}", who=who)
    assert again.status_code == 204
    assert Presence.objects.get(user=me).last_seen == seen


def test_presence_window_is_30_seconds(client):
    article = make_article(body=BODY)
    gone, here = make_user(), make_user()
    now = timezone.now()
    make_presence(user=gone, article=article, last_seen=now - timedelta(seconds=31))
    make_presence(user=here, article=article, last_seen=now - timedelta(seconds=5))
    client.force_login(make_user())
    html = presence_get(client, article).content.decode()
    assert here.username in html and gone.username not in html


def test_presence_for_anonymous_does_nothing(client):
    article = make_article(body=BODY)
    assert presence_get(client, article).status_code == 204
    assert not Presence.objects.exists()


def test_presence_on_a_missing_article_is_404(client):
    client.force_login(make_user())
    response = client.get(reverse("collab:article-presence", args=[999999]))
    assert response.status_code == 404


def test_change_events_commit_with_their_change():
    # A change that fails rolls its event back with it.
    article = make_article(body=BODY)
    before = ChangeEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any failure inside the transaction
        from django.db import transaction

        with transaction.atomic():
            annotation_create(article=article, author=make_user(), exact="peaceful")
            raise RuntimeError("boom")
    assert ChangeEvent.objects.count() == before
    assert htmx  # the helper is shared with the other test modules
    assert connection.vendor in {"sqlite", "postgresql"}


def test_idle_poll_captures_exactly_one_select_on_the_feed(client):
    article = make_article(body=BODY)
    with CaptureQueriesContext(connection) as queries:
        poll(client, article, 0)
    assert len(queries) == 1
    sql = queries[0]["sql"].lower()
    assert "annotations_changeevent" in sql and "limit 1" in sql
