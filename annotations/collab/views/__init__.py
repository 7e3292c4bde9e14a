"""Pages and fragments for working together, one module per page family.

Every write view checks permission through its service (PermissionDenied becomes a 403);
every form posts to a real URL, so pages work without JavaScript, and answers htmx with the
fragment it replaces.
"""

from annotations.collab.views.base import (
    DISCUSSION,
    LIVE_EVENT,
    HtmxHttpRequest,
    readable,
    signed_in,
)
from annotations.collab.views.desk import claim_desk
from annotations.collab.views.discussion import (
    annotation_discussion,
    claim_discussion,
    reply_delete,
    reply_edit,
)
from annotations.collab.views.history import annotation_history, claim_history, history_revert
from annotations.collab.views.live import article_changes, article_presence, claim_changes
from annotations.collab.views.moderation import (
    flag,
    flag_dismiss,
    moderation_queue,
    reply_hide,
    user_suspend,
)
from annotations.collab.views.people import (
    notification_badge,
    notification_list,
    notification_read,
    person,
)
from annotations.collab.views.queues import queue_badge, queue_page
from annotations.collab.views.verdicts import (
    agreement,
    claim_assign,
    claim_final,
    claim_verdicts,
    my_claims,
)

__all__ = [
    "LIVE_EVENT",
    "DISCUSSION",
    "HtmxHttpRequest",
    "readable",
    "signed_in",
    "article_changes",
    "claim_changes",
    "article_presence",
    "annotation_discussion",
    "claim_discussion",
    "reply_edit",
    "reply_delete",
    "claim_desk",
    "claim_verdicts",
    "claim_final",
    "claim_assign",
    "agreement",
    "my_claims",
    "queue_page",
    "queue_badge",
    "annotation_history",
    "claim_history",
    "history_revert",
    "flag",
    "moderation_queue",
    "reply_hide",
    "flag_dismiss",
    "user_suspend",
    "notification_list",
    "notification_badge",
    "notification_read",
    "person",
]
