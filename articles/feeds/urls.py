from django.urls import path

from . import views

urlpatterns = [
    path("feeds/", views.feed_list, name="feeds"),
    path("feeds/<int:pk>/", views.feed_edit, name="feed-edit"),
    path("feeds/opml/", views.opml_export, name="feeds-opml"),
    path("feeds/opml/import/", views.opml_import, name="feeds-opml-import"),
]
