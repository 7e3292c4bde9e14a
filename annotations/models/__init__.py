"""Annotation models, one module per area; every name is importable from annotations.models."""

from .collaboration import (
    ChangeEvent,
    Flag,
    HistoryEntry,
    Notification,
    Presence,
    Reply,
    Verdict,
)
from .core import Annotation, Claim, Evidence, Label, hex_colour
from .provenance import AnnotationOrigin
from .tokens import ApiToken

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
    "Verdict",
    "hex_colour",
]
