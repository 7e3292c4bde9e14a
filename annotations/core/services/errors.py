"""What a service raises besides ValidationError and PermissionDenied."""

from __future__ import annotations


class EditConflict(Exception):  # noqa: N818 - reads better at call sites: `except EditConflict`
    """Raised when an edit starts from a version that is no longer the current one."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else (now version {current.version})")
        self.current = current
