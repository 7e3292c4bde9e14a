"""Creating the same new tag or claim at the same moment never fails.

The attack: 50 requests adding the same new tag at once gave 28 errors (and 60 naming the same
new claim, 23), because each looked the name up, found nothing and inserted; the unique
constraint refused all but one insert and nothing caught it. On PostgreSQL the requests run in
threads, each with its own connection, released together at a barrier. SQLite takes one writer
at a time (and the in-memory test database refuses a second connection's write outright), so
there the same requests run in turn and the same outcome is checked.
"""

import pytest
from django.db import connection

from annotations.core.services import annotation_create
from annotations.models import Annotation, Claim, HistoryEntry, Label
from tests import threads
from tests.annotations.collab.conftest import BODY
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 12


def run_together(work, n: int) -> list:
    """Run work(i) in n threads at once on PostgreSQL; one after another on SQLite.

    SQLite's in-memory test database refuses a second thread's write ("database table is
    locked"), so there the same requests run in turn.
    """
    if connection.vendor != "postgresql":
        return [work(i) for i in range(n)]
    return threads.run_together(work, n)


def test_many_annotations_adding_the_same_new_tags_at_once_all_succeed():
    article = make_article(body=BODY)
    authors = [make_user() for _ in range(WORKERS)]

    def create(i):
        # Typed in different orders and cases: the same two new tags for everyone.
        tags = "Eyewitness, crowd size" if i % 2 else "Crowd Size, eyewitness"
        return annotation_create(article=article, author=authors[i], exact="peaceful", tags=tags)

    results = run_together(create, WORKERS)
    failures = [r for r in results if not isinstance(r, Annotation)]
    assert failures == []
    assert Label.objects.filter(name__iexact="eyewitness").count() == 1
    assert Label.objects.filter(name__iexact="crowd size").count() == 1
    for annotation in Annotation.objects.all():
        assert sorted(label.name.lower() for label in annotation.labels.all()) == [
            "crowd size",
            "eyewitness",
        ]


def test_many_annotations_naming_the_same_new_claim_at_once_all_succeed():
    article = make_article(body=BODY)
    authors = [make_user() for _ in range(WORKERS)]

    def create(i):
        return annotation_create(
            article=article,
            author=authors[i],
            exact="armed and trained criminals",
            tags="unverified: marchers were armed",
        )

    results = run_together(create, WORKERS)
    failures = [r for r in results if not isinstance(r, Annotation)]
    assert failures == []
    claim = Claim.objects.get()
    assert {r.claim_id for r in results} == {claim.pk}
    # Created once, so its history says so once.
    assert HistoryEntry.objects.filter(target_type="claim", action="created").count() == 1


def test_different_names_with_the_same_slug_at_once_get_their_own_tags():
    article = make_article(body=BODY)
    authors = [make_user() for _ in range(WORKERS)]
    # "fact check", "fact-check", "fact_check"...: different names, one slug to start from.
    names = [f"fact{sep}check" for sep in (" ", "-", "_", "--", " - ", "__")]

    def create(i):
        name = names[i % len(names)]
        return annotation_create(article=article, author=authors[i], exact="peaceful", tags=name)

    results = run_together(create, WORKERS)
    assert [r for r in results if not isinstance(r, Annotation)] == []
    labels = Label.objects.filter(name__in=names)
    assert sorted(label.name for label in labels) == sorted(names)
    assert len({label.slug for label in labels}) == len(names)
