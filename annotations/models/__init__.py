"""Annotation models, one module per area; every name is importable from annotations.models."""

from .core import Annotation, Claim, Evidence, Label, hex_colour
from .provenance import AnnotationOrigin
from .tokens import ApiToken

__all__ = [
    "Annotation",
    "AnnotationOrigin",
    "ApiToken",
    "Claim",
    "Evidence",
    "Label",
    "hex_colour",
]
