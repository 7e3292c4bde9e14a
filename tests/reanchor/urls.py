"""The project's URLs with the revision and re-attach patterns added as the lead will add them."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotations import reanchor_urls
from annotations import urls as annotation_urls
from articles import revision_urls
from articles import urls as article_urls

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "articles/",
        include((article_urls.urlpatterns + revision_urls.urlpatterns, "articles")),
    ),
    path("", include((annotation_urls.urlpatterns + reanchor_urls.urlpatterns, "annotations"))),
]
