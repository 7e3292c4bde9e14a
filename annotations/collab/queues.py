"""What waits for someone: claims needing my verdict or assigned to me, my mentions, and for
moderators the claims awaiting settlement and the flags.

Every queue is a named read of claims, replies or flags; the header's count adds up the
signed-in user's own (queue_count), a fixed handful of queries whatever the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from annotations.core import permissions
from annotations.models import Annotation, Claim, Flag, Reply, Verdict

# Verdicts a claim needs before a moderator is asked to settle it.
SETTLE_AFTER = 2
SHOWN = 25


def _open_claims(user) -> QuerySet:
    """Return the shared claims not settled yet that appear on a live shared annotation."""
    shown = Annotation.objects.alive().filter(
        claim=OuterRef("pk"), visibility="shared", hidden_at__isnull=True
    )
    return (
        Claim.objects.visible_to(user)
        .filter(private_to__isnull=True, status_final_at__isnull=True)
        .filter(Exists(shown))
        .select_related("status")
    )


def needs_my_verdict(user) -> QuerySet:
    """Return open claims `user` (an annotator) has given no verdict on, oldest change first."""
    if not permissions.can_annotate(user):
        return Claim.objects.none()
    mine = Verdict.objects.filter(claim=OuterRef("pk"), user=user)
    return _open_claims(user).exclude(Exists(mine)).order_by("updated_at", "pk")


def assigned_to_me(user) -> QuerySet:
    """Return the claims assigned to `user` that are not settled yet."""
    return (
        Claim.objects.visible_to(user)
        .filter(assignee=user, status_final_at__isnull=True)
        .select_related("status")
        .order_by("updated_at", "pk")
    )


def my_mentions(user) -> QuerySet:
    """Return the live replies that mention `user`, newest first."""
    return (
        Reply.objects.visible_to(user)
        .filter(mentions=user)
        .select_related("author", "claim", "annotation__article")
        .order_by("-created_at", "-pk")
    )


def awaiting_settlement(user) -> QuerySet:
    """Return open claims with enough verdicts for a moderator to settle, most verdicts first."""
    if not permissions.is_moderator(user):
        return Claim.objects.none()
    return (
        _open_claims(user)
        .annotate(verdict_count=Count("verdicts", distinct=True))
        .filter(verdict_count__gte=SETTLE_AFTER)
        .order_by("-verdict_count", "updated_at", "pk")
    )


def flagged(user) -> QuerySet:
    """Return the open flags a moderator should look at."""
    if not permissions.is_moderator(user):
        return Flag.objects.none()
    return Flag.objects.for_queue()


@dataclass
class Queue:
    key: str
    title: str
    empty: str
    items: list
    count: int


def queues_for(user) -> list[Queue]:
    """Return the queues `user` has, each with its first SHOWN items and its count."""
    wanted = [
        (
            "verdict",
            "Claims that need my verdict",
            "No claim waits for your verdict.",
            needs_my_verdict(user),
        ),
        ("assigned", "Claims assigned to me", "Nothing is assigned to you.", assigned_to_me(user)),
        ("mentions", "My mentions", "Nobody has mentioned you yet.", my_mentions(user)),
    ]
    if permissions.is_moderator(user):
        wanted += [
            (
                "settle",
                "Claims awaiting settlement",
                f"No open claim has {SETTLE_AFTER} verdicts yet.",
                awaiting_settlement(user),
            ),
            ("flags", "Flagged content", "No open flags.", flagged(user)),
        ]
    return [
        Queue(key, title, empty, list(qs[:SHOWN]), qs.count()) for key, title, empty, qs in wanted
    ]


def queue_count(user) -> int:
    """Return how many things wait for `user`: verdicts, assignments, unread mentions, and
    for moderators the claims to settle and the open flags."""
    if not user.is_authenticated:
        return 0
    total = needs_my_verdict(user).count() + assigned_to_me(user).count()
    total += user.notifications.filter(Q(kind="mention"), read_at__isnull=True).count()
    if permissions.is_moderator(user):
        total += awaiting_settlement(user).count() + flagged(user).count()
    return total
