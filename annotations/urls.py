from django.urls import path  # noqa: F401

from . import reanchor_urls

app_name = "annotations"

urlpatterns: list = []
urlpatterns += reanchor_urls.urlpatterns
