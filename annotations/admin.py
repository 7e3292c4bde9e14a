"""The admin of annotations, claims and labels: every save and delete goes through the services.

What staff change here is changed the way the pages change it: the service checks that they
may, validates, records the change in the history and publishes it to the pages open on it. The
service runs when the form is cleaned, so that what it refuses shows on the form as errors;
a POST that shows the form again rolls back whatever the page wrote (ServiceAdmin).
What no service does is not offered: claims are made by tagging a note, and labels are merged
(on the labels page) rather than deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction

from annotations.core import limits, permissions, services
from annotations.core.quicktags import format_tag_input
from annotations.interop.backup.download import BackupDownloadMixin
from annotations.models import Annotation, Claim, Evidence, Label

CONFLICT = "Someone changed this since you opened it: reload the page and make your change again."


class ServiceForm(forms.ModelForm):
    """A model form that makes its change through a service as it is cleaned.

    Subclasses say what to write in write(); `user` (who is saving) is set by ServiceAdmin.
    `edited_version`: the version the form was opened on, for services that refuse an edit
    made over someone else's (EditConflict).
    """

    user = None
    edited_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and hasattr(self.instance, "version"):
            self.initial.setdefault("edited_version", self.instance.version)

    def version(self, current) -> int:
        return self.cleaned_data.get("edited_version") or current.version

    def write(self, data: dict):
        """Make the change through a service and return the saved row."""
        raise NotImplementedError

    def should_write(self) -> bool:
        return True

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.should_write():
            return
        try:
            with transaction.atomic():
                self.instance = self.write(self.cleaned_data)
        except ValidationError as exc:
            for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                self.add_error(field if field in self.fields else None, errors)
        except PermissionDenied as exc:
            self.add_error(None, str(exc) or "You may not make this change.")
        except services.EditConflict:
            self.add_error(None, CONFLICT)


class ServiceAdmin(admin.ModelAdmin):
    """A model admin whose forms write through services (ServiceForm).

    The rows are already saved when save_model is called: it only keeps the admin's log.
    """

    max_chars: dict[str, int] = {}  # the services' length limits (annotations.core.limits)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        limit = self.max_chars.get(db_field.name)
        if field is not None and limit:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
        return field

    def _for_user(self, form_class, request):
        return type(form_class.__name__, (form_class,), {"user": request.user})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return self._for_user(form, request)

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", self.form)
        return self._for_user(super().get_changelist_form(request, **kwargs), request)

    # A page that shows its form again with errors keeps nothing it wrote: the services ran
    # as the forms were cleaned, and another form of the page (an inline, a row) may have failed.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if (getattr(response, "context_data", None) or {}).get("errors"):
                transaction.set_rollback(True)
        return response

    def changelist_view(self, request, extra_context=None):
        with transaction.atomic():
            response = super().changelist_view(request, extra_context)
            formset = (getattr(response, "context_data", None) or {}).get("formset")
            if formset is not None and formset.is_bound and not formset.is_valid():
                transaction.set_rollback(True)
        return response

    def save_model(self, request, obj, form, change):
        """Keep nothing more: the service saved the row when the form was cleaned."""

    def save_related(self, request, form, formsets, change):
        """Keep nothing more: the service wrote the row's relations, and inlines only show."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


# --- annotations -----------------------------------------------------------------------------


class AnnotationForm(ServiceForm):
    tags = forms.CharField(
        required=False,
        max_length=limits.TAG_FIELD_MAX_CHARS,
        help_text="As typed in the reader: “tag, tag, status: claim title”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        annotation = self.instance
        if annotation.pk is not None:
            claim = annotation.claim
            self.initial.setdefault(
                "tags",
                format_tag_input(
                    [label.name for label in annotation.labels.all()],
                    claim.status.name if claim else "",
                    claim.title if claim else "",
                ),
            )

    def write(self, data: dict) -> Annotation:
        if self.instance.pk is None:
            return services.annotation_create(
                article=data["article"],
                author=self.user,
                exact=data.get("exact", ""),
                prefix=data.get("prefix", ""),
                suffix=data.get("suffix", ""),
                start=data.get("start"),
                end=data.get("end"),
                note=data.get("note", ""),
                tags=data.get("tags", ""),
                visibility=data["visibility"],
            )
        current = Annotation.objects.get(pk=self.instance.pk)
        return services.annotation_update(
            annotation=current,
            user=self.user,
            version=self.version(current),
            note=data["note"],
            tags=data["tags"],
            visibility=data["visibility"],
        )


# Added with a passage and what is written about it; changed only in what is written (a
# passage moves by re-attaching it in the reader).
ANNOTATION_ADD_FIELDS = ["article", "exact", "prefix", "suffix", "start", "end"]
ANNOTATION_WRITTEN = ["note", "tags", "visibility"]
ANNOTATION_PLACE = ["article", "author", "exact", "start", "end", "anchor", "claim", "labels_shown"]
ANNOTATION_STATE = ["note_html", "version", "created_at", "updated_at", "deleted_at", "hidden_at"]


@admin.register(Annotation)
class AnnotationAdmin(ServiceAdmin):
    form = AnnotationForm
    max_chars = {"note": limits.NOTE_MAX_CHARS, "exact": limits.QUOTE_MAX_CHARS}
    list_display = ["pk", "article", "author", "exact_short", "visibility", "anchor", "created_at"]
    # Only the tags of annotations listed here: not those of others' private notes.
    list_filter = ["visibility", "anchor", ("labels", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["exact", "note"]
    raw_id_fields = ["article"]
    actions = ["restore_selected", "hide_selected", "unhide_selected"]

    def get_queryset(self, request):
        # Staff too: someone else's private note is theirs alone (deleted ones stay listed).
        others = Annotation.objects.private_of_others(request.user).values("pk")
        return super().get_queryset(request).exclude(pk__in=others)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*ANNOTATION_ADD_FIELDS, *ANNOTATION_WRITTEN]
        if not self.has_change_permission(request, obj):
            return [*ANNOTATION_PLACE, "note", "visibility", *ANNOTATION_STATE]
        return [*ANNOTATION_PLACE, *ANNOTATION_WRITTEN, "edited_version", *ANNOTATION_STATE]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*ANNOTATION_PLACE, *ANNOTATION_STATE]

    @admin.display(description="Passage")
    def exact_short(self, obj):
        return obj.exact[:60] or "(page note)"

    @admin.display(description="Tags")
    def labels_shown(self, obj):
        return ", ".join(label.name for label in obj.labels.all()) or "—"

    def _may_change(self, request, obj) -> bool:
        return obj is None or permissions.can_edit_annotation(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def get_deleted_objects(self, objs, request):
        # A soft delete: the annotation alone goes (its replies stay), and it can be restored.
        shown = [str(obj) for obj in objs]
        return shown, {Annotation._meta.verbose_name_plural: len(shown)}, set(), []

    def delete_model(self, request, obj):
        if obj.deleted_at is None:
            services.annotation_delete(annotation=obj, user=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for annotation in queryset.filter(deleted_at__isnull=True):
            services.annotation_delete(annotation=annotation, user=request.user)

    def _each(self, request, queryset, change, done: str) -> None:
        """Make `change` to each selected annotation in one transaction, or to none."""
        try:
            with transaction.atomic():
                for annotation in queryset:
                    change(annotation)
        except (PermissionDenied, ValidationError) as exc:
            self.message_user(
                request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR
            )
            return
        self.message_user(request, done)

    @admin.action(description="Restore the selected annotations", permissions=["change"])
    def restore_selected(self, request, queryset):
        def restore(annotation):
            services.annotation_restore(annotation=annotation, user=request.user)

        self._each(request, queryset.exclude(deleted_at=None), restore, "Restored.")

    @admin.action(description="Hide the selected annotations", permissions=["change"])
    def hide_selected(self, request, queryset):
        def hide(annotation):
            services.annotation_hide(annotation=annotation, user=request.user)

        self._each(request, queryset.filter(hidden_at=None), hide, "Hidden.")

    @admin.action(description="Show the selected hidden annotations", permissions=["change"])
    def unhide_selected(self, request, queryset):
        def unhide(annotation):
            services.annotation_hide(annotation=annotation, user=request.user, hidden=False)

        self._each(request, queryset.exclude(hidden_at=None), unhide, "Shown again.")


# --- labels ----------------------------------------------------------------------------------


class LabelForm(ServiceForm):
    def should_write(self) -> bool:
        # The list's editable rows: only those someone changed.
        return self.instance.pk is None or self.has_changed()

    def write(self, data: dict) -> Label:
        if self.instance.pk is None:
            fields = {name: data[name] for name in LABEL_FIELDS if name in data}
            return services.label_create(user=self.user, **fields)
        current = Label.objects.get(pk=self.instance.pk)
        # A row of the list sends only some fields: the others stay as they are.
        fields = {name: data.get(name, getattr(current, name)) for name in LABEL_FIELDS[2:]}
        return services.label_update(
            label=current, user=self.user, name=data.get("name", current.name), **fields
        )


LABEL_FIELDS = ["name", "kind", "colour", "description", "shortcut", "position"]


@admin.register(Label)
class LabelAdmin(ServiceAdmin):
    form = LabelForm
    max_chars = {"description": limits.LABEL_DESCRIPTION_MAX_CHARS}
    list_display = ["name", "kind", "colour", "shortcut", "position"]
    list_editable = ["colour", "shortcut", "position"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        # Staff too: a tag typed only into someone's private notes is theirs alone.
        return super().get_queryset(request).visible_to(request.user)

    def get_fields(self, request, obj=None):
        return LABEL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["kind"]

    def has_delete_permission(self, request, obj=None):
        return False  # merge a label into another on the labels page


# --- claims ----------------------------------------------------------------------------------


class ClaimForm(ServiceForm):
    def write(self, data: dict) -> Claim:
        current = Claim.objects.select_related("status").get(pk=self.instance.pk)
        return services.claim_update(
            claim=current,
            user=self.user,
            title=data["title"],
            status=data["status"],
            claimant=data["claimant"],
            claimant_type=data["claimant_type"],
            rationale=data["rationale"],
            version=self.version(current),
        )


class EvidenceInline(admin.TabularInline):
    """The claim's sources, to read: they are added and removed on the claim's page."""

    model = Evidence
    extra = 0
    fields = ["url", "title", "note", "added_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(BackupDownloadMixin, ServiceAdmin):
    form = ClaimForm
    max_chars = {"rationale": limits.RATIONALE_MAX_CHARS}
    list_display = ["title", "status", "claimant", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "claimant", "rationale"]
    fields = ["title", "status", "claimant", "claimant_type", "rationale", "edited_version"]
    readonly_fields = ["slug", "created_by", "assignee", "status_final_at", "version"]
    inlines = [EvidenceInline]

    def get_queryset(self, request):
        # Staff too: a claim named only in someone's private notes is theirs alone.
        return super().get_queryset(request).visible_to(request.user)

    def get_fields(self, request, obj=None):
        return [*self.fields, *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["queryset"] = Label.objects.statuses()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False  # a claim is made by tagging a note with it

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_claim(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # its discussion, verdicts and history would go with it
