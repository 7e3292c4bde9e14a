"""Each collaborator's verdict on a claim, the moderator's final status, and who is assigned.

Agreement treats claims as units, collaborators as coders and verdict statuses as nominal
values (annotations.collab.agreement); per article, the units are the claims that appear in it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations.collab import notifications
from annotations.collab.agreement import Agreement, measure
from annotations.core import history, limits, permissions
from annotations.core.services import EditConflict, claim_write
from annotations.models import Annotation, Claim, Label, Verdict
from articles.models import Article

MAX_REASON = limits.VERDICT_REASON_MAX_CHARS


@transaction.atomic
def verdict_record(
    *, claim: Claim, user, status: Label, reason: str = "", actor=None
) -> tuple[Verdict, bool]:
    """Record `user`'s verdict on `claim` (replacing their earlier one); return (verdict, new).

    `actor` is who does it when not the user themself: only a moderator reverting a change.
    """
    actor = actor or user
    if not permissions.can_annotate(actor):
        raise PermissionDenied("Only collaborators can give a verdict.")
    if actor.pk != user.pk and not permissions.is_moderator(actor):
        raise PermissionDenied("You can only give your own verdict.")
    if not status.is_status:
        raise ValidationError(f"“{status}” is not a claim status.")
    reason = " ".join((reason or "").split())
    limits.check_text(reason, MAX_REASON, "The reason")  # its length, and no NUL
    verdict = Verdict.objects.select_for_update().filter(claim=claim, user=user).first()
    if verdict is None:
        verdict, created = Verdict.objects.get_or_create(
            claim=claim, user=user, defaults={"status": status, "reason": reason}
        )
        if created:
            history.record(
                actor=actor,
                obj=verdict,
                action="created",
                before=None,
                after=history.snapshot(verdict),
            )
            return verdict, True
    before = history.snapshot(verdict)
    if before["status"] == status.slug and before["reason"] == reason:
        return verdict, False
    Verdict.objects.filter(pk=verdict.pk).update(
        status=status, reason=reason, version=F("version") + 1, updated_at=timezone.now()
    )
    verdict.refresh_from_db()
    history.record(
        actor=actor, obj=verdict, action="updated", before=before, after=history.snapshot(verdict)
    )
    return verdict, False


@transaction.atomic
def verdict_withdraw(*, verdict: Verdict, user) -> None:
    """Take a verdict back (its giver, or a moderator)."""
    if not permissions.can_annotate(user) or (
        verdict.user_id != user.pk and not permissions.is_moderator(user)
    ):
        raise PermissionDenied("You can only withdraw your own verdict.")
    before = history.snapshot_for_update(verdict)
    history.record(actor=user, obj=verdict, action="withdrawn", before=before, after=None)
    verdict.delete()


def _require_moderator(user, what: str) -> None:
    if not permissions.is_moderator(user):
        raise PermissionDenied(f"Only a moderator can {what}.")


@transaction.atomic
def claim_finalise(*, claim: Claim, user, status: Label, version: int | None = None) -> Claim:
    """Settle a claim's status (a moderator's decision); `version` guards against a stale form."""
    _require_moderator(user, "set a claim's final status")
    if not status.is_status:
        raise ValidationError(f"“{status}” is not a claim status.")
    before = history.snapshot_for_update(claim)
    if version is not None and before["version"] != version:
        raise EditConflict(Claim.objects.select_related("status").get(pk=claim.pk))
    return claim_write(
        claim,
        user=user,
        action="finalised",
        before=before,
        status=status,
        status_final_at=timezone.now(),
        status_final_by=user,
    )


@transaction.atomic
def claim_reopen(*, claim: Claim, user) -> Claim:
    """Take back a claim's final status, keeping the status as its working status."""
    _require_moderator(user, "reopen a claim")
    before = history.snapshot_for_update(claim)
    return claim_write(
        claim,
        user=user,
        action="reopened",
        before=before,
        status_final_at=None,
        status_final_by=None,
    )


@transaction.atomic
def claim_assign(*, claim: Claim, user, assignee) -> Claim:
    """Give a claim to a collaborator to check (None takes it back)."""
    _require_moderator(user, "assign claims")
    if assignee is not None and not permissions.can_annotate(assignee):
        raise ValidationError(f"{assignee} is not a collaborator who can check claims.")
    if assignee is not None and not permissions.can_see_claim(assignee, claim):
        # Assigning would show them its title: a private claim is its owner's alone.
        raise ValidationError(
            "This claim is named only in your private notes: share a note that carries it "
            "before assigning it to someone else."
        )
    before = history.snapshot_for_update(claim)
    claim_write(claim, user=user, action="assigned", before=before, assignee=assignee)
    if assignee is not None:
        notifications.claim_assigned(claim=claim, assignee=assignee, actor=user)
    return claim


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TallyRow:
    status: Label
    count: int
    share: float  # 0..100


@dataclass(frozen=True)
class ClaimVerdicts:
    claim: Claim
    verdicts: list[Verdict]
    tally: list[TallyRow]
    agreement: Agreement  # within this claim: its verdicts as one unit
    disputed: bool  # verdicts disagree with each other

    @property
    def total(self) -> int:
        return len(self.verdicts)


def claim_verdicts(claim: Claim) -> ClaimVerdicts:
    """Return the verdicts on `claim`, their tally and agreement, in one query."""
    verdicts = list(
        Verdict.objects.filter(claim=claim).with_related().order_by("status__position", "pk")
    )
    counts = Counter(v.status_id for v in verdicts)
    statuses = {v.status_id: v.status for v in verdicts}
    total = len(verdicts)
    tally = [
        TallyRow(statuses[pk], n, 100.0 * n / total)
        for pk, n in sorted(counts.items(), key=lambda item: (-item[1], statuses[item[0]].position))
    ]
    agreement = measure({claim.pk: {v.user_id: v.status_id for v in verdicts}})
    return ClaimVerdicts(claim, verdicts, tally, agreement, disputed=len(counts) > 1)


@dataclass(frozen=True)
class ArticleAgreement:
    article: Article
    claims: int
    verdicts: int
    agreement: Agreement


@dataclass(frozen=True)
class Disagreement:
    claim: Claim
    tally: list[tuple[Label, int]]


@dataclass(frozen=True)
class AgreementOverview:
    overall: Agreement
    claims_with_verdicts: int
    verdicts: int
    by_article: list[ArticleAgreement]
    disagreements: list[Disagreement]


def agreement_overview(user=None) -> AgreementOverview:
    """Return agreement over the claims `user` may see, per article, and where verdicts conflict.

    Claims private to someone else are left out of every figure and list (permissions).
    A fixed number of queries however many claims, verdicts and articles there are.
    """
    coded: dict[int, dict[int, int]] = defaultdict(dict)
    seen = Verdict.objects.filter(claim__in=Claim.objects.visible_to(user).values("pk"))
    for claim_id, user_id, status_id in seen.coded():
        coded[claim_id][user_id] = status_id
    statuses = {s.pk: s for s in Label.objects.statuses()}
    claims_in: dict[int, set[int]] = defaultdict(set)
    appearances = (
        Annotation.objects.alive()
        .filter(claim_id__in=list(coded), visibility=Annotation.Visibility.SHARED)
        .values_list("article_id", "claim_id")
        .distinct()
    )
    for article_id, claim_id in appearances:
        claims_in[article_id].add(claim_id)
    articles = Article.objects.in_bulk(list(claims_in)) if claims_in else {}
    by_article = [
        ArticleAgreement(
            article=articles[article_id],
            claims=len(claim_ids),
            verdicts=sum(len(coded[c]) for c in claim_ids),
            agreement=measure({c: coded[c] for c in claim_ids}),
        )
        for article_id, claim_ids in claims_in.items()
    ]
    by_article.sort(key=lambda row: (row.article.title.lower(), row.article.pk))
    conflicting = [c for c, by_user in coded.items() if len(set(by_user.values())) > 1]
    claims = Claim.objects.select_related("status").in_bulk(conflicting) if conflicting else {}
    disagreements = [
        Disagreement(
            claim=claims[c],
            tally=[
                (statuses[s], n)
                for s, n in sorted(
                    Counter(coded[c].values()).items(),
                    key=lambda item: (-item[1], statuses[item[0]].position),
                )
            ],
        )
        for c in conflicting
    ]
    disagreements.sort(key=lambda d: d.claim.title.lower())
    return AgreementOverview(
        overall=measure(coded),
        claims_with_verdicts=len(coded),
        verdicts=sum(len(v) for v in coded.values()),
        by_article=by_article,
        disagreements=disagreements,
    )
