"""{% card_url %}: {% url %} for the links every card of the reader's panel repeats.

A panel of 25 cards reversed some 85 URLs, each a walk of the resolver. Each of these URL
names takes one argument (an annotation's id, a claim's slug), so it is reversed once with a
marker in the argument's place, and every card then joins its own argument into the two
halves. Anything the halves could not be trusted for (an argument that is not a plain int or
slug) is reversed as {% url %} would.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django import template
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

register = template.Library()

_INT_MARKER = 918273645  # digits no real id or slug in a reversed path is made of
_SLUG_MARKER = "zq918273645qz"
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


@lru_cache(maxsize=64)
def _halves(name: str, prefix: str, urlconf) -> tuple[bool, str, str] | None:
    """Return (takes an int, before, after) of name's URL around its argument, or None."""
    for is_int, marker in ((True, _INT_MARKER), (False, _SLUG_MARKER)):
        try:
            url = reverse(name, args=[marker], urlconf=urlconf)
        except NoReverseMatch:
            continue
        if url.count(str(marker)) == 1:
            before, after = url.split(str(marker))
            return is_int, before, after
    return None


@register.simple_tag
def card_url(name: str, value) -> str:
    """Return reverse(name, args=[value]), as {% url name value %} does (escaped likewise).

    Usage: {% card_url 'annotations:edit' a.pk as edit_url %}
    """
    halves = _halves(name, get_script_prefix(), get_urlconf())
    if halves is not None:
        is_int, before, after = halves
        if is_int and type(value) is int and value >= 0:
            return f"{before}{value}{after}"
        if not is_int and isinstance(value, str) and _SLUG.match(value):
            return f"{before}{value}{after}"
    return reverse(name, args=[value])
