"""Who may do what. Roles are Django groups; superusers may do everything.

reader     reads articles and shared annotations
annotator  also creates annotations, edits and deletes their own
moderator  also edits or hides anyone's, manages labels and claims
editor     (the "admin" role) also imports articles

A user in the "suspended" group keeps reading but loses every role above reader, so every
write check (can_annotate, is_moderator, can_import, ...) refuses them.
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


def is_moderator(user) -> bool:
    return has_role(user, MODERATOR)


def can_import(user) -> bool:
    return has_role(user, EDITOR) or (user is not None and user.is_staff and user.is_active)


def can_edit_annotation(user, annotation) -> bool:
    if not can_annotate(user):
        return False
    return annotation.author_id == user.pk or is_moderator(user)


def can_view_annotation(user, annotation) -> bool:
    if annotation.deleted_at is not None:
        return False
    is_author = user is not None and user.is_authenticated and annotation.author_id == user.pk
    if annotation.hidden_at is not None and not (is_author or is_moderator(user)):
        return False
    return annotation.visibility == "shared" or is_author


def can_moderate_annotation(user, annotation) -> bool:
    """Return whether user may hide or unhide annotation (moderators only)."""
    return is_moderator(user)


def can_manage_labels(user) -> bool:
    return is_moderator(user)


def can_edit_claim(user, claim) -> bool:
    """Return whether user may change a claim: moderators, and the annotator who made it."""
    if not can_annotate(user):
        return False
    return is_moderator(user) or claim.created_by_id == user.pk


def can_add_evidence(user, claim) -> bool:
    # Finding sources is everyone's work: any annotator may add evidence to any claim.
    return can_annotate(user)


def can_remove_evidence(user, evidence) -> bool:
    if not can_annotate(user):
        return False
    return is_moderator(user) or evidence.added_by_id == user.pk
