"""Annotations into Claimlens: W3C Web Annotation JSON-LD and Hypothesis JSON, placed by quote.

An imported annotation is written by the person importing it (the command's --user), who
answers for it here; the original author, id and date are kept in an AnnotationOrigin so that
nothing is lost. `keep_authors` (command line only, for restoring a Claimlens export) gives
each annotation back to the local user its creator names instead.

Each item is imported in its own transaction; an item that cannot be placed or read is
reported with its number and the reason, and the others are still imported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve

from articles.models import Article

from . import permissions
from .anchoring import locate
from .models import Annotation, AnnotationOrigin, Claim, Label
from .services import annotation_create
from .webannotation import (
    ParsedAnnotation,
    Urls,
    WebAnnotationError,
    as_list,
    clean_tag,
    clean_text,
    is_iri,
    normalise_url,
    parse_annotation,
    parse_datetime,
    parse_selectors,
)

W3C, HYPOTHESIS = AnnotationOrigin.Format.W3C, AnnotationOrigin.Format.HYPOTHESIS


class ImportFileError(ValueError):
    """Raised when a file is not JSON or holds no annotations we know how to read."""


@dataclass
class ItemResult:
    index: int  # 1-based position in the file
    annotation: Annotation | None = None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.annotation is not None


@dataclass
class ImportReport:
    results: list[ItemResult] = field(default_factory=list)

    @property
    def created(self) -> list[Annotation]:
        return [r.annotation for r in self.results if r.ok]

    @property
    def failures(self) -> list[ItemResult]:
        return [r for r in self.results if not r.ok]


# --- reading files ---------------------------------------------------------------------------


def load_items(raw: bytes | str) -> list[tuple[str, object]]:
    """Return the annotations in a file as (format, item) pairs, in file order."""
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ImportFileError(f"The file is not JSON: {exc}") from None
    return items_of(doc)


def _is_hypothesis(item) -> bool:
    return isinstance(item, dict) and "type" not in item and ("uri" in item or "user" in item)


def items_of(doc) -> list[tuple[str, object]]:
    """Find the annotations in a document: one, a list, a collection, a page or a H. export."""
    if isinstance(doc, list):
        return [(HYPOTHESIS if _is_hypothesis(item) else W3C, item) for item in doc]
    if not isinstance(doc, dict):
        raise ImportFileError("The file holds neither an annotation nor a list of them.")
    kinds = as_list(doc.get("type"))
    if "AnnotationCollection" in kinds:
        first = doc.get("first")
        if first is None:  # an empty collection
            return []
        if not isinstance(first, dict):
            raise ImportFileError(
                "The collection links to its pages instead of embedding them: "
                "export it with the annotations embedded."
            )
        return items_of(as_list(first.get("items")))
    if "AnnotationPage" in kinds:
        return items_of(as_list(doc.get("items")))
    if "Annotation" in kinds or "oa:Annotation" in kinds:
        return [(W3C, doc)]
    for key in ("rows", "annotations"):  # Hypothesis: search API response / client export
        if isinstance(doc.get(key), list):
            return items_of(doc[key])
    if _is_hypothesis(doc):
        return [(HYPOTHESIS, doc)]
    raise ImportFileError(
        "No annotations found: expected W3C Web Annotations (one, a list, an "
        "AnnotationCollection or AnnotationPage) or Hypothesis annotations."
    )


def _hypothesis_link(item: dict) -> str:
    links = item.get("links") if isinstance(item.get("links"), dict) else {}
    for key in ("html", "incontext"):
        if is_iri(links.get(key)):
            return links[key]
    user = item.get("user")
    if isinstance(item.get("id"), str) and isinstance(user, str) and user.endswith("@hypothes.is"):
        return f"https://hypothes.is/a/{item['id']}"
    return ""


def parse_hypothesis(item) -> ParsedAnnotation:
    """Return what a Hypothesis annotation (API or export JSON) says."""
    if not isinstance(item, dict):
        raise WebAnnotationError("An annotation must be a JSON object.")
    if item.get("references"):
        raise WebAnnotationError("it is a reply to another annotation; Claimlens has no replies")
    parsed = ParsedAnnotation()
    targets = as_list(item.get("target"))
    target = targets[0] if targets else {}
    if not isinstance(target, dict):
        raise WebAnnotationError("The target must be a JSON object.")
    source = target.get("source") or item.get("uri")
    if source is not None:
        parsed.source = clean_text(source, "The target's source")
    parse_selectors(as_list(target.get("selector")), parsed)
    parsed.note = clean_text(item.get("text") or "", "The text")
    for tag in as_list(item.get("tags")):
        tag = clean_tag(tag, parsed)
        if tag and tag.lower() not in {t.lower() for t in parsed.tags}:
            parsed.tags.append(tag)
    read = (
        (item.get("permissions") or {}).get("read")
        if isinstance(item.get("permissions"), dict)
        else None
    )
    if isinstance(read, list) and "group:__world__" not in read:
        parsed.visibility = "private"
    user = item.get("user") if isinstance(item.get("user"), str) else ""
    info = item.get("user_info") if isinstance(item.get("user_info"), dict) else {}
    display = info.get("display_name") if isinstance(info.get("display_name"), str) else ""
    account = user.removeprefix("acct:").split("@")[0]
    parsed.creator_name = clean_text(display or account, "The user")[:200]
    parsed.creator_iri = clean_text(user, "The user")[:2000]
    parsed.original_id = _hypothesis_link(item)
    parsed.created = parse_datetime(item.get("created"))
    return parsed


# --- placing ---------------------------------------------------------------------------------


class ArticleResolver:
    """Find the article an annotation is on: ours by reader URL, else by its original URL."""

    def __init__(self, urls: Urls, forced: Article | None = None):
        self.urls = urls
        self.forced = forced
        self._cache: dict[str, Article | None] = {}

    def __call__(self, source: str | None) -> Article | None:
        if self.forced is not None:
            return self.forced
        if not source:
            return None
        if source not in self._cache:
            self._cache[source] = self._find(source)
        return self._cache[source]

    def _find(self, source: str) -> Article | None:
        pk = self.urls.article_id(source)
        if pk is not None:
            return Article.objects.filter(pk=pk).first()
        bare = source.split("#")[0].strip()
        candidates = {bare, bare.rstrip("/"), bare.rstrip("/") + "/"}
        match = Article.objects.filter(source_url__in=candidates).first()
        if match is not None:
            return match
        wanted = normalise_url(bare)
        # Scheme or host case may differ; compare normalised forms of the few same-path URLs.
        path = urlsplit(bare).path.rstrip("/")
        for article in Article.objects.filter(source_url__contains=path or bare).only("source_url"):
            if normalise_url(article.source_url) == wanted:
                return Article.objects.get(pk=article.pk)
        return None


def _loose_placement(text: str, parsed: ParsedAnnotation) -> tuple[str, int, int] | None:
    """Find the quote allowing different white space (pages put line breaks where we don't)."""
    words = parsed.exact.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    prefix_words, suffix_words = parsed.prefix.split(), parsed.suffix.split()

    def context(match) -> tuple[int, int]:
        before = text[max(0, match.start() - len(parsed.prefix) - 8) : match.start()].split()
        after = text[match.end() : match.end() + len(parsed.suffix) + 8].split()
        score = sum(
            1 for a, b in zip(reversed(before), reversed(prefix_words), strict=False) if a == b
        )
        score += sum(1 for a, b in zip(after, suffix_words, strict=False) if a == b)
        distance = abs(match.start() - parsed.start) if parsed.start is not None else 0
        return (-score, distance)

    best = min(matches, key=context)
    return best.group(0), best.start(), best.end()


def default_status_name(title: str) -> str:
    """Return the status of the existing claim with this title, else the first status."""
    existing = Claim.objects.filter(title__iexact=title).select_related("status").first()
    if existing is not None:
        return existing.status.name
    first = Label.objects.statuses().order_by("position", "name").first()
    if first is None:
        raise ValidationError("There are no claim statuses: a moderator must create one.")
    return first.name


def _claim_title_from_iri(iri: str) -> str:
    """Return the title of our claim at iri (a claim page URL), or ""."""
    try:
        match = resolve(urlsplit(iri).path)
    except Resolver404:
        match = None
    slug = match.kwargs.get("slug") if match is not None else None
    if slug is None:
        parts = [p for p in urlsplit(iri).path.split("/") if p]
        slug = unquote(parts[1]) if len(parts) >= 2 and parts[0] == "claims" else None
    claim = Claim.objects.filter(slug=slug).first() if slug else None
    return claim.title if claim is not None else ""


@transaction.atomic
def annotation_from_parsed(
    parsed: ParsedAnnotation,
    *,
    article: Article,
    author,
    imported_by=None,
    origin_format: str | None = None,
    loose: bool = False,
    warnings: list[str] | None = None,
) -> Annotation:
    """Create an annotation from parsed JSON through services.annotation_create.

    origin_format is set for imports: they keep the original date and always record where
    the annotation came from. The API records an origin only for an id or canonical IRI sent.
    """
    warnings = warnings if warnings is not None else []
    exact, prefix, suffix = parsed.exact, parsed.prefix, parsed.suffix
    start, end = parsed.start, parsed.end
    text = article.body_text
    if parsed.has_selector and not exact:
        if end > len(text) or start == end:
            raise ValidationError("The TextPositionSelector is outside the article's text.")
        exact = text[start:end]
    if (
        exact
        and loose
        and locate(text, exact=exact, prefix=prefix, suffix=suffix, start=start, end=end) is None
    ):
        found = _loose_placement(text, parsed)
        if found is not None:
            exact, start, end = found
            warnings.append("placed by its words: the quote's spacing differs from the article's")
    if not parsed.claim_title and parsed.claim_iri:
        parsed.claim_title = _claim_title_from_iri(parsed.claim_iri)
    if parsed.claim_title and not parsed.claim_status:
        parsed.claim_status = default_status_name(parsed.claim_title)
    annotation = annotation_create(
        article=article,
        author=author,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        note=parsed.note,
        tags=parsed.tag_field(),
        visibility=parsed.visibility,
    )
    claim = annotation.claim
    if claim is not None:
        if parsed.claimant and not claim.claimant:
            Claim.objects.filter(pk=claim.pk).update(claimant=parsed.claimant)
            claim.claimant = parsed.claimant
        if claim.status.name.lower() != parsed.claim_status.lower():
            warnings.append(
                f"the claim “{claim.title}” keeps its status “{claim.status.name}”: "
                "only a moderator changes the status of an existing claim"
            )
    if origin_format is not None and parsed.created is not None:
        Annotation.objects.filter(pk=annotation.pk).update(created_at=parsed.created)
        annotation.created_at = parsed.created
    if origin_format is not None or parsed.original_id or parsed.canonical:
        AnnotationOrigin.objects.create(
            annotation=annotation,
            format=origin_format or W3C,
            original_id=parsed.original_id,
            canonical=parsed.canonical,
            creator_name=parsed.creator_name,
            creator_iri=parsed.creator_iri,
            created=parsed.created,
            imported_by=imported_by,
        )
    return annotation


# --- importing -------------------------------------------------------------------------------


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


def import_annotations(
    raw: bytes | str,
    *,
    user,
    urls: Urls,
    article: Article | None = None,
    keep_authors: bool = False,
) -> ImportReport:
    """Import every annotation in a file for user; see the module docstring."""
    if not permissions.can_annotate(user):
        raise PermissionDenied("You cannot annotate, so you cannot import annotations.")
    items = load_items(raw)
    resolver = ArticleResolver(urls, forced=article)
    report = ImportReport()
    for index, (fmt, item) in enumerate(items, start=1):
        result = ItemResult(index)
        try:
            parsed = parse_hypothesis(item) if fmt == HYPOTHESIS else parse_annotation(item)
            result.warnings += parsed.warnings
            target = resolver(parsed.source)
            if target is None:
                raise ValidationError(
                    f"its article is not in Claimlens (target {parsed.source or 'missing'}): "
                    "import the article first, or name it with --article"
                )
            author = user
            if keep_authors:
                local = _local_author(parsed, urls)
                if local is not None and permissions.can_annotate(local):
                    author = local
                else:
                    result.warnings.append(
                        f"creator “{parsed.creator_name or parsed.creator_iri}” is not a local "
                        f"annotator: imported as {user.get_username()}"
                    )
            result.annotation = annotation_from_parsed(
                parsed,
                article=target,
                author=author,
                imported_by=user,
                origin_format=fmt,
                loose=True,
                warnings=result.warnings,
            )
        except (WebAnnotationError, ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            result.reason = " ".join(messages)
        report.results.append(result)
    return report
