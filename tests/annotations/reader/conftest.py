"""The article annotated through the views, a signed-in annotator, and a selection in it."""

import pytest

from tests.factories import make_article, make_user

BODY = (
    "The minister said the marchers were armed and trained criminals on Friday.\n\n"
    "Witnesses said the marchers were *peaceful* and unarmed."
)
HTMX = {"HTTP_HX_REQUEST": "true"}


def selection(article, quote):
    start = article.body_text.index(quote)
    return {
        "exact": quote,
        "prefix": article.body_text[max(0, start - 32) : start],
        "suffix": article.body_text[start + len(quote) : start + len(quote) + 32],
        "start": start,
        "end": start + len(quote),
        "visibility": "shared",
    }


@pytest.fixture
def article():
    return make_article(body=BODY)


@pytest.fixture
def annotator(client):
    user = make_user()
    client.force_login(user)
    return user
