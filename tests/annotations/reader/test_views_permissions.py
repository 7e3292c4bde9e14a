"""Every write view checks permission on the server for every role; forged writes change nothing."""

import pytest

from annotations.core.services import annotation_create, annotation_delete, evidence_add
from annotations.models import Evidence, Label
from tests.annotations.reader.conftest import HTMX
from tests.factories import make_label, make_user

pytestmark = pytest.mark.django_db


# --- every write view x every role -----------------------------------------------------------

ROLES = ["anonymous", "reader", "owner", "other", "moderator", "editor"]


@pytest.fixture
def world(article):
    """An annotator's annotation with a claim and evidence, plus one of each role."""
    owner = make_user(username="owner")
    annotation = annotation_create(
        article=article, author=owner, exact="peaceful", tags="witness, unverified: march"
    )
    deleted = annotation_create(article=article, author=owner, exact="unarmed")
    annotation_delete(annotation=deleted, user=owner)
    evidence = evidence_add(claim=annotation.claim, user=owner, url="https://example.org/e")
    users = {
        "anonymous": None,
        "reader": make_user(role="reader"),
        "owner": owner,
        "other": make_user(),
        "moderator": make_user(role="moderator"),
        "editor": make_user(role="editor"),
    }
    return {
        "article": article,
        "annotation": annotation,
        "deleted": deleted,
        "claim": annotation.claim,
        "evidence": evidence,
        "label": Label.objects.get(name="witness"),
        "users": users,
    }


def _writes(w):
    a, claim, label = w["annotation"], w["claim"], w["label"]
    other_tag = make_label(name="other tag")
    return {
        "annotation-create": (
            "post",
            f"/articles/{w['article'].pk}/annotations/new/",
            {"exact": "marchers", "visibility": "shared"},
        ),
        "annotation-edit-form": ("get", f"/annotations/{a.pk}/edit/", {}),
        "annotation-edit": (
            "post",
            f"/annotations/{a.pk}/edit/",
            {"note": "x", "visibility": "shared", "version": a.version},
        ),
        "annotation-delete": ("post", f"/annotations/{a.pk}/delete/", {}),
        "annotation-restore": ("post", f"/annotations/{w['deleted'].pk}/restore/", {}),
        "annotation-hide": ("post", f"/annotations/{a.pk}/hide/", {"hidden": "1"}),
        "claim-edit-form": ("get", f"/claims/{claim.slug}/edit/", {}),
        "claim-edit": (
            "post",
            f"/claims/{claim.slug}/edit/",
            {"title": "march", "status": claim.status_id, "version": claim.version},
        ),
        "evidence-add": (
            "post",
            f"/claims/{claim.slug}/evidence/",
            {"url": "https://example.org/new"},
        ),
        "evidence-remove": (
            "post",
            f"/claims/{claim.slug}/evidence/{w['evidence'].pk}/remove/",
            {},
        ),
        "labels-page": ("get", "/labels/", {}),
        "label-create": ("post", "/labels/new/", {"name": "n", "colour": "#123456", "kind": "tag"}),
        "label-edit-form": ("get", f"/labels/{label.pk}/edit/", {}),
        "label-edit": ("post", f"/labels/{label.pk}/edit/", {"name": "w2", "colour": "#123456"}),
        "label-merge": ("post", f"/labels/{other_tag.pk}/merge/", {"target": label.pk}),
    }


OK, NO = "ok", 403
# Who may: owner = the annotator who made the annotation, claim and evidence.
EXPECTED = {
    #                     anonymous reader owner other moderator editor
    "annotation-create":    (NO, NO, OK, OK, OK, OK),
    "annotation-edit-form": (NO, NO, OK, NO, OK, OK),
    "annotation-edit":      (NO, NO, OK, NO, OK, OK),
    "annotation-delete":    (NO, NO, OK, NO, OK, OK),
    "annotation-restore":   (NO, NO, OK, NO, OK, OK),
    "annotation-hide":      (NO, NO, NO, NO, OK, OK),
    "claim-edit-form":      (NO, NO, OK, NO, OK, OK),
    "claim-edit":           (NO, NO, OK, NO, OK, OK),
    "evidence-add":         (NO, NO, OK, OK, OK, OK),
    "evidence-remove":      (NO, NO, OK, NO, OK, OK),
    "labels-page":          (NO, NO, NO, NO, OK, OK),
    "label-create":         (NO, NO, NO, NO, OK, OK),
    "label-edit-form":      (NO, NO, NO, NO, OK, OK),
    "label-edit":           (NO, NO, NO, NO, OK, OK),
    "label-merge":          (NO, NO, NO, NO, OK, OK),
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_write_view_checks_permission_on_the_server(client, world, view, role, htmx):
    method, url, data = _writes(world)[view]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data, **(HTMX if htmx else {}))
    expected = EXPECTED[view][ROLES.index(role)]
    if expected == NO:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302), response.content[:500]


def test_forged_writes_change_nothing(client, world):
    client.force_login(world["users"]["other"])
    annotation, claim = world["annotation"], world["claim"]
    client.post(f"/annotations/{annotation.pk}/edit/", {"note": "forged", "version": 1})
    client.post(f"/annotations/{annotation.pk}/delete/")
    client.post(f"/claims/{claim.slug}/edit/", {"title": "forged", "status": claim.status_id})
    client.post(f"/claims/{claim.slug}/evidence/{world['evidence'].pk}/remove/")
    annotation.refresh_from_db()
    claim.refresh_from_db()
    assert (annotation.note, annotation.deleted_at, claim.title) == ("", None, "march")
    assert Evidence.objects.count() == 1
