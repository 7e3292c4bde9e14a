"""Every URL pattern of the project, with its full route and namespaced name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass
class Pattern:
    name: str  # "namespace:name"
    route: str
    defaults: dict


def url_patterns(patterns=None, prefix="", namespace=""):
    """Yield every URL pattern of the project, with its full route and namespaced name."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            yield Pattern(
                f"{namespace}:{pattern.name}", prefix + str(pattern.pattern), pattern.default_args
            )


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def build_url(route: str, values: dict) -> str:
    route = route.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + PARAM.sub(lambda m: str(values[m.group(2) or m.group(3)]), route)
