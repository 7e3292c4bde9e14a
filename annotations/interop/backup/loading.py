"""Loading a backup: everything in one transaction, or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction

from annotations.core import history
from annotations.interop.backup.annotating import (
    restore_annotations,
    restore_flags,
    restore_replies,
)
from annotations.interop.backup.claims import restore_claims
from annotations.interop.backup.document import BackupError, Item, read_document
from annotations.interop.backup.restoring import (
    Restored,
    create_all,
    described,
    keep_times,
    write_fields,
)
from annotations.interop.backup.sources import restore_articles, restore_labels, restore_users
from annotations.interop.claimreview import claimreview_json
from annotations.interop.webannotation import Urls
from annotations.models import Annotation, Claim, Flag, HistoryEntry, Reply, Verdict

LOADED = "loaded_backup"


@dataclass
class LoadReport:
    """What a load restored, what it found already here, and what it had to say."""

    counts: dict[str, int]
    found_here: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        restored = ", ".join(f"{n} {kind}" for kind, n in self.counts.items() if n)
        found = ", ".join(f"{n} {kind}" for kind, n in self.found_here.items() if n)
        text = f"Restored {restored or 'nothing'}"
        if found:
            text += f"; found already here: {found}"
        if self.dry_run:
            text += " (dry run: nothing was saved)"
        return text + "."


class _DryRun(Exception):
    """Raised at the end of a dry run, to undo everything."""


def load_claimwork(raw: bytes | str, *, loader: str | None = None, dry_run: bool = False):
    """Restore a backup into a database without claim work; return a LoadReport.

    Raises BackupError naming the item that stopped it; then nothing was saved. `loader`: the
    username (here or in the backup) of whoever loads it, in whose history the load is
    recorded; by default the first superuser here.
    """
    doc = read_document(raw)
    restored = Restored()
    try:
        with transaction.atomic():
            _refuse_doubles()
            restore_users(doc, restored)
            restore_articles(doc, restored)
            restore_labels(doc, restored)
            restore_claims(doc, restored)
            restore_annotations(doc, restored)
            restore_replies(doc, restored)
            restore_flags(doc, restored)
            restore_history(doc, restored)
            _record_load(doc, restored, _loader(loader, restored))
            _compare_reviews(doc, restored)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except DatabaseError as exc:
        # Checked field by field before writing: what is left is the database's own refusal.
        raise BackupError(f"the database refused the backup: {exc}") from None
    return LoadReport(
        counts=dict(restored.counts),
        found_here=dict(restored.found_here),
        warnings=restored.warnings,
        dry_run=dry_run,
    )


def _refuse_doubles() -> None:
    """Refuse a database that already holds claim work: a second copy would double it."""
    held = {
        "annotations": Annotation.objects.count(),
        "claims": Claim.objects.count(),
        "replies": Reply.objects.count(),
        "verdicts": Verdict.objects.count(),
        "flags": Flag.objects.count(),
    }
    if any(held.values()):
        listed = ", ".join(f"{n} {kind}" for kind, n in held.items() if n)
        raise BackupError(
            f"this database already holds claim work ({listed}): load a backup into a "
            "database without any (accounts, articles and labels may be there already)"
        )


def _loader(username: str | None, restored: Restored):
    users = get_user_model().objects
    if username:
        user = restored.users.get(username) or users.filter(username=username).first()
        if user is None:
            raise BackupError(f"there is no user “{username}” here or in the backup")
        return user
    user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise BackupError(
            "name who loads the backup (anyone here or in the backup): the load is recorded "
            "in their history"
        )
    return user


def _snapshot_ids(target_type: str, snapshot, restored: Restored):
    """Return a history snapshot with the ids it holds made this database's."""
    if target_type == HistoryEntry.Target.ANNOTATION and isinstance(snapshot, dict):
        claim_id = snapshot.get("claim_id")
        if isinstance(claim_id, int) and not isinstance(claim_id, bool):
            return snapshot | {"claim_id": restored.target_pk("claim", claim_id)}
    return snapshot


def restore_history(doc: dict, restored: Restored) -> None:
    """Restore every history entry as it was recorded, pointing at the rows restored here.

    The bulk restore's record: each restored row keeps the history it had (who did what,
    when, with the fields before and after), so history pages, revert and agreement read it
    as before. The load itself is recorded once more, by whoever loaded it (_record_load).
    """
    entries, moments, reverts = [], [], []
    targets = set(HistoryEntry.Target.values)
    for index, data in enumerate(Item(doc, "the backup").objects("history")):
        item = Item(data, described("history entry", data, index, "action"))
        target_type = item.text("targetType")
        if target_type not in targets:
            raise item.error(f"“{target_type}” is not something history records")
        before, after = item.data.get("before"), item.data.get("after")
        entry = HistoryEntry(
            target_type=target_type,
            target_id=restored.target_pk(target_type, item.number("targetPk")),
            target_repr=item.text("targetRepr", "")[:200],
            action=item.text("action")[:32],
            actor=restored.user(item, "actor"),
            before=_snapshot_ids(target_type, before, restored),
            after=_snapshot_ids(target_type, after, restored),
            article=restored.row(item, "article", "articles"),
            claim=restored.row(item, "claim", "claims"),
        )
        entries.append(entry)
        moments.append((entry, {"created_at": item.moment("created")}))
        reverts.append((item.number("pk"), item.number("reverts", None)))
    create_all(HistoryEntry, entries)
    for entry, (pk, _) in zip(entries, reverts, strict=True):
        restored.entries[pk] = entry
    for entry, (_, reverted) in zip(entries, reverts, strict=True):
        # An entry reverted where the backup was written, but left out of it: none to point at.
        entry.reverts = restored.entries.get(reverted) if reverted is not None else None
    keep_times(HistoryEntry, moments)
    write_fields(HistoryEntry, [entry for entry in entries if entry.reverts_id], ["reverts"])
    restored.counts["history entries"] += len(entries)


def _record_load(doc: dict, restored: Restored, loader) -> None:
    history.record(
        actor=loader,
        obj=loader,
        action=LOADED,
        before=None,
        after={
            "site": doc.get("site"),
            "generated": doc.get("generated"),
            "complete": doc.get("complete"),
            "restored": dict(restored.counts),
        },
    )


def rebased(value, replacements: dict[str, str], old_base: str, new_base: str):
    """Return value with the addresses of the site the backup came from made this site's."""
    if isinstance(value, str):
        if value in replacements:
            return replacements[value]
        if old_base and (value == old_base or value.startswith(old_base + "/")):
            return new_base + value[len(old_base) :]
        return value
    if isinstance(value, dict):
        return {k: rebased(v, replacements, old_base, new_base) for k, v in value.items()}
    if isinstance(value, list):
        return [rebased(v, replacements, old_base, new_base) for v in value]
    return value


def reader_urls(doc: dict, restored: Restored, urls: Urls) -> dict[str, str]:
    """Return each article's reader address there -> here (its id differs)."""
    moved = {}
    for data in Item(doc, "the backup").objects("articles"):
        if isinstance(data, dict) and isinstance(data.get("reader"), str):
            article = restored.articles.get(data.get("pk"))
            if article is not None:
                moved[data["reader"]] = urls.article(article)
    return moved


def _compare_reviews(doc: dict, restored: Restored) -> None:
    """Say which published ClaimReview reads differently here than in the backup."""
    urls = Urls.from_settings()
    replacements = reader_urls(doc, restored, urls)
    old_base = doc.get("site") if isinstance(doc.get("site"), str) else ""
    for data in Item(doc, "the backup").objects("claims"):
        if not isinstance(data, dict) or "review" not in data:
            continue
        claim = restored.claims.get(data.get("pk"))
        here = claimreview_json(Claim.objects.get(pk=claim.pk)) if claim else None
        expected = rebased(data["review"], replacements, old_base, urls.base)
        if here != expected:
            differ = sorted(
                key
                for key in set(here or {}) | set(expected or {})
                if (here or {}).get(key) != (expected or {}).get(key)
            )
            restored.warnings.append(
                f"claim “{data.get('title')}”: its ClaimReview here differs from the backup's "
                f"in {', '.join(differ)}"
            )
