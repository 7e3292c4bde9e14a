"""Query parameters of the API's lists: a parameter a list does not know answers 400.

An unknown filter silently ignored would answer with every annotation (?uri=X, ?tagg=Y)
when the client asked for a few: a wrong answer that looks right.
"""

from __future__ import annotations

from annotations.interop.api.protocol import ApiError


def refuse_unknown(query, known) -> None:
    """Raise ApiError 400 naming the parameters of query that are not in known."""
    unknown = sorted(name for name in query if name not in known)
    if unknown:
        names = ", ".join(unknown)
        raise ApiError(
            400,
            f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {names}. "
            f"This list takes {', '.join(known)}.",
        )
