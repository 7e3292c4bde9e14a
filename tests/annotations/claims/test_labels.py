"""The managed label vocabulary: renaming and merging change every use in one step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations.core.services import (
    annotation_create,
    label_create,
    label_merge,
    label_rename,
    label_update,
)
from annotations.models import Annotation, Claim, Label
from tests.factories import make_article, make_label, make_user

pytestmark = pytest.mark.django_db

BODY = "One claim here.\n\nAnother passage there."


@pytest.fixture
def moderator():
    return make_user(role="moderator")


def annotate(article, author, quote, tags):
    return annotation_create(article=article, author=author, exact=quote, tags=tags)


def test_create_label_with_colour_description_and_shortcut(moderator):
    label = label_create(
        user=moderator, name="  Loaded   language ", colour="#AA3366", shortcut="L",
        description="Words chosen to provoke.",
    )  # fmt: skip
    assert (label.name, label.colour, label.shortcut, label.kind) == (
        "Loaded language", "#aa3366", "l", "tag",
    )  # fmt: skip
    assert label.slug == "loaded-language"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Give the label a name"),
        ({"name": "unverified"}, "name", "already a label"),
        ({"name": "a: b"}, "name", "cannot contain"),
        ({"colour": "red"}, "colour", "#rrggbb"),
        ({"shortcut": "h"}, "shortcut", "taken by highlight"),
        ({"shortcut": "ab"}, "shortcut", "one letter"),
        ({"shortcut": "?"}, "shortcut", "one letter"),
    ],
)
def test_invalid_label_fields_are_refused_by_field(moderator, fields, field, message):
    data = {"name": "fresh", "colour": "#123456", "shortcut": ""} | fields
    with pytest.raises(ValidationError) as error:
        label_create(user=moderator, **data)
    assert message in " ".join(error.value.message_dict[field])


def test_shortcut_must_be_unique(moderator):
    label_create(user=moderator, name="first", colour="#123456", shortcut="x")
    with pytest.raises(ValidationError, match="already applies"):
        label_create(user=moderator, name="second", colour="#123456", shortcut="x")


def test_only_moderators_manage_labels():
    tag = make_label(name="t")
    for role in ("reader", "annotator"):
        user = make_user(role=role)
        with pytest.raises(PermissionDenied):
            label_create(user=user, name="x", colour="#123456")
        with pytest.raises(PermissionDenied):
            label_rename(label=tag, user=user, name="y")


def test_rename_shows_everywhere_and_touches_annotations(moderator):
    article = make_article(body=BODY)
    author = make_user()
    annotation = annotate(article, author, "One claim", "propaganda")
    before = annotation.updated_at
    tag = Label.objects.get(name="propaganda")
    label_rename(label=tag, user=moderator, name="state messaging")
    annotation.refresh_from_db()
    assert [label.name for label in annotation.labels.all()] == ["state messaging"]
    assert annotation.updated_at > before
    assert Label.objects.filter(name__iexact="propaganda").count() == 0


def test_rename_to_an_existing_name_is_refused(moderator):
    make_label(name="one")
    two = make_label(name="two")
    with pytest.raises(ValidationError, match="merge into it"):
        label_update(label=two, user=moderator, name="ONE", colour="#123456")


def test_merge_moves_annotations_and_drops_duplicates_in_one_step(moderator):
    article = make_article(body=BODY)
    author = make_user()
    only_source = annotate(article, author, "One claim", "propaganda")
    both = annotate(article, author, "Another passage", "propaganda, spin")
    source = Label.objects.get(name="propaganda")
    target = Label.objects.get(name="spin")
    through = Annotation.labels.through

    label_merge(source=source, target=target, user=moderator)

    assert not Label.objects.filter(pk=source.pk).exists()
    assert [label.name for label in only_source.labels.all()] == ["spin"]
    assert [label.name for label in both.labels.all()] == ["spin"]
    assert through.objects.filter(label=target).count() == 2
    assert through.objects.count() == 2


def test_merge_statuses_moves_claims(moderator):
    article = make_article(body=BODY)
    annotate(article, make_user(), "One claim", "misleading: a claim")
    misleading = Label.objects.get(slug="misleading")
    false = Label.objects.get(slug="false")
    label_merge(source=misleading, target=false, user=moderator)
    assert Claim.objects.get(title="a claim").status == false


def test_merge_across_kinds_or_into_itself_is_refused(moderator):
    tag = make_label(name="t")
    status = Label.objects.get(slug="false")
    with pytest.raises(ValidationError, match="tag merges into a tag"):
        label_merge(source=tag, target=status, user=moderator)
    with pytest.raises(ValidationError, match="different label"):
        label_merge(source=tag, target=tag, user=moderator)


def test_merge_is_all_or_nothing(moderator, monkeypatch):
    article = make_article(body=BODY)
    annotation = annotate(article, make_user(), "One claim", "propaganda")
    source = Label.objects.get(name="propaganda")
    target = make_label(name="spin")

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Label, "delete", fail)
    with pytest.raises(RuntimeError):
        label_merge(source=source, target=target, user=moderator)
    # The rows moved before the failure are back where they were.
    assert [label.name for label in annotation.labels.all()] == ["propaganda"]
    assert Label.objects.filter(pk=source.pk).exists()
