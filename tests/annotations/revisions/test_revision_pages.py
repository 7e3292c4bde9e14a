import re

import pytest
from django.urls import reverse

from articles.services import article_store
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FIRST = (
    "The minister said the marchers were armed.\n\n"
    "Witnesses said they were calm.\n\n"
    "The police left at noon.\n\n"
    "The end."
)
SECOND = (
    "The minister said the protesters were armed.\n\n"
    "A paragraph added in revision two.\n\n"
    "Witnesses said they were calm.\n\n"
    "The end."
)


def revised_article(*bodies: str):
    article = make_article(title="Marchers", body=bodies[0])
    for body in bodies[1:]:
        article = article_store(title="Marchers", body_markdown=body, article=article).article
    return article


def test_revision_list_links_every_revision_and_its_changes(client, django_assert_max_num_queries):
    article = revised_article(FIRST, SECOND, SECOND + "\n\nA third text.")
    url = reverse("articles:revision-list", kwargs={"pk": article.pk})
    # Guards the list: the article, then every revision with its author, whatever their number.
    with django_assert_max_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for number in (1, 2, 3):
        assert reverse("articles:revision", kwargs={"pk": article.pk, "number": number}) in html
    for a, b in ((1, 2), (2, 3), (1, 3)):
        assert reverse("articles:revision-diff", kwargs={"pk": article.pk, "a": a, "b": b}) in html
    assert html.index("Revision 3") < html.index("Revision 1")  # newest first


def test_old_revision_stays_readable(client):
    article = revised_article(FIRST, SECOND)
    response = client.get(reverse("articles:revision", kwargs={"pk": article.pk, "number": 1}))
    assert response.status_code == 200
    assert "The police left at noon." in response.content.decode()
    current = client.get(article.get_absolute_url()).content.decode()
    assert "The police left" not in current


def test_diff_shows_changed_words_and_paragraphs(client, django_assert_max_num_queries):
    article = revised_article(FIRST, SECOND)
    url = reverse("articles:revision-diff", kwargs={"pk": article.pk, "a": 1, "b": 2})
    # Guards the diff page: both revisions and their article in one query.
    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<p class="diff-changed">The minister said the <del>marchers</del><ins>protesters</ins>'
        " were armed.</p>"
    ) in html
    assert '<p class="diff-insert"><ins>A paragraph added in revision two.</ins></p>' in html
    assert '<p class="diff-equal">Witnesses said they were calm.</p>' in html
    assert '<p class="diff-delete"><del>The police left at noon.</del></p>' in html
    assert '<p class="diff-equal">The end.</p>' in html
    # One paragraph per paragraph of either text, none merged or lost.
    assert len(re.findall(r'<p class="diff-(?:equal|insert|delete|changed)">', html)) == 5
    assert "7 words added, 6 removed." in html


def test_diff_escapes_the_article_text(client):
    article = revised_article(
        "Price: 5 &lt; 6 &amp; rising.", "Price: 5 &lt; 7 &amp; <b>still</b> rising."
    )
    assert "5 < 6 & rising." in article.revisions.get(number=1).body_text
    url = reverse("articles:revision-diff", kwargs={"pk": article.pk, "a": 1, "b": 2})
    html = client.get(url).content.decode()
    assert "5 &lt; <del>6</del><ins>7</ins> &amp; <ins>still </ins>rising." in html
    assert "<b>" not in html


def test_diff_of_unknown_revision_is_404(client):
    article = revised_article(FIRST, SECOND)
    url = reverse("articles:revision-diff", kwargs={"pk": article.pk, "a": 1, "b": 9})
    assert client.get(url).status_code == 404
    url = reverse("articles:revision-list", kwargs={"pk": article.pk + 1000})
    assert client.get(url).status_code == 404
