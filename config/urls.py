from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from annotations.interop import urls as interop_urls

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="articles:list", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("articles/", include("articles.urls")),
    path("api/", include(interop_urls.api_patterns)),
    path("", include(interop_urls.page_patterns)),
    path("", include("annotations.urls")),
    path("", include("annotations.collab.urls")),
    path("", include("annotations.suggestions.urls")),
]

# A database outage outside a view answers 503 too (config/outage.py).
handler500 = "config.outage.server_error"
# A refused request says why: a form too big to read, or a field that is not an id.
handler400 = "articles.views.bad_request"
# A path no URL matches: problem JSON under /api/, as every other API error.
handler404 = "config.problems.page_not_found"
