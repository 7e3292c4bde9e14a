"""URL patterns of claims and labels; annotations/urls.py serves them as "annotations:"."""

from django.urls import include, path

from annotations.claims import views

# Everything done to one claim, under claims/<slug>/.
claim_patterns = [
    path("", views.claim_detail, name="claim-detail"),
    path("edit/", views.claim_edit, name="claim-edit"),
    path("evidence/", views.evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence-remove"),
]

label_patterns = [
    path("", views.label_list, name="labels"),
    path("new/", views.label_create, name="label-create"),
    path("<int:pk>/edit/", views.label_edit, name="label-edit"),
    path("<int:pk>/merge/", views.label_merge, name="label-merge"),
]

urlpatterns = [
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", include(claim_patterns)),
    path("labels/", include(label_patterns)),
]
