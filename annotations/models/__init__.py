"""Annotation models, one module per area; every name is importable from annotations.models."""

from .core import Annotation, Claim, Evidence, Label, hex_colour

__all__ = ["Annotation", "Claim", "Evidence", "Label", "hex_colour"]
