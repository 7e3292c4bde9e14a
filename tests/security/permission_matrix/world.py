"""The data one role meets: its own things, and someone else's shared and private ones."""

from __future__ import annotations

import re

from django.apps import apps

from annotations.collab import discussion, moderation, verdicts
from annotations.core import permissions
from annotations.core.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
    evidence_add,
)
from annotations.interop.tokens import token_create
from annotations.models import HistoryEntry, Label, Suggestion
from articles.models import Feed, ImportJob, ImportJobItem
from articles.services import article_store
from tests.annotations.collab.conftest import BODY
from tests.factories import make_article, make_group, make_user
from tests.security.permission_matrix.expected import OWNERSHIPS, Entry
from tests.security.permission_matrix.urlconf import Pattern

# Someone else's private note, its tags, claim and replies: never in any response.
SECRETS = [
    "otto private note about the informant",
    "ottosecrettag",
    "otto secret merger claim",
    "otto private reply text",
    "otto note made private later",
]


def suspend(user):
    user.groups.add(make_group(name=permissions.SUSPENDED))
    permissions.forget_role(user)


def build_world(role: str) -> dict:
    """Make a user in `role` with their own private things, and otto's shared and private ones."""
    article = make_article(body=BODY)
    article_store(
        title=article.title, body_markdown=BODY + "\n\nA third paragraph.", article=article
    )
    otto = make_user(username="otto")
    mod = make_user(username="mo", role="moderator")
    third = make_user(username="third")
    shared = annotation_create(
        article=article,
        author=otto,
        exact="armed",
        note="otto shared",
        tags="ottotag, false: otto open claim",
    )
    shared = annotation_update(annotation=shared, user=otto, version=1, note="otto shared v2")
    verdicts.claim_finalise(claim=shared.claim, user=mod, status=Label.objects.get(slug="false"))
    private = annotation_create(
        article=article,
        author=otto,
        exact="peaceful",
        note=SECRETS[0],
        tags=f"{SECRETS[1]}, false: {SECRETS[2]}",
        visibility="private",
    )
    private = annotation_update(annotation=private, user=otto, version=1, note=SECRETS[0] + ".")
    flagged = annotation_create(article=article, author=otto, exact="flowers", note="to be hidden")
    flag_private = moderation.flag_create(reporter=third, reason="rude", annotation=flagged)
    annotation_update(
        annotation=flagged, user=otto, version=1, note=SECRETS[4], visibility="private"
    )
    flag_shared = moderation.flag_create(reporter=third, reason="rude", annotation=shared)
    otto_shared_reply = discussion.reply_create(author=otto, body="otto reply", annotation=shared)
    otto_private_reply = discussion.reply_create(author=otto, body=SECRETS[3], annotation=private)
    gone_shared = annotation_create(article=article, author=otto, exact="minister", note="gone")
    annotation_delete(annotation=gone_shared, user=otto)
    gone_private = annotation_create(
        article=article, author=otto, exact="Friday", note="gone", visibility="private"
    )
    annotation_delete(annotation=gone_private, user=otto)
    ev_shared = evidence_add(claim=shared.claim, user=otto, url="https://e.org/shared")
    ev_private = evidence_add(claim=private.claim, user=otto, url="https://e.org/private")
    objects = {
        "annotation": {"shared": shared, "private": private},
        "deleted": {"shared": gone_shared, "private": gone_private},
        "reply": {"shared": otto_shared_reply, "private": otto_private_reply},
        "claim": {"shared": shared.claim, "private": private.claim},
        "label": {
            "shared": Label.objects.get(name="ottotag"),
            "private": Label.objects.get(name=SECRETS[1]),
        },
        "evidence": {"shared": ev_shared, "private": ev_private},
        "history": {
            "shared": HistoryEntry.objects.for_object(shared).get(action="updated"),
            "private": HistoryEntry.objects.for_object(private).get(action="updated"),
        },
        "flag": {"shared": flag_shared, "private": flag_private},
        "token": {"shared": token_create(user=otto, name="otto")[0]},
        "user": {"shared": otto, "private": otto},
        "article": {},
        "job": dict.fromkeys(OWNERSHIPS, _job()),
        "feed": dict.fromkeys(OWNERSHIPS, Feed.objects.create(url="https://feeds.example/rss")),
        # A suggestion belongs to no one: the same one stands for every ownership.
        "suggestion": dict.fromkeys(OWNERSHIPS, _suggestion(article)),
    }
    objects["token"]["private"] = objects["token"]["shared"]
    user = secret = None
    if role != "anonymous":
        base = {"reader": "annotator", "suspended": "editor"}.get(role, role)
        user = make_user(username="me", role=base, is_staff=role in ("editor", "suspended"))
        mine = annotation_create(
            article=article,
            author=user,
            exact="trained",
            note="my own note",
            tags="mytag, unverified: my own claim",
            visibility="private",
        )
        mine = annotation_update(annotation=mine, user=user, version=1, note="my own note 2")
        my_gone = annotation_create(
            article=article, author=user, exact="carried", note="x", visibility="private"
        )
        annotation_delete(annotation=my_gone, user=user)
        own_flag = moderation.flag_create(reporter=user, reason="mine", annotation=shared)
        objects["annotation"]["own"] = mine
        objects["deleted"]["own"] = my_gone
        objects["reply"]["own"] = discussion.reply_create(author=user, body="mine", annotation=mine)
        objects["claim"]["own"] = mine.claim
        objects["label"]["own"] = Label.objects.get(name="mytag")
        objects["evidence"]["own"] = evidence_add(
            claim=mine.claim, user=user, url="https://e.org/m"
        )
        objects["history"]["own"] = HistoryEntry.objects.for_object(mine).get(action="updated")
        objects["flag"]["own"] = own_flag
        token, secret = token_create(user=user, name="mine")
        objects["token"]["own"] = token
        objects["user"]["own"] = user
        if role == "reader":
            user.groups.clear()
            user.groups.add(make_group(name="reader"))
            permissions.forget_role(user)
        elif role == "suspended":
            suspend(user)
    return {"article": article, "user": user, "token": secret, "objects": objects}


def admin_object_id(pattern: Pattern, article) -> int:
    """Return the id of a row of the model an admin page is for (the article's by default).

    The ids of different tables agree on a fresh SQLite database, not on PostgreSQL, whose
    sequences go on from earlier tests: an admin change page of a row that does not exist
    redirects to the index, whoever asks.
    """
    match = re.fullmatch(r"admin:(\w+?)_(\w+)_(change|history|delete)", pattern.name or "")
    if match is None:
        return article.pk
    try:
        model = apps.get_model(*match.groups()[:2])
    except LookupError:
        return article.pk
    row = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return article.pk if row is None else row


def url_values(pattern: Pattern, entry: Entry | None, world: dict, own: str | None) -> dict:
    """Return the URL parameters naming the object `own` picks for this pattern."""
    article = world["article"]
    obj = world["objects"].get(entry.kind, {}).get(own) if entry and entry.kind else None
    values = {
        "pk": getattr(obj, "pk", article.pk),
        "article_pk": article.pk,
        "article_id": article.pk,
        "number": 1,
        "position": 0,
        "a": 1,
        "b": 2,
        "fmt": "csv",
        "object_id": admin_object_id(pattern, article),
        "id": world["user"].pk if world["user"] else 1,
        "content_type_id": 1,
        "app_label": "articles",
        "url": "nowhere/",
        "username": getattr(obj, "username", "otto"),
    }
    if entry and entry.kind == "claim":
        values["slug"] = obj.slug
        values["claim_id"] = obj.pk
    elif entry and entry.kind == "evidence":
        values["slug"] = obj.claim.slug
    return values


def _job() -> ImportJob:
    job = ImportJob.objects.create(title="a job", total=1, done=1, status="done")
    ImportJobItem.objects.create(job=job, position=0, label="a copy", status="duplicate")
    return job


def _suggestion(article) -> Suggestion:
    start = article.body_text.index("armed")
    return Suggestion.objects.create(
        article=article,
        revision_number=article.revision_number,
        exact="armed",
        start=start,
        end=start + len("armed"),
        speaker="otto",
        speaker_full="Otto",
    )
