"""Turning typed tags into labels and claims (found or created by name), and a claim's status."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, signals
from django.db.models.constants import OnConflict
from django.utils import timezone
from django.utils.text import slugify

from annotations.core import history, limits, permissions
from annotations.core.quicktags import ClaimSpec, parse_tag_input
from annotations.models import Claim, Label

DEFAULT_TAG_COLOUR = "#ffd54f"
# The status a claim gets when its maker names none.
DEFAULT_CLAIM_STATUS = "unverified"


def status_by_name(name: str) -> Label:
    """Return the status label called `name` (case-insensitive), or raise ValidationError."""
    wanted = " ".join(name.split()).lower()
    for status in Label.objects.statuses():
        if wanted in {status.name.lower(), status.slug}:
            return status
    known = ", ".join(Label.objects.statuses().values_list("name", flat=True))
    raise ValidationError(f"“{name}” is not a claim status. Use one of: {known}.")


def _unique_slug(model, base: str) -> str:
    base = (slugify(base) or "item")[:180]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# A lost race is retried: the next look-up finds the row the winner stored, or (when only the
# slug clashed) the next attempt picks a free slug.
_CREATE_ATTEMPTS = 5


def _insert_unless_taken(row) -> bool:
    """Insert `row` unless a unique constraint holds another row like it; say which happened.

    One statement, INSERT ... ON CONFLICT DO NOTHING (SQLite: INSERT OR IGNORE), so neither a
    savepoint nor a look-up beforehand: a clash (its name or slug taken, maybe a moment ago by
    a transaction this one waited for) inserts nothing, and the transaction goes on. The
    model's pre_save and post_save signals are sent as save() sends them (a new label makes
    the reader's shared cache take the labels afresh).
    """
    model = type(row)
    meta = model._meta
    using = model._default_manager.db
    signals.pre_save.send(sender=model, instance=row, raw=False, using=using, update_fields=None)
    fields = [field for field in meta.local_concrete_fields if field is not meta.pk]
    returned = model._default_manager._insert(
        [row], fields=fields, returning_fields=[meta.pk], on_conflict=OnConflict.IGNORE
    )
    if not returned or returned[0] is None:
        return False
    row.pk = returned[0][0]
    row._state.adding, row._state.db = False, using
    signals.post_save.send(
        sender=model, instance=row, created=True, update_fields=None, raw=False, using=using
    )
    return True


def _get_or_create_once(find, build, created=None):
    """Return (find(), False), or (build(attempt) stored, True) when nothing is found.

    Two requests may both find nothing and both insert: the unique constraints let one in,
    and the other inserts nothing (see _insert_unless_taken), looks again and finds the
    winner's row, or, when only the slug clashed, builds the row again with another.
    `created(row)`, if given, is called on the row this call stored.
    """
    for attempt in range(_CREATE_ATTEMPTS):
        found = find()
        if found is not None:
            return found, False
        row = build(attempt)
        if _insert_unless_taken(row):
            if created is not None:
                created(row)
            return row, True
    raise IntegrityError(f"No free name for a new {type(row)._meta.verbose_name}: try again.")


def _slug(model, name: str, *, private: bool, attempt: int) -> str:
    """Return the slug a new row called `name` tries on its `attempt`th insert.

    A shared name first tries its name's slug as it is, with no look-up (the unique
    constraint says if it is taken); after a clash, the first free numbered one.
    """
    if private:
        return _private_slug(name)
    if attempt == 0:
        return (slugify(name) or "item")[:180]
    return _unique_slug(model, name)


def _clean_name(name: str, limit: int, what: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > limit:
        raise ValidationError(
            f"{what} “{name[:40]}…” is {len(name):,} characters long; keep it to {limit}."
        )
    return limits.check_text(name, limit, what)


def _private_slug(name: str) -> str:
    """Return a slug for a private name that says nothing about other names.

    A numbered slug ("title-2") would tell its maker that something else took "title"; a
    private name's random tail means no slug ever hints at one, nor is given one's number.
    (Should two tails ever meet, the unique constraint refuses the second, which tries again.)
    """
    return f"{(slugify(name) or 'item')[:180]}-{secrets.token_hex(5)}"


def _named_for(qs, user, **name):
    """Return the rows of qs with this name that `user` may see: shared ones and their own."""
    qs = qs.filter(**name)
    if getattr(user, "is_authenticated", False):
        return qs.filter(Q(private_to__isnull=True) | Q(private_to=user))
    return qs.filter(private_to__isnull=True)


def _choose(found, *, user, private: bool, keep=None):
    """Return which of the visible same-named rows found a note by `user` takes, or None.

    There are at most two: the shared one and the user's own private one. A private note
    takes the user's own, a shared note the shared one; `keep` (what the note carries now)
    wins, so sharing a note never swaps its claim for a namesake.
    """
    found = list(found)
    if keep is not None and any(row.pk == keep.pk for row in found):
        return next(row for row in found if row.pk == keep.pk)
    mine = [row for row in found if row.private_to_id is not None]
    shared = [row for row in found if row.private_to_id is None]
    ordered = [*mine, *shared] if private else [*shared, *mine]
    return ordered[0] if ordered else None


def tag_get_or_create(name: str, *, user=None, private: bool = False) -> Label:
    """Return the tag called `name` (case-insensitive) for a note by `user`, creating it if new.

    Only names `user` may see are found: someone else's private tag of the same name is
    neither joined nor said to exist. `private`: the note is private, so a new tag is the
    user's alone (until a shared note carries it) and their own private tag comes first.
    """
    name = _clean_name(name, limits.LABEL_NAME_MAX_CHARS, "The tag")
    owner = user if private else None
    label, _created = _get_or_create_once(
        lambda: _choose(
            _named_for(Label.objects, user, name__iexact=name), user=user, private=private
        ),
        lambda attempt: Label(
            name=name,
            slug=_slug(Label, name, private=private, attempt=attempt),
            kind=Label.Kind.TAG,
            colour=DEFAULT_TAG_COLOUR,
            private_to=owner,
        ),
    )
    return label


def claim_get_or_create(
    *, title: str, status: Label, user, private: bool = False, keep: Claim | None = None
) -> tuple[Claim, bool]:
    """Return the claim with this title (case-insensitive), creating it with `status` if new.

    Only claims `user` may see are found (see tag_get_or_create): typing the title of someone
    else's private claim makes a claim of one's own, with the same title and another slug.
    `private`: the title is typed into a private annotation, so a new claim is `user`'s alone
    until it appears on something shared. `keep`: the claim the annotation carries now.
    """
    title = _clean_name(title, limits.CLAIM_TITLE_MAX_CHARS, "The claim title")
    owner = user if private else None

    def build(attempt: int) -> Claim:
        return Claim(
            title=title,
            slug=_slug(Claim, title, private=private, attempt=attempt),
            status=status,
            created_by=user,
            private_to=owner,
        )

    def created(claim: Claim) -> None:
        history.record(
            actor=user, obj=claim, action="created", before=None, after=history.snapshot(claim)
        )
        claim.made_now = True  # nothing hangs on it yet: no verdicts, evidence or replies

    return _get_or_create_once(
        lambda: _choose(
            _named_for(Claim.objects.select_related("status"), user, title__iexact=title),
            user=user,
            private=private,
            keep=keep,
        ),
        build,
        created,
    )


def resolve_tag_input(
    raw: str,
    *,
    user,
    private: bool = False,
    keep: Claim | None = None,
    claim_status: str = "",
    claim_title: str = "",
) -> tuple[list[Label], Claim | None]:
    """Turn the tag field into labels and a claim, or raise ValidationError with every problem.

    The claim comes from the field (`status: title`) or, from the composer's claim form,
    as `claim_status` and `claim_title`, whose title may hold commas; not from both.

    A new claim gets the typed status; an existing claim keeps its own status unless the
    author may moderate (changing a shared claim's status is a moderator's decision).
    `private`: the field belongs to a private annotation, so the names it adds stay the user's.
    `keep`: the claim the annotation carries now, kept when its title is typed again.
    """
    parsed = parse_tag_input(raw)
    errors = list(parsed.errors)
    spec = parsed.claim
    claim_title = " ".join((claim_title or "").split())
    if claim_title:
        if spec is not None:
            errors.append("Give the claim once: in the claim form or as “status: title”.")
        spec = ClaimSpec(status=claim_status or DEFAULT_CLAIM_STATUS, title=claim_title)
    if len(parsed.tags) > limits.TAGS_PER_ANNOTATION:
        # Refused before any is looked up: each new tag is a row, and thousands in one request
        # held a worker for half a minute.
        errors.append(
            f"That is {len(parsed.tags):,} tags; one annotation takes at most "
            f"{limits.TAGS_PER_ANNOTATION}."
        )
        raise ValidationError(errors)
    claim = None
    status = None
    if spec is not None:
        try:
            status = status_by_name(spec.status)
            _clean_name(spec.title, limits.CLAIM_TITLE_MAX_CHARS, "The claim title")
        except ValidationError as exc:
            errors.extend(exc.messages)
    for name in parsed.tags:
        try:
            _clean_name(name, limits.LABEL_NAME_MAX_CHARS, "The tag")
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    found: dict[str, Label] = {}
    # New tags are created in one order whoever types them, so two requests creating the same
    # tags wait for each other instead of deadlocking.
    # A claim status's name finds the status: names are unique across tags and statuses.
    for name in sorted(parsed.tags, key=str.lower):
        found[name] = tag_get_or_create(name, user=user, private=private)
    labels = [found[name] for name in parsed.tags]
    if spec is not None:
        claim, created = claim_get_or_create(
            title=spec.title, status=status, user=user, private=private, keep=keep
        )
        if (
            not created
            and claim.private_to_id is None
            and claim.status_id != status.pk
            and permissions.is_moderator(user)
        ):
            claim_set_status(claim=claim, status=status, user=user)
    return labels, claim


def _publish_names(labels, claim: Claim | None) -> list[Label]:
    """Make tags and a claim everyone's once a shared annotation carries them.

    Return the labels the annotation carries from now on. A private tag with a shared
    namesake gives way to it: a tag is only its name, so the note shows the same tag. A
    private claim with a shared namesake is refused: each has its own rationale, evidence and
    verdicts, and neither is merged into the other behind its owner's back.
    """
    labels = list(labels)
    private = [label for label in labels if label.private_to_id is not None]
    if private:
        namesakes = Q()
        for label in private:
            namesakes |= Q(name__iexact=label.name)
        shared = {
            label.name.lower(): label
            for label in Label.objects.filter(namesakes, private_to__isnull=True)
        }
        labels = [
            shared.get(label.name.lower(), label) if label.private_to_id else label
            for label in labels
        ]
        labels = list({label.pk: label for label in labels}.values())
        try:
            _make_shared(Label, [label for label in labels if label.private_to_id is not None])
        except IntegrityError:
            raise ValidationError(
                "Someone has just shared a tag of the same name as one of yours: save again."
            ) from None
    if claim is not None and claim.private_to_id is not None:
        clash = Claim.objects.filter(private_to__isnull=True, title__iexact=claim.title)
        if clash.exists():
            raise _shared_namesake(claim)
        try:
            _make_shared(Claim, [claim])
        except IntegrityError:
            raise _shared_namesake(claim) from None
        claim.private_to = None
    return labels


def _make_shared(model, rows) -> None:
    if not rows:
        return
    # In a savepoint: a namesake shared meanwhile (a lost race) fails only this step.
    with transaction.atomic():
        model.objects.filter(pk__in=[row.pk for row in rows]).update(private_to=None)
    for row in rows:
        row.private_to = None


def _shared_namesake(claim: Claim) -> ValidationError:
    return ValidationError(
        f"There is already a shared claim called “{claim.title}”, so your private claim of "
        "that name cannot be shared with this note: rename your claim first, or take it off "
        "this note, save, and type the title again to use the shared one."
    )


@transaction.atomic
def claim_set_status(*, claim: Claim, status: Label, user) -> Claim:
    """Change a claim's working status."""
    if not permissions.is_moderator(user) and claim.created_by_id != getattr(user, "pk", None):
        raise PermissionDenied("Only a moderator can change the status of someone else's claim.")
    before = history.snapshot_for_update(claim)
    Claim.objects.filter(pk=claim.pk).update(
        status=status, version=F("version") + 1, updated_at=timezone.now()
    )
    claim.refresh_from_db()
    history.record(
        actor=user, obj=claim, action="status", before=before, after=history.snapshot(claim)
    )
    return claim
