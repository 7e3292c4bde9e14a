from django.urls import path

from . import revision_urls, sending, views
from .feeds import urls as feed_urls
from .jobs import urls as job_urls

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/revisions/<int:number>/", views.article_revision, name="revision"),
    path("send/", sending.send_page, name="send"),
]
urlpatterns += revision_urls.urlpatterns
urlpatterns += job_urls.urlpatterns + feed_urls.urlpatterns
