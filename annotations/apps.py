"""The app's wiring: its reader slots, list hooks, history kinds and signal receivers (ready)."""

from django.apps import AppConfig

READER_PAGE = "annotations/reader/includes/_reader_page.html"
# The suggestions add a section to the panel (reader_panel_sections) and its styles.
SUGGESTIONS_PANEL = "annotations/suggestions/includes/_panel.html"
# Where a Web Annotation client finds the article's annotations (protocol §4.1, discovery).
ANNOTATION_SERVICE = "annotations/interop/includes/_annotation_service.html"


class AnnotationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annotations"
    verbose_name = "Annotations and claims"

    def ready(self):
        # The articles app never imports this one: annotations plug into its signals, its
        # reader page's slots and its demo.
        from annotations.collab import history_kinds as collab_kinds
        from annotations.collab.notifications import claim_status_changed, reply_posted
        from annotations.core import history
        from annotations.core import history_kinds as kernel_kinds
        from annotations.core.services import replies
        from annotations.reader.reading import reader_page_context
        from annotations.reader.reading.shared import page_stamp
        from annotations.receivers import (
            annotate_demo,
            carry_annotations_to_revision,
            suggest_claims,
            suggest_claims_on_create,
        )
        from annotations.search.listing import ROW_TEMPLATE, count_annotations
        from annotations.suggestions import history_kinds as suggestion_kinds
        from annotations.suggestions.reading import suggestions_context, suggestions_stamp
        from articles.list_hooks import ListExtension, register_list_extension
        from articles.reader_hooks import ReaderExtension, register_reader_extension
        from articles.signals import article_created, article_revised, demo_loaded

        article_revised.connect(
            carry_annotations_to_revision, dispatch_uid="annotations.reanchor_on_revision"
        )
        # After the re-anchoring above (receivers run in the order they connected).
        article_revised.connect(suggest_claims, dispatch_uid="annotations.suggest_on_revision")
        article_created.connect(
            suggest_claims_on_create, dispatch_uid="annotations.suggest_on_create"
        )
        history.on_claim_status_change(claim_status_changed)
        replies.on_reply_posted(reply_posted)
        kernel_kinds.register_kinds()
        collab_kinds.register_kinds()
        suggestion_kinds.register_kinds()
        demo_loaded.connect(annotate_demo, dispatch_uid="annotations.annotate_demo")
        register_reader_extension(
            ReaderExtension(
                name="annotations",
                context=reader_page_context,
                styles=f"{READER_PAGE}#reader-styles",
                links=ANNOTATION_SERVICE,
                header=f"{READER_PAGE}#reader-header",
                aside=f"{READER_PAGE}#reader-aside",
                scripts=f"{READER_PAGE}#reader-scripts",
                stamp=page_stamp,
            )
        )
        register_reader_extension(
            ReaderExtension(
                name="suggestions",
                context=suggestions_context,
                styles=f"{SUGGESTIONS_PANEL}#suggestions-styles",
                stamp=suggestions_stamp,
            )
        )
        register_list_extension(
            ListExtension(name="annotations", annotate=count_annotations, row=ROW_TEMPLATE)
        )
