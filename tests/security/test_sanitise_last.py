"""Sanitise last: every HTML string stored for display is its own sanitisation (issue 12).

Hostile Markdown and HTML go in through every path that stores display HTML: the renderer,
plain-text, Markdown, HTML-page and JSON-batch imports, the admin's edit form, notes, replies
and rationales. What comes out must be unchanged by the sanitiser that guards its kind, and
hold nothing that can run, whatever the input did to the steps in between.
"""

from __future__ import annotations

import itertools
import json
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from lxml import html as lxml_html

from annotations.collab.discussion import reply_create
from annotations.core.services import annotation_create, claim_update
from annotations.models import Annotation, Claim, Reply
from articles.imports import NEW, import_items, read_sources, source_from_text
from articles.models import Article
from articles.rendering import render_markdown_body, sanitize_html, sanitize_stored_body
from tests.factories import make_article, make_staff, make_user

from .hostile_html import VECTORS, escaped, every_vector_once, hostile_documents, importable

_names = itertools.count(1)
SCRIPTABLE_TAGS = {
    "script", "style", "iframe", "frame", "object", "embed", "img", "svg", "math", "form",
    "input", "button", "base", "link", "meta", "textarea", "select", "video", "audio",
    "source", "template", "noscript", "xmp", "plaintext", "title", "body", "html", "keygen",
    "isindex", "marquee", "details",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "cite", "src", "action", "formaction", "data", "background"}
DB_EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_inert(stored: str, *, sanitiser) -> None:
    """Check stored HTML is its own sanitisation and holds nothing that can run."""
    assert sanitiser(stored) == stored
    if not stored.strip():
        return
    tree = lxml_html.fragment_fromstring(stored, create_parent="div")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in SCRIPTABLE_TAGS, stored
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), stored
            assert name not in ("style", "srcdoc"), stored
            if name in URL_ATTRIBUTES:
                assert urlsplit(value.strip()).scheme.lower() in ("http", "https", "mailto", "")


def assert_blocks_agree_with_text(body_html: str, body_text: str) -> None:
    """Each block's data-start points at its own text: no forged or shifted offsets."""
    if not body_html.strip():
        return
    tree = lxml_html.fragment_fromstring(body_html, create_parent="div")
    ids = [element.get("id") for element in tree.iter() if element.get("data-start") is not None]
    assert len(ids) == len(set(ids))
    for element in tree.iter():
        if element.get("data-start") is None:
            continue
        start, text = int(element.get("data-start")), element.text_content()
        assert body_text[start : start + len(text)] == text


def assert_article_inert(article: Article) -> None:
    assert_inert(article.body_html, sanitiser=sanitize_stored_body)
    assert_blocks_agree_with_text(article.body_html, article.body_text)


# --- The renderer itself, on many documents ----------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(hostile_documents())
@example("<article>Hi &lt;img src=x onerror=alert(1)&gt; there</article>")
@example("<aside>&lt;script&gt;alert(1)&lt;/script&gt;</aside>")
@example("<nav>&amp;lt;img src=x onerror=alert(1)&amp;gt;</nav>")
def test_a_rendered_body_is_its_own_sanitisation(document):
    rendered = render_markdown_body(document)
    assert_inert(rendered.html, sanitiser=sanitize_stored_body)
    assert_blocks_agree_with_text(rendered.html, rendered.text)


def test_the_issue_12_attack_is_stored_as_text():
    """The attack that worked: escaped markup after a block tag nh3 strips."""
    rendered = render_markdown_body(
        "<article>Hi &lt;img src=x onerror=alert(1)&gt; there</article>"
    )

    assert rendered.text == "Hi <img src=x onerror=alert(1)> there"
    assert "<img" not in rendered.html and "&lt;img" in rendered.html


# --- Every import path ---------------------------------------------------------------------------


def _page(document: str, title: str) -> str:
    filler = " ".join(
        f"This is sentence number {n} of an ordinary news story about the harbour."
        for n in range(8)
    )
    return (
        f"<!doctype html><html lang=en><head><title>{title}</title></head><body>"
        f"<nav><a href=/>Home</a></nav><article><h1>{title}</h1><p>{filler}</p>"
        f"<div>{document}</div><p>{filler}</p></article></body></html>"
    )


def _sources(document: str) -> list:
    n = next(_names)
    batch = [
        {"title": f"Batch {fmt} {n}", "body": document, "format": fmt}
        for fmt in ("markdown", "html", "text")
    ]
    return [
        source_from_text(f"Plain text {n}\n\n{document}", format="txt"),
        source_from_text(f"---\ntitle: Markdown {n}\n---\n{document}", format="md"),
        source_from_text(_page(document, f"Page {n}"), format="html"),
        source_from_text(json.dumps(batch), format="json"),
    ]


def _import_everywhere(document: str) -> list[Article]:
    # The paths carry the same document: each is imported as a new article, not as a duplicate.
    items = read_sources(_sources(document))
    report = import_items(items=items, choices=[NEW] * len(items))
    ids = [result.article_id for result in report.results if result.article_id is not None]
    return list(Article.objects.filter(pk__in=ids))


@pytest.mark.django_db
def test_every_vector_through_every_import_path_is_stored_inert():
    # Files and batches with control characters are refused with the reason (their vectors
    # go through the renderer, the admin and notes).
    articles = _import_everywhere(importable(every_vector_once()))

    assert len(articles) == 6  # txt, md, html page, and the batch's three formats
    for article in articles:
        assert_article_inert(article)
    # The escaped vectors are the author's text, kept as text.
    markdown_article = Article.objects.get(title__startswith="Markdown")
    assert escaped(VECTORS[2]) in markdown_article.body_html
    assert VECTORS[2] in markdown_article.body_text


@pytest.mark.django_db
@DB_EXAMPLES
@given(document=hostile_documents())
def test_generated_hostile_documents_through_every_import_path_are_stored_inert(document):
    for article in _import_everywhere(document):
        assert_article_inert(article)


# --- The admin's edit form -----------------------------------------------------------------------


def _admin_edit(client, article: Article, body: str):
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "title": article.title,
            "body_markdown": body,
            "language": "en",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )


@pytest.mark.django_db
def test_every_vector_through_the_admin_edit_is_stored_inert(client):
    client.force_login(make_staff(superuser=True))
    article = make_article(title="Edited in the admin")

    # Django's form fields refuse a NUL character with a message; the rest goes in.
    response = _admin_edit(client, article, every_vector_once().replace("\x00", ""))

    assert response.status_code == 302
    article.refresh_from_db()
    assert "Vector 0" in article.body_text
    assert_article_inert(article)


@pytest.mark.django_db
@DB_EXAMPLES
@given(document=hostile_documents())
def test_generated_documents_through_the_admin_edit_are_stored_inert(client, document):
    client.force_login(make_staff(superuser=True))
    article = make_article(title=f"Admin {next(_names)}")
    response = _admin_edit(client, article, document)
    assert response.status_code in (200, 302)  # 200: refused with a reason (no text)
    article.refresh_from_db()
    assert_article_inert(article)


# --- Notes, replies and rationales ---------------------------------------------------------------


@pytest.mark.django_db
def test_every_vector_in_notes_replies_and_rationales_is_stored_inert():
    author, moderator = make_user(), make_user(role="moderator")
    article = make_article()
    for vector in VECTORS:
        for text in (vector, f"<article>{escaped(vector)}</article>"):
            if "\x00" in text:  # no text column of PostgreSQL holds one: refused with why
                with pytest.raises(ValidationError, match="NUL"):
                    annotation_create(article=article, author=author, note=text)
                continue
            note = annotation_create(article=article, author=author, note=text)
            reply = reply_create(author=author, body=text, annotation=note)
            assert_inert(note.note_html, sanitiser=sanitize_html)
            assert_inert(reply.body_html, sanitiser=sanitize_html)
    claimed = annotation_create(
        article=article, author=author, exact="First paragraph", tags="false: a claim"
    )
    claim = claim_update(
        claim=claimed.claim,
        user=moderator,
        title="a claim",
        status=claimed.claim.status,
        rationale=every_vector_once().replace("\x00", "")[:10_000],
    )
    assert_inert(claim.rationale_html, sanitiser=sanitize_html)
    # What was stored is what the database holds.
    for stored in Annotation.objects.values_list("note_html", flat=True):
        assert_inert(stored, sanitiser=sanitize_html)
    for stored in Reply.objects.values_list("body_html", flat=True):
        assert_inert(stored, sanitiser=sanitize_html)
    assert_inert(Claim.objects.get().rationale_html, sanitiser=sanitize_html)
