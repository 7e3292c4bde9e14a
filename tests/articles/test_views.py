from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from articles.models import Article
from articles.services import article_store
from tests.factories import make_article, make_seed_article, make_user

pytestmark = pytest.mark.django_db

LIST_URL = reverse("articles:list")


def day(n: int) -> datetime:
    return datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n)


def make_articles(count: int, **fields):
    return [make_article(published_at=day(n), **fields) for n in range(count)]


def by_class(tree, name: str, tag: str = "*") -> list:
    return tree.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def titles(response) -> list[str]:
    tree = lxml_html.fromstring(response.content)
    return [a.text_content() for h2 in by_class(tree, "article-row-title") for a in h2.iter("a")]


def test_list_shows_newest_first_25_to_a_page(client):
    articles = make_articles(30)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    newest_first = [a.title for a in reversed(articles)]
    assert titles(first) == newest_first[:25]
    assert titles(second) == newest_first[25:]
    assert b'rel="next"' in first.content
    assert b"Page 2 of 2" in second.content


def test_list_row_shows_title_source_date_reading_time_and_dek(client):
    make_article(
        title="Rates rise",
        subtitle="The council blames the drought.",
        source_name="Valley Herald",
        published_at=day(10),
    )

    row = by_class(lxml_html.fromstring(client.get(LIST_URL).content), "article-row")[0]

    text = " ".join(row.text_content().split())
    assert "Rates rise" in text
    assert "The council blames the drought." in text
    assert "Valley Herald" in text
    assert "11 Jan 2024" in text
    assert "1 min read" in text


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_articles(client, count):
    make_articles(count, source_name="Wire")

    # Guards the list against a query per row: count, page, source names and the annotations'
    # counts for the page (list_hooks), whatever the size.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert len(queries) == 4


def test_search_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    counts = []
    for total in (3, 30):
        make_articles(total - Article.objects.count(), source_name="Wire")
        # Guards search results against a query per row: SQLite counts, fetches the page,
        # the source names and the page's annotation and claim counts (one query for the page,
        # articles.list_hooks); PostgreSQL also reads the newest id and sets the planner, in a
        # savepoint here, so up to 9.
        with django_assert_max_num_queries(9) as queries:
            response = client.get(LIST_URL, {"q": "paragraph", "source": "Wire"})
        assert len(titles(response)) == min(total, 25)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_list_searches_with_q_and_shows_snippets(client, seed_path):
    seed = make_seed_article(seed_path)
    make_article(title="Unrelated", body="Nothing to see.")

    response = client.get(LIST_URL, {"q": "shoot to kill"})

    assert titles(response) == [seed.title]
    assert b"<mark>" in response.content
    assert b"1 article matching" in response.content


def test_list_says_when_search_results_are_capped(client, monkeypatch):
    monkeypatch.setattr("articles.search.MAX_RESULTS", 2)
    make_articles(3)

    response = client.get(LIST_URL, {"q": "paragraph"})

    assert b"More than 2 articles matching" in response.content
    assert len(titles(response)) == 2


def test_list_filters_by_source(client):
    make_article(title="From the Herald", source_name="Valley Herald")
    make_article(title="From the Post", source_name="Coast Post")

    response = client.get(LIST_URL, {"source": "Coast Post"})

    assert titles(response) == ["From the Post"]
    assert b'<option value="Coast Post" selected>' in response.content


def test_list_htmx_request_gets_only_the_results_fragment(client, django_assert_max_num_queries):
    make_articles(3)

    # Guards the live-search fragment: same queries as the full page.
    with django_assert_max_num_queries(3):
        response = client.get(LIST_URL, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="article-results"')
    assert "<html" not in content
    assert len(titles(response)) == 3


def test_list_pagination_links_keep_the_search(client):
    make_articles(30, source_name="Wire")

    response = client.get(LIST_URL, {"source": "Wire"})

    assert b'href="?source=Wire&amp;page=2"' in response.content


def test_reader_page_shows_article_and_its_details(client, django_assert_num_queries):
    article = article_store(
        title="Reservoir at record low",
        subtitle="Engineers warn of rationing.",
        byline="Jane Roe",
        source_name="Valley Herald",
        source_url="https://herald.example/reservoir",
        published_at=day(3),
        body_markdown="First paragraph.\n\nPhoto: A dry bank. Jo Smith / Agency\n{: .caption }",
    ).article

    # Guards the reader page: what decides the stored page (articles.pages), the article, the
    # live feed's cursor, the labels, the painted highlights with their label ids, and the
    # orphans: six queries, whatever the article's length (annotation counts are guarded in
    # tests/annotations/reader/test_reader.py). Served again, it is the first one alone.
    with django_assert_num_queries(6):
        response = client.get(article.get_absolute_url())
    with django_assert_num_queries(1):
        assert client.get(article.get_absolute_url()).content == response.content

    tree = lxml_html.fromstring(response.content)
    assert tree.xpath("//h1")[0].text_content() == "Reservoir at record low"
    assert by_class(tree, "dek")[0].text_content() == "Engineers warn of rationing."
    assert by_class(tree, "byline")[0].text_content() == "By Jane Roe"
    link = by_class(tree, "source-link", "a")[0]
    assert link.get("href") == "https://herald.example/reservoir"
    assert "noopener" in link.get("rel")
    meta = " ".join(by_class(tree, "reader-meta")[0].text_content().split())
    assert "4 January 2024" in meta
    assert "1 min read" in meta
    assert f"{article.word_count} words" in meta
    body = by_class(tree, "article-body")[0]
    assert body.get("data-article-id") == str(article.pk)
    assert by_class(body, "caption", "p")[0].text_content().startswith("Photo: A dry bank.")
    assert tree.xpath("//aside[@id='annotation-panel']")


def test_reader_page_of_the_seed_article(client, seed_path, django_assert_num_queries):
    article = make_seed_article(seed_path)

    # Guards the reader page for a real-length article (same six queries, then one).
    with django_assert_num_queries(6):
        response = client.get(article.get_absolute_url())
    with django_assert_num_queries(1):
        assert client.get(article.get_absolute_url()).content == response.content

    assert article.body_html in response.content.decode()


def test_reader_page_renders_the_stored_body_when_nothing_is_highlighted(client):
    article = make_article()

    response = client.get(article.get_absolute_url())

    assert response.context["painted_html"] == article.body_html
    assert response.context["article"] == article


def test_missing_article_is_404(client):
    assert client.get(reverse("articles:detail", kwargs={"pk": 999999})).status_code == 404


def test_revision_page_lists_revisions(client, django_assert_max_num_queries):
    article = make_article(title="Draft", body="First text.")
    article_store(article=article, title="Draft", body_markdown="Second text.")
    article_store(article=article, title="Final", body_markdown="Third text.")

    # Guards the revision page: the revision with its article, and the list of revisions.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("articles:revision", kwargs={"pk": article.pk, "number": 1}))

    tree = lxml_html.fromstring(response.content)
    assert "First text." in by_class(tree, "article-body")[0].text_content()
    items = [
        " ".join(li.text_content().split()) for li in by_class(tree, "revision-list")[0].iter("li")
    ]
    assert [item.split(" ")[1] for item in items] == ["1", "2", "3"]
    assert tree.xpath("//*[@aria-current='page']")[0].text_content() == "Revision 1"
    assert client.get(article.get_absolute_url()).content.count(b"Revision 3") == 1


def header_links(client) -> list[str]:
    tree = lxml_html.fromstring(client.get(reverse("articles:list")).content)
    menu = tree.xpath("//header[@class='site-header']//details[@class='site-menu']")[0]
    return [a.text_content().strip() for a in menu.xpath(".//a")]


def test_header_links_follow_who_is_signed_in(client):
    assert header_links(client) == ["Articles", "Claims", "Agreement", "Exports", "Sign in"]
    client.force_login(make_user(role="reader"))
    links = header_links(client)
    assert links[:4] == ["Articles", "Claims", "Queues", "Agreement"]
    assert "My claims" in links and "Import" not in links
    assert "API tokens" in links and "Import annotations" not in links
    assert "Moderation" not in links and "Notifications" in links
    client.force_login(make_user(role="annotator"))
    assert "Import annotations" in header_links(client)
    client.force_login(make_user(role="editor"))
    assert "Import" in header_links(client)  # the articles' import page, for editors
    client.force_login(make_user(role="moderator"))
    assert "Moderation" in header_links(client)
