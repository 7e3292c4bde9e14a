"""URL patterns of re-anchoring.

They belong in the "annotations" namespace; annotations/urls.py serves them there
(name: annotations:annotation-reattach).
"""

from django.urls import path

from annotations.revisions import views

urlpatterns = [
    path(
        "annotations/<int:pk>/reattach/",
        views.annotation_reattach_view,
        name="annotation-reattach",
    ),
]
