"""Export everything as JSON-LD, empty the tables, import the file: the same annotations return."""

import json

import pytest
from django.core.management import call_command

from annotations.core.services import annotation_create, annotation_delete
from annotations.models import Annotation, Claim, Label
from tests.annotations.interop.conftest import validate
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def snapshot():
    """Return everything an annotation says, independent of primary keys."""
    rows = []
    annotations = (
        Annotation.objects.alive()
        .select_related("author", "claim__status")
        .prefetch_related("labels")
    )
    for a in annotations:
        rows.append(
            {
                "article": a.article_id,
                "quote": (a.exact, a.prefix, a.suffix),
                "offsets": (a.start, a.end),
                "note": a.note,
                "note_html": a.note_html,
                "tags": sorted(label.name for label in a.labels.all()),
                "claim": (a.claim.title, a.claim.status.name, a.claim.claimant)
                if a.claim
                else None,
                "visibility": a.visibility,
                "author": a.author.username,
                "created": a.created_at,
            }
        )
    return sorted(rows, key=lambda row: json.dumps(row, default=str, sort_keys=True))


@pytest.fixture
def everything(annotated, annotator, other_annotator):
    other = make_article(title="Another article", source_url="https://news.example/other")
    annotation_create(
        article=other, author=other_annotator, exact="Second paragraph", tags="false: second claim"
    )
    gone = annotation_create(article=other, author=annotator, exact="First paragraph", note="bin")
    annotation_delete(annotation=gone, user=annotator)
    return annotated


def export_and_empty(tmp_path):
    path = tmp_path / "backup.jsonld"
    call_command("export_annotations", "--format", "jsonld", "--include-private", "-o", str(path))
    Annotation.objects.all().delete()
    Claim.objects.all().delete()
    Label.objects.tags().delete()
    assert not Annotation.objects.exists() and not Claim.objects.exists()
    return path


def test_round_trip_restores_everything_with_authors(everything, tmp_path):
    importer = make_user(username="restorer", role="editor")
    before = snapshot()
    assert len(before) == 7 and {row["visibility"] for row in before} == {"shared", "private"}
    path = export_and_empty(tmp_path)
    validate(tmp_path, {"backup": json.loads(path.read_text(encoding="utf-8"))})

    call_command("import_annotations", str(path), "--user", "restorer", "--keep-authors")

    assert snapshot() == before
    assert all(a.origin.imported_by == importer for a in Annotation.objects.all())
    # A second export says the same as the first, but for ids, dates of change and `via`.
    again = tmp_path / "again.jsonld"
    call_command("export_annotations", "--format", "jsonld", "--include-private", "-o", str(again))

    def comparable(file):
        items = json.loads(file.read_text(encoding="utf-8"))["first"]["items"]
        for item in items:
            for key in ("id", "modified", "via"):
                item.pop(key, None)
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))

    assert comparable(again) == comparable(path)


def test_round_trip_by_someone_else_keeps_the_original_authors_as_origin(everything, tmp_path):
    make_user(username="restorer", role="editor")
    before = snapshot()
    path = export_and_empty(tmp_path)

    call_command("import_annotations", str(path), "--user", "restorer")

    after = snapshot()

    def anonymous(rows):
        return sorted(({**row, "author": None} for row in rows), key=lambda row: repr(row))

    assert anonymous(after) == anonymous(before)
    assert {row["author"] for row in after} == {"restorer"}
    assert sorted(Annotation.objects.values_list("origin__creator_name", flat=True)) == sorted(
        row["author"] for row in before
    )
