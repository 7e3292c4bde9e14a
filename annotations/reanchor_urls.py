"""URL patterns of re-anchoring.

They belong in the "annotations" namespace; annotations/urls.py adds them with
`urlpatterns += reanchor_urls.urlpatterns` (name: annotations:annotation-reattach).
"""

from django.urls import path

from . import reanchor_views

urlpatterns = [
    path(
        "annotations/<int:pk>/reattach/",
        reanchor_views.annotation_reattach_view,
        name="annotation-reattach",
    ),
]
