"""Pages for exports, ClaimReview downloads, API tokens and annotation import; included at ""."""

from django.urls import path

from . import interop_views as views
from .api_urls import PrimaryKeyConverter  # noqa: F401 - registers the "pk" converter

app_name = "interop"

urlpatterns = [
    path("exports/", views.export_page, name="export-page"),
    path("exports/annotations.<str:fmt>", views.export_all, name="export-all"),
    path(
        "exports/articles/<pk:article_id>/annotations.<str:fmt>",
        views.export_article,
        name="export-article",
    ),
    path("claims/<slug:slug>/claimreview.json", views.claimreview_download, name="claimreview"),
    path("settings/tokens/", views.token_list, name="token-list"),
    path("settings/tokens/<pk:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("imports/annotations/", views.annotation_import, name="annotation-import"),
]
