from django.urls import path

from . import reanchor_urls, views

app_name = "annotations"

urlpatterns = [
    path("articles/<int:article_pk>/annotations/", views.reader_panel, name="panel"),
    path("articles/<int:article_pk>/annotations/new/", views.annotation_create, name="create"),
    path("annotations/suggest/", views.tag_suggest, name="suggest"),
    path("annotations/<int:pk>/", views.annotation_card, name="card"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="edit"),
    path("annotations/<int:pk>/delete/", views.annotation_delete, name="delete"),
    path("annotations/<int:pk>/restore/", views.annotation_restore, name="restore"),
    path("annotations/<int:pk>/hide/", views.annotation_hide, name="hide"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claims/<slug:slug>/edit/", views.claim_edit, name="claim-edit"),
    path("claims/<slug:slug>/evidence/", views.evidence_add, name="evidence-add"),
    path(
        "claims/<slug:slug>/evidence/<int:pk>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path("labels/", views.label_list, name="labels"),
    path("labels/new/", views.label_create, name="label-create"),
    path("labels/<int:pk>/edit/", views.label_edit, name="label-edit"),
    path("labels/<int:pk>/merge/", views.label_merge, name="label-merge"),
]
urlpatterns += reanchor_urls.urlpatterns
