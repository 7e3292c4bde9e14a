"""The one place where the HTML of what people write (notes, replies, rationales) comes from."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.rendering import render_note


def note_html(markdown: str) -> str:
    """Return the sanitised HTML of Markdown someone wrote, or "" when there is nothing in it."""
    return render_note(markdown) if markdown and markdown.strip() else ""


# @username as Django allows it (letters, digits, @ . + - _), not inside an e-mail address;
# a trailing full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]+)")


def parse_mentions(body: str) -> list[str]:
    """Return the usernames @mentioned in `body`, in order, each once."""
    names: list[str] = []
    for match in MENTION.finditer(body or ""):
        name = match.group(1).rstrip(".")
        if name and name not in names:
            names.append(name)
    return names


def render_reply(body: str) -> tuple[str, list]:
    """Return a reply's sanitised HTML with mentions of real users linked, and those users."""
    wanted = parse_mentions(body)
    users = list(get_user_model().objects.filter(username__in=wanted)) if wanted else []
    known = {u.get_username(): u for u in users}

    def link(match: re.Match) -> str:
        name = match.group(1).rstrip(".")
        if name not in known:
            return match.group(0)
        href = reverse("collab:person", kwargs={"username": name})
        rest = match.group(1)[len(name) :]
        return f"[@{name}]({href}){rest}"

    return note_html(MENTION.sub(link, body)), users
