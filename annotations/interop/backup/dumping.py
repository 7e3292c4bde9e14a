"""Writing the backup: every part of the claim work, as one JSON-LD document."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from annotations.interop.backup.document import (
    CONTEXT,
    DOCUMENT_TYPE,
    FORMAT_VERSION,
    other_fields,
)
from annotations.interop.backup.records import (
    CLAIM_PEOPLE,
    FLAG_PEOPLE,
    annotation_record,
    claim_record,
    flag_record,
    history_record,
    label_record,
    name_of,
    reply_record,
)
from annotations.interop.claimreview import claimreview_json
from annotations.interop.exports import jsonld_collection
from annotations.interop.webannotation import Urls, iso
from annotations.models import (
    Annotation,
    Claim,
    Evidence,
    Flag,
    HistoryEntry,
    Label,
    Reply,
    Verdict,
)
from articles.models import Article, ArticleRevision


class Scope:
    """What goes into a backup: everything, or what one person may read (the admin download).

    A person's backup leaves out other people's private notes, the replies under them, the
    tags and claims only those notes name, and their history, as every page does.
    """

    def __init__(self, viewer=None):
        self.viewer = viewer

    @property
    def complete(self) -> bool:
        return self.viewer is None

    def annotations(self):
        if self.complete:
            return Annotation.objects.all()
        return Annotation.objects.exclude(
            pk__in=Annotation.objects.private_of_others(self.viewer).values("pk")
        )

    def labels(self):
        return Label.objects.all() if self.complete else Label.objects.visible_to(self.viewer)

    def claims(self):
        return Claim.objects.all() if self.complete else Claim.objects.visible_to(self.viewer)

    def replies(self):
        if self.complete:
            return Reply.objects.all()
        return Reply.objects.filter(
            Q(annotation__in=self.annotations().values("pk"))
            | Q(claim__in=self.claims().values("pk"))
        )

    def flags(self):
        if self.complete:
            return Flag.objects.all()
        return Flag.objects.filter(
            Q(annotation__in=self.annotations().values("pk"))
            | Q(reply__in=self.replies().values("pk"))
        )

    def history(self):
        if self.complete:
            return HistoryEntry.objects.all()
        return HistoryEntry.objects.visible_to(self.viewer)


def dump_claimwork(*, urls: Urls, viewer=None, request=None, with_articles: bool = True) -> dict:
    """Return the claim work as one JSON-LD document (see annotations.interop.backup).

    `viewer`: only what this person may read (the admin download); None: everything.
    `with_articles`: False names each article without its text (restore needs it there).
    """
    scope = Scope(viewer)
    annotations = list(
        scope.annotations()
        .with_related()
        .select_related("origin__imported_by", "hidden_by")
        .order_by("article_id", "start", "end", "pk")
    )
    return {
        "@context": CONTEXT,
        "type": DOCUMENT_TYPE,
        "formatVersion": FORMAT_VERSION,
        "generator": urls.generator(),
        "generated": iso(timezone.now()),
        "site": urls.base,
        "complete": scope.complete,
        "withArticleText": with_articles,
        "users": users_part(complete=scope.complete, urls=urls),
        "articles": articles_part(urls=urls, with_text=with_articles),
        "labels": [
            label_record(label)
            for label in scope.labels().select_related("private_to").order_by("pk")
        ],
        "claims": claims_part(scope, urls=urls, request=request),
        # The annotations as any Web Annotation client reads them (the export's mapping), and
        # beside them what the W3C model has no word for, by the same annotation id.
        "annotations": jsonld_collection(annotations, urls=urls),
        "annotationRecords": [annotation_record(a, urls) for a in annotations],
        "replies": replies_part(scope, urls=urls),
        "flags": [flag_record(flag) for flag in scope.flags().select_related(*FLAG_PEOPLE)],
        "history": [
            history_record(entry)
            for entry in scope.history().select_related("actor").order_by("id")
        ],
    }


def users_part(*, complete: bool, urls: Urls) -> list[dict]:
    """Return the accounts (never a password or a staff flag): who did the work, and roles."""
    rows = []
    for user in get_user_model().objects.prefetch_related("groups").order_by("pk"):
        row = {
            "pk": user.pk,
            "id": urls.user(user.get_username()),
            "type": "Person",
            "username": user.get_username(),
            "firstName": user.first_name,
            "lastName": user.last_name,
            "active": user.is_active,
            "joined": iso(user.date_joined),
            "groups": sorted(group.name for group in user.groups.all()),
        }
        if complete:  # an address is for the site's operator, not for every editor
            row["email"] = user.email
        rows.append(row)
    return rows


ARTICLE_FIELDS = {
    "title",
    "subtitle",
    "byline",
    "source_name",
    "source_url",
    "published_at",
    "language",
    "body_markdown",
    "created_at",
    "updated_at",
}


def articles_part(*, urls: Urls, with_text: bool) -> list[dict]:
    """Return every article: its details and, with_text, each revision's text as written."""
    articles = Article.objects.select_related("imported_by").order_by("pk")
    revisions: dict[int, list[ArticleRevision]] = {}
    if with_text:
        for revision in ArticleRevision.objects.select_related("created_by").order_by(
            "article_id", "number"
        ):
            revisions.setdefault(revision.article_id, []).append(revision)
    rows = []
    for article in articles:
        row = {
            "pk": article.pk,
            "id": article.source_url or urls.article(article),
            "type": "Article",
            "reader": urls.article(article),
            "sourceUrl": article.source_url,
            "title": article.title,
            "sourceName": article.source_name,
            "published": iso(article.published_at),
            "language": article.language,
            "revision": article.revision_number,
            "contentHash": article.content_hash,
            "created": iso(article.created_at),
            "modified": iso(article.updated_at),
            "importedBy": name_of(article.imported_by),
            "otherFields": other_fields(article, ARTICLE_FIELDS),
        }
        if with_text:
            row["revisions"] = [
                {
                    "number": r.number,
                    "title": r.title,
                    "subtitle": r.subtitle,
                    "byline": r.byline,
                    "bodyMarkdown": r.body_markdown,
                    "contentHash": r.content_hash,
                    "created": iso(r.created_at),
                    "createdBy": name_of(r.created_by),
                }
                for r in revisions.get(article.pk, [])
            ]
        rows.append(row)
    return rows


def claims_part(scope: Scope, *, urls: Urls, request=None) -> list[dict]:
    """Return each claim with its evidence, verdicts, and its ClaimReview once published."""
    claims = scope.claims().select_related(*CLAIM_PEOPLE).order_by("pk")
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.select_related("added_by").order_by(
        "claim_id", "created_at", "pk"
    ):
        evidence.setdefault(item.claim_id, []).append(item)
    verdicts: dict[int, list[Verdict]] = {}
    for verdict in Verdict.objects.select_related("user").order_by("claim_id", "pk"):
        verdicts.setdefault(verdict.claim_id, []).append(verdict)
    rows = []
    for claim in claims:
        row = claim_record(claim, urls, evidence.get(claim.pk, []), verdicts.get(claim.pk, []))
        review = claimreview_json(claim, request)
        if review is not None:
            # As published: the loader compares what it publishes with this.
            row["review"] = review
        rows.append(row)
    return rows


def replies_part(scope: Scope, *, urls: Urls) -> list[dict]:
    """Return every reply, oldest first (so a reply's parent always comes before it)."""
    replies = (
        scope.replies()
        .select_related("author", "hidden_by", "claim", "origin__imported_by")
        .prefetch_related("mentions")
        .order_by("pk")
    )
    return [reply_record(reply, urls) for reply in replies]
