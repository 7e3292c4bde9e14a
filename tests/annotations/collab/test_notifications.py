"""The notification list, the header badge and marking read; remaining fragment guards."""

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from annotations.collab import discussion, notifications
from annotations.models import ChangeEvent, Notification

from .conftest import htmx, make_article, make_user, tag_claim

pytestmark = pytest.mark.django_db


def notify_many(user, n):
    claim = tag_claim(author=user).claim
    for i in range(n):
        discussion.reply_create(author=make_user(), body=f"hi @{user.username} {i}", claim=claim)
    return claim


def test_badge_include_adds_no_query_to_the_page(django_assert_num_queries):
    user = make_user()
    request = RequestFactory().get("/")
    template = engines["django"].from_string(
        '{% include "annotations/collab/includes/_notifications_badge.html" %}'
    )
    # Guards every page's header: the count is fetched after load, not while rendering.
    with django_assert_num_queries(0):
        html = template.render({"user": user}, request)
    assert 'hx-trigger="load, every 30s"' in html and "/notifications/badge/" in html


def test_badge_endpoint_counts_unread(client, django_assert_max_num_queries):
    user = make_user()
    notify_many(user, 3)
    client.force_login(user)
    # Guards the 30-second badge poll: session, user, one count.
    with django_assert_max_num_queries(3):
        response = htmx(client, "get", reverse("collab:notifications-badge"))
    html = response.content.decode()
    assert 'aria-label="3 unread"' in html and "<html" not in html
    assert 'hx-trigger="every 30s"' in html


def test_list_and_mark_read(client, django_assert_max_num_queries):
    user = make_user()
    notify_many(user, 6)
    client.force_login(user)
    # Guards the notification list: session, user, count, page, unread count; not per row.
    # 6, not 5: the header asks for the user's role (is there a Moderation link to show).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("collab:notifications"))
    assert response.content.decode().count('class="notification ') == 6
    one = Notification.objects.filter(recipient=user).first()
    response = client.post(reverse("collab:notifications-read"), {"id": one.pk})
    assert response.status_code == 302 and response["Location"] == one.url
    assert notifications.unread_count(user) == 5
    response = htmx(client, "post", reverse("collab:notifications-read"))
    assert notifications.unread_count(user) == 0
    assert "badge" in response.content.decode()


def test_cannot_mark_someone_elses_notification(client):
    user, other = make_user(), make_user()
    notify_many(other, 1)
    client.force_login(user)
    notice = Notification.objects.get(recipient=other)
    assert client.post(reverse("collab:notifications-read"), {"id": notice.pk}).status_code == 404
    assert client.post(reverse("collab:notifications-read")).status_code == 302
    client.logout()
    assert client.post(reverse("collab:notifications-read")).status_code == 403


def test_person_page_is_query_guarded(client, django_assert_max_num_queries):
    user = make_user()
    claim = tag_claim().claim
    for n in range(5):
        discussion.reply_create(author=user, body=f"r{n}", claim=claim)
    # Guards the person page (where mentions link): user, replies, verdicts; not per row.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("collab:person", args=[user.username]))
    assert response.content.decode().count("<li>") >= 5


def test_editor_and_fragment_gets_are_query_guarded(client, django_assert_max_num_queries):
    author = make_user(role="moderator")
    annotation = tag_claim(author=author)
    reply = discussion.reply_create(author=author, body="x", annotation=annotation)
    client.force_login(author)
    # Guards the note editor form fragment: session, user, groups, the annotation with its
    # claim, its labels.
    with django_assert_max_num_queries(5):
        response = htmx(client, "get", reverse("annotations:edit", args=[annotation.pk]))
    assert "<html" not in response.content.decode()
    # Guards the reply editor form fragment likewise.
    with django_assert_max_num_queries(4):
        response = htmx(client, "get", reverse("collab:reply-edit", args=[reply.pk]))
    assert 'name="version" value="1"' in response.content.decode()
    # Guards the claim page's appearances fragment, re-fetched on every change (the roles
    # query decides whether hidden appearances show).
    url = reverse("collab:claim-discussion", args=[annotation.claim.slug])
    with django_assert_max_num_queries(6):
        response = htmx(client, "get", url, {"part": "appearances"})
    assert 'id="appearances"' in response.content.decode()


def test_presence_include_loads_itself_after_the_page():
    article = make_article()
    html = (
        engines["django"]
        .from_string(
            '{% include "annotations/collab/includes/_presence.html" with article=article %}'
        )
        .render({"article": article})
    )
    assert f'hx-get="/articles/{article.pk}/presence/"' in html
    assert 'hx-trigger="load, every 15s"' in html


def test_idle_poll_query_uses_the_article_feed_index():
    article = make_article()
    sql, params = (
        ChangeEvent.objects.after(5, article_id=article.pk)
        .values_list("id")[:1]
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "change_article_idx" in plan
