"""Hostile content opened in a real browser: not one script runs (issue 12, sanitise last).

Every vector of the hostile list goes in through an import, the admin-side store, a note, a
reply and a rationale; then the pages that show them are opened in Chromium with a dialog
hook (every vector calls alert) and a console listener.
"""

import json

import pytest
from django.urls import reverse

from annotations.collab.discussion import reply_create
from annotations.core.services import annotation_create, claim_update
from articles.imports import import_sources, source_from_text
from articles.models import Article
from tests.factories import make_user
from tests.security.hostile_html import VECTORS, escaped, every_vector_once, importable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _hostile_site():
    document = importable(every_vector_once())
    batch = [{"title": "Hostile batch", "body": document, "format": "html"}]
    report = import_sources(
        sources=[
            source_from_text(f"---\ntitle: Hostile Markdown\n---\n{document}", format="md"),
            source_from_text(json.dumps(batch), format="json"),
        ]
    )
    assert not [result for result in report.results if result.failed]
    author, moderator = make_user(), make_user(role="moderator")
    article = Article.objects.get(title="Hostile Markdown")
    claimed = annotation_create(
        article=article, author=author, exact="Vector 1", tags="false: hostile claim"
    )
    for vector in (v for v in VECTORS if "\x00" not in v):  # a NUL is refused with the reason
        note = annotation_create(article=article, author=author, note=vector)
        reply_create(author=author, body=f"<article>{escaped(vector)}</article>", annotation=note)
    claim = claim_update(
        claim=claimed.claim,
        user=moderator,
        title="hostile claim",
        status=claimed.claim.status,
        rationale=importable("\n\n".join(VECTORS)),
    )
    reply_create(author=author, body=importable("\n\n".join(VECTORS)), claim=claim)
    return author, list(Article.objects.all()), claim, note


def test_no_script_runs_on_any_page_showing_hostile_content(live_server, make_page):
    author, articles, claim, note = _hostile_site()
    urls = [article.get_absolute_url() for article in articles]
    urls += [
        claim.get_absolute_url(),
        reverse("collab:annotation-discussion", kwargs={"pk": note.pk}),
        reverse("collab:claim-discussion", kwargs={"slug": claim.slug}),
    ]
    dialogs, errors = [], []
    for user in (None, author):
        page = make_page(user=user) if user else make_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, url
            page.wait_for_load_state("load")
            # Focus and hover every element, as a reader's pointer and Tab key would.
            page.evaluate(
                """() => document.querySelectorAll('main *').forEach(element => {
                     element.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                     if (element.focus) element.focus();
                   })"""
            )
            page.wait_for_timeout(50)
            assert _only_ours(page), url
            assert page.locator("main [onerror], main [onload], main [onmouseover]").count() == 0
            assert page.locator("main img, main svg, main iframe, main object").count() == 0
    assert dialogs == []
    assert [error for error in errors if "alert" in error] == []
    # The escaped vectors are shown as the text the author wrote.
    page = make_page()
    page.goto(f"{live_server.url}{articles[0].get_absolute_url()}")
    assert "<img src=x onerror=alert(1)>" in page.locator("#article-body").inner_text()


def _only_ours(page) -> bool:
    """Return whether every script in main is the app's: a static file or JSON data."""
    scripts = page.eval_on_selector_all("main script", "els => els.map(e => [e.src, e.type])")
    return all("/static/" in src or kind == "application/json" for src, kind in scripts)
