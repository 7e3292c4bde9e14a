"""/api/search: Hypothesis's search API (its parameters, its rows) over Claimlens's annotations."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations.collab.moderation import flag_create
from annotations.core.services import annotation_create, annotation_hide
from annotations.interop.tokens import token_create
from annotations.models import Annotation
from tests.annotations.interop.conftest import SEED_SOURCE_URL, at, passage
from tests.annotations.interop.protocol import BASE, bearer
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ROW_FIELDS = {
    "id",
    "created",
    "updated",
    "user",
    "uri",
    "text",
    "tags",
    "group",
    "permissions",
    "target",
    "document",
    "links",
    "user_info",
    "references",
    "flagged",
    "hidden",
}


def search(client, query="", **headers):
    response = client.get(f"/api/search{query}", headers=headers)
    return response, response.json()


def ids(body) -> list[int]:
    return [int(row["id"]) for row in body["rows"]]


def test_rows_have_hypothesis_fields_and_shape(client, annotated, seed_article, annotator):
    comment = annotated["comment"]
    response, body = search(client, f"?uri={SEED_SOURCE_URL}&text=order")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert set(body) == {"total", "rows"}
    assert body["total"] == 2  # the comment and the claim say "order"; the private note is hidden
    row = next(r for r in body["rows"] if r["id"] == str(comment.pk))
    assert set(row) == ROW_FIELDS
    assert row["user"] == "acct:ana@testserver"
    assert row["uri"] == SEED_SOURCE_URL
    assert row["text"] == comment.note
    assert row["group"] == "__world__"
    assert row["permissions"]["read"] == ["group:__world__"]
    assert row["permissions"]["update"] == ["acct:ana@testserver"]
    (target,) = row["target"]
    assert target["source"] == SEED_SOURCE_URL
    quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
    position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
    assert quote["exact"] == comment.exact
    assert seed_article.body_text[position["start"] : position["end"]] == comment.exact
    assert row["document"] == {"title": [seed_article.title]}
    assert row["links"]["json"] == f"{BASE}/api/annotations/{comment.pk}"
    assert (
        row["links"]["incontext"] == f"{BASE}/articles/{seed_article.pk}/#annotation-{comment.pk}"
    )
    assert row["references"] == [] and row["flagged"] is False and row["hidden"] is False
    assert row["created"].endswith("Z") and row["updated"].endswith("Z")
    tags = next(r for r in search(client, "?tag=quote")[1]["rows"])
    assert sorted(tags["tags"]) == ["context", "quote"]
    page_note = annotated["page_note"]
    (row,) = search(client, "?text=wire")[1]["rows"]
    assert row["id"] == str(page_note.pk) and row["target"] == [{"source": SEED_SOURCE_URL}]


def test_uri_matches_the_original_url_and_the_reader_url(client, annotated, seed_article):
    other = make_article(source_url="https://elsewhere.example/story")
    annotation_create(article=other, author=annotated["comment"].author, note="elsewhere")
    shared = {a.pk for name, a in annotated.items() if name != "private"}
    for uri in (
        SEED_SOURCE_URL,
        SEED_SOURCE_URL + "/",  # a trailing slash, as h normalises
        f"{BASE}/articles/{seed_article.pk}/",  # the reader URL
    ):
        assert set(ids(search(client, f"?uri={uri}")[1])) == shared, uri
    assert set(ids(search(client, f"?url={BASE}/articles/{seed_article.pk}/")[1])) == shared
    both = search(client, f"?uri={SEED_SOURCE_URL}&uri=https://elsewhere.example/story")[1]
    assert both["total"] == len(shared) + 1
    nowhere = search(client, "?uri=https://not-here.example/")[1]
    assert nowhere == {"total": 0, "rows": []}


def test_filters_each_narrow_the_list(client, annotated, annotator, other_annotator):
    a = annotated
    word = max(a["tags"].exact.split(), key=len).strip(".,;:")
    cases = {
        "?tag=context": {a["tags"].pk},
        "?tag=Context&tags=quote": {a["tags"].pk},  # case ignored; all tags must match
        "?tag=context&tag=follow-up": set(),
        "?user=acct:otto@testserver": {a["tags"].pk, a["page_note"].pk},
        "?user=otto": {a["tags"].pk, a["page_note"].pk},
        "?user=acct:otto@hypothes.is": set(),  # the same name on another service
        "?group=__world__&user=otto": {a["tags"].pk, a["page_note"].pk},
        "?group=someothergroup": set(),
        "?text=source needed": {a["comment"].pk},  # every word, anywhere in the note
        "?text=needed nowhere": set(),
        f"?quote={a['highlight'].exact.split()[1]}": {a["highlight"].pk},
        "?any=follow-up": {a["page_note"].pk},  # a tag
        "?any=wire": {a["page_note"].pk},  # the note
        f"?any={word}": {  # the quote (or a note that has the word)
            x.pk
            for name, x in a.items()
            if name != "private" and word.lower() in (x.exact + x.note).lower()
        },
    }
    assert a["tags"].pk in cases[f"?any={word}"]
    for query, expected in cases.items():
        response, body = search(client, query)
        assert response.status_code == 200, (query, body)
        assert set(ids(body)) == expected, query
        assert body["total"] == len(expected), query


def test_limit_offset_sort_order_and_search_after(client, seed_article, annotator):
    made = []
    start = timezone.now() - timedelta(days=1)
    for i in range(7):
        annotation = annotation_create(
            article=seed_article,
            author=annotator,
            note=f"note {i}",
            **at(seed_article, passage(seed_article, 1 + i % 4, i % 3, 3)),
        )
        moment = start + timedelta(minutes=i)
        Annotation.objects.filter(pk=annotation.pk).update(created_at=moment, updated_at=moment)
        made.append(annotation.pk)
    body = search(client)[1]
    assert body["total"] == 7 and ids(body) == made[::-1]  # updated, newest first
    assert ids(search(client, "?limit=3")[1]) == made[::-1][:3]
    assert ids(search(client, "?limit=3&offset=3")[1]) == made[::-1][3:6]
    assert ids(search(client, "?sort=created&order=asc&limit=2")[1]) == made[:2]
    assert ids(search(client, "?sort=id&order=desc&limit=2")[1]) == made[::-1][:2]
    assert ids(search(client, "?limit=0")[1]) == [] and search(client, "?limit=0")[1]["total"] == 7
    # Paging by search_after: the sort value of the last row seen, as h's clients do.
    seen, after = [], ""
    while True:
        page = search(client, f"?sort=created&order=asc&limit=3{after}")[1]
        if not page["rows"]:
            break
        assert page["total"] == 7
        seen += ids(page)
        after = "&search_after=" + page["rows"][-1]["created"]
    assert seen == made
    last = search(client, f"?sort=id&order=desc&search_after={made[2]}")[1]
    assert ids(last) == made[:2][::-1]


@pytest.mark.parametrize(
    "query, words",
    [
        ("?wildcard_uri=https://news.example/*", "Unknown query parameter: wildcard_uri"),
        ("?uri.parts=news", "Unknown query parameter: uri.parts"),
        ("?tagg=context", "Unknown query parameter: tagg"),
        ("?limit=201", "limit must be a whole number from 0 to 200"),
        ("?limit=-1", "limit must be a whole number from 0 to 200"),
        ("?offset=9801", "offset must be a whole number from 0 to 9800"),
        ("?sort=text", "sort must be one of updated, created, id, user, group"),
        ("?order=sideways", "order must be asc or desc"),
        ("?search_after=yesterday", "search_after must be a date-time"),
        ("?search_after=2022-01-01T10:00:00", "search_after must say its time zone"),
        ("?sort=id&search_after=abc", "search_after must be an annotation id"),
        ("?user=a&user=b", "Give user once"),
        ("?text=%00", "without NUL"),
    ],
)
def test_what_h_would_refuse_answers_400(client, annotated, query, words):
    response, body = search(client, query)
    assert response.status_code == 400, query
    assert response["Content-Type"] == "application/problem+json"
    assert words in body["detail"]


def test_only_what_the_requester_may_see(client, annotated, annotator, other_annotator, moderator):
    private = annotated["private"]
    hidden = annotated["tags"]
    annotation_hide(annotation=hidden, user=moderator)
    everyone = set(ids(search(client, "?limit=200")[1]))
    assert private.pk not in everyone and hidden.pk not in everyone
    client.force_login(other_annotator)
    own = {int(r["id"]): r for r in search(client, "?limit=200")[1]["rows"]}
    assert private.pk not in own and own[hidden.pk]["hidden"] is True  # their own, hidden
    client.logout()
    token = token_create(user=annotator, name="h-client")[1]
    rows = {int(r["id"]): r for r in search(client, "?limit=200", **bearer(token))[1]["rows"]}
    assert private.pk in rows and hidden.pk not in rows
    assert rows[private.pk]["permissions"]["read"] == ["acct:ana@testserver"]
    bad = client.get("/api/search", headers=bearer("nope"))
    assert bad.status_code == 401 and "Bearer" in bad["WWW-Authenticate"]


def test_flagged_says_whether_the_requester_reported_it(client, annotated, other_annotator):
    comment = annotated["comment"]
    flag_create(reporter=other_annotator, reason="rude", annotation=comment)
    client.force_login(other_annotator)
    rows = {int(r["id"]): r["flagged"] for r in search(client)[1]["rows"]}
    assert rows[comment.pk] is True and sum(rows.values()) == 1
    client.logout()
    assert not any(r["flagged"] for r in search(client)[1]["rows"])


def test_search_query_count_does_not_grow_with_rows(
    client, seed_article, annotator, other_annotator, django_assert_max_num_queries
):
    def make(count):
        for i in range(count):
            annotation_create(
                article=seed_article,
                author=annotator if i % 2 else other_annotator,
                note=f"note {i}",
                tags=f"tag{i % 3}, false: claim {i % 2}",
                **at(seed_article, passage(seed_article, 1 + i % 5, i % 4, 3)),
            )

    query = f"/api/search?uri={SEED_SOURCE_URL}&limit=200&any=note"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(query).status_code == 200
        return len(captured)

    client.force_login(annotator)
    make(3)
    few = queries()
    make(20)
    # Guards /api/search against an N+1 on authors, articles, labels or flags.
    with django_assert_max_num_queries(few):
        assert len(client.get(query).json()["rows"]) == 23


def test_api_lists_refuse_unknown_filters(client, annotated, seed_article):
    """A filter the list does not know answers 400, never the whole unfiltered list."""
    for url in ("/api/annotations/", f"/api/articles/{seed_article.pk}/annotations/"):
        response = client.get(url + f"?uri={SEED_SOURCE_URL}")
        assert response.status_code == 400, url
        assert response["Content-Type"] == "application/problem+json"
        assert "Unknown query parameter: uri" in response.json()["detail"]
        assert "tag, status, author, q, page, iris" in response.json()["detail"]
        assert client.get(url + "?tag=context&page=0&iris=1").status_code == 200
