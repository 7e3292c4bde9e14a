"""Pages are sent gzip-compressed to clients that ask, and forms and the CSP still work."""

import gzip
import re

import pytest
from django.test import Client

from annotations.models import Annotation
from tests.factories import make_article, make_user

BODY = "The minister said the marchers were armed.\n\nWitnesses said they were peaceful."


def _page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_the_reader_page_is_compressed_when_asked_and_its_csrf_token_still_works():
    article = make_article(body=BODY)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    url = article.get_absolute_url()

    plain = _page(client, url)
    assert not plain.has_header("Content-Encoding")
    response = _page(client, url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert len(response.content) < len(html) / 2
    assert f'id="article-{article.pk}"' in html or article.title in html

    # Against BREACH: the secret is masked anew in every response, so no two pages repeat it.
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    again = gzip.decompress(_page(client, url, HTTP_ACCEPT_ENCODING="gzip").content).decode()
    assert tokens and tokens[0] not in again
    # The token from the compressed page is accepted.
    start = article.body_text.index("armed")
    created = client.post(
        f"/articles/{article.pk}/annotations/new/",
        {"exact": "armed", "start": start, "end": start + 5, "visibility": "shared"},
        HTTP_X_CSRFTOKEN=tokens[0],
    )
    assert created.status_code in (200, 302)
    assert Annotation.objects.filter(article=article, exact="armed").exists()


@pytest.mark.django_db
def test_the_compressed_page_keeps_its_content_security_policy(client):
    article = make_article(body=BODY)
    response = _page(client, article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    html = gzip.decompress(response.content).decode()
    # Any nonce the page uses is the one its policy names (compression happens after both).
    for nonce in re.findall(r'nonce="([^"]+)"', html):
        assert f"'nonce-{nonce}'" in policy
    assert "<script" in html
