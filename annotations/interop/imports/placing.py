"""Placing a parsed annotation: find its article, its passage, its claim and status."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import Resolver404, resolve

from annotations.core import permissions
from annotations.core.services import annotation_create
from annotations.interop.imports.files import W3C
from annotations.interop.webannotation import ParsedAnnotation, Urls, normalise_url, reader_pk
from annotations.models import Annotation, AnnotationOrigin, Claim, Label
from articles.models import Article


@dataclass(frozen=True)
class Found:
    """The article an annotation goes on, and how it was told apart from the others."""

    article: Article
    how: str
    # Whether the article is known to be the annotation's own: by its original URL, by its
    # title, or because the importer named it. A reader URL alone only says where the article
    # was in the Claimlens that exported it: ids differ from one database to another.
    sure: bool = True


def same_title(article: Article, title: str) -> bool:
    """Tell whether title is the article's, but for case and white space."""
    return " ".join(article.title.split()).casefold() == " ".join(title.split()).casefold()


class ArticleResolver:
    """Find the article an annotation is on: by its original URL, then by our reader URL.

    Calling it with a source (the API) takes either. resolve() (imports) also reads what a
    Claimlens export says of the article, so that an annotation exported from another
    database, where article ids and the address differ, finds its article or is refused.
    """

    def __init__(self, urls: Urls, forced: Article | None = None):
        self.urls = urls
        self.forced = forced
        self._cache: dict[tuple[str, str], Article | None] = {}

    def __call__(self, source: str | None) -> Article | None:
        if self.forced is not None:
            return self.forced
        if not source:
            return None
        return self._by_reader_url(source) or self._by_original_url(source)

    def _cached(self, kind: str, key: str, find) -> Article | None:
        if (kind, key) not in self._cache:
            self._cache[kind, key] = find(key)
        return self._cache[kind, key]

    def _by_reader_url(self, iri: str) -> Article | None:
        pk = self.urls.article_id(iri)
        if pk is None:
            return None
        return self._cached("pk", str(pk), lambda key: Article.objects.filter(pk=key).first())

    def _by_original_url(self, source: str) -> Article | None:
        return self._cached("url", source, _article_at)

    def _by_title(self, title: str) -> list[Article]:
        found = Article.objects.filter(title__iexact=title).only("title")[:2]
        return [a for a in found if same_title(a, title)]

    def resolve(self, parsed: ParsedAnnotation) -> Found:
        """Return the article parsed is on, or raise ValidationError saying why there is none."""
        if self.forced is not None:
            return Found(self.forced, "chosen")
        source = parsed.source
        if not source:
            raise ValidationError("its target names no article: name the article with --article")
        article = self._by_original_url(source)
        if article is not None:
            return Found(article, "its original URL")
        refusal = None
        for reader in [source, *parsed.scope]:
            article = self._by_reader_url(reader)
            if article is not None:
                try:
                    return self._check_reader_match(article, reader, parsed)
                except ValidationError as exc:
                    refusal = exc
                    break
        if parsed.title and not parsed.scope and reader_pk(source) is not None:
            # A Claimlens export names an article without an original URL by its reader URL
            # over there; here it is the article with that title, if only one has it.
            matches = self._by_title(parsed.title)
            if len(matches) == 1:
                return Found(Article.objects.get(pk=matches[0].pk), "its title")
            if matches:
                raise ValidationError(
                    f"several articles are titled “{parsed.title}”: name the article with --article"
                )
        if refusal is not None:
            raise refusal
        names = " or ".join(dict.fromkeys([source, *parsed.scope]))
        titled = f" (“{parsed.title}”)" if parsed.title else ""
        raise ValidationError(
            f"its article{titled} is not in Claimlens (target {names}): import the article "
            "first, or name it with --article"
        )

    def _check_reader_match(self, article: Article, reader: str, parsed) -> Found:
        """Return article, found by its reader URL, unless something says it is another one."""
        original = parsed.source if parsed.source != reader else ""
        here = f"{reader} is “{article.title}” here"
        if original and article.source_url:
            # Had it been this article, its original URL would have found it.
            raise ValidationError(
                f"{here}, from {article.source_url}, not the article at {original} (article "
                "ids differ between databases): import the article first, or name it with "
                "--article"
            )
        if parsed.title and not same_title(article, parsed.title):
            raise ValidationError(
                f"{here}, not “{parsed.title}” (article ids differ between databases): import "
                "the article first, or name it with --article"
            )
        if parsed.title:
            return Found(article, "its reader URL and title")
        if not parsed.exact:
            what = "a note on the whole article" if parsed.is_page_note else "a position alone"
            raise ValidationError(
                f"{what} on {reader} gives no title or original URL to check that it is the "
                "same article here (article ids differ between databases): name the article "
                "with --article"
            )
        return Found(article, "its reader URL", sure=False)


def _article_at(source: str) -> Article | None:
    """Return the article whose original URL source is, letting case and a slash differ."""
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


def default_status_name(title: str, *, user=None) -> str:
    """Return the status of the claim with this title `user` sees, else the first status.

    Someone else's private claim of that title is not looked at: its status is theirs.
    """
    existing = (
        Claim.objects.visible_to(user)
        .filter(title__iexact=title)
        .select_related("status")
        # The shared claim of that title before the user's own private one.
        .order_by(F("private_to").asc(nulls_first=True))
        .first()
    )
    if existing is not None:
        return existing.status.name
    first = Label.objects.statuses().order_by("position", "name").first()
    if first is None:
        raise ValidationError("There are no claim statuses: a moderator must create one.")
    return first.name


def _claim_title_from_iri(iri: str, *, user) -> str:
    """Return the title of our claim at iri (a claim page URL) that `user` may see, or "".

    A link to someone else's private claim finds nothing, as a link to no claim does.
    """
    try:
        match = resolve(urlsplit(iri).path)
    except Resolver404:
        match = None
    slug = match.kwargs.get("slug") if match is not None else None
    if slug is None:
        parts = [p for p in urlsplit(iri).path.split("/") if p]
        slug = unquote(parts[1]) if len(parts) >= 2 and parts[0] == "claims" else None
    claim = Claim.objects.visible_to(user).filter(slug=slug).first() if slug else None
    return claim.title if claim is not None else ""


def _quote(parsed: ParsedAnnotation, text: str) -> dict:
    """Return the selectors of parsed as annotation_create takes them, the quote read off text.

    An annotation that gives only a position quotes what the article has there.
    """
    quote = {key: getattr(parsed, key) for key in ("exact", "prefix", "suffix", "start", "end")}
    if parsed.has_selector and not parsed.exact:
        if parsed.end > len(text) or parsed.start == parsed.end:
            raise ValidationError("The TextPositionSelector is outside the article's text.")
        quote["exact"] = text[parsed.start : parsed.end]
    return quote


def _origin(parsed: ParsedAnnotation, origin_format: str | None, imported_by, external_id: str):
    """Return the unsaved record of where parsed came from, or None when it says nothing."""
    if origin_format is None and not (parsed.original_id or parsed.canonical):
        return None
    return AnnotationOrigin(
        format=origin_format or W3C,
        external_id=external_id,
        original_id=parsed.original_id,
        canonical=parsed.canonical,
        creator_name=parsed.creator_name,
        creator_iri=parsed.creator_iri,
        created=parsed.created,
        imported_by=imported_by,
    )


@transaction.atomic
def annotation_from_parsed(
    parsed: ParsedAnnotation,
    *,
    article: Article,
    author,
    imported_by=None,
    origin_format: str | None = None,
    loose: bool = False,
    allow_fuzzy: bool = True,
    warnings: list[str] | None = None,
    external_id: str = "",
) -> Annotation:
    """Create an annotation from parsed JSON through services.annotation_create.

    origin_format is set for imports: they keep the original date and always record where
    the annotation came from. The API records an origin only for an id or canonical IRI sent.
    Both place the quote with annotations.core.anchoring, approximately if need be (unless
    `allow_fuzzy` is off: the article may not be the quote's); `loose` (imports) notes in
    warnings when the article's text differs from the quote. `external_id` (a Hypothesis
    id) is kept in the origin, so that importing it again finds this annotation.
    """
    warnings = warnings if warnings is not None else []
    quote = _quote(parsed, article.body_text)
    # Claim links and titles are read as the importing user sees claims.
    viewer = imported_by or author
    if not parsed.claim_title and parsed.claim_iri:
        parsed.claim_title = _claim_title_from_iri(parsed.claim_iri, user=viewer)
    if parsed.claim_title and not parsed.claim_status:
        parsed.claim_status = default_status_name(parsed.claim_title, user=viewer)
    annotation = annotation_create(
        article=article,
        author=author,
        **quote,
        note=parsed.note,
        tags=parsed.tag_field(),
        visibility=parsed.visibility,
        allow_fuzzy=allow_fuzzy,
        claimant=parsed.claimant,
        claimant_type=parsed.claimant_type,
        created_at=parsed.created if origin_format is not None else None,
        origin=_origin(parsed, origin_format, imported_by, external_id),
    )
    exact = quote["exact"]
    if loose and exact and annotation.exact != exact:
        if annotation.anchor == Annotation.Anchor.FUZZY:
            warnings.append(
                f"placed approximately (score {annotation.anchor_score:.2f}): "
                f"the article reads “{annotation.exact}”"
            )
        else:
            warnings.append("placed by its words: the quote's spacing differs from the article's")
    claim = annotation.claim
    # Said to the importing user: not of a claim private to the author they import for.
    seen = claim is not None and permissions.can_see_claim(viewer, claim)
    if seen and claim.status.name.lower() != parsed.claim_status.lower():
        warnings.append(
            f"the claim “{claim.title}” keeps its status “{claim.status.name}”: "
            "only a moderator changes the status of an existing claim"
        )
    return annotation
