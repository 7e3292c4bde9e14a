from django.contrib import admin

from articles.rendering import render_note

from .models import Annotation, Claim, Evidence, Label


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "colour", "shortcut", "position"]
    list_editable = ["colour", "shortcut", "position"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["url", "title", "note", "added_by"]
    raw_id_fields = ["added_by"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "claimant", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "claimant", "rationale"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["created_by", "assignee", "status_final_by"]
    inlines = [EvidenceInline]

    def save_model(self, request, obj, form, change):
        # Stored HTML is derived when the source is written, here as in the services.
        obj.rationale_html = render_note(obj.rationale) if obj.rationale.strip() else ""
        super().save_model(request, obj, form, change)


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["pk", "article", "author", "exact_short", "visibility", "anchor", "created_at"]
    list_filter = ["visibility", "anchor", "labels"]
    search_fields = ["exact", "note"]
    raw_id_fields = ["article", "author", "claim", "hidden_by"]
    filter_horizontal = ["labels"]
    readonly_fields = ["note_html", "version", "created_at", "updated_at"]

    @admin.display(description="Passage")
    def exact_short(self, obj):
        return obj.exact[:60] or "(page note)"

    def save_model(self, request, obj, form, change):
        obj.note_html = render_note(obj.note) if obj.note.strip() else ""
        super().save_model(request, obj, form, change)
