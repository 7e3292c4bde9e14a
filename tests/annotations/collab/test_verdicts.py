"""Verdicts, the final status, agreement and assignments."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from annotations.collab import verdicts
from annotations.models import Notification, Verdict

from .conftest import BODY, htmx, make_article, make_user, status, tag_claim

pytestmark = pytest.mark.django_db


def test_one_verdict_per_user_per_claim_updatable():
    claim = tag_claim().claim
    user = make_user()
    verdict, created = verdicts.verdict_record(
        claim=claim, user=user, status=status("false"), reason="no"
    )
    assert created
    verdict, created = verdicts.verdict_record(
        claim=claim, user=user, status=status("misleading"), reason="partly"
    )
    assert not created and verdict.version == 2
    assert Verdict.objects.filter(claim=claim, user=user).count() == 1
    assert Verdict.objects.get(claim=claim, user=user).status.slug == "misleading"


def test_readers_cannot_give_verdicts():
    with pytest.raises(PermissionDenied):
        verdicts.verdict_record(
            claim=tag_claim().claim, user=make_user(role="reader"), status=status("false")
        )


def test_tally_and_agreement_of_a_claim():
    claim = tag_claim().claim
    for slug in ["false", "false", "misleading"]:
        verdicts.verdict_record(claim=claim, user=make_user(), status=status(slug))
    summary = verdicts.claim_verdicts(claim)
    assert [(row.status.slug, row.count) for row in summary.tally] == [
        ("false", 2),
        ("misleading", 1),
    ]
    assert summary.disputed
    # 3 pairs, 1 agrees.
    assert summary.agreement.percent == pytest.approx(100 / 3)


def test_only_moderators_set_the_final_status():
    claim = tag_claim().claim
    with pytest.raises(PermissionDenied):
        verdicts.claim_finalise(claim=claim, user=make_user(), status=status("false"))
    moderator = make_user(role="moderator")
    claim = verdicts.claim_finalise(claim=claim, user=moderator, status=status("false"))
    assert claim.status.slug == "false"
    assert claim.status_final_by == moderator and claim.status_final_at is not None
    claim = verdicts.claim_reopen(claim=claim, user=moderator)
    assert claim.status_final_at is None and claim.status.slug == "false"


def test_agreement_overall_and_per_article_by_hand():
    article_one, article_two = make_article(body=BODY), make_article(body=BODY)
    c1 = tag_claim(article=article_one, title="claim one").claim
    c2 = tag_claim(article=article_one, title="claim two", quote="peaceful").claim
    c3 = tag_claim(article=article_two, title="claim three").claim
    ann, bob = make_user(), make_user()
    # c1: both false (agree); c2: false vs misleading (disagree); c3: both verified (agree).
    for claim, a, b in [
        (c1, "false", "false"),
        (c2, "false", "misleading"),
        (c3, "verified", "verified"),
    ]:
        verdicts.verdict_record(claim=claim, user=ann, status=status(a))
        verdicts.verdict_record(claim=claim, user=bob, status=status(b))
    overview = verdicts.agreement_overview()
    # Overall: 2 of 3 pairs agree. Coincidences: o_ff=2, o_fm=o_mf=1, o_vv=2;
    # n_f=3, n_m=1, n_v=2, n=6; alpha = 1 - 5*2 / (36 - 9 - 1 - 4) = 1 - 10/22 = 6/11.
    assert overview.overall.percent == pytest.approx(200 / 3)
    assert overview.overall.alpha == pytest.approx(6 / 11)
    rows = {row.article.pk: row for row in overview.by_article}
    # Article one: c1 agrees, c2 not: 50%; o_ff=2, o_fm=o_mf=1; n_f=3, n_m=1, n=4;
    # alpha = 1 - 3*2 / (16 - 9 - 1) = 0.
    assert rows[article_one.pk].agreement.percent == pytest.approx(50.0)
    assert rows[article_one.pk].agreement.alpha == pytest.approx(0.0)
    # Article two: one claim, both verified: 100%, alpha undefined (one value used).
    assert rows[article_two.pk].agreement.percent == pytest.approx(100.0)
    assert rows[article_two.pk].agreement.alpha is None
    assert [d.claim for d in overview.disagreements] == [c2]


def test_agreement_page_is_query_guarded(client, django_assert_max_num_queries):
    voters = [make_user() for _ in range(3)]
    for n in range(6):
        claim = tag_claim(article=make_article(body=BODY), title=f"claim {n}").claim
        for i, voter in enumerate(voters):
            verdicts.verdict_record(
                claim=claim, user=voter, status=status("false" if (n + i) % 2 else "verified")
            )
    client.force_login(voters[0])
    # Guards the agreement page: verdicts, statuses, appearances, articles, claims; not per row.
    # 8, not 7: the header asks for the user's role (is there a Moderation link to show).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("collab:agreement"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('id="agreement-article-') == 6
    assert html.count('id="disagreement-') == 6


def test_verdict_form_works_with_htmx_and_without(client):
    claim = tag_claim().claim
    user = make_user()
    client.force_login(user)
    url = reverse("collab:claim-verdicts", args=[claim.slug])
    response = htmx(client, "post", url, {"status": status("false").pk, "reason": "contradicted"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="verdicts-{claim.pk}"' in html and "contradicted" in html
    response = client.post(url, {"status": status("opinion").pk, "reason": "", "next": "/x/"})
    assert response.status_code == 302
    assert Verdict.objects.get(user=user).status.slug == "opinion"


def test_verdict_views_check_permission(client):
    claim = tag_claim().claim
    url = reverse("collab:claim-verdicts", args=[claim.slug])
    assert client.post(url, {"status": status("false").pk}).status_code == 403
    client.force_login(make_user(role="reader"))
    assert client.post(url, {"status": status("false").pk}).status_code == 403
    final = reverse("collab:claim-final", args=[claim.slug])
    client.force_login(make_user())
    assert client.post(final, {"status": status("false").pk}).status_code == 403
    assert not Verdict.objects.exists()


def test_final_status_form_for_moderators(client, django_assert_max_num_queries):
    claim = tag_claim().claim
    client.force_login(make_user(role="moderator"))
    url = reverse("collab:claim-final", args=[claim.slug])
    response = htmx(client, "post", url, {"status": status("false").pk, "version": claim.version})
    claim.refresh_from_db()
    assert claim.status_final_at is not None and claim.status.slug == "false"
    assert "final, set by" in response.content.decode()
    # A form loaded before someone else's change is refused, not applied.
    stale = htmx(client, "post", url, {"status": status("verified").pk, "version": 1})
    assert "Someone changed this claim meanwhile" in stale.content.decode()
    claim.refresh_from_db()
    assert claim.status.slug == "false"
    # Guards the verdict fragment the claim page re-fetches on every change.
    with django_assert_max_num_queries(6):
        htmx(client, "get", reverse("collab:claim-verdicts", args=[claim.slug]), {"part": "tally"})


def test_claim_verdicts_include_renders_given_a_claim():
    claim = tag_claim().claim
    moderator = make_user(role="moderator")
    verdicts.verdict_record(claim=claim, user=moderator, status=status("false"), reason="r1")
    request = RequestFactory().get("/")
    request.user = moderator
    html = (
        engines["django"]
        .from_string(
            '{% include "annotations/collab/includes/_claim_verdicts.html" with claim=claim %}'
        )
        .render({"claim": claim}, request)
    )
    assert "Update my verdict" in html and "Set final status" in html and "r1" in html


# --- assignment ----------------------------------------------------------------------------


def test_moderator_assigns_a_claim_and_the_assignee_is_told(client):
    claim = tag_claim().claim
    moderator, checker = make_user(role="moderator"), make_user()
    with pytest.raises(PermissionDenied):
        verdicts.claim_assign(claim=claim, user=make_user(), assignee=checker)
    client.force_login(moderator)
    url = reverse("collab:claim-assign", args=[claim.slug])
    response = htmx(client, "post", url, {"assignee": checker.pk})
    assert f'<option value="{checker.pk}" selected>' in response.content.decode()
    claim.refresh_from_db()
    assert claim.assignee == checker
    assert Notification.objects.filter(recipient=checker, kind="assigned").exists()
    client.force_login(make_user())
    assert client.post(url, {"assignee": ""}).status_code == 403


def test_readers_cannot_be_assigned():
    claim = tag_claim().claim
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        verdicts.claim_assign(
            claim=claim, user=make_user(role="moderator"), assignee=make_user(role="reader")
        )


def test_my_claims_lists_what_is_assigned_to_me(client, django_assert_max_num_queries):
    me, moderator = make_user(), make_user(role="moderator")
    mine = []
    for n in range(5):
        claim = tag_claim(title=f"mine {n}").claim
        verdicts.claim_assign(claim=claim, user=moderator, assignee=me)
        mine.append(claim)
    verdicts.verdict_record(claim=mine[0], user=me, status=status("false"))
    tag_claim(title="not mine")
    client.force_login(me)
    # Guards My claims: session, user, claims page with counts, my verdicts; not per claim.
    # 6, not 5: the header asks for the user's role (is there a Moderation link to show).
    with django_assert_max_num_queries(6):
        response = client.get(reverse("collab:my-claims"))
    html = response.content.decode()
    assert html.count('id="my-claim-') == 5 and "not mine" not in html
    assert "false" in html and "not given yet" in html


def test_my_claims_needs_sign_in(client):
    response = client.get(reverse("collab:my-claims"))
    assert response.status_code == 302 and "login" in response["Location"]
