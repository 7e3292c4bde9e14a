from django.dispatch import Signal

# Sent inside the writing transaction after a new article is stored (its first revision),
# with article. The annotations app listens to find the claims its text attributes.
article_created = Signal()

# Sent inside the writing transaction after an article gets a new revision, with
# article, previous (the ArticleRevision replaced) and revision (the new one).
# The annotations app listens to carry annotations across to the new text.
article_revised = Signal()

# Sent by the load_demo command inside its transaction, once the demo accounts and articles are
# in, with articles ({file name in articles/demo: Article}) and users ({username: User}).
# A receiver adds its own part of the demo and returns a line saying what it did, or "".
demo_loaded = Signal()
