"""Working together: discussion, verdicts, agreement, moderation, notifications, presence,
conflicts and reverting, with their pages (views/) under the "collab" URL namespace.
"""
