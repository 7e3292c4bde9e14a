from django.dispatch import Signal

# Sent inside the writing transaction after an article gets a new revision, with
# article, previous (the ArticleRevision replaced) and revision (the new one).
# The annotations app listens to carry annotations across to the new text.
article_revised = Signal()
