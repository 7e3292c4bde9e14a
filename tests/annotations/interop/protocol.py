"""Speak the Web Annotation Protocol to the test client: URLs, bearer headers, documents."""

import json

from annotations.interop.webannotation import ANNO_CONTEXT, MEDIA_TYPE

BASE = "http://testserver"
CSRF = "a" * 32  # an unmasked CSRF secret, sent as cookie and header


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def container(article):
    return f"/api/articles/{article.pk}/annotations/"


def new_annotation(article, quote, **extra):
    doc = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "target": {
            "source": f"{BASE}/articles/{article.pk}/",
            "selector": {"type": "TextQuoteSelector", "exact": quote},
        },
    }
    doc.update(extra)
    return doc


def post(client, url, doc, *, content_type=MEDIA_TYPE, headers=None):
    body = doc if isinstance(doc, str) else json.dumps(doc)
    return client.post(url, body, content_type=content_type, headers=headers or {})


def put(client, url, doc, *, content_type=MEDIA_TYPE, headers=None):
    return client.put(url, json.dumps(doc), content_type=content_type, headers=headers or {})


def detail(annotation):
    return f"/api/annotations/{annotation.pk}"
