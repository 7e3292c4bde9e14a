"""The status-change fan-out costs the same whatever one user's history (issue 12, HIGH 3).

An OR across five joins from the user table multiplied a busy user's claims, annotations and
replies with each other: 10.7 s for one status change at 200/1,000/500 rows, minutes beyond.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.collab import discussion, verdicts
from annotations.collab.notifications import claim_contributor_ids, claim_workers
from annotations.core.services import claim_set_status
from annotations.models import Reply
from tests.factories import make_annotations, make_replies

from .conftest import BODY, make_article, make_user, status, tag_claim


def _busy_history(user, *, claims: int, notes: int, replies: int) -> None:
    """Give `user` a history of claims, annotations and replies on other claims."""
    article = make_article(body=BODY)
    made = [
        tag_claim(article=article, author=user, title=f"other claim {n}") for n in range(claims)
    ]
    make_annotations(
        count=notes,
        article=article,
        author=user,
        exact="peaceful",
        each=lambda n: {"claim": made[n % claims].claim},
    )
    make_replies(
        count=replies,
        author=user,
        each=lambda n: {"body": f"reply {n}", "annotation": made[n % claims]},
    )


def _workers_by_the_definition(claim) -> set[int]:
    """Who worked on the claim, row by row: the definition the query must agree with."""
    ids = {claim.created_by_id}
    ids |= {a.author_id for a in claim.appearances.all() if a.deleted_at is None}
    ids |= {v.user_id for v in claim.verdicts.all()}
    ids |= {r.author_id for r in Reply.objects.all() if r.claim_id == claim.pk}
    ids |= {
        r.author_id for r in Reply.objects.all() if r.annotation and r.annotation.claim == claim
    }
    return ids - {None}


def _queries(function, *args) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        function(*args)
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_workers_are_everyone_who_worked_on_the_claim_in_one_query():
    creator, voter, replier, claim_replier, busy, bystander = (make_user() for _ in range(6))
    annotation = tag_claim(author=creator)
    claim = annotation.claim
    tag_claim(article=annotation.article, author=busy, title=claim.title, quote="peaceful")
    verdicts.verdict_record(claim=claim, user=voter, status=status("false"))
    discussion.reply_create(author=replier, body="on the note", annotation=annotation)
    discussion.reply_create(author=claim_replier, body="on the claim", claim=claim)
    _busy_history(busy, claims=3, notes=10, replies=10)
    _busy_history(bystander, claims=3, notes=10, replies=10)

    queries = _queries(claim_workers, claim)

    expected = {u.pk for u in (creator, voter, replier, claim_replier, busy)}
    assert claim_workers(claim) == _workers_by_the_definition(claim) == expected
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_status_change_costs_the_same_queries_whatever_the_users_history():
    """Guards the whole status change: one query for the workers, not one per row."""
    moderator = make_user(role="moderator")
    small_user, large_user = make_user(), make_user()
    small = tag_claim(author=small_user, title="small history").claim
    large = tag_claim(author=large_user, title="large history").claim
    _busy_history(small_user, claims=1, notes=2, replies=2)
    _busy_history(large_user, claims=20, notes=200, replies=100)

    warm = tag_claim(title="warm-up").claim  # first-use caches (content types) are not history
    claim_set_status(claim=warm, status=status("misleading"), user=moderator)
    small_queries = _queries(
        lambda: claim_set_status(claim=small, status=status("misleading"), user=moderator)
    )
    large_queries = _queries(
        lambda: claim_set_status(claim=large, status=status("misleading"), user=moderator)
    )

    assert len(large_queries) == len(small_queries)


@pytest.mark.django_db
def test_the_workers_query_never_joins_from_the_user_table():
    """Each branch is a lookup by the claim on its own table; the plan never starts at users.

    The old plan joined auth_user to claims, annotations, verdicts and replies at once.
    """
    claim = tag_claim().claim
    workers_sql = _queries(claim_workers, claim)[0]
    user_table = connection.ops.quote_name("auth_user")
    assert "auth_user" not in workers_sql and user_table not in workers_sql
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        sql, params = claim_contributor_ids(claim).query.sql_with_params()
        cursor.execute(prefix + sql, params)
        plan = "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
    assert "auth_user" not in plan
    if connection.vendor == "sqlite":
        # SQLite plans by the schema alone: every branch must look its rows up by an index.
        scans = [line for line in plan.splitlines() if " SCAN " in f" {line} "]
        assert not [line for line in scans if "annotations_" in line], plan
    else:
        # PostgreSQL: one join at most (a reply's annotation), however the rows are reached.
        assert plan.count("Join") + plan.count("Nested Loop") <= 2, plan
