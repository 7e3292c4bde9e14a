"""Every write has a size limit and every list a cap, the same whichever way it comes in.

The attacks these reproduce: an 11 MB note sent through the API (the reader's form stopped at
20,000 characters) made the article page 12 MB for every visitor; 5,000 new tags in one
request held a worker for 32 seconds. The limits live in annotations.core.limits; the services
check them, so the API, the forms and the admin refuse with the same numbers and a reason.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from annotations.collab import discussion
from annotations.core import limits, services
from annotations.interop.tokens import token_create
from annotations.interop.webannotation import ANNO_CONTEXT, MEDIA_TYPE
from annotations.models import Annotation, Evidence, Label, Reply
from tests.annotations.collab.conftest import BODY, tag_claim
from tests.factories import make_article, make_staff, make_user

pytestmark = pytest.mark.django_db

QUOTE = "peaceful"


@pytest.fixture
def article():
    return make_article(body=BODY)


@pytest.fixture
def author():
    return make_user()


def api_doc(article, *, note: str = "", tags: list[str] = ()) -> str:
    bodies = [{"type": "TextualBody", "purpose": "tagging", "value": t} for t in tags]
    if note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": note})
    return json.dumps(
        {
            "@context": ANNO_CONTEXT,
            "type": "Annotation",
            "body": bodies,
            "target": {
                "source": f"http://testserver/articles/{article.pk}/",
                "selector": {"type": "TextQuoteSelector", "exact": QUOTE},
            },
        }
    )


def api_post(client, author, article, **doc):
    token = token_create(user=author, name="limits")[1]
    return client.post(
        reverse("api:annotations"),
        api_doc(article, **doc),
        content_type=MEDIA_TYPE,
        headers={"Authorization": f"Bearer {token}"},
    )


# --- notes -----------------------------------------------------------------------------------


def test_the_api_refuses_an_eleven_megabyte_note_with_the_reason(client, article, author):
    response = api_post(client, author, article, note="A" * (11 * 1024 * 1024))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "The note is 11,534,336 characters long; keep it to 20,000." in detail
    assert not Annotation.objects.exists()
    # The page every visitor loads stays small.
    assert len(client.get(article.get_absolute_url()).content) < 1024 * 1024


def test_the_api_and_the_form_take_the_same_longest_note(client, article, author):
    longest = "B" * limits.NOTE_MAX_CHARS
    assert api_post(client, author, article, note=longest).status_code == 201
    client.force_login(author)
    url = reverse("annotations:create", kwargs={"article_pk": article.pk})
    response = client.post(url, {"exact": QUOTE, "note": longest})
    assert response.status_code == 302
    response = client.post(url, {"exact": QUOTE, "note": longest + "B"})
    assert response.status_code == 422
    assert "at most 20000 characters" in response.content.decode()  # Django's form message
    assert api_post(client, author, article, note=longest + "B").status_code == 400
    assert Annotation.objects.count() == 2


def test_editing_through_the_api_is_held_to_the_same_limit(client, article, author):
    annotation = services.annotation_create(article=article, author=author, exact=QUOTE)
    token = token_create(user=author, name="limits")[1]
    response = client.put(
        reverse("api:annotation-detail", kwargs={"pk": annotation.pk}),
        api_doc(article, note="C" * (limits.NOTE_MAX_CHARS + 1)),
        content_type=MEDIA_TYPE,
        headers={"Authorization": f"Bearer {token}", "If-Match": "*"},
    )
    assert response.status_code == 400
    assert "keep it to 20,000" in response.json()["detail"]
    annotation.refresh_from_db()
    assert annotation.note == "" and annotation.version == 1


def test_the_note_editor_shows_the_limit(client, article, author):
    annotation = services.annotation_create(article=article, author=author, exact=QUOTE)
    client.force_login(author)
    url = reverse("annotations:edit", kwargs={"pk": annotation.pk})
    note = "D" * (limits.NOTE_MAX_CHARS + 1)
    response = client.post(url, {"note": note, "visibility": "shared", "version": 1})
    assert response.status_code == 422
    assert "at most 20000 characters" in response.content.decode()  # Django's form message
    annotation.refresh_from_db()
    assert annotation.note == ""


def test_the_admin_holds_notes_to_the_same_limit(client, article, author):
    annotation = services.annotation_create(article=article, author=author, exact=QUOTE)
    client.force_login(make_staff(superuser=True))
    url = reverse("admin:annotations_annotation_change", args=[annotation.pk])
    form = client.get(url).context["adminform"].form
    assert form.fields["note"].max_length == limits.NOTE_MAX_CHARS
    data = {**form.initial, "note": "E" * (limits.NOTE_MAX_CHARS + 1), "labels": []}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "at most 20000 characters" in response.content.decode()
    annotation.refresh_from_db()
    assert annotation.note == ""


# --- tags ------------------------------------------------------------------------------------


def test_five_thousand_new_tags_are_refused_at_once_and_none_is_created(
    client, article, author, django_assert_max_num_queries
):
    """5,000 new tags in one POST ran 32 s and killed a worker: refused before any is looked up.

    Guards the refusal's cost: the same few queries (session, user, token, article, rate) for any
    number of tags, none per tag.
    """
    before = Label.objects.count()
    with django_assert_max_num_queries(16):
        response = api_post(client, author, article, tags=[f"tag{n}" for n in range(5000)])
    assert response.status_code == 400
    assert "That is 5,000 tags; one annotation takes at most 20." in response.json()["detail"]
    assert Label.objects.count() == before


def test_twenty_tags_are_fine_and_the_twenty_first_is_refused_by_the_form(client, article, author):
    client.force_login(author)
    url = reverse("annotations:create", kwargs={"article_pk": article.pk})
    twenty = ", ".join(f"t{n}" for n in range(limits.TAGS_PER_ANNOTATION))
    assert client.post(url, {"exact": QUOTE, "tags": twenty}).status_code == 302
    response = client.post(url, {"exact": QUOTE, "tags": twenty + ", t20"})
    assert response.status_code == 422
    assert "That is 21 tags; one annotation takes at most 20." in response.content.decode()
    assert Annotation.objects.get().labels.count() == 20


def test_a_tag_name_too_long_is_refused_not_cut(author, article):
    name = "x" * (limits.LABEL_NAME_MAX_CHARS + 1)
    with pytest.raises(ValidationError, match="keep it to 64"):
        services.annotation_create(article=article, author=author, exact=QUOTE, tags=name)
    assert not Label.objects.filter(name__startswith="xxx").exists()


def test_a_claim_title_too_long_is_refused_not_cut(author, article):
    title = "y" * (limits.CLAIM_TITLE_MAX_CHARS + 1)
    with pytest.raises(ValidationError, match="keep it to 200"):
        services.annotation_create(
            article=article, author=author, exact=QUOTE, tags=f"false: {title}"
        )


# --- claims, evidence, labels ----------------------------------------------------------------


def test_evidence_per_claim_is_capped(client):
    claim = tag_claim().claim
    user = claim.created_by
    for n in range(limits.EVIDENCE_PER_CLAIM):
        services.evidence_add(claim=claim, user=user, url=f"https://example.org/{n}")
    client.force_login(user)
    url = reverse("annotations:evidence-add", kwargs={"slug": claim.slug})
    response = client.post(url, {"url": "https://example.org/one-more"})
    assert response.status_code == 422
    assert "already has 50 sources" in response.content.decode()
    assert Evidence.objects.filter(claim=claim).count() == limits.EVIDENCE_PER_CLAIM


def test_evidence_fields_are_refused_when_too_long_not_cut():
    claim = tag_claim().claim
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            claim=claim,
            user=claim.created_by,
            url="https://example.org/",
            title="t" * (limits.EVIDENCE_TITLE_MAX_CHARS + 1),
        )
    assert "keep it to 300" in str(caught.value)
    assert not Evidence.objects.exists()


def test_a_rationale_over_the_limit_is_refused():
    claim = tag_claim().claim
    with pytest.raises(ValidationError) as caught:
        services.claim_update(
            claim=claim,
            user=claim.created_by,
            title=claim.title,
            status=claim.status,
            rationale="r" * (limits.RATIONALE_MAX_CHARS + 1),
        )
    assert "keep it to 50,000" in str(caught.value)


def test_a_label_description_over_the_limit_is_refused():
    moderator = make_user(role="moderator")
    with pytest.raises(ValidationError) as caught:
        services.label_create(
            user=moderator, name="long", description="d" * (limits.LABEL_DESCRIPTION_MAX_CHARS + 1)
        )
    assert "keep it to 2,000" in str(caught.value)
    assert not Label.objects.filter(name="long").exists()


# --- discussion ------------------------------------------------------------------------------


def test_mentions_per_reply_are_capped(client):
    claim = tag_claim().claim
    for n in range(limits.MENTIONS_PER_REPLY + 1):
        make_user(username=f"m{n}")
    author = make_user()
    names = [f"@m{n}" for n in range(limits.MENTIONS_PER_REPLY + 1)]
    client.force_login(author)
    url = reverse("collab:claim-discussion", kwargs={"slug": claim.slug})
    response = client.post(url, {"body": " ".join(names)})
    assert "That reply mentions 21 people; mention at most 20 in one reply." in (
        response.content.decode()
    )
    assert not Reply.objects.exists()
    reply = discussion.reply_create(author=author, body=" ".join(names[:-1]), claim=claim)
    assert reply.mentions.count() == limits.MENTIONS_PER_REPLY


def test_a_reply_over_the_limit_is_refused_through_the_service():
    claim = tag_claim().claim
    with pytest.raises(ValidationError, match="10,000"):
        discussion.reply_create(
            author=claim.created_by, body="z" * (limits.REPLY_MAX_CHARS + 1), claim=claim
        )
