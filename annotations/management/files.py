"""What the annotations' commands share: reading the file a command is given."""

from pathlib import Path

from django.core.management.base import CommandError


def read_file(name: str) -> bytes:
    """Return the bytes of the file `name`, or stop the command with the reason it cannot."""
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {name}: {exc.strerror}.") from None
