"""Who may read an annotation or reply is one rule: the predicate agrees with the lists."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from annotations.core import permissions
from annotations.models import Annotation, Reply
from tests.factories import make_annotation, make_article, make_reply, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Every state an annotation or reply can be in, by alice and by bob, and who may ask."""
    alice, bob = make_user(username="alice"), make_user(username="bob")
    users = {
        "anonymous": AnonymousUser(),
        "alice": alice,
        "bob": bob,
        "moderator": make_user(username="mod", role="moderator"),
        "reader": make_user(username="rita", role="reader"),
    }
    article = make_article()
    now = timezone.now()
    rows = []
    states = itertools.product((alice, bob), ("shared", "private"), (None, now), (None, now))
    for author, visibility, hidden_at, deleted_at in states:
        annotation = make_annotation(
            article=article,
            author=author,
            exact="armed and trained criminals",
            start=0,
            end=27,
            visibility=visibility,
            hidden_at=hidden_at,
            deleted_at=deleted_at,
        )
        rows.append(annotation)
        for replier, reply_hidden in itertools.product((alice, bob), (None, now)):
            reply = make_reply(
                annotation=annotation, author=replier, body="source?", hidden_at=reply_hidden
            )
            rows.append(reply)
    return users, rows


def test_the_predicate_and_the_querysets_agree_for_every_state_and_reader(world):
    users, rows = world
    for name, user in users.items():
        listed = {
            ("a", pk) for pk in Annotation.objects.visible_to(user).values_list("pk", flat=True)
        }
        listed |= {("r", pk) for pk in Reply.objects.visible_to(user).values_list("pk", flat=True)}
        seen = {
            ("a" if isinstance(row, Annotation) else "r", row.pk)
            for row in rows
            if permissions.can_see(user, row)
        }
        assert seen == listed, name


def test_the_rule_itself(world):
    users, rows = world
    annotations = [row for row in rows if isinstance(row, Annotation)]

    def seen_by(name):
        return {
            (a.author.username, a.visibility, a.hidden_at is not None)
            for a in annotations
            if permissions.can_see(users[name], a)
        }

    # Nobody reads a deleted annotation, nor someone else's private one; hidden shared notes
    # are left to their author and the moderators.
    assert seen_by("anonymous") == {("alice", "shared", False), ("bob", "shared", False)}
    assert seen_by("bob") == {
        ("alice", "shared", False),
        ("bob", "shared", False),
        ("bob", "shared", True),
        ("bob", "private", False),
        ("bob", "private", True),
    }
    assert seen_by("moderator") == {
        ("alice", "shared", False),
        ("alice", "shared", True),
        ("bob", "shared", False),
        ("bob", "shared", True),
    }
    # A reply under a note you may not read is not yours to read either, even your own.
    under_private = [
        r for r in rows if isinstance(r, Reply) and r.annotation.visibility == "private"
    ]
    assert not any(
        permissions.can_see(users["bob"], r)
        for r in under_private
        if r.annotation.author.username == "alice"
    )
