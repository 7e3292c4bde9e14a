"""manage.py suggest_claims prints a file's or an article's statements as JSON lines."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_seed_article

pytestmark = pytest.mark.django_db


def run(*args) -> list[dict]:
    out = StringIO()
    call_command("suggest_claims", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_file_and_the_stored_article_give_the_same_lines(seed_path):
    from_file = run(str(seed_path))
    article = make_seed_article(seed_path)
    assert run("--article", str(article.pk)) == from_file
    shoot = next(r for r in from_file if "shoot to kill without warning" in r["quote"])
    assert set(shoot) == {"quote", "start", "end", "speaker", "speaker_full", "confidence"}
    assert shoot["speaker_full"] == "Kasim Jomart Tokayev"
    assert article.body_text[shoot["start"] : shoot["end"]] == shoot["quote"]


def test_it_says_what_is_wrong(tmp_path):
    with pytest.raises(CommandError, match="one of them"):
        run()
    with pytest.raises(CommandError, match="no article 999"):
        run("--article", "999")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.txt"))
