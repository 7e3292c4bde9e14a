"""Importing a file of annotations, each through the same service as the reader.

Each item is written in its own transaction, so an item that fails leaves nothing behind.
Hypothesis replies come after every annotation of the file (h's search lists them in any
order), each after the replies it answers, and are written by the same service as a reply
posted in a discussion.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import Resolver404, resolve

from annotations.core import permissions
from annotations.core.services.replies import reply_create
from annotations.interop.imports.files import (
    HYPOTHESIS,
    ImportReport,
    ItemResult,
    load_items,
)
from annotations.interop.imports.hypothesis import (
    HypothesisItem,
    imported_annotation,
    imported_reply,
    local_account,
    parse_hypothesis,
    reply_origin,
    thread_of,
)
from annotations.interop.imports.placing import ArticleResolver, annotation_from_parsed
from annotations.interop.webannotation import (
    ParsedAnnotation,
    Urls,
    WebAnnotationError,
    parse_annotation,
)
from articles.models import Article

ALREADY = "already imported (the same Hypothesis id): left as it is"
FAILURES = (WebAnnotationError, ValidationError, PermissionDenied, IntegrityError)


def _local_author(parsed: ParsedAnnotation, urls: Urls):
    """Return the local user an exported annotation's creator names, if there is one."""
    username = ""
    if parsed.creator_iri and urls.owns(parsed.creator_iri):
        try:
            match = resolve(urlsplit(parsed.creator_iri).path)
        except Resolver404:
            match = None
        if match is not None and match.view_name == "api:user-detail":
            username = match.kwargs["username"]
    username = username or parsed.creator_name
    if not username:
        return None
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _reason(exc: Exception) -> str:
    if isinstance(exc, IntegrityError):
        return "another import was writing the same Hypothesis id at the same time: try again"
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class _Importer:
    def __init__(self, *, user, urls: Urls, article: Article | None, keep_authors: bool):
        self.user, self.urls, self.keep_authors = user, urls, keep_authors
        self.resolver = ArticleResolver(urls, forced=article)

    def author(self, parsed: ParsedAnnotation, account: str | None, result: ItemResult):
        """Return who the item is written by: the importer, or its creator if kept."""
        if not self.keep_authors:
            return self.user
        # An h creator is acct:name@authority: the local user of that name, if there is one.
        local = local_account(account) if account is not None else None
        local = local or _local_author(parsed, self.urls)
        if local is not None and permissions.can_annotate(local):
            return local
        result.warnings.append(
            f"creator “{parsed.creator_name or parsed.creator_iri}” is not a local "
            f"annotator: imported as {self.user.get_username()}"
        )
        return self.user

    def annotation(self, result: ItemResult, fmt: str, parsed, h: HypothesisItem | None):
        if h is not None and imported_annotation(h.id) is not None:
            result.annotation, result.already = imported_annotation(h.id), True
            result.warnings.append(ALREADY)
            return
        found = self.resolver.resolve(parsed)
        author = self.author(parsed, h.account if h else None, result)
        try:
            result.annotation = annotation_from_parsed(
                parsed,
                article=found.article,
                author=author,
                imported_by=self.user,
                origin_format=fmt,
                loose=True,
                allow_fuzzy=found.sure,
                warnings=result.warnings,
                external_id=h.id if h else "",
            )
        except ValidationError as exc:
            if found.how == "chosen":
                raise
            reason = " ".join(exc.messages).rstrip(".")
            raise ValidationError(
                f"{reason} (the article “{found.article.title}”, found by {found.how})."
            ) from None

    def reply(self, result: ItemResult, h: HypothesisItem):
        if not h.id:
            raise WebAnnotationError("a reply needs its Hypothesis id to find its place")
        existing = imported_reply(h.id)
        if existing is not None:
            result.reply, result.already = existing, True
            result.warnings.append(ALREADY)
            return
        annotation, parent, warnings = thread_of(h)
        result.warnings += warnings
        result.reply = reply_create(
            author=self.author(h.parsed, h.account, result),
            body=h.parsed.note,
            annotation=annotation,
            parent=parent,
            origin=reply_origin(h, self.user),
        )


def import_annotations(
    raw: bytes | str,
    *,
    user,
    urls: Urls,
    article: Article | None = None,
    keep_authors: bool = False,
) -> ImportReport:
    """Import every annotation in a file for user; see the package docstring."""
    if not permissions.can_annotate(user):
        raise PermissionDenied("You cannot annotate, so you cannot import annotations.")
    items = load_items(raw)
    importer = _Importer(user=user, urls=urls, article=article, keep_authors=keep_authors)
    report = ImportReport([ItemResult(index) for index in range(1, len(items) + 1)])
    replies: list[tuple[ItemResult, HypothesisItem]] = []
    for result, (fmt, item) in zip(report.results, items, strict=True):
        try:
            h = parse_hypothesis(item) if fmt == HYPOTHESIS else None
            if h is not None and h.is_reply:
                replies.append((result, h))
                continue
            parsed = h.parsed if h is not None else parse_annotation(item)
            result.warnings += parsed.warnings
            importer.annotation(result, fmt, parsed, h)
        except FAILURES as exc:
            result.reason = _reason(exc)
    # A reply comes after what it answers: the longer its thread, the later.
    for result, h in sorted(replies, key=lambda pair: len(pair[1].references)):
        try:
            importer.reply(result, h)
        except FAILURES as exc:
            result.reason = _reason(exc)
    return report
