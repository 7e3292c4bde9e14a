"""Template tags for the collaboration fragments other pages include."""

from datetime import datetime

from django import template
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import dateformat

from annotations.collab import discussion, moderation, revert, verdicts
from annotations.core import changefeed, permissions
from annotations.models import Claim, HistoryEntry, Label

register = template.Library()


@register.filter
def content_visible_to(obj, user) -> bool:
    """Return whether `user` may read a (possibly hidden) annotation's or reply's text.

    Usage: {% if annotation|content_visible_to:user %}{{ annotation.note_html|safe }}{% endif %}
    """
    return moderation.visible_content(user, obj)


@register.filter
def is_moderator(user) -> bool:
    return permissions.is_moderator(user)


@register.filter
def can_annotate(user) -> bool:
    return permissions.can_annotate(user)


@register.filter
def can_import(user) -> bool:
    """Return whether `user` may import articles (editors): the menu's Import link."""
    return permissions.can_import(user)


@register.simple_tag
def reply_to_url(reply) -> str:
    """Return the URL of the form that answers `reply` (works without JavaScript)."""
    if reply.annotation_id:
        url = reverse("collab:annotation-discussion", kwargs={"pk": reply.annotation_id})
    else:
        url = reverse("collab:claim-discussion", kwargs={"slug": reply.claim.slug})
    return f"{url}?parent={reply.pk}"


@register.simple_tag
def change_cursor(article=None, claim=None) -> int:
    """Return the feed cursor of an article (or claim): {% change_cursor article as cursor %}."""
    return changefeed.cursor_for(article=article, claim=claim)


# How a history entry's action reads after the actor's name: "alice added evidence to claim".
VERBS = {
    "updated": "edited",
    "status": "changed the status of",
    "finalised": "set the final status of",
    "evidence_added": "added evidence to",
    "evidence_removed": "removed evidence from",
    "merged": "merged a label into",
    "reattached": "re-attached",
}
# Fields a change records for the machinery (where a passage starts, which claim by id), not
# for people reading the history.
HIDDEN_FIELDS = {"claim_id", "start", "end", "version"}


@register.filter
def history_verb(entry) -> str:
    """Return what the actor did, in words: {{ entry|history_verb }}."""
    return VERBS.get(entry.action, entry.action.replace("_", " "))


@register.filter
def history_changes(entry) -> list[tuple[str, str, str]]:
    """Return (field, before, after) of an entry as people read them: lists joined, dates."""
    return [
        (field.replace("_", " "), _readable(old), _readable(new))
        for field, old, new in entry.changes
        if field not in HIDDEN_FIELDS
    ]


def _readable(value) -> str:
    if value is None or value in ("", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return dateformat.format(datetime.fromisoformat(value), "j M Y H:i")
        except ValueError:
            return value
    return str(value)


@register.filter
def revertable(entry) -> bool:
    """Return whether a moderator can revert this change from the history."""
    return entry.target_type in revert.REVERTABLE and entry.action not in revert.UNREVERTABLE


@register.simple_tag
def history_entries(obj, limit: int = 50) -> list:
    """Return `obj`'s latest history entries: {% history_entries annotation as entries %}."""
    return list(HistoryEntry.objects.for_object(obj).with_related()[:limit])


@register.inclusion_tag("annotations/collab/claim_verdicts.html#verdicts-panel", takes_context=True)
def claim_verdicts_panel(context, claim):
    """Render the verdicts panel of `claim`: form, tally, agreement, moderator's final status."""
    return verdicts_context(context["request"], claim) | {
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag(
    "annotations/collab/includes/_discussion.html#discussion", takes_context=True
)
def discussion_of(context, subject):
    """Render the discussion of an annotation or claim: its thread and the form to reply."""
    request = context["request"]
    return discussion_context(request, subject) | {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("annotations/collab/claim_verdicts.html#assign-form", takes_context=True)
def claim_assign_form(context, claim):
    """Render the moderator's form that assigns `claim` to a collaborator."""
    request = context["request"]
    return {
        "claim": claim,
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "collaborators": assignable_users() if permissions.is_moderator(request.user) else [],
    }


def assignable_users():
    """Return the users a claim can be assigned to: annotators and up, not suspended."""
    names = [permissions.ANNOTATOR, permissions.MODERATOR, permissions.EDITOR]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .exclude(groups__name=permissions.SUSPENDED)
        .distinct()
        .order_by("username")
    )


def verdicts_context(request, claim) -> dict:
    """Return what the verdicts panel shows for `claim` to the requesting user."""
    summary = verdicts.claim_verdicts(claim)
    mine = next((v for v in summary.verdicts if v.user_id == request.user.pk), None)
    return {
        "request": request,
        "user": request.user,
        "claim": claim,
        "summary": summary,
        "mine": mine,
        "statuses": list(Label.objects.statuses()),
        "can_vote": permissions.can_annotate(request.user),
        "can_moderate": permissions.is_moderator(request.user),
    }


def in_desk(request) -> bool:
    """Return whether a fragment is drawn in a reader card's desk (where=desk), not on a page.

    A card's discussion gets ids of its own: a reader page may show several.
    """
    data = request.POST if request.method == "POST" else request.GET
    return data.get("where") == "desk"


def discussion_context(request, subject, *, errors=None, body="", parent=None) -> dict:
    """Return what a discussion shows of `subject` (an annotation or claim) to the user."""
    nodes = discussion.flatten(discussion.thread(subject))
    dom = f"desk-{subject.pk}-discussion" if in_desk(request) else "discussion"
    is_claim = isinstance(subject, Claim)
    post_url = (
        reverse("collab:claim-discussion", kwargs={"slug": subject.slug})
        if is_claim
        else reverse("collab:annotation-discussion", kwargs={"pk": subject.pk})
    )
    return {
        "subject": subject,
        "is_claim": is_claim,
        "nodes": nodes,
        "post_url": post_url,
        "can_reply": permissions.can_annotate(request.user),
        "can_moderate": permissions.is_moderator(request.user),
        "errors": errors or [],
        "body": body,
        "parent": parent,
        "where": "desk" if in_desk(request) else "",
        "dom": dom,
        "thread_id": f"{dom}-thread" if in_desk(request) else "thread",
        "form_id": f"{dom}-form" if in_desk(request) else "reply-form",
        "body_id": f"{dom}-body" if in_desk(request) else "reply-body",
    }
