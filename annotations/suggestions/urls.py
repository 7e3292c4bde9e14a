"""URL patterns of claim suggestions, served as "suggestions:" (config/urls.py)."""

from django.urls import path

from annotations.suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("articles/<int:pk>/suggestions/", views.suggestion_list, name="list"),
    path("suggestions/<int:pk>/accept/", views.suggestion_accept, name="accept"),
    path("suggestions/<int:pk>/dismiss/", views.suggestion_dismiss, name="dismiss"),
    path("suggestions/<int:pk>/where-else/", views.suggestion_where_else, name="where-else"),
    path("claims/<slug:slug>/where-else/", views.claim_where_else, name="claim-where-else"),
    path(
        "claims/<slug:slug>/appears-in/<int:article_pk>/",
        views.claim_appearance_add,
        name="appearance-add",
    ),
    path("claimants/", views.claimant_page, name="claimant"),
]
