"""URL patterns of the reader's annotations; annotations/urls.py serves them as "annotations:"."""

from django.urls import path

from annotations.reader import colours, views

urlpatterns = [
    path("articles/<int:article_pk>/annotations/", views.reader_panel, name="panel"),
    path("articles/<int:article_pk>/annotations/new/", views.annotation_create, name="create"),
    path("annotations/colours.css", colours.label_colours, name="colours"),
    path("annotations/suggest/", views.tag_suggest, name="suggest"),
    path("annotations/suggest/claims/", views.claim_suggest, name="claim-suggest"),
    path("annotations/<int:pk>/", views.annotation_card, name="card"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="edit"),
    path("annotations/<int:pk>/delete/", views.annotation_delete, name="delete"),
    path("annotations/<int:pk>/restore/", views.annotation_restore, name="restore"),
    path("annotations/<int:pk>/hide/", views.annotation_hide, name="hide"),
]
