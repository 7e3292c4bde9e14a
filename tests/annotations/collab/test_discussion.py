"""Threaded replies on annotations and claims, mentions and notifications."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from annotations.collab import discussion, notifications, verdicts
from annotations.core import services
from annotations.core.notes import parse_mentions
from annotations.core.services import EditConflict, annotation_create, claim_set_status
from annotations.models import HistoryEntry, Notification, Reply

from .conftest import BODY, htmx, make_article, make_user, plain_note, status, tag_claim

pytestmark = pytest.mark.django_db


def test_threaded_replies_on_an_annotation_and_a_claim():
    annotation = tag_claim()
    plain = services.annotation_create(
        article=annotation.article, author=annotation.author, note="A plain note"
    )
    alice, bob = make_user(), make_user()
    first = discussion.reply_create(author=alice, body="Source?", annotation=plain)
    answer = discussion.reply_create(
        author=bob, body="The ministry's statement.", annotation=plain, parent=first
    )
    on_claim = discussion.reply_create(
        author=bob, body="Seen elsewhere too", claim=annotation.claim
    )
    tree = discussion.thread(plain)
    assert [n.reply for n in tree] == [first]
    assert [n.reply for n in tree[0].children] == [answer]
    assert [(n.reply, n.depth) for n in discussion.flatten(tree)] == [(first, 0), (answer, 1)]
    assert [n.reply for n in discussion.thread(annotation.claim)] == [on_claim]


def test_a_claim_has_one_thread_wherever_it_appears():
    annotation = tag_claim()
    other = services.annotation_create(
        article=annotation.article,
        author=make_user(),
        exact=annotation.exact,
        tags=f"{annotation.claim.status.name}: {annotation.claim.title}",
    )
    alice, bob = make_user(), make_user()
    on_page = discussion.reply_create(author=alice, body="From the claim page", claim=other.claim)
    on_card = discussion.reply_create(author=bob, body="@{alice} agreed", annotation=other)
    answer = discussion.reply_create(
        author=alice, body="On the first passage", annotation=annotation, parent=on_card
    )
    assert on_card.claim_id == annotation.claim_id and on_card.annotation_id is None
    tree = discussion.flatten(discussion.thread(annotation.claim))
    assert [n.reply for n in tree] == [on_page, on_card, answer]
    private = services.annotation_create(
        article=annotation.article,
        author=alice,
        note="mine",
        tags=f"{annotation.claim.status.name}: {annotation.claim.title}",
        visibility="private",
    )
    kept = discussion.reply_create(author=alice, body="to myself", annotation=private)
    assert kept.annotation_id == private.pk and kept.claim_id is None


def test_an_annotation_discussion_of_a_claim_opens_the_claims_thread(client):
    annotation = tag_claim()
    client.force_login(make_user())
    url = reverse("collab:annotation-discussion", kwargs={"pk": annotation.pk})
    response = client.get(url + "?parent=3")
    claim_url = reverse("collab:claim-discussion", kwargs={"slug": annotation.claim.slug})
    assert response.status_code == 302 and response.url == claim_url + "?parent=3"


def test_a_reply_posted_on_a_claims_passage_shows_in_the_claims_thread(client):
    # With htmx the answer is the discussion the reply went to: the claim's, with it in.
    annotation = tag_claim()
    client.force_login(make_user())
    url = reverse("collab:annotation-discussion", kwargs={"pk": annotation.pk})
    response = htmx(client, "post", url, {"body": "Posted on the passage"})
    html = response.content.decode()
    assert response.status_code == 200 and "Posted on the passage" in html
    claim_url = reverse("collab:claim-discussion", kwargs={"slug": annotation.claim.slug})
    assert f'hx-post="{claim_url}"' in html


def test_reply_must_stay_in_its_discussion():
    annotation = plain_note()
    other = discussion.reply_create(author=make_user(), body="x", claim=tag_claim().claim)
    with pytest.raises(ValidationError):
        discussion.reply_create(author=make_user(), body="y", annotation=annotation, parent=other)


def test_markdown_is_sanitised():
    annotation = tag_claim()
    reply = discussion.reply_create(
        author=make_user(),
        body="**bold** <script>alert(1)</script> [x](javascript:alert(1))",
        annotation=annotation,
    )
    assert "<strong>bold</strong>" in reply.body_html
    assert "<script" not in reply.body_html and "javascript:" not in reply.body_html


def test_mentions_are_parsed_linked_and_notified():
    annotation = tag_claim()
    carol = make_user(username="carol.b")
    writer = make_user()
    assert parse_mentions("Hi @carol.b. and @dave, mail me@example.org") == [
        "carol.b",
        "dave",
    ]
    reply = discussion.reply_create(
        author=writer, body="@carol.b. can you check? (@nobody)", annotation=annotation
    )
    assert '<a href="/people/carol.b/"' in reply.body_html
    assert "@nobody" in reply.body_html and "/people/nobody/" not in reply.body_html
    assert list(reply.mentions.all()) == [carol]
    notice = Notification.objects.get(recipient=carol)
    assert notice.kind == "mention" and writer.username in notice.text
    assert notice.url.endswith(f"#reply-{reply.pk}")


def test_replies_notify_the_person_answered_but_not_oneself():
    annotation = tag_claim()
    author = annotation.author
    other = make_user()
    first = discussion.reply_create(author=other, body="question", annotation=annotation)
    assert Notification.objects.filter(recipient=author, kind="reply").count() == 1
    discussion.reply_create(author=author, body="answer", annotation=annotation, parent=first)
    assert Notification.objects.filter(recipient=other, kind="reply").count() == 1
    assert not Notification.objects.filter(recipient=author, actor=author).exists()


def test_status_change_notifies_everyone_who_worked_on_the_claim():
    creator = make_user()
    annotation = tag_claim(author=creator)
    claim = annotation.claim
    appearance_author = make_user()
    tag_claim(author=appearance_author, title=claim.title, quote="peaceful")
    voter, replier, bystander = make_user(), make_user(), make_user()
    verdicts.verdict_record(claim=claim, user=voter, status=status("false"))
    discussion.reply_create(author=replier, body="hm", annotation=annotation)
    moderator = make_user(role="moderator")
    claim_set_status(claim=claim, status=status("misleading"), user=moderator)
    told = set(
        Notification.objects.filter(kind="status").values_list("recipient__username", flat=True)
    )
    assert told == {u.username for u in (creator, appearance_author, voter, replier)}
    assert bystander.username not in told
    verdicts.claim_finalise(claim=claim, user=moderator, status=status("false"))
    assert Notification.objects.filter(recipient=voter, kind="status").count() == 2


def test_edit_is_versioned_and_a_stale_edit_conflicts():
    annotation = tag_claim()
    author = make_user()
    reply = discussion.reply_create(author=author, body="v1", annotation=annotation)
    reply = discussion.reply_update(reply=reply, user=author, version=1, body="v2")
    assert (reply.body, reply.version) == ("v2", 2)
    with pytest.raises(EditConflict) as conflict:
        discussion.reply_update(reply=reply, user=author, version=1, body="stale")
    assert conflict.value.current.body == "v2"
    entries = HistoryEntry.objects.for_object(reply).order_by("id")
    assert [e.action for e in entries] == ["created", "updated"]


def test_only_the_author_or_a_moderator_edits_and_deletes():
    annotation = tag_claim()
    reply = discussion.reply_create(author=make_user(), body="mine", annotation=annotation)
    with pytest.raises(PermissionDenied):
        discussion.reply_update(reply=reply, user=make_user(), version=1, body="x")
    with pytest.raises(PermissionDenied):
        discussion.reply_delete(reply=reply, user=make_user())
    discussion.reply_delete(reply=reply, user=make_user(role="moderator"))


def test_soft_delete_keeps_a_placeholder_while_answered():
    annotation = plain_note()
    author = make_user()
    lone = discussion.reply_create(author=author, body="lone", annotation=annotation)
    asked = discussion.reply_create(author=author, body="asked", annotation=annotation)
    discussion.reply_create(author=make_user(), body="answer", annotation=annotation, parent=asked)
    discussion.reply_delete(reply=lone, user=author)
    discussion.reply_delete(reply=asked, user=author)
    shown = [n.reply.pk for n in discussion.flatten(discussion.thread(annotation))]
    assert lone.pk not in shown and asked.pk in shown
    assert Reply.objects.get(pk=lone.pk).deleted_at is not None
    discussion.reply_restore(reply=lone, user=author)
    assert Reply.objects.alive().filter(pk=lone.pk).exists()


def test_readers_cannot_reply():
    with pytest.raises(PermissionDenied):
        discussion.reply_create(author=make_user(role="reader"), body="x", claim=tag_claim().claim)


def test_private_annotation_discussion_is_its_authors():
    article = make_article(body=BODY)
    author = make_user()
    private = annotation_create(
        article=article, author=author, exact="peaceful", visibility="private"
    )
    with pytest.raises(PermissionDenied):
        discussion.reply_create(author=make_user(), body="x", annotation=private)
    client = Client()
    client.force_login(make_user())
    url = reverse("collab:annotation-discussion", args=[private.pk])
    assert client.get(url).status_code == 404


# --- views ---------------------------------------------------------------------------------


def test_posting_a_reply_with_htmx_returns_the_discussion_fragment(
    client, django_assert_max_num_queries
):
    annotation = plain_note()
    user = make_user()
    client.force_login(user)
    url = reverse("collab:annotation-discussion", args=[annotation.pk])
    response = htmx(client, "post", url, {"body": "Where is this from?"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="discussion"' in html
    assert "Where is this from?" in html
    for n in range(5):
        discussion.reply_create(author=user, body=f"more {n}", annotation=annotation)
    # Guards the thread fragment the page re-fetches on every change: fixed, not per reply.
    with django_assert_max_num_queries(7):
        response = htmx(client, "get", url)
    assert 'id="thread"' in response.content.decode() and "<html" not in response.content.decode()


def test_posting_a_reply_without_javascript_redirects_to_it(client):
    claim = tag_claim().claim
    client.force_login(make_user())
    url = reverse("collab:claim-discussion", args=[claim.slug])
    response = client.post(url, {"body": "plain form"})
    reply = Reply.objects.get(body="plain form")
    assert response.status_code == 302 and response["Location"].endswith(f"#reply-{reply.pk}")


def test_reply_form_answers_a_given_reply_without_javascript(client):
    claim = tag_claim().claim
    first = discussion.reply_create(author=make_user(), body="q", claim=claim)
    client.force_login(make_user())
    url = reverse("collab:claim-discussion", args=[claim.slug])
    page = client.get(url, {"parent": first.pk}).content.decode()
    assert f'name="parent" value="{first.pk}"' in page
    client.post(url, {"body": "a", "parent": first.pk})
    assert Reply.objects.get(body="a").parent == first


def test_claim_discussion_page_is_query_guarded(client, django_assert_max_num_queries):
    annotation = tag_claim()
    claim = annotation.claim
    users = [make_user() for _ in range(4)]
    for n, u in enumerate(users):
        discussion.reply_create(author=u, body=f"reply {n} @{users[0].username}", claim=claim)
        verdicts.verdict_record(claim=claim, user=u, status=status("false" if n else "verified"))
        tag_claim(author=u, title=claim.title, quote="peaceful")
    client.force_login(make_user(role="moderator"))
    url = reverse("collab:claim-discussion", args=[claim.slug])
    # Guards the claim page: claim, cursor, appearances, verdicts, statuses, thread, people.
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="reply ') == 4


def test_empty_reply_is_an_error_in_the_form(client):
    claim = tag_claim().claim
    client.force_login(make_user())
    url = reverse("collab:claim-discussion", args=[claim.slug])
    response = htmx(client, "post", url, {"body": "   "})
    assert "Write something first." in response.content.decode()
    assert not Reply.objects.exists()


def test_write_views_refuse_readers_and_anonymous(client):
    claim = tag_claim().claim
    reply = discussion.reply_create(author=make_user(), body="x", claim=claim)
    url = reverse("collab:claim-discussion", args=[claim.slug])
    assert client.post(url, {"body": "anon"}).status_code == 403
    client.force_login(make_user(role="reader"))
    assert client.post(url, {"body": "reader"}).status_code == 403
    assert (
        client.post(reverse("collab:reply-edit", args=[reply.pk]), {"body": "x"}).status_code == 403
    )
    assert client.post(reverse("collab:reply-delete", args=[reply.pk])).status_code == 403
    assert not Reply.objects.filter(body__in=["anon", "reader"]).exists()


def test_csrf_is_enforced():
    claim = tag_claim().claim
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    url = reverse("collab:claim-discussion", args=[claim.slug])
    assert client.post(url, {"body": "no token"}).status_code == 403


def test_editing_a_reply_with_htmx_and_a_conflict(client):
    claim = tag_claim().claim
    author = make_user()
    reply = discussion.reply_create(author=author, body="original", claim=claim)
    discussion.reply_update(reply=reply, user=author, version=1, body="someone else's edit")
    client.force_login(author)
    url = reverse("collab:reply-edit", args=[reply.pk])
    response = htmx(client, "post", url, {"body": "my edit", "version": 1})
    html = response.content.decode()
    assert "someone else&#x27;s edit" in html and "my edit" in html
    assert "Overwrite with mine" in html
    response = htmx(client, "post", url, {"body": "my edit", "version": 2})
    assert Reply.objects.get(pk=reply.pk).body == "my edit"
    assert f'id="reply-{reply.pk}"' in response.content.decode()


def test_hidden_reply_is_blank_for_others_but_not_its_author_or_moderators(client):
    claim = tag_claim().claim
    author = make_user()
    reply = discussion.reply_create(author=author, body="rude words", claim=claim)
    moderator = make_user(role="moderator")
    services.content_set_hidden(obj=reply, user=moderator, hidden=True)
    url = reverse("collab:claim-discussion", args=[claim.slug])
    client.force_login(make_user())
    assert "rude words" not in client.get(url).content.decode()
    for viewer in (author, moderator):
        client.force_login(viewer)
        assert "rude words" in client.get(url).content.decode()
    assert notifications.unread_count(author) == 0
