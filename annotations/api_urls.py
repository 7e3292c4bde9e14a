"""The Web Annotation Protocol API, included at api/."""

from django.urls import path, register_converter

from . import api


class PrimaryKeyConverter:
    """Digits that fit a 64-bit primary key: a longer number is simply not found (404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(PrimaryKeyConverter, "pk")

app_name = "api"

urlpatterns = [
    path("annotations/", api.annotations_container, name="annotations"),
    path("annotations/<pk:pk>", api.annotation_detail, name="annotation-detail"),
    path(
        "articles/<pk:article_id>/annotations/",
        api.article_annotations_container,
        name="article-annotations",
    ),
    path("users/<str:username>", api.user_detail, name="user-detail"),
    path("openapi.json", api.openapi, name="openapi"),
]
