"""Annotation models, one module per area; every name is importable from annotations.models."""

from annotations.models.collaboration import (
    ChangeEvent,
    Flag,
    HistoryEntry,
    Notification,
    Presence,
    Reply,
    Verdict,
)
from annotations.models.core import Annotation, Claim, Evidence, Label, hex_colour
from annotations.models.provenance import AnnotationOrigin, ReplyOrigin
from annotations.models.suggestions import Suggestion
from annotations.models.tokens import ApiToken

__all__ = [
    "Annotation",
    "AnnotationOrigin",
    "ApiToken",
    "ChangeEvent",
    "Claim",
    "Evidence",
    "Flag",
    "HistoryEntry",
    "Label",
    "Notification",
    "Presence",
    "Reply",
    "ReplyOrigin",
    "Suggestion",
    "Verdict",
    "hex_colour",
]
