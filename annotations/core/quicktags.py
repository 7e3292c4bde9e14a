"""Parse what a reader types in the tag field.

`unverified: terrorists claim` makes (or links to) the claim "terrorists claim" with status
unverified; any other entry is an ordinary tag. Entries are separated by commas.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClaimSpec:
    status: str  # as typed; resolved against the status labels by the service
    title: str


@dataclass(frozen=True)
class TagInput:
    tags: tuple[str, ...] = ()
    claim: ClaimSpec | None = None
    errors: tuple[str, ...] = field(default=())


def parse_tag_input(raw: str) -> TagInput:
    """Split the tag field into plain tags and at most one claim."""
    tags: list[str] = []
    seen: set[str] = set()  # a set, not a scan of `tags`: thousands of entries stay linear
    claim: ClaimSpec | None = None
    errors: list[str] = []
    for entry in (part.strip() for part in (raw or "").split(",")):
        if not entry:
            continue
        if ":" in entry:
            status, _, title = entry.partition(":")
            status, title = " ".join(status.split()), " ".join(title.split())
            if not status or not title:
                errors.append(f"“{entry}”: write a claim as “status: claim title”.")
            elif claim is not None:
                errors.append("One passage can be one claim: give only one “status: title”.")
            else:
                claim = ClaimSpec(status=status, title=title)
        else:
            name = " ".join(entry.split()).lstrip("#")
            if name and name.lower() not in seen:
                seen.add(name.lower())
                tags.append(name)
    return TagInput(tuple(tags), claim, tuple(errors))


def format_tag_input(tag_names, claim_status: str = "", claim_title: str = "") -> str:
    """Return what the tag field shows for existing tags and claim (the inverse of parsing)."""
    entries = list(tag_names)
    if claim_title:
        entries.append(f"{claim_status}: {claim_title}")
    return ", ".join(entries)
