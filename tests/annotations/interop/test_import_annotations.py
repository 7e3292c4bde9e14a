"""Importing W3C Web Annotations and Hypothesis JSON onto articles already in Claimlens."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Annotation, AnnotationOrigin, Claim
from tests.annotations.interop.conftest import SEED_SOURCE_URL, passage
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(db):
    return make_user(username="imogen", role="editor")


def hypothesis(article, quote, **fields):
    """Return an annotation as Hypothesis's API and export give it."""
    item = {
        "id": fields.pop("id", "AbCdEf123"),
        "created": "2022-01-08T10:15:00.000000+00:00",
        "updated": "2022-01-08T10:20:00.000000+00:00",
        "user": "acct:alice@hypothes.is",
        "uri": SEED_SOURCE_URL,
        "text": "",
        "tags": [],
        "group": "__world__",
        "permissions": {"read": ["group:__world__"], "update": ["acct:alice@hypothes.is"]},
        "target": [
            {
                "source": SEED_SOURCE_URL,
                "selector": [
                    {
                        "type": "RangeSelector",
                        "startContainer": "/div[1]/p[3]",
                        "startOffset": 0,
                        "endContainer": "/div[1]/p[3]",
                        "endOffset": len(quote),
                    },
                    # Offsets into the publisher's page, not into Claimlens's text.
                    {"type": "TextPositionSelector", "start": 1200, "end": 1200 + len(quote)},
                    {"type": "TextQuoteSelector", "exact": quote, "prefix": "", "suffix": ""},
                ],
            }
        ],
        "document": {"title": [article.title]},
        "links": {"html": f"https://hypothes.is/a/{fields.get('id', 'AbCdEf123')}"},
        "user_info": {"display_name": "Alice A."},
    }
    item.update(fields)
    return item


def write(tmp_path, doc, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(path, *args):
    """Run the command; return (error or None)."""
    try:
        call_command("import_annotations", path, *args)
    except CommandError as exc:
        return str(exc)
    return None


def test_hypothesis_export_is_imported_and_every_failure_reported(
    seed_article, importer, tmp_path, capsys
):
    a = seed_article
    paragraph_end = a.body_text.split("\n\n")[1].split(" ")[-3:]
    next_start = a.body_text.split("\n\n")[2].split(" ")[:3]
    # Browsers put one line break between paragraphs where Claimlens's text has two.
    across = " ".join(paragraph_end) + "\n" + " ".join(next_start)
    items = [
        hypothesis(a, passage(a, 1, 2, 5), text="A **note**", tags=["Kazakhstan", "via:twitter"]),
        hypothesis(
            a,
            passage(a, 3, 0, 4),
            id="private1",
            permissions={"read": ["acct:alice@hypothes.is"]},
            group="abc123",
        ),
        hypothesis(a, across, id="across"),
        hypothesis(a, "words that this article never had", id="missing"),
        hypothesis(a, passage(a, 3, 0, 4), id="reply1", references=["AbCdEf123"], text="Agreed"),
        {
            **hypothesis(a, "", id="pagenote", text="About the whole piece"),
            "target": [{"source": SEED_SOURCE_URL}],
        },
        {**hypothesis(a, passage(a, 1, 0, 3), id="elsewhere"), "uri": "https://elsewhere.example/x"}
        | {
            "target": [
                {
                    "source": "https://elsewhere.example/x",
                    "selector": [{"type": "TextQuoteSelector", "exact": "x"}],
                }
            ]
        },
        {
            **hypothesis(a, "", id="rangeonly"),
            "target": [{"source": SEED_SOURCE_URL, "selector": [{"type": "RangeSelector"}]}],
        },
    ]
    path = write(tmp_path, {"export_date": "2022-01-10T00:00:00Z", "annotations": items})
    error = run(path, "--user", "imogen")
    err = capsys.readouterr().err
    assert error == ("Imported 5 of 8 annotations. 1 of them is a reply. 3 could not be imported.")
    assert "item 4: not imported: That passage is not in the article" in err
    assert "item 5: not imported" not in err  # a reply, in the first one's discussion
    assert "item 7: not imported: its article is not in Claimlens" in err
    assert "item 8: not imported: The target has no TextQuoteSelector" in err
    assert "item 1: note: tag “via:twitter” was stored as “via twitter”" in err
    assert "item 3: note: placed by its words" in err

    first, private, spanning, page_note = Annotation.objects.order_by("pk")
    assert first.author == importer and first.article == a
    assert first.exact == passage(a, 1, 2, 5)
    assert a.body_text[first.start : first.end] == first.exact  # placed by quote, not by offsets
    assert first.note == "A **note**" and "<strong>note</strong>" in first.note_html
    assert sorted(label.name for label in first.labels.all()) == ["Kazakhstan", "via twitter"]
    assert first.created_at.isoformat() == "2022-01-08T10:15:00+00:00"
    origin = first.origin
    assert (origin.format, origin.creator_name, origin.creator_iri) == (
        "hypothesis",
        "Alice A.",
        "acct:alice@hypothes.is",
    )
    assert origin.original_id == "https://hypothes.is/a/AbCdEf123"
    assert origin.imported_by == importer
    assert private.visibility == "private" and first.visibility == "shared"
    assert spanning.exact == a.body_text[spanning.start : spanning.end]
    assert spanning.exact.replace("\n\n", "\n") == across
    assert page_note.is_page_note and page_note.note == "About the whole piece"
    (reply,) = first.replies.all()
    assert (reply.body, reply.author, reply.origin.external_id) == ("Agreed", importer, "reply1")


def test_hypothesis_api_rows_and_plain_lists(seed_article, importer, tmp_path):
    a = seed_article
    rows = {"total": 1, "rows": [hypothesis(a, passage(a, 1, 0, 3), text="from the API")]}
    assert run(write(tmp_path, rows, "rows.json"), "--user", "imogen") is None
    plain = [hypothesis(a, passage(a, 2, 0, 3), text="from a list", id="FromAList1")]
    assert run(write(tmp_path, plain, "list.json"), "--user", "imogen") is None
    assert sorted(Annotation.objects.values_list("note", flat=True)) == [
        "from a list",
        "from the API",
    ]


def w3c(article_source, quote, **extra):
    doc = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://other-tool.example/anno/1",
        "type": "Annotation",
        "created": "2021-12-31T23:59:59Z",
        "creator": {"id": "https://other-tool.example/users/bo", "type": "Person", "name": "Bo"},
        "body": [
            {"type": "TextualBody", "purpose": "commenting", "value": "From another tool"},
            {"type": "TextualBody", "purpose": "tagging", "value": "imported"},
            {"type": "TextualBody", "purpose": "identifying", "value": "imported claim"},
            {"type": "TextualBody", "purpose": "assessing", "value": "disputed"},
        ],
        "target": {
            "source": article_source,
            "selector": [{"type": "TextQuoteSelector", "exact": quote}],
        },
    }
    doc.update(extra)
    return doc


def test_w3c_annotation_page_with_forced_article(seed_article, importer, tmp_path):
    a = seed_article
    page = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://other-tool.example/page/0",
        "type": "AnnotationPage",
        "items": [
            w3c("https://unknown.example/copy-of-the-article", passage(a, 2, 1, 5)),
            "https://other-tool.example/anno/2",
        ],
    }
    path = write(tmp_path, page)
    assert "1 could not be imported" in run(path, "--user", "imogen", "--article", str(a.pk))
    annotation = Annotation.objects.get()
    assert annotation.article == a
    assert (annotation.claim.title, annotation.claim.status.name) == ("imported claim", "disputed")
    assert annotation.origin.original_id == "https://other-tool.example/anno/1"
    assert annotation.origin.creator_name == "Bo"
    assert annotation.created_at.year == 2021


def test_each_item_is_atomic(seed_article, importer, tmp_path):
    a = seed_article
    bad_status = w3c(SEED_SOURCE_URL, passage(a, 2, 1, 5))
    bad_status["body"][-1]["value"] = "half true"
    good = w3c(SEED_SOURCE_URL, passage(a, 3, 0, 3))
    good["body"][2]["value"] = "another claim"
    error = run(write(tmp_path, [bad_status, good]), "--user", "imogen")
    assert error == "Imported 1 of 2 annotations. 1 could not be imported."
    assert list(Claim.objects.values_list("title", flat=True)) == ["another claim"]
    assert Annotation.objects.count() == 1


def test_command_arguments(seed_article, tmp_path, capsys):
    path = write(tmp_path, [w3c(SEED_SOURCE_URL, passage(seed_article, 2, 1, 5))])
    assert run(path) == "There is no superuser: name the importing user with --user."
    admin = make_user(username="root", role="", is_superuser=True)
    assert run(path, "--user", "nobody") == "There is no user nobody."
    assert run(path, "--article", "999999") == "There is no article 999999."
    assert run(str(tmp_path / "missing.json")).startswith("Cannot read")
    assert run(write(tmp_path, "{oops", "bad.json")) is not None
    assert run(write(tmp_path, {"hello": "world"}, "odd.json")).startswith("No annotations found")
    assert run(path) is None
    assert Annotation.objects.get().author == admin
    assert "Imported 1 of 1 annotations." in capsys.readouterr().out


def test_importing_needs_the_annotator_role(seed_article, tmp_path):
    make_user(username="rita", role="reader")
    path = write(tmp_path, [w3c(SEED_SOURCE_URL, passage(seed_article, 2, 1, 5))])
    with pytest.raises(Exception, match="cannot annotate"):
        call_command("import_annotations", path, "--user", "rita")


def test_upload_page(client, seed_article, importer):
    a = seed_article
    assert client.get("/imports/annotations/").status_code == 302  # sign in first
    client.force_login(importer)
    form = client.get("/imports/annotations/")
    assert form.status_code == 200 and b'enctype="multipart/form-data"' in form.content
    items = [
        hypothesis(a, passage(a, 1, 2, 5), text="uploaded"),
        hypothesis(a, "not in this article at all", id="nope"),
    ]
    upload = SimpleUploadedFile("h.json", json.dumps(items).encode(), "application/json")
    response = client.post("/imports/annotations/", {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Imported 1 of 2" in page
    assert 'id="import-item-2"' in page and "That passage is not in the article" in page
    assert Annotation.objects.get().author == importer
    assert AnnotationOrigin.objects.get().format == "hypothesis"

    broken = SimpleUploadedFile("b.json", b"{nope", "application/json")
    response = client.post("/imports/annotations/", {"file": broken})
    assert response.status_code == 400 and "not JSON" in response.content.decode()


def test_upload_page_refuses_readers(client, seed_article):
    client.force_login(make_user(username="rudi", role="reader"))
    assert client.get("/imports/annotations/").status_code == 403
