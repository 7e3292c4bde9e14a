"""What the backup tests share: the team's work, and all of it read without ids or addresses.

The work is the demo's (made through the real services) plus what it lacks: private notes with
private names, a revised article with an orphaned note, an imported annotation, a hidden note
and flags, a withdrawn verdict, a merged label, a reverted edit, a suspension, a second
published claim on an article without an original URL.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from annotations.collab import discussion, moderation, revert, verdicts
from annotations.core import services
from annotations.core.defaults import create_defaults
from annotations.interop.backup import LOADED
from annotations.interop.backup.document import VANISHED_BASE
from annotations.interop.claimreview import claimreview_json
from annotations.interop.imports import import_annotations
from annotations.interop.webannotation import Urls
from annotations.models import (
    Annotation,
    AnnotationOrigin,
    ApiToken,
    ChangeEvent,
    Claim,
    Evidence,
    Flag,
    HistoryEntry,
    Label,
    Notification,
    Presence,
    Reply,
    Suggestion,
    Verdict,
)
from articles.models import Article, ArticleRevision
from articles.services import article_store

THERE, HERE = "https://there.example", "https://here.example"
# Rows the backup leaves out on purpose (annotations.interop.backup says why).
NOT_BACKED_UP = {ChangeEvent, Notification, Presence, ApiToken, Suggestion}


def user(name):
    return get_user_model().objects.get(username=name)


def quote_in(article, words: str) -> dict:
    start = article.body_text.index(words)
    return {"exact": words, "start": start, "end": start + len(words)}


def load_the_demo(settings) -> None:
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


def make_team_work(settings) -> None:
    """The demo's work and everything it lacks, made through the services, at THERE."""
    settings.CLAIMLENS_BASE_URL = THERE
    load_the_demo(settings)
    alice, bob, mod, ann = user("alice"), user("bob"), user("moderator"), user("annotator")
    harwick = Article.objects.get(source_url__isnull=True)
    northgate = Article.objects.get(source_url__contains="northgate")

    # Alice's private note, with a tag and a claim nobody else sees.
    services.annotation_create(
        article=harwick,
        author=alice,
        note="Only mine.",
        tags="hunch, unverified: Harwick pipes are younger than the utility says",
        visibility="private",
        **quote_in(harwick, "chief engineer, Daniel Osei"),
    )
    # A second published claim, on the article without an original URL.
    noted = services.annotation_create(
        article=harwick,
        author=bob,
        tags="misleading: Bills rise by only 7 pounds a month",
        **quote_in(harwick, "about 7 pounds more a month"),
    )
    claim = noted.claim
    services.claim_update(
        claim=claim,
        user=mod,
        title=claim.title,
        status=claim.status,
        claimant="Harwick Water",
        claimant_type="organization",
        rationale="The standing charge is left out.",
    )
    services.evidence_add(claim=claim, user=bob, url="https://harwick.example/charges")
    verdicts.verdict_record(claim=claim, user=bob, status=services.status_by_name("misleading"))
    gone = verdicts.verdict_record(claim=claim, user=ann, status=services.status_by_name("false"))
    verdicts.verdict_withdraw(verdict=gone[0], user=ann)  # its history outlives it
    verdicts.claim_finalise(claim=claim, user=mod, status=services.status_by_name("misleading"))
    crowd = Claim.objects.get(title__startswith="Fewer than")
    verdicts.claim_assign(claim=crowd, user=mod, assignee=alice)
    discussion.reply_create(
        author=bob, body="Standing charge: @alice has the leaflet.", claim=claim
    )

    # An edit reverted by a moderator, a note hidden after a flag, a deleted one.
    edited = Annotation.objects.get(author=bob, article=northgate)
    services.annotation_update(
        annotation=edited, user=bob, version=edited.version, note="Edited, wrongly."
    )
    update = HistoryEntry.objects.get(
        target_type="annotation", target_id=edited.pk, action="updated"
    )
    revert.revert(entry=update, user=mod)
    flagged = Annotation.objects.get(author=ann, article=northgate)
    moderation.flag_create(reporter=alice, reason="Off topic", annotation=flagged)
    services.annotation_hide(annotation=flagged, user=mod)
    reply = Reply.objects.order_by("pk").first()  # the demo's thread, on its claim now
    moderation.flag_create(reporter=bob, reason="Check this", reply=reply)
    discussion.reply_delete(reply=reply, user=reply.author)
    bin_ = services.annotation_create(article=northgate, author=ann, note="Never mind.")
    services.annotation_delete(annotation=bin_, user=ann)

    # A label merged away (its history stays), a label given a shortcut, a suspension.
    services.annotation_create(
        article=harwick, author=ann, tags="leaks", **quote_in(harwick, "212 bursts")
    )
    leaks, leakage = Label.objects.get(name="leaks"), Label.objects.get(name="leakage")
    services.label_merge(source=leaks, target=leakage, user=mod)
    services.label_update(
        label=leakage, user=mod, name="Leakage", colour="#123456", shortcut="l", description="Pipes"
    )
    moderation.user_set_suspended(target=user("reader"), user=mod, suspended=True, reason="Spam")

    # An annotation imported from elsewhere, with its origin.
    imported = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://elsewhere.example/annotations/7",
        "type": "Annotation",
        "created": "2024-01-02T03:04:05Z",
        "creator": {"id": "https://elsewhere.example/people/zoe", "name": "Zoe"},
        "body": {"type": "TextualBody", "value": "Seen elsewhere.", "purpose": "commenting"},
        "target": {
            "source": northgate.source_url,
            "selector": {"type": "TextQuoteSelector", "exact": "61 people detained"},
        },
    }
    report = import_annotations(json.dumps(imported), user=mod, urls=Urls(THERE))
    assert report.created and not report.failures

    # A new text of the Harwick article: its notes move, the adjourned vote is cut (orphan).
    services.annotation_create(
        article=harwick, author=bob, note="Date?", **quote_in(harwick, "adjourned the vote")
    )
    new_text = harwick.body_markdown.replace(
        "The mayor, Gareth Llewellyn, adjourned the vote until 12 March and asked Harwick "
        "Water to publish its leakage data in full before then.",
        "The vote was put off.",
    )
    assert new_text != harwick.body_markdown
    article_store(
        title=harwick.title,
        body_markdown="Update: figures checked.\n\n" + new_text,
        article=harwick,
    )
    assert Annotation.objects.orphaned().exists()


def natural_keys() -> dict[str, dict]:
    """Return, per model name, each row's id -> a key that does not depend on ids."""

    def in_order(model, **where):
        pks = model.objects.filter(**where).order_by("pk").values_list("pk", flat=True)
        return {pk: n for n, pk in enumerate(pks)}

    return {
        "user": dict(get_user_model().objects.values_list("pk", "username")),
        "group": dict(Group.objects.values_list("pk", "name")),
        "article": {a.pk: a.source_url or a.title for a in Article.objects.all()},
        "label": dict(Label.objects.values_list("pk", "slug")),
        "claim": dict(Claim.objects.values_list("pk", "slug")),
        # Loading keeps the order rows were made in: the n-th annotation is the n-th there.
        "annotation": in_order(Annotation),
        "reply": in_order(Reply),
        "historyentry": in_order(HistoryEntry),
        "verdict": {
            v.pk: (v.claim.slug, v.user.username)
            for v in Verdict.objects.select_related("claim", "user")
        },
    }


def key(keys: dict, kind: str, pk):
    """Return the natural key of row `pk`; a vanished row's is its id where it was made."""
    if pk is None:
        return None
    if kind in keys and pk in keys[kind]:
        return keys[kind][pk]
    return ("vanished", kind, pk - VANISHED_BASE if pk >= VANISHED_BASE else pk)


def rows(model, keys: dict, *, skip=()) -> list[dict]:
    """Return every row of model, each field as stored, relations by natural key."""
    out = []
    for obj in model.objects.order_by("pk"):
        row = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in skip:
                continue
            value = getattr(obj, field.attname)
            if field.is_relation:
                value = key(keys, field.related_model._meta.model_name, value)
            row[field.name] = value
        for m2m in model._meta.many_to_many:
            kind = m2m.related_model._meta.model_name
            row[m2m.name] = sorted(key(keys, kind, o.pk) for o in getattr(obj, m2m.name).all())
        out.append(row)
    return sorted(out, key=lambda row: json.dumps(row, default=str, sort_keys=True))


def history_rows(keys: dict) -> list[dict]:
    """Return every history entry but the load's, in order, with what it names by key."""
    out = []
    for row in rows(HistoryEntry, keys):
        if row["action"] == LOADED:
            continue
        row["target_id"] = key(keys, row["target_type"], row["target_id"])
        for side in ("before", "after"):
            if row["target_type"] == "annotation" and "claim_id" in (row[side] or {}):
                row[side] = row[side] | {"claim_id": key(keys, "claim", row[side]["claim_id"])}
        out.append(row)
    return sorted(out, key=lambda row: str(row["created_at"]) + json.dumps(row, default=str))


def reviews(urls: Urls) -> dict:
    """Return each published ClaimReview, addresses here written as where they lead."""
    readers = {
        urls.article(a): f"reader of {a.source_url or a.title}" for a in Article.objects.all()
    }
    out = {}
    for claim in Claim.objects.filter(status_final_at__isnull=False):
        text = json.dumps(claimreview_json(claim), sort_keys=True)
        for reader, name in readers.items():
            text = text.replace(json.dumps(reader), json.dumps(name))
        out[claim.slug] = json.loads(text.replace(urls.base, "BASE"))
    return out


USER_FIELDS = ("password", "last_login", "is_staff", "is_superuser", "user_permissions")


def everything(urls: Urls) -> dict:
    """Return all the claim work, independent of ids and of the site's address."""
    keys = natural_keys()
    return {
        # Passwords, staff flags and a user's own permissions are never in a backup: roles are.
        "users": rows(get_user_model(), keys, skip=USER_FIELDS),
        "articles": rows(Article, keys),
        "revisions": rows(ArticleRevision, keys),
        "labels": rows(Label, keys),
        "claims": rows(Claim, keys),
        "evidence": rows(Evidence, keys),
        "verdicts": rows(Verdict, keys),
        "annotations": rows(Annotation, keys),
        "origins": rows(AnnotationOrigin, keys),
        "replies": rows(Reply, keys),
        "flags": rows(Flag, keys),
        "history": history_rows(keys),
        "reviews": reviews(urls),
    }


def counts() -> dict[str, int]:
    """Return how many rows each backed-up model holds."""
    backed_up = [
        m
        for m in [*apps.get_app_config("annotations").get_models(), Article, ArticleRevision]
        if m not in NOT_BACKED_UP
    ]
    return {m.__name__: m.objects.count() for m in [*backed_up, get_user_model()]}


def empty_the_database():
    """Delete every row, then put back what migrating makes: an empty database."""
    Claim.objects.all().delete()  # before the statuses they use
    for model in (HistoryEntry, ChangeEvent, Notification, Label, Article, Group):
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    create_defaults(Label, Group)
    assert not Annotation.objects.exists() and not Reply.objects.exists()


def dump(path: Path, *args) -> dict:
    call_command("dump_claimwork", "-o", str(path), *args, stderr=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def load(path: Path, *args) -> str:
    out = io.StringIO()
    call_command("load_claimwork", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()
