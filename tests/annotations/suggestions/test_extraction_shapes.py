"""General shapes of attribution added after set G joined the corpus, each in two languages
or more: more speech verbs, terms and titles that are not statements, and (below) the
attributions and speakers the earlier rules missed."""

import pytest

from annotations.suggestions.extraction import extract
from tests.annotations.suggestions.test_extraction import one

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "La ministra, Ana Ruiz, manifestó que el plan llegará a todas las regiones.",
            "el plan llegará a todas las regiones",
            "Ana Ruiz",
        ),
        (
            "La alcaldesa Rosa Díaz enfatizó que la obra terminará antes del invierno.",
            "la obra terminará antes del invierno",
            "Rosa Díaz",
        ),
        (
            "«Questo è un furto ai danni delle famiglie», accusa Paolo Neri.",
            "Questo è un furto ai danni delle famiglie",
            "Paolo Neri",
        ),
        (
            "“Não se trata de política, mas de justiça”, ponderou Ana Costa.",
            "Não se trata de política",
            "Ana Costa",
        ),
        (
            "Mr. Rao further informed that the audit of the project had been ordered.",
            "the audit of the project had been ordered",
            "Rao",
        ),
    ],
)
def test_more_reporting_verbs(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Staff had described the charge as a “crossing fee” in the report, Ruth Okafor said.",
        "Per i critici è diventata la “tassa sul panino”, ha detto Paolo Neri.",
        "Für die Gegner ist das die „große Wende am Hafen“, sagte Anna Keller.",
        "Pour elle, c'est une « exception à la française », a déclaré Sophie Martin.",
    ],
)
def test_a_quote_after_a_bare_article_is_a_term(text):
    assert all(len(s.quote.split()) > 4 for s in extract(text))


@pytest.mark.parametrize(
    "text",
    [
        "Secondo l'assessore Paolo Neri, il progetto, ribattezzato «Tutti a tavola», parte presto.",
        "Según Ana Ruiz, el plan, bautizado por la consejería como «Escuela Viva», empieza ya.",
        "The scheme, renamed “Safe Streets First”, starts in May, Ruth Okafor said.",
        "La mairie distribue des exemplaires du guide « Jardin Partagé », a déclaré Sophie Martin.",
        "The council hands out copies of the brochure “Safe At Home Now”, Ruth Okafor said.",
        "Prevede la distribuzione del ricettario «A pranzo con la nonna», ha detto Paolo Neri.",
    ],
)
def test_renamed_things_and_titles_after_their_noun_are_not_statements(text):
    assert [s.quote for s in extract(text) if s.kind == "quote"] == []
