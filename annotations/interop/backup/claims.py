"""Restoring claims with their rationale, evidence, verdicts and final verdict."""

from __future__ import annotations

from annotations.core.notes import note_html
from annotations.interop.backup.document import Item, check
from annotations.interop.backup.restoring import (
    Restored,
    create_all,
    described,
    keep_times,
    save_one,
)
from annotations.models import Claim, Evidence, Verdict


def _status(item: Item, restored: Restored):
    status = restored.row(item, "status", "labels", required=True)
    if not status.is_status:
        raise item.error(f"its status “{status.name}” is a tag, not a claim status")
    return status


def restore_claims(doc: dict, restored: Restored) -> None:
    """Create each claim as it was (final verdict and its moment included), then its parts."""
    claim_times, evidence, evidence_times, verdicts, verdict_times = [], [], [], [], []
    for index, data in enumerate(Item(doc, "the backup").objects("claims")):
        item = Item(data, described("claim", data, index, "title"))
        rationale = item.text("rationale", "")
        claim = Claim(
            title=item.text("title"),
            slug=item.text("slug"),
            claimant=item.text("claimant", ""),
            claimant_type=item.text("claimantType", Claim.ClaimantType.UNKNOWN),
            status=_status(item, restored),
            rationale=rationale,
            rationale_html=note_html(rationale),
            status_final_at=item.moment("finalised"),
            status_final_by=restored.user(item, "finalisedBy"),
            assignee=restored.user(item, "assignee"),
            created_by=restored.user(item, "createdBy"),
            version=item.number("version", 1),
            private_to=restored.user(item, "privateTo"),
        )
        item.apply_other_fields(claim)
        save_one(claim, item, "another claim has its title or its slug")
        restored.claims[item.number("pk")] = claim
        claim_times.append(
            (claim, {"created_at": item.moment("created"), "updated_at": item.moment("modified")})
        )
        for number, source in enumerate(item.objects("evidence"), start=1):
            source = Item(source, f"{item.what}, evidence {number}")
            row = Evidence(
                claim=claim,
                url=source.text("url"),
                title=source.text("title", ""),
                note=source.text("note", ""),
                added_by=restored.user(source, "addedBy"),
            )
            source.apply_other_fields(row)
            check(row, source)
            evidence.append(row)
            evidence_times.append((row, {"created_at": source.moment("created")}))
        given: set[str] = set()
        for number, verdict in enumerate(item.objects("verdicts"), start=1):
            verdict = Item(verdict, f"{item.what}, verdict {number}")
            user = restored.user(verdict, "user", required=True)
            if user.get_username() in given:
                raise verdict.error(f"{user.get_username()} has two verdicts on this claim")
            given.add(user.get_username())
            row = Verdict(
                claim=claim,
                user=user,
                status=_status(verdict, restored),
                reason=verdict.text("reason", ""),
                version=verdict.number("version", 1),
            )
            verdict.apply_other_fields(row)
            check(row, verdict)
            verdicts.append((verdict.number("pk", None), row))
            verdict_times.append(
                (
                    row,
                    {
                        "created_at": verdict.moment("created"),
                        "updated_at": verdict.moment("modified"),
                    },
                )
            )
    create_all(Evidence, evidence)
    create_all(Verdict, [row for _, row in verdicts])
    for pk, row in verdicts:
        if pk is not None:
            restored.verdicts[pk] = row
    keep_times(Claim, claim_times)
    keep_times(Evidence, evidence_times)
    keep_times(Verdict, verdict_times)
    restored.counts["claims"] += len(claim_times)
    restored.counts["evidence"] += len(evidence)
    restored.counts["verdicts"] += len(verdicts)
