"""The "collab" namespace: live updates, discussion, verdicts, history, moderation, people.

Grouped by what a URL is about (an annotation, a claim, a reply), each group under its prefix.
"""

from django.urls import include, path

from annotations.collab import views

app_name = "collab"

annotation_patterns = [
    path("discussion/", views.annotation_discussion, name="annotation-discussion"),
    path("history/", views.annotation_history, name="annotation-history"),
    path("flag/", views.flag, {"kind": "annotation"}, name="annotation-flag"),
]

claim_patterns = [
    path("discussion/", views.claim_discussion, name="claim-discussion"),
    path("desk/", views.claim_desk, name="claim-desk"),
    path("verdicts/", views.claim_verdicts, name="claim-verdicts"),
    path("final/", views.claim_final, name="claim-final"),
    path("assign/", views.claim_assign, name="claim-assign"),
    path("history/", views.claim_history, name="claim-history"),
]

reply_patterns = [
    path("edit/", views.reply_edit, name="reply-edit"),
    path("delete/", views.reply_delete, name="reply-delete"),
    path("flag/", views.flag, {"kind": "reply"}, name="reply-flag"),
]

moderation_patterns = [
    path("", views.moderation_queue, name="moderation"),
    path("replies/<int:pk>/hide/", views.reply_hide, name="reply-hide"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag-dismiss"),
    path("users/<str:username>/suspend/", views.user_suspend, name="user-suspend"),
]

notification_patterns = [
    path("", views.notification_list, name="notifications"),
    path("badge/", views.notification_badge, name="notifications-badge"),
    path("read/", views.notification_read, name="notifications-read"),
]

urlpatterns = [
    # live updates and presence: polled by open pages
    path("articles/<int:article_id>/changes/", views.article_changes, name="article-changes"),
    path("articles/<int:article_id>/presence/", views.article_presence, name="article-presence"),
    path("claims/<int:claim_id>/changes/", views.claim_changes, name="claim-changes"),
    path("annotations/<int:pk>/", include(annotation_patterns)),
    path("claims/<slug:slug>/", include(claim_patterns)),
    path("replies/<int:pk>/", include(reply_patterns)),
    path("history/<int:pk>/revert/", views.history_revert, name="history-revert"),
    path("agreement/", views.agreement, name="agreement"),
    path("my/claims/", views.my_claims, name="my-claims"),
    path("queues/", views.queue_page, name="queues"),
    path("queues/badge/", views.queue_badge, name="queues-badge"),
    path("moderation/", include(moderation_patterns)),
    path("notifications/", include(notification_patterns)),
    path("people/<str:username>/", views.person, name="person"),
]
