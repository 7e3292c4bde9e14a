"""URL patterns of interoperability, in two lists that config/urls.py mounts.

- `api_patterns`: the Web Annotation Protocol API, at api/ in the "api" namespace.
- `page_patterns`: exports, ClaimReview downloads, API tokens and annotation import, at "" in
  the "interop" namespace.
"""

from django.urls import include, path, register_converter

from annotations.interop import api, views
from annotations.interop.api.search import hypothesis_search


class PrimaryKeyConverter:
    """Digits that fit a 64-bit primary key: a longer number is simply not found (404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class AnnotationNameConverter:
    """The last segment of an annotation's IRI: its number, or the name a Slug gave it."""

    regex = "[-a-zA-Z0-9_]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(PrimaryKeyConverter, "pk")
register_converter(AnnotationNameConverter, "annotation")

api_patterns = (
    [
        # Each annotation is in both containers: all annotations, and its article's.
        path("annotations/", api.annotations_container, name="annotations"),
        path("annotations/<annotation:pk>", api.annotation_detail, name="annotation-detail"),
        path(
            "articles/<pk:article_id>/annotations/",
            api.article_annotations_container,
            name="article-annotations",
        ),
        path(
            "articles/<pk:article_id>/annotations/<annotation:pk>",
            api.article_annotation_detail,
            name="article-annotation-detail",
        ),
        path("constraints", api.constraints, name="constraints"),
        path("users/<str:username>", api.user_detail, name="user-detail"),
        path("search", hypothesis_search, name="search"),
        path("openapi.json", api.openapi, name="openapi"),
    ],
    "api",
)

# Downloads of annotations: all of them, or one article's, in each format.
export_patterns = [
    path("", views.export_page, name="export-page"),
    path("annotations.<str:fmt>", views.export_all, name="export-all"),
    path(
        "articles/<pk:article_id>/annotations.<str:fmt>",
        views.export_article,
        name="export-article",
    ),
]

token_patterns = [
    path("", views.token_list, name="token-list"),
    path("<pk:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
]

page_patterns = (
    [
        path("exports/", include(export_patterns)),
        path("claims/<slug:slug>/claimreview.json", views.claimreview_download, name="claimreview"),
        path("settings/tokens/", include(token_patterns)),
        path("imports/annotations/", views.annotation_import, name="annotation-import"),
    ],
    "interop",
)
