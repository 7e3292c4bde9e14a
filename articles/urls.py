from django.urls import path

from . import revision_urls, views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/revisions/<int:number>/", views.article_revision, name="revision"),
]
urlpatterns += revision_urls.urlpatterns
