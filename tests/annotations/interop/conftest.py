"""Fixtures for the interoperability tests: the seed article, people, and annotations on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from annotations.core.services import annotation_create, status_by_name
from annotations.interop.tokens import token_create
from annotations.models import Claim
from tests.conftest import shared_path
from tests.factories import make_seed_article, make_user

W3C_SUITE = shared_path("conformance", "w3c-annotation")
SEED_SOURCE_URL = "https://news.example/2022/01/hrw-kazakhstan"
# Characters that break naive serialisers: quotes, markup, a formula, RTL, emoji, a line separator.
ODD_NOTE = (
    "Odd: “curly” 'single' \"double\" <script>alert('x')</script> & <b>bold</b>\n\n"
    '=HYPERLINK("http://evil.example") — ünïcødé עברית 🙂 \u2028 back\\slash'
)


def passage(article, block: int, first_word: int = 0, words: int = 6) -> str:
    """Return some words of one paragraph of the article (never a copy kept in the project)."""
    paragraph = article.body_text.split("\n\n")[block]
    return " ".join(paragraph.split(" ")[first_word : first_word + words])


def at(article, quote: str) -> dict:
    start = article.body_text.index(quote)
    return {"exact": quote, "start": start, "end": start + len(quote)}


def validate(tmp_path: Path, docs: dict[str, dict]) -> dict[str, dict]:
    """Run the W3C suite's validate.py on docs written as files; return its report by name."""
    files = []
    for name, doc in docs.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
        files.append(str(path))
    completed = subprocess.run(  # noqa: S603 - our own interpreter on our own files
        [sys.executable, str(W3C_SUITE / "validate.py"), "--json", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    reports = json.loads(completed.stdout)
    by_name = {Path(r["file"]).stem: r for r in reports}
    failures = {
        name: [f"{r['assertion']}: {r['errors']}" for r in rep["results"] if not r["passed"]]
        for name, rep in by_name.items()
        if not rep["conformant"]
    }
    assert completed.returncode == 0 and not failures, failures or completed.stderr
    return by_name


@pytest.fixture
def seed_article(seed_path):
    return make_seed_article(seed_path, source_url=SEED_SOURCE_URL, source_name="Example News")


@pytest.fixture
def annotator(db):
    return make_user(username="ana", role="annotator")


@pytest.fixture
def other_annotator(db):
    return make_user(username="otto", role="annotator")


@pytest.fixture
def moderator(db):
    return make_user(username="mona", role="moderator")


@pytest.fixture
def reader(db):
    return make_user(username="rhea", role="reader")


@pytest.fixture
def token(annotator):
    return token_create(user=annotator, name="tests")[1]


@pytest.fixture
def annotated(seed_article, annotator, other_annotator):
    """One annotation of every kind on the seed article, by name."""
    a = seed_article
    made = {
        "highlight": annotation_create(article=a, author=annotator, **at(a, passage(a, 1, 0, 5))),
        "comment": annotation_create(
            article=a,
            author=annotator,
            note="Which order? **Source** needed.\n\n- one\n- two",
            **at(a, passage(a, 2, 3, 8)),
        ),
        "tags": annotation_create(
            article=a, author=other_annotator, tags="context, quote", **at(a, passage(a, 3, 0, 4))
        ),
        "claim": annotation_create(
            article=a,
            author=annotator,
            note="The order as reported.",
            tags="needs context: shoot without warning order, official",
            **at(a, passage(a, 2, 0, 12)),
        ),
        "page_note": annotation_create(
            article=a, author=other_annotator, note="Compare with the wire copy.", tags="follow-up"
        ),
        "private": annotation_create(
            article=a,
            author=annotator,
            note=ODD_NOTE,
            tags="private thoughts",
            visibility="private",
            **at(a, passage(a, 4, 2, 7)),
        ),
    }
    Claim.objects.filter(pk=made["claim"].claim_id).update(
        claimant="President of Kazakhstan", claimant_type=Claim.ClaimantType.PERSON
    )
    for annotation in made.values():
        annotation.refresh_from_db()
    return made


def finalise(claim, status_name: str, user=None):
    """Give a claim a final verdict, as a moderator would."""
    Claim.objects.filter(pk=claim.pk).update(
        status=status_by_name(status_name), status_final_at=timezone.now(), status_final_by=user
    )
    claim.refresh_from_db()
    return claim
