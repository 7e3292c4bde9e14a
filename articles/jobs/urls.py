from django.urls import path

from . import views

urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/confirm/", views.job_action, {"action": "confirm"}, name="job-confirm"),
    path("jobs/<int:pk>/cancel/", views.job_action, {"action": "cancel"}, name="job-cancel"),
    path("jobs/<int:pk>/resume/", views.job_action, {"action": "resume"}, name="job-resume"),
    path(
        "jobs/<int:pk>/items/<int:position>/separate/",
        views.job_item_separate,
        name="job-item-separate",
    ),
]
