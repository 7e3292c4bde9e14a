"""Whole reader pages from the shared cache (articles.pages): never stale, cheap, CSRF intact.

Each test runs against the database cache and against Redis (the fixtures of
test_shared_cache.py, which say how Redis is found or started).
"""

import gzip
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from annotations.core.services import annotation_delete, annotation_update
from annotations.models import Annotation
from articles import pages
from articles.services import article_store
from tests.annotations.reader import test_shared_cache as shared
from tests.annotations.reader.test_shared_cache import _changes, annotate, clear_cache
from tests.factories import make_user

# The same fixtures: the database cache and Redis, and an article with an annotation.
redis_url, shared_cache, scene = shared.redis_url, shared.shared_cache, shared.scene

TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')


def page(client, article) -> str:
    """Return the reader page as served, its CSRF tokens blanked (they differ per response)."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return TOKENS.sub(r'\1"', response.content.decode())


def fresh(client, article) -> str:
    """Return the reader page drawn with nothing in the cache."""
    clear_cache()
    return page(client, article)


def sign_in(client, user) -> None:
    client.logout() if user is None else client.force_login(user)


def counted(client, article) -> tuple[str, dict]:
    """Return the page and what articles.pages did to serve it."""
    before = dict(pages.counts)
    html = page(client, article)
    return html, {k: v - before.get(k, 0) for k, v in pages.counts.items() if v != before.get(k)}


@pytest.mark.django_db(transaction=True)
def test_a_change_is_never_served_stale(client, shared_cache, scene):
    """After every kind of change, each reader's page is the page drawn afresh."""
    article, author, moderator, first = scene
    readers = {"anonymous": None, "reader": make_user(role="reader"), "moderator": moderator}
    for what, change in _changes(article, author, moderator, first):
        before = {}
        for name, user in readers.items():
            sign_in(client, user)
            page(client, article)
            before[name], served = counted(client, article)
            assert served == {"hit": 1}, f"{what}: {name} not served from the cache"
        change()
        for name, user in readers.items():
            sign_in(client, user)
            after, served = counted(client, article)
            assert served == {"miss": 1, "stored": 1}, f"{what}: {name}"
            assert after != before[name], f"{what}: {name} got the page from before"
            assert after == fresh(client, article), f"{what}: {name}"


@pytest.mark.django_db
def test_an_edit_in_the_admin_is_never_served_stale(client, admin_client, shared_cache, scene):
    article = scene[0]
    before = page(client, article)
    assert page(client, article) == before  # stored, served
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = lxml_html.fromstring(admin_client.get(url).content).get_element_by_id("article_form")
    data = dict(form.form_values())
    data.update(title="Marchers were calm", source_name="Valley Herald")
    assert admin_client.post(url, data).status_code == 302

    after = page(client, article)
    assert "Marchers were calm" in after and "Valley Herald" in after
    assert after == fresh(client, article)
    # Only the publisher changed: the admin's update() must still move the page's key.
    data.update(source_name="Hill Gazette")
    admin_client.post(url, data)
    assert "Hill Gazette" in page(client, article)


@pytest.mark.django_db
def test_a_new_revision_is_never_served_stale(client, shared_cache, scene):
    article = scene[0]
    page(client, article)
    article_store(
        article=article,
        title=article.title,
        body_markdown=article.body_markdown + "\n\nA third paragraph, added later.",
    )
    after = page(client, article)
    assert "A third paragraph, added later." in after and 'data-revision="2"' in after
    assert after == fresh(client, article)


@pytest.mark.django_db
def test_a_users_private_notes_are_theirs_and_never_stale(client, shared_cache, scene):
    """Private notes are in no change feed: their author's page is drawn for them, never stored."""
    article, author, _, _ = scene
    sign_in(client, author)
    page(client, article)
    assert counted(client, article)[1] == {"hit": 1}

    private = annotate(article, author, "peaceful", note="my own doubt", visibility="private")
    html, served = counted(client, article)
    assert "my own doubt" in html and served == {"bypass": 1}
    annotation_update(annotation=private, user=author, version=1, note="my second doubt")
    assert "my second doubt" in page(client, article)
    for other in (None, make_user(role="reader"), make_user(role="moderator")):
        sign_in(client, other)
        assert "doubt" not in page(client, article)
        assert "doubt" not in page(client, article)  # from the cache too

    sign_in(client, author)
    annotation_delete(annotation=Annotation.objects.get(pk=private.pk), user=author)
    html = page(client, article)
    assert "doubt" not in html and html == fresh(client, article)


@pytest.mark.django_db
def test_a_new_role_is_never_served_stale(client, shared_cache, scene):
    article = scene[0]
    reader = make_user(role="reader")
    sign_in(client, reader)
    before = page(client, article)
    assert page(client, article) == before
    reader.groups.add(Group.objects.get_or_create(name="annotator")[0])
    after = page(client, article)
    assert after != before and after == fresh(client, article)


@pytest.mark.django_db
def test_each_reader_gets_their_own_page_and_anonymous_ones_share_one(client, shared_cache, scene):
    article, author, moderator, first = scene
    anonymous = client.get(article.get_absolute_url()).content
    assert client.get(article.get_absolute_url()).content == anonymous  # the same bytes
    assert b"csrf" not in anonymous.lower() and b"hx-headers" not in anonymous
    assert "csrftoken" not in client.cookies  # no token was made for them

    others = [make_user(username="ada", role="reader"), make_user(username="bob", role="reader")]
    for user in others:
        sign_in(client, user)
        assert f'<span class="who">{user.username}</span>' in page(client, article)
    sign_in(client, author)
    html = page(client, article)
    assert f'<span class="who">{author.username}</span>' in html
    assert reverse("annotations:edit", args=[first.pk]) in html  # they may edit their own
    sign_in(client, others[0])
    assert reverse("annotations:edit", args=[first.pk]) not in page(client, article)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "reader", "moderator"])
def test_a_stored_page_costs_one_query_beyond_the_session(
    client, shared_cache, scene, who, django_assert_num_queries
):
    """A hit reads the page's key (article, cursor, own private notes) in one query, the cache
    once (a query when it is the database), and for a signed-in reader the session and user."""
    article, author, moderator, _ = scene
    user = {"anonymous": None, "reader": make_user(role="reader"), "moderator": moderator}[who]
    sign_in(client, user)
    page(client, article)
    cache_reads = 1 if shared_cache == "database" else 0
    session = 0 if user is None else 2
    with django_assert_num_queries(1 + cache_reads + session):
        client.get(article.get_absolute_url())


@pytest.mark.django_db
def test_a_signed_in_reader_posts_from_a_stored_page(shared_cache, scene):
    """The stored page carries this browser's token: a POST made with it is accepted."""
    article, author, _, _ = scene
    for browser in (Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)):
        browser.force_login(author)
        browser.get(article.get_absolute_url())
        before = dict(pages.counts)
        html = browser.get(article.get_absolute_url()).content.decode()
        assert pages.counts["hit"] == before.get("hit", 0) + 1
        headers = json.loads(re.search(r"hx-headers='([^']*)'", html).group(1))
        field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        start = article.body_text.index("peaceful")
        data = {"exact": "peaceful", "start": start, "end": start + 8, "note": "from the page"}
        url = reverse("annotations:create", args=[article.pk])
        response = browser.post(
            url, data, headers={"X-CSRFToken": headers["X-CSRFToken"], "HX-Request": "true"}
        )
        assert response.status_code == 200, response.content[:300]
        assert browser.post(url, {**data, "csrfmiddlewaretoken": field}).status_code == 302
        without = browser.post(url, data)
        assert without.status_code == 403  # CSRF still on
    assert Annotation.objects.filter(note="from the page").count() == 4


@pytest.mark.django_db
def test_a_message_is_shown_once_and_never_stored(client, shared_cache, scene):
    article, author, _, _ = scene
    sign_in(client, author)
    page(client, article)
    start = article.body_text.index("peaceful")
    data = {"exact": "peaceful", "start": start, "end": start + 8, "note": "saved"}
    client.post(reverse("annotations:create", args=[article.pk]), data)
    html, served = counted(client, article)
    assert "Annotation saved." in html and served == {"bypass": 1}
    assert "Annotation saved." not in page(client, article)


@pytest.mark.django_db
def test_an_anonymous_page_is_stored_compressed_and_a_signed_in_one_is_not(
    client, shared_cache, scene
):
    """An anonymous page holds no secret, so its gzip is made once; a signed-in page holds
    the CSRF token, so GZipMiddleware compresses it per response (with its BREACH padding)."""
    article, author, _, _ = scene
    url = article.get_absolute_url()
    plain = client.get(url).content
    for _ in range(2):  # drawn, then stored
        response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
        assert gzip.decompress(response.content) == plain
    assert pages.counts["hit"] >= 2

    client.force_login(author)
    first, second = (client.get(url, headers={"Accept-Encoding": "gzip"}) for _ in range(2))
    assert first.content != second.content  # the token masked anew, compressed anew
    assert b"csrfmiddlewaretoken" in gzip.decompress(second.content)


@pytest.mark.django_db
def test_a_page_is_kept_compressed_and_served_whole(client, shared_cache, scene, monkeypatch):
    """A stored page is gzip in the cache (a megabyte page is a tenth of it to store); every
    reader gets the page itself, whether their browser takes gzip or not."""
    article = scene[0]
    stored = []

    class Spy:
        def __getattr__(self, name):
            return getattr(cache, name)

        def set(self, key, value, *args, **kwargs):
            stored.append(value)
            return cache.set(key, value, *args, **kwargs)

    monkeypatch.setattr(pages, "cache", Spy())
    for user in (None, make_user(role="reader")):
        sign_in(client, user)
        stored.clear()
        drawn, served = counted(client, article)
        assert served == {"miss": 1, "stored": 1}
        (entry,) = [value for value in stored if isinstance(value, tuple)]
        _, placeholder, packed, servable = entry
        content = gzip.decompress(packed)
        assert servable == (user is None)  # a signed-in page holds a token: never sent as is
        assert TOKENS.sub(r'\1"', content.decode().replace(placeholder, "")) == drawn
        assert len(packed) * 2 < len(content)
        again, served = counted(client, article)
        assert served == {"hit": 1} and again == drawn
        zipped = client.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
        assert TOKENS.sub(r'\1"', gzip.decompress(zipped.content).decode()) == drawn
