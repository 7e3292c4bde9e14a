from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annotations"
    verbose_name = "Annotations and claims"

    def ready(self):
        from articles.signals import article_revised

        from .receivers import carry_annotations_to_revision

        article_revised.connect(
            carry_annotations_to_revision, dispatch_uid="annotations.reanchor_on_revision"
        )
