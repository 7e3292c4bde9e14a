"""What other apps add to the rows of the article list; the articles app lists articles alone.

An extension gives a function that is handed the page's articles (once per page, so it can
fetch what it adds for all of them in one query) and sets attributes on them, and a template
included in each row's line of details, where `article` is the row's article. Apps register
from their AppConfig.ready(), as with reader_hooks: the articles app never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Article


@dataclass(frozen=True)
class ListExtension:
    """One app's part of the article list: what it adds to a page's articles, and shows."""

    name: str
    annotate: Callable[[HttpRequest, Sequence[Article]], None]  # sets attributes on the page's
    row: str  # a template in each row's details


_extensions: dict[str, ListExtension] = {}


def register_list_extension(extension: ListExtension) -> None:
    """Add an extension to every article list; registering its name again replaces it."""
    _extensions[extension.name] = extension


def list_extensions() -> list[ListExtension]:
    """Return the registered extensions, in the order they were first registered."""
    return list(_extensions.values())


def extend_rows(request: HttpRequest, articles: Sequence[Article]) -> list[str]:
    """Let each extension add to the page's articles; return the templates their rows include."""
    articles = list(articles)
    extensions = list_extensions()
    for extension in extensions:
        if articles:
            extension.annotate(request, articles)
    return [extension.row for extension in extensions]
