"""Who may do what. Roles are Django groups; superusers may do everything.

reader     reads articles and shared annotations, and keeps private highlights and notes
annotator  also creates annotations, edits and deletes their own
moderator  also edits or hides anyone's, manages labels and claims
editor     (the "admin" role) also imports articles

A user in the "suspended" group keeps reading but loses every role above reader, so every
write check (can_annotate, is_moderator, can_import, ...) refuses them, staff or not.

Private content is its author's alone: a private annotation and the replies under it are seen
and changed by their author only, moderators and editors included (can_see, can_change).
Moderating (hiding, flagging) applies to shared content. A tag or claim name typed only into
private notes is its typist's alone too (can_see_claim); whoever else types it gets their own.
"""

from __future__ import annotations

READER, ANNOTATOR, MODERATOR, EDITOR = "reader", "annotator", "moderator", "editor"
ROLES = (READER, ANNOTATOR, MODERATOR, EDITOR)
SUSPENDED = "suspended"
# Each role includes the ones before it.
_RANK = {role: rank for rank, role in enumerate(ROLES)}


def role_of(user) -> str | None:
    """Return the highest role `user` has, or None for anonymous visitors."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return EDITOR
    cached = getattr(user, "_claimlens_role", None)
    if cached is None:
        if hasattr(user, "role_names"):  # fetched with the user (backends.RoleBackend)
            names = set(user.role_names.split(",")) if user.role_names else set()
        else:
            names = set(user.groups.values_list("name", flat=True))
        cached = max((r for r in ROLES if r in names), key=_RANK.__getitem__, default=READER)
        user._claimlens_role = cached
        user._claimlens_suspended = SUSPENDED in names
    return cached


def forget_role(user) -> None:
    """Make the next role_of(user) read the user's groups again (after changing them)."""
    for cached in ("_claimlens_role", "_claimlens_suspended", "role_names"):
        user.__dict__.pop(cached, None)


def is_suspended(user) -> bool:
    """Return whether a moderator has suspended `user`'s writing (superusers cannot be)."""
    if role_of(user) is None or user.is_superuser:
        return False
    return getattr(user, "_claimlens_suspended", False)


def has_role(user, role: str) -> bool:
    current = role_of(user)
    if current is None:
        return False
    if role != READER and is_suspended(user):
        return False
    return _RANK[current] >= _RANK[role]


def can_write(user) -> bool:
    """Return whether `user` may write at all (flag, reply): signed in and not suspended."""
    return role_of(user) is not None and not is_suspended(user)


def can_annotate(user) -> bool:
    return has_role(user, ANNOTATOR) and not is_suspended(user)


def can_keep_private(user) -> bool:
    """Return whether `user` may keep private highlights and notes: everyone signed in.

    As in every read-it-later app, a reader keeps their own marks; sharing them (and claims,
    replies, verdicts) is the annotator's role.
    """
    return can_write(user)


def can_annotate_as(user, visibility: str) -> bool:
    """Return whether `user` may write an annotation with this visibility."""
    if visibility == "private":
        return can_keep_private(user)
    return can_annotate(user)


def is_moderator(user) -> bool:
    return has_role(user, MODERATOR)


def can_import(user) -> bool:
    """Return whether `user` may import and edit articles: editors and staff, unless suspended."""
    if role_of(user) is None or is_suspended(user):
        return False
    return has_role(user, EDITOR) or user.is_staff


# --- private content -----------------------------------------------------------------------


def _is_author(user, obj) -> bool:
    return user is not None and user.is_authenticated and obj.author_id == user.pk


def _annotation_of(obj):
    """Return the annotation whose privacy `obj` (an annotation or a reply) follows, or None."""
    if hasattr(obj, "visibility"):  # an annotation
        return obj
    return obj.annotation if getattr(obj, "annotation_id", None) is not None else None


def is_private(obj) -> bool:
    """Return whether `obj` is private: a private annotation, or a reply under one."""
    annotation = _annotation_of(obj)
    return annotation is not None and annotation.visibility == "private"


def is_others_private(user, obj) -> bool:
    """Return whether `obj` is private content that `user` did not write (so never theirs)."""
    annotation = _annotation_of(obj)
    return is_private(obj) and not _is_author(user, annotation)


def can_see(user, obj) -> bool:
    """Return whether `user` may read an annotation or reply.

    Derived from the one rule, its queryset's visible_to, so the lists and the single pages
    can never disagree: a live row that rule returns for `user`.
    """
    return type(obj)._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def can_change(user, obj) -> bool:
    """Return whether `user` may edit, delete, restore or re-attach an annotation or reply.

    Their author may, and moderators may change shared content; nobody changes someone
    else's private content.
    """
    if is_others_private(user, obj):
        return False
    if is_private(obj) and hasattr(obj, "visibility"):
        return _is_author(user, obj) and can_keep_private(user)  # a reader's own private note
    if not can_annotate(user):
        return False
    return _is_author(user, obj) or is_moderator(user)


def can_moderate(user, obj) -> bool:
    """Return whether `user` may hide or unhide an annotation or reply: shared ones only."""
    return is_moderator(user) and not is_private(obj)


def can_see_claim(user, claim) -> bool:
    """Return whether `user` may see a claim: derived from ClaimQuerySet.visible_to."""
    if claim.private_to_id is None:  # everyone's: no need to ask the database
        return True
    return type(claim)._default_manager.visible_to(user).filter(pk=claim.pk).exists()


def can_edit_annotation(user, annotation) -> bool:
    return can_change(user, annotation)


def can_view_annotation(user, annotation) -> bool:
    return can_see(user, annotation)


def can_moderate_annotation(user, annotation) -> bool:
    """Return whether user may hide or unhide annotation (moderators, shared ones only)."""
    return can_moderate(user, annotation)


def can_manage_labels(user) -> bool:
    return is_moderator(user)


def can_edit_claim(user, claim) -> bool:
    """Return whether user may change a claim: moderators, and the annotator who made it."""
    if not can_annotate(user) or not can_see_claim(user, claim):
        return False
    return is_moderator(user) or claim.created_by_id == user.pk


def can_add_evidence(user, claim) -> bool:
    # Finding sources is everyone's work: any annotator may add evidence to any claim.
    return can_annotate(user) and can_see_claim(user, claim)


def can_remove_evidence(user, evidence) -> bool:
    if not can_annotate(user):
        return False
    return is_moderator(user) or evidence.added_by_id == user.pk
