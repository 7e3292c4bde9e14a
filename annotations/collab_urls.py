from django.urls import path

from . import collab_views as views

app_name = "collab"

urlpatterns = [
    # live updates and presence
    path("articles/<int:article_id>/changes/", views.article_changes, name="article-changes"),
    path("articles/<int:article_id>/presence/", views.article_presence, name="article-presence"),
    path("claims/<int:claim_id>/changes/", views.claim_changes, name="claim-changes"),
    # discussion
    path(
        "annotations/<int:pk>/discussion/",
        views.annotation_discussion,
        name="annotation-discussion",
    ),
    path("claims/<slug:slug>/discussion/", views.claim_discussion, name="claim-discussion"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply-edit"),
    path("replies/<int:pk>/delete/", views.reply_delete, name="reply-delete"),
    # editing a note, with the conflict view
    path("annotations/<int:pk>/note/", views.annotation_note, name="annotation-note"),
    # verdicts, final status, assignment, agreement
    path("claims/<slug:slug>/verdicts/", views.claim_verdicts, name="claim-verdicts"),
    path("claims/<slug:slug>/final/", views.claim_final, name="claim-final"),
    path("claims/<slug:slug>/assign/", views.claim_assign, name="claim-assign"),
    path("agreement/", views.agreement, name="agreement"),
    path("my/claims/", views.my_claims, name="my-claims"),
    # history
    path("annotations/<int:pk>/history/", views.annotation_history, name="annotation-history"),
    path("claims/<slug:slug>/history/", views.claim_history, name="claim-history"),
    path("history/<int:pk>/revert/", views.history_revert, name="history-revert"),
    # moderation
    path("annotations/<int:pk>/flag/", views.flag, {"kind": "annotation"}, name="annotation-flag"),
    path("replies/<int:pk>/flag/", views.flag, {"kind": "reply"}, name="reply-flag"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path(
        "moderation/annotations/<int:pk>/hide/",
        views.content_hide,
        {"kind": "annotation"},
        name="annotation-hide",
    ),
    path(
        "moderation/replies/<int:pk>/hide/",
        views.content_hide,
        {"kind": "reply"},
        name="reply-hide",
    ),
    path("moderation/flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag-dismiss"),
    path("moderation/users/<str:username>/suspend/", views.user_suspend, name="user-suspend"),
    # notifications and people
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/badge/", views.notification_badge, name="notifications-badge"),
    path("notifications/read/", views.notification_read, name="notifications-read"),
    path("people/<str:username>/", views.person, name="person"),
]
