import json
import secrets
import shutil

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from .forms import ArticleAdminForm, ArticleImportForm
from .importers import ArticleDraft, ParsedItem, format_size
from .imports import (
    CREATED,
    NEW,
    UPDATED,
    ImportReport,
    import_items,
    read_sources,
    source_from_text,
    source_from_upload,
    source_from_url,
)
from .jobs.running import job_create
from .jobs.sources import entries_from_text, entries_from_upload, entry_from_url, new_folder
from .models import Article, ArticleRevision
from .rendering.blocks import render_markdown_body
from .sending import bookmarklet
from .services import article_store, stored_fields

# The batch a preview showed, kept in the session until it is confirmed: uploads cannot be
# sent again, and the confirmation must import exactly what was previewed.
PENDING_IMPORT = "articles:pending-import"
# Items of a preview drawn as the reader will show them (the rest are in the table only).
PREVIEWS_SHOWN = 10


class ArticleRevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "title", "byline", "content_hash", "created_at", "created_by"]
    readonly_fields = fields
    ordering = ["-number"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Shown, never edited: article_store() derives them when the text is saved.
DERIVED_FIELDS = [
    "word_count",
    "reading_minutes",
    "revision_number",
    "content_hash",
    "imported_by",
    "created_at",
    "updated_at",
    "body_text",
]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "source_name", "published_at", "reading_time", "revision_number"]
    list_filter = ["source_name", "language", "published_at", "created_at"]
    search_fields = ["title", "subtitle", "byline", "source_name", "source_url"]
    date_hierarchy = "published_at"
    readonly_fields = DERIVED_FIELDS
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "byline", "body_markdown"]}),
        ("Source", {"fields": ["source_name", "source_url", "published_at", "language"]}),
        (
            "Derived when the text is saved",
            {"classes": ["collapse"], "fields": DERIVED_FIELDS},
        ),
    ]
    inlines = [ArticleRevisionInline]

    @admin.display(description="reading time", ordering="reading_minutes")
    def reading_time(self, obj):
        return f"{obj.reading_minutes} min"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("imported_by")

    def save_model(self, request, obj, form, change):
        """Save through article_store, so derived text and revisions stay right."""
        stored = article_store(
            **stored_fields(obj), imported_by=request.user, article=obj if change else None
        )
        if change:
            # These are not part of the content, so article_store leaves them alone when the
            # text is unchanged (and cannot clear them): the form is the authority here.
            Article.objects.filter(pk=stored.article.pk).update(
                source_name=obj.source_name,
                source_url=obj.source_url or None,
                published_at=obj.published_at,
                language=obj.language,
                # update() leaves auto_now alone: stored reader pages are keyed on it.
                updated_at=timezone.now(),
            )
        obj.pk = stored.article.pk
        obj.refresh_from_db()

    # --- Import ------------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
            ),
            *super().get_urls(),
        ]

    def may_import(self, request) -> bool:
        """Return whether the user may import: whoever may add articles.

        The site's role backend (config.auth) takes that permission away from a suspended
        user, so the admin needs to know nothing of roles.
        """
        return self.has_add_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.may_import(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload, paste or point at articles; preview what would happen; import on confirm."""
        if not self.may_import(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import articles",
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirmed(request, context)
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = self._as_job(request, form)
            if job is not None:
                return redirect(job)
            items = read_sources(self._sources(form))
            context.update(self._preview_context(request, items))
        context["form"] = form
        context["bookmarklet"] = bookmarklet(
            request.user, request.build_absolute_uri(reverse("articles:send"))
        )
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def _preview_context(self, request, items: list[ParsedItem]) -> dict:
        """Return what the preview shows: each item's fate, and how the reader will show it."""
        preview = import_items(items=items, dry_run=True)
        return {
            "preview": preview,
            "importable": len(preview.results) - len(preview.failed) - len(preview.duplicates),
            "choosable": any(result.choosable for result in preview.results),
            "token": self._remember(request, items, preview),
            "preview_limit": format_size(settings.CLAIMLENS_IMPORT_MAX_BYTES),
            "as_read": [
                (item.draft, mark_safe(render_markdown_body(item.draft.body_markdown).html))  # noqa: S308 - sanitised by the renderer
                for item in items[:PREVIEWS_SHOWN]
                if item.draft is not None
            ],
        }

    def _as_job(self, request, form):
        """Make a batch of more than CLAIMLENS_JOB_THRESHOLD items a job, previewed page by page
        on its own page and imported in the background once confirmed; None for a small one."""
        folder = new_folder()
        entries = [
            entry
            for upload in form.cleaned_data["files"]
            for entry in entries_from_upload(upload, folder)
        ]
        if form.cleaned_data["text"].strip():
            entries.append(
                entries_from_text(
                    form.cleaned_data["text"], folder, format=form.cleaned_data["text_format"]
                )
            )
        entries.extend(entry_from_url(url) for url in form.url_list())
        if len(entries) <= settings.CLAIMLENS_JOB_THRESHOLD:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        names = ", ".join(label for label, _ in entries[:3])
        return job_create(
            title=f"{len(entries)} items: {names}{'…' if len(entries) > 3 else ''}",
            entries=entries,
            created_by=request.user,
            folder=folder,
            preview=True,
        )

    def _sources(self, form):
        sources = [source_from_upload(upload) for upload in form.cleaned_data["files"]]
        if form.cleaned_data["text"].strip():
            sources.append(
                source_from_text(form.cleaned_data["text"], format=form.cleaned_data["text_format"])
            )
        sources.extend(source_from_url(url) for url in form.url_list())
        return sources

    def _remember(self, request, items: list[ParsedItem], preview: ImportReport) -> str | None:
        """Keep the previewed batch in the session and return its token; None if too big.

        With each item go the articles the preview offered to make it a revision of: the
        confirmation accepts no other.
        """
        pending = [
            {
                "label": item.label,
                "draft": item.draft.to_json() if item.draft else None,
                "error": item.error,
                "offered": [c.article_id for c in result.choices] if result.choosable else None,
            }
            for item, result in zip(items, preview.results, strict=True)
        ]
        if len(json.dumps(pending).encode()) > settings.CLAIMLENS_IMPORT_MAX_BYTES:
            request.session.pop(PENDING_IMPORT, None)
            return None
        token = secrets.token_urlsafe(16)
        request.session[PENDING_IMPORT] = {"token": token, "items": pending}
        return token

    def _import_confirmed(self, request, context):
        pending = request.session.get(PENDING_IMPORT)
        if not pending or not secrets.compare_digest(
            str(pending.get("token")), request.POST.get("token", "")
        ):
            messages.error(request, "That preview has expired or was already imported.")
            return redirect("admin:articles_article_import")
        del request.session[PENDING_IMPORT]
        items = [
            ParsedItem(
                entry["label"],
                draft=ArticleDraft.from_json(entry["draft"]) if entry["draft"] else None,
                error=entry["error"],
            )
            for entry in pending["items"]
        ]
        choices = [
            _choice(request.POST.get(f"choice-{index}", ""), entry.get("offered"))
            for index, entry in enumerate(pending["items"])
        ]
        report = import_items(items=items, choices=choices, imported_by=request.user)
        for result in report.results:
            if result.status in (CREATED, UPDATED):
                article = Article(pk=result.article_id, title=result.title)
                log = self.log_addition if result.status == CREATED else self.log_change
                log(request, article, f"{result.status.capitalize()} by import from {result.label}")
        messages.add_message(
            request, messages.ERROR if report.failed else messages.SUCCESS, report.summary()
        )
        context.update(report=report, changelist_url=reverse("admin:articles_article_changelist"))
        return TemplateResponse(request, "admin/articles/article/import.html", context)


def _choice(posted: str, offered: list[int] | None) -> str | int | None:
    """Return what the preview's "import as" choice asks for, None for "as previewed".

    Only a choice the preview offered counts: anything else (a forged id) is "as previewed".
    """
    if offered is None or not posted:
        return None
    if posted == NEW:
        return NEW
    return int(posted) if posted.isdigit() and int(posted) in offered else None
