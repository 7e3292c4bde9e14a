"""URL pattern of the search page; annotations/urls.py serves it as "annotations:search"."""

from django.urls import path

from annotations.search import views

urlpatterns = [path("search/", views.search, name="search")]
