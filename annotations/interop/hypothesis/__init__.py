"""Hypothesis's API shape over Claimlens's annotations, so tools written for Hypothesis read it.

- `rows`: one annotation as a row of Hypothesis's /api/search (h's fields and `acct:` users).
- `search`: h's search parameters read from a query string and applied to a queryset.

The view is annotations.interop.api.search (/api/search); importing Hypothesis JSON is
annotations.interop.imports.
"""

from annotations.interop.hypothesis.rows import WORLD, account, authority, hypothesis_row
from annotations.interop.hypothesis.search import (
    MAX_LIMIT,
    MAX_OFFSET,
    PARAMETERS,
    SearchError,
    SearchQuery,
    search,
)

__all__ = [
    "WORLD",
    "account",
    "authority",
    "hypothesis_row",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "PARAMETERS",
    "SearchError",
    "SearchQuery",
    "search",
]
