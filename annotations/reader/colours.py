"""The highlights' colours, as a stylesheet: one rule per label, so that marks carry only a class.

A body with thousands of highlights paints thousands of marks; each naming its colour in a
style attribute made a large part of the page. The class of a mark (reading.rows._look) names
the label whose colour it shows, and this stylesheet gives each such class its colour. The
page links it with a version made of the labels' colours, so a browser keeps it until a label
changes; every response that repaints the body swaps the link in again (out of band), so a
label made after the page was loaded gets its colour too.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from annotations.core.painting import checked_class, checked_colour
from annotations.models import Label
from annotations.reader.reading.rows import PLAIN_COLOUR

YEAR = 365 * 24 * 3600


def _rules(labels) -> str:
    rules = [f"mark.hl.hl-plain{{--hl:{PLAIN_COLOUR}}}"]
    for label in sorted(labels, key=lambda label: label.pk):
        kind = "status" if label.is_status else "tag"
        name = checked_class(f"hl-{kind}-{label.slug}")
        colour = checked_colour(label.colour)
        if name and colour:
            rules.append(f"mark.hl.{name}{{--hl:{colour}}}")
    return "\n".join(rules) + "\n"


def _seen_by(labels, user) -> list:
    """Return the labels whose names user may see (a private tag's name is its owner's alone)."""
    mine = user.pk if user.is_authenticated else None
    return [label for label in labels if label.private_to_id in (None, mine)]


def colours_url(labels, user) -> str:
    """Return the stylesheet's address for user, given all the labels; versioned by its rules."""
    rules = _rules(_seen_by(labels, user))
    version = hashlib.blake2b(rules.encode(), digest_size=8).hexdigest()
    return f"{reverse('annotations:colours')}?v={version}"


@require_GET
def label_colours(request) -> HttpResponse:
    """Return the stylesheet of the colours of the labels the reader may see.

    Kept a year when asked by its version (the address changes with the rules). Signed-in
    readers' may hold their private tags' names: only their browser keeps it.
    """
    labels = list(Label.objects.visible_to(request.user))
    rules = _rules(labels)
    response = HttpResponse(rules, content_type="text/css; charset=utf-8")
    current = hashlib.blake2b(rules.encode(), digest_size=8).hexdigest()
    scope = "private" if request.user.is_authenticated else "public"
    if request.GET.get("v") == current:
        response["Cache-Control"] = f"{scope}, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response
