"""The annotations' and claims' full-text indexes stay current whichever way a row is written."""

import pytest
from django.db import connection

from annotations.models import Annotation, Claim, Evidence
from annotations.search.engine import ANNOTATIONS, CLAIMS, matching
from articles.search import full_text_query
from tests.factories import make_annotation, make_claim, make_label

pytestmark = pytest.mark.django_db


def found(model, index, query):
    return set(
        matching(model.objects.all(), index, full_text_query(query)).values_list("pk", flat=True)
    )


def annotations_found(query):
    return found(Annotation, ANNOTATIONS, query)


def claims_found(query):
    return found(Claim, CLAIMS, query)


def test_an_annotation_is_found_by_its_quote_note_and_tags():
    tag = make_label(name="reservoirs")
    annotation = make_annotation(exact="", note="The minister misread the drought figures.")
    annotation.labels.add(tag)
    other = make_annotation(exact="", note="Nothing to see.")

    assert annotations_found("drought") == {annotation.pk}
    assert annotations_found("reservoir") == {annotation.pk}  # stemmed, from its tag
    assert annotations_found('"misread the drought"') == {annotation.pk}
    assert annotations_found('"drought misread"') == set()
    assert other.pk not in annotations_found("minister")


def test_edits_tags_and_renamed_labels_reach_the_index():
    tag = make_label(name="harbour")
    annotation = make_annotation(exact="", note="First words.")

    Annotation.objects.filter(pk=annotation.pk).update(note="Second thoughts.")
    assert annotations_found("first") == set()
    assert annotations_found("thoughts") == {annotation.pk}

    annotation.labels.add(tag)
    assert annotations_found("harbour") == {annotation.pk}
    tag.name = "seaport"
    tag.save()
    assert annotations_found("harbour") == set()
    assert annotations_found("seaport") == {annotation.pk}
    annotation.labels.remove(tag)
    assert annotations_found("seaport") == set()

    annotation.delete()
    assert annotations_found("thoughts") == set()


def test_a_claim_is_found_by_statement_claimant_rationale_and_evidence():
    claim = make_claim(title="Fewer than two thousand people", claimant="Mayor Olsen")
    make_claim(title="Something else")

    assert claims_found("olsen") == {claim.pk}
    assert claims_found("thousand") == {claim.pk}

    Claim.objects.filter(pk=claim.pk).update(rationale="Police counted eleven thousand.")
    assert claims_found("police") == {claim.pk}

    evidence = Evidence.objects.create(claim=claim, url="https://x.example", title="Aerial photo")
    assert claims_found("aerial") == {claim.pk}
    evidence.title = "Drone footage"
    evidence.save()
    assert claims_found("aerial") == set()
    assert claims_found("drone footage") == {claim.pk}
    evidence.delete()
    assert claims_found("drone") == set()


def test_the_index_is_the_database_own_engine():
    make_annotation(exact="", note="Anything")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'annotation_search_idx'"
            )
            assert "gin" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT count(*) FROM annotations_annotation_fts")
            assert cursor.fetchone()[0] == 1
