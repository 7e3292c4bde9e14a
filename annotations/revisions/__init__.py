"""Revisions: carrying annotations to an article's new text, and re-attaching one by hand."""
