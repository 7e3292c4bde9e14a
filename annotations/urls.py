"""The "annotations" namespace: the reader's annotations, claims and labels, re-attaching, search.

Each capability keeps its own patterns; they share this one namespace so that URL names
(annotations:card, annotations:claim-detail, annotations:annotation-reattach) stay as they were.
"""

from annotations.claims.urls import urlpatterns as claim_patterns
from annotations.reader.urls import urlpatterns as reader_patterns
from annotations.revisions.urls import urlpatterns as revision_patterns
from annotations.search.urls import urlpatterns as search_patterns

app_name = "annotations"

urlpatterns = reader_patterns + claim_patterns + revision_patterns + search_patterns
