from django import template

from annotations.core import permissions

register = template.Library()


@register.filter
def can_reattach(annotation, user) -> bool:
    """Return whether user may re-attach the annotation (its author or a moderator)."""
    return permissions.can_edit_annotation(user, annotation)
