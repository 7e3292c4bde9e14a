"""What other apps add to an article's reader page; the articles app shows the text alone.

The reader page has extension points: its stylesheets (`styles`), the links in its head
(`links`: what other services the page has, as <link> elements), above the body (`header`),
beside it (`aside`) and after the page (`scripts`), each a template an extension names. An
extension's context function adds what those templates need, and may set `reader_body` to show
a copy of the body in place of the stored one (the annotations app paints its highlights into
one).

Apps register from their AppConfig.ready(), as Wagtail's hooks are filled, so the articles app
never imports the apps that extend its reader: without them the page still shows the article.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Expression
from django.http import HttpRequest

from .models import Article

SLOTS = ("styles", "links", "header", "aside", "scripts")


@dataclass(frozen=True)
class PageStamp:
    """What an extension adds to the key of a cached reader page (articles.pages), per request.

    `columns()` are read with the article's row in the one query a cache hit costs (expressions
    over that row: OuterRef("pk") is the article). Compiling that query is most of a hit's
    work, so it is compiled once per `shape` and reused: the columns must be the same for
    requests of the same shape (e.g. "anonymous", or "user:<id>" when they name the user).
    `key` turns their values into this extension's part of the key, or None when this
    request's page must not be cached (it shows something only this reader sees that the
    columns cannot date). An entry is used only while the cache values at `tokens` are the
    ones it was made under (e.g. the labels' token); each comes with what makes it when the
    cache has none yet.
    """

    shape: str
    columns: Callable[[], dict[str, Expression]]
    key: Callable[[dict], str | None]
    tokens: dict[str, Callable[[], str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ReaderExtension:
    """One app's part of the reader page: its context and the templates of its slots."""

    name: str
    context: Callable[[HttpRequest, Article], dict]  # adds to the page's context
    styles: str = ""  # in the page's styles block: the stylesheets the other slots need
    links: str = ""  # in the page's head: <link> elements (e.g. where its annotations are served)
    header: str = ""  # between the article's header and its body
    aside: str = ""  # beside the article, the side panel
    scripts: str = ""  # in the page's scripts block
    # Whether and how its part of the page may be cached (None: the page never is).
    stamp: Callable[[HttpRequest], PageStamp] | None = None


_extensions: dict[str, ReaderExtension] = {}


def register_reader_extension(extension: ReaderExtension) -> None:
    """Add an extension to every reader page; registering its name again replaces it."""
    _extensions[extension.name] = extension


def reader_extensions() -> list[ReaderExtension]:
    """Return the registered extensions, in the order they were first registered."""
    return list(_extensions.values())


def extension_context(request: HttpRequest, article: Article) -> dict:
    """Return the context the extensions add to article's reader page, and their slots."""
    context: dict = {}
    slots: dict[str, list[str]] = {slot: [] for slot in SLOTS}
    for extension in reader_extensions():
        context.update(extension.context(request, article))
        for slot in SLOTS:
            if template := getattr(extension, slot):
                slots[slot].append(template)
    return {**context, "reader_slots": slots}
