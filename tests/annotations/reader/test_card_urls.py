"""{% card_url %} gives exactly what {% url %} gives, for every link a card repeats."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from annotations.templatetags.card_urls import card_url

CARD_LINKS = [
    ("annotations:edit", 5),
    ("annotations:delete", 123),
    ("annotations:hide", 10),
    ("annotations:claim-edit", "a-claim_1"),
    ("collab:annotation-discussion", 11),
    ("collab:annotation-history", 7),
    ("collab:annotation-flag", 9),
    ("collab:claim-desk", "some-claim"),
    ("collab:claim-discussion", "x"),
    ("articles:detail", 4),
]


@pytest.mark.parametrize(("name", "value"), CARD_LINKS)
def test_card_url_is_what_reverse_gives(name, value):
    assert card_url(name, value) == reverse(name, args=[value])


def test_arguments_not_plainly_an_id_or_slug_are_reversed_as_url_does():
    # An id given as a string: reversed; a value the pattern refuses: refused alike.
    assert card_url("annotations:edit", "12") == reverse("annotations:edit", args=["12"])
    for name, value in [
        ("collab:claim-desk", "é x"),
        ("annotations:edit", "x"),
        ("annotations:edit", -1),
    ]:
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[value])
        with pytest.raises(NoReverseMatch):
            card_url(name, value)


def test_the_script_prefix_is_honoured():
    try:
        set_script_prefix("/sub/")
        assert card_url("annotations:edit", 3) == "/sub/annotations/3/edit/"
    finally:
        set_script_prefix("/")
    assert card_url("annotations:edit", 3) == "/annotations/3/edit/"


def test_the_tag_escapes_and_stores_as_url_does():
    template = Template(
        "{% load card_urls %}{% card_url 'annotations:edit' pk as u %}[{{ u }}]"
        "{% card_url 'collab:claim-desk' slug %}|{% url 'collab:claim-desk' slug %}"
    )
    out = template.render(Context({"pk": 8, "slug": "a-b_c"}))
    left, right = out.split("]")[1].split("|")
    assert out.startswith("[/annotations/8/edit/]")
    assert left == right
