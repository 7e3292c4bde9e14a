"""Two people in two browsers: live updates, replies, disagreeing verdicts, and a note conflict.

Tagging a claim happens in the reader page (built separately); here the test tags it through the
same service the reader calls, and everything else is done in the browsers on these pages.
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from annotations.services import annotation_create
from tests.collab.conftest import BODY, make_article, make_user, tag_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE_WITHIN_MS = 3000


def signed_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_two_collaborators_work_on_one_claim(browser, live_server):
    from playwright.sync_api import expect

    alice = make_user(username="alice")
    bob = make_user(username="bob", role="moderator")
    first = tag_claim(author=make_user(), title="terrorists claim")
    claim = first.claim
    url = live_server.url + reverse("collab:claim-discussion", args=[claim.slug])
    page_a = signed_in_page(browser, live_server, alice)
    page_b = signed_in_page(browser, live_server, bob)
    page_a.goto(url)
    page_b.goto(url)
    expect(page_b.locator(f"#appearance-{first.pk}")).to_be_visible()

    # Alice tags the claim in another article (the reader's service call); Bob sees it live.
    tagged = annotation_create(
        article=make_article(title="Second report", body=BODY),
        author=alice,
        exact="peaceful",
        tags=f"unverified: {claim.title}",
        note="Alice's note",
    )
    started = time.monotonic()
    expect(page_b.locator(f"#appearance-{tagged.pk}")).to_be_visible(timeout=LIVE_WITHIN_MS)
    seen_after = time.monotonic() - started
    assert seen_after < LIVE_WITHIN_MS / 1000

    # Alice gives her verdict; Bob replies and disagrees.
    page_a.select_option(f"#verdict-status-{claim.pk}", label="verified")
    page_a.fill(f"#verdict-reason-{claim.pk}", "The ministry said so")
    page_a.click("text=Record my verdict")
    expect(page_a.locator(f"#verdict-tally-{claim.pk}")).to_contain_text("alice")

    page_b.fill("#reply-body", "The witnesses say otherwise, @alice.")
    page_b.click("text=Post reply")
    expect(page_b.locator("#thread")).to_contain_text("The witnesses say otherwise")
    page_b.select_option(f"#verdict-status-{claim.pk}", label="false")
    page_b.fill(f"#verdict-reason-{claim.pk}", "Video shows flowers")
    page_b.click("text=Record my verdict")
    expect(page_b.locator(f"#verdict-tally-{claim.pk}")).to_contain_text("collaborators disagree")

    # Alice sees both without reloading.
    expect(page_a.locator("#thread")).to_contain_text(
        "The witnesses say otherwise", timeout=LIVE_WITHIN_MS
    )
    expect(page_a.locator(f"#verdict-tally-{claim.pk}")).to_contain_text(
        "Video shows flowers", timeout=LIVE_WITHIN_MS
    )
    expect(page_a.locator(f"#verdict-tally-{claim.pk}")).to_contain_text("collaborators disagree")
    # The mention links to Alice's page.
    expect(page_a.locator("#thread a[href='/people/alice/']")).to_be_visible()


def test_two_editors_of_one_note_neither_text_is_lost(browser, live_server):
    from playwright.sync_api import expect

    alice = make_user(username="alice")
    bob = make_user(username="bob", role="moderator")
    annotation = annotation_create(
        article=make_article(body=BODY),
        author=alice,
        exact="peaceful",
        note="Witnesses said the march was peaceful.",
    )
    url = live_server.url + reverse("collab:annotation-note", args=[annotation.pk])
    page_a = signed_in_page(browser, live_server, alice)
    page_b = signed_in_page(browser, live_server, bob)
    page_a.goto(url)
    page_b.goto(url)  # both start from version 1
    editor = f"#note-{annotation.pk}"
    page_a.fill(editor, "Several witnesses said the march was peaceful.")
    page_b.fill(editor, "Witnesses said the march was peaceful and orderly.")
    page_a.click("text=Save note")
    expect(page_a.locator(f"#note-editor-{annotation.pk}")).to_contain_text(
        "Several witnesses said"
    )
    page_b.click("text=Save note")
    conflict = page_b.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator("[data-side=theirs]")).to_have_text(
        "Several witnesses said the march was peaceful."
    )
    expect(conflict.locator("[data-side=mine]")).to_have_text(
        "Witnesses said the march was peaceful and orderly."
    )
    expect(conflict.locator(".saved-by")).to_have_text("alice")
    # Alice's text is saved; Bob's is on his screen. The merge combines both.
    assert Annotation.objects.get(pk=annotation.pk).note.startswith("Several witnesses")
    merged = conflict.locator("textarea[name=note]:visible")
    expect(merged).to_have_value("Several witnesses said the march was peaceful and orderly.")
    page_b.click("text=Save the merge")
    saved = page_b.locator(f"#note-editor-{annotation.pk}.note-display")
    expect(saved).to_contain_text("Several witnesses said the march was peaceful and orderly.")
    stored = Annotation.objects.get(pk=annotation.pk)
    assert stored.note == "Several witnesses said the march was peaceful and orderly."
    assert stored.version == 3
