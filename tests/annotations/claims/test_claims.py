"""Claims: editing with evidence, the claims index and a claim's page."""

from urllib.parse import parse_qs

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from annotations.collab.discussion import reply_create
from annotations.collab.verdicts import claim_assign, claim_finalise, verdict_record
from annotations.core.services import (
    EditConflict,
    annotation_create,
    annotation_delete,
    claim_update,
    evidence_add,
    evidence_remove,
)
from annotations.models import Claim, Evidence, Label
from tests.factories import make_article, make_label, make_user

pytestmark = pytest.mark.django_db

BODY = (
    "The minister said the marchers were armed and trained criminals on Friday.\n\n"
    "Witnesses said the marchers were peaceful."
)


def claim_on(article, author, quote="armed and trained criminals", tags=None, **kwargs):
    return annotation_create(
        article=article,
        author=author,
        exact=quote,
        tags=tags or "unverified: terrorists claim",
        **kwargs,
    )


def test_quick_tag_creates_then_links_the_same_claim_across_articles():
    author = make_user()
    first = claim_on(make_article(body=BODY), author)
    second = claim_on(make_article(body=BODY), author, tags="Unverified: Terrorists  claim")
    assert first.claim_id == second.claim_id
    assert Claim.objects.count() == 1
    counted = Claim.objects.with_counts().get()
    assert (counted.appearance_count, counted.article_count) == (2, 2)


def test_counts_leave_out_private_deleted_and_hidden_appearances():
    author = make_user()
    article = make_article(body=BODY)
    claim_on(article, author)
    claim_on(article, author, quote="peaceful", visibility="private")
    gone = claim_on(article, author, quote="Witnesses")
    annotation_delete(annotation=gone, user=author)
    counted = Claim.objects.with_counts().get()
    assert (counted.appearance_count, counted.article_count) == (1, 1)


def test_claim_update_renders_rationale_and_checks_versions():
    author = make_user()
    claim = claim_on(make_article(body=BODY), author).claim
    verified = Label.objects.get(slug="false")
    claim = claim_update(
        claim=claim,
        user=author,
        version=claim.version,
        title="terrorists claim",
        claimant="President Tokayev",
        status=verified,
        rationale="See *the footage*.<script>alert(1)</script>",
    )
    assert claim.status == verified
    assert "<em>the footage</em>" in claim.rationale_html
    assert "<script" not in claim.rationale_html
    with pytest.raises(EditConflict):
        claim_update(claim=claim, user=author, version=1, title="x", status=verified)


def test_claim_title_must_stay_unique_and_status_must_be_a_status():
    author = make_user()
    article = make_article(body=BODY)
    first = claim_on(article, author).claim
    claim_on(article, author, quote="peaceful", tags="verified: peaceful march")
    tag = make_label(name="a tag")
    with pytest.raises(ValidationError) as error:
        claim_update(claim=first, user=author, title="PEACEFUL march", status=tag)
    assert set(error.value.message_dict) == {"title", "status"}


def test_only_moderators_and_the_claims_author_edit_it():
    author = make_user()
    claim = claim_on(make_article(body=BODY), author).claim
    status = claim.status
    with pytest.raises(PermissionDenied):
        claim_update(claim=claim, user=make_user(), title="x", status=status)
    claim_update(claim=claim, user=make_user(role="moderator"), title="by mod", status=status)


def test_evidence_add_and_remove():
    author = make_user()
    claim = claim_on(make_article(body=BODY), author).claim
    other = make_user()
    evidence = evidence_add(
        claim=claim, user=other, url="https://example.org/report", title="Report"
    )
    with pytest.raises(ValidationError, match="https://"):
        evidence_add(claim=claim, user=other, url="javascript:alert(1)")
    with pytest.raises(PermissionDenied):
        evidence_remove(evidence=evidence, user=author)  # not theirs, not a moderator
    evidence_remove(evidence=evidence, user=other)
    assert not Evidence.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def make_claims(n, author):
    article = make_article(body=BODY)
    statuses = list(Label.objects.statuses())
    for i in range(n):
        status = statuses[i % len(statuses)]
        claim_on(article, author, tags=f"{status.name}: claim number {i}")
    return article


def test_claims_index_lists_counts_and_status(client, django_assert_max_num_queries):
    author = make_user()
    make_claims(30, author)
    Claim.objects.filter(title="claim number 3").update(claimant="The ministry")
    # Guards the index: paginator count, page, statuses, claimants; not one query per claim.
    with django_assert_max_num_queries(6):
        response = client.get("/claims/")
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.object_list) == 25 and page.paginator.count == 30
    html = response.content.decode()
    assert "1 appearance in 1 article" in html
    assert '<option value="The ministry"' in html


def test_claims_index_filters_by_status_claimant_and_search(client):
    author = make_user()
    make_claims(14, author)
    Claim.objects.filter(title="claim number 3").update(
        claimant="The ministry", rationale="Footage shows otherwise."
    )

    def titles(**params):
        page = client.get("/claims/", params).context["page"]
        return sorted(claim.title for claim in page)

    assert titles(status="verified") == ["claim number 1", "claim number 8"]
    assert titles(claimant="the ministry") == ["claim number 3"]
    assert titles(q="footage") == ["claim number 3"]
    assert titles(q="number 1") == ["claim number 1", "claim number 10", "claim number 11",
                                    "claim number 12", "claim number 13"]  # fmt: skip


def test_claims_index_shows_the_filters_chosen_and_its_pager_keeps_them(client):
    make_claims(30, make_user())
    Claim.objects.update(claimant="The Ministry")
    html = client.get("/claims/", {"claimant": "the ministry", "q": "number"}).content.decode()
    # The claimant is matched ignoring case, and shown chosen as it is written.
    assert '<option value="The Ministry" selected>The Ministry</option>' in html
    (older,) = lxml_html.fromstring(html).xpath("//nav[@class='pager']/a[@rel='next']/@href")
    assert parse_qs(older.removeprefix("?")) == {
        "claimant": ["the ministry"],
        "q": ["number"],
        "page": ["2"],
    }
    second = client.get(f"/claims/{older}").content.decode()
    (newer,) = lxml_html.fromstring(second).xpath("//nav[@class='pager']/a[@rel='prev']/@href")
    assert parse_qs(newer.removeprefix("?"))["page"] == ["1"]


def test_claims_index_htmx_returns_the_results_fragment(client, django_assert_max_num_queries):
    make_claims(3, make_user())
    # Guards the htmx filter request the same way as the page.
    with django_assert_max_num_queries(6):
        response = client.get("/claims/", {"status": "unverified"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="claim-results">')
    assert "<html" not in html


def test_claim_page_shows_fields_evidence_and_passages_in_context(
    client, django_assert_max_num_queries
):
    author = make_user()
    article = make_article(body=BODY)
    annotation = claim_on(article, author)
    hidden_from_others = claim_on(article, author, quote="peaceful", visibility="private")
    claim = annotation.claim
    evidence_add(claim=claim, user=author, url="https://example.org/a", title="Video analysis")
    # Guards the claim page: claim, evidence, appearances and their count, whatever their number.
    # 9, not 6, since the page gathers the claim's work: the live feed's cursor, the verdicts
    # (and the statuses to choose from), the discussion and the latest history.
    with django_assert_max_num_queries(9):
        response = client.get(claim.get_absolute_url())
    html = response.content.decode()
    assert "terrorists claim" in html and "Video analysis" in html
    assert f'href="/articles/{article.pk}/#annotation-{annotation.pk}"' in html
    # 32 characters of context either side; an ellipsis where the text goes on.
    prefix = "The minister said the marchers were "[-32:]
    assert f'<span class="context">…{prefix}</span>' in html
    suffix = BODY[BODY.index(" on Friday") :][:32]
    assert f'<span class="context">{suffix}…</span>' in html
    assert ">armed and trained criminals</mark>" in html
    assert f"#annotation-{hidden_from_others.pk}" not in html  # private: the author's alone
    client.force_login(author)
    assert (
        f"#annotation-{hidden_from_others.pk}"
        in client.get(claim.get_absolute_url()).content.decode()
    )


def test_claim_edit_click_to_edit_over_htmx(client, django_assert_max_num_queries):
    author = make_user()
    claim = claim_on(make_article(body=BODY), author).claim
    client.force_login(author)
    form = client.get(f"/claims/{claim.slug}/edit/", HTTP_HX_REQUEST="true")
    assert form.content.decode().lstrip().startswith('<section id="claim-fields"')
    false = Label.objects.get(slug="false")
    data = {"title": "terrorists claim", "claimant": "Tokayev", "status": false.pk,
            "rationale": "No evidence.", "version": claim.version}  # fmt: skip
    # Guards the save: permission, update, and the re-rendered fields. 19, not 14, since the
    # edit is recorded: the locked snapshot, the articles showing the claim, the history entry,
    # its feed event and who to notify of the new status, plus on PostgreSQL the feed's two
    # advisory locks (article and claim). Still fixed whatever the claim holds.
    with django_assert_max_num_queries(19):
        saved = client.post(f"/claims/{claim.slug}/edit/", data, HTTP_HX_REQUEST="true")
    html = saved.content.decode()
    assert saved.status_code == 200
    assert html.lstrip().startswith('<section id="claim-fields"')
    assert "Tokayev" in html and "false" in html


def test_claim_edit_errors_come_back_in_the_form(client):
    author = make_user()
    claim = claim_on(make_article(body=BODY), author).claim
    client.force_login(author)
    data = {"title": "", "status": claim.status_id, "version": claim.version}
    response = client.post(f"/claims/{claim.slug}/edit/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()


def test_evidence_add_and_remove_over_htmx_and_without_js(client):
    author = make_user()
    claim = claim_on(make_article(body=BODY), author).claim
    client.force_login(author)
    url = f"/claims/{claim.slug}/evidence/"
    added = client.post(url, {"url": "https://example.org/x", "title": "X"}, HTTP_HX_REQUEST="true")
    assert added.content.decode().lstrip().startswith(f'<section id="evidence-{claim.pk}"')
    assert "https://example.org/x" in added.content.decode()
    bad = client.post(url, {"url": "ftp://nope"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "starting with https://" in bad.content.decode()
    evidence = Evidence.objects.get()
    removed = client.post(f"/claims/{claim.slug}/evidence/{evidence.pk}/remove/")
    assert removed.status_code == 302 and removed.url == claim.get_absolute_url()
    assert not Evidence.objects.exists()


def claim_page_queries(client, claim) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def worked_on(claim, *, people: int, moderator):
    """Give a claim verdicts, replies, edits and a final status from `people` collaborators."""
    false, verified = Label.objects.get(slug="false"), Label.objects.get(slug="verified")
    for n in range(people):
        voter = make_user()
        verdict_record(claim=claim, user=voter, status=false if n % 2 else verified, reason="r")
        reply_create(author=voter, body=f"Reply {n} from @{moderator.get_username()}", claim=claim)
        claim = claim_update(
            claim=claim, user=moderator, title=claim.title, status=claim.status, claimant=f"P{n}"
        )
    claim_assign(claim=claim, user=moderator, assignee=voter)
    claim_finalise(claim=claim, user=moderator, status=false)


def test_claim_page_gathers_verdicts_assignment_discussion_history_and_claimreview(client):
    moderator = make_user(role="moderator")
    client.force_login(moderator)
    one = claim_on(make_article(body=BODY), moderator).claim
    many = claim_on(make_article(body=BODY), moderator, tags="unverified: other claim").claim
    worked_on(one, people=1, moderator=moderator)
    worked_on(many, people=12, moderator=moderator)

    # The page's queries stay the same whatever the number of verdicts, replies and changes.
    assert claim_page_queries(client, one) == claim_page_queries(client, many)

    html = client.get(many.get_absolute_url()).content.decode()
    assert f'id="live-claim-{many.pk}"' in html  # the poller the tally and thread listen to
    assert f'id="verdict-status-{many.pk}"' in html and f'id="final-status-{many.pk}"' in html
    assert f'id="verdict-tally-{many.pk}"' in html and "collaborators disagree" in html
    assert f'id="assignee-{many.pk}"' in html
    assert html.count('class="reply depth-0') == 12 and 'id="reply-body"' in html
    assert html.count('class="history-entry"') == 10  # the latest; the rest a link away
    assert f'href="/claims/{many.slug}/history/"' in html
    assert '<script type="application/ld+json">' in html
    assert f'href="/claims/{many.slug}/claimreview.json" download' in html


def test_claim_fields_refresh_over_htmx_in_fixed_queries(client, django_assert_max_num_queries):
    claim = claim_on(make_article(body=BODY), make_user()).claim
    # Guards the fields' live refresh: the claim, its evidence and appearances (the page's
    # context), without the verdicts, thread or history the full page adds.
    with django_assert_max_num_queries(5):
        response = client.get(claim.get_absolute_url(), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="claim-fields"') and "<html" not in html
    assert 'hx-trigger="claimlens:changed from:body"' in html


def test_claim_page_offers_claimreview_only_once_final(client):
    claim = claim_on(make_article(body=BODY), make_user()).claim
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html and "claimreview.json" not in html
