"""URL patterns of the revision pages.

They belong in the "articles" namespace, next to articles:revision; articles/urls.py adds them
with `urlpatterns += revision_urls.urlpatterns` (so the names are articles:revision-list and
articles:revision-diff, under /articles/).
"""

from django.urls import path

from . import revision_views

urlpatterns = [
    path("<int:pk>/revisions/", revision_views.revision_list, name="revision-list"),
    path(
        "<int:pk>/revisions/<int:a>/diff/<int:b>/",
        revision_views.revision_diff,
        name="revision-diff",
    ),
]
