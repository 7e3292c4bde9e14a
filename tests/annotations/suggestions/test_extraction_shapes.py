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


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Il sindaco Marco Rossi ha replicato: “Le linee non vengono tagliate.” "
            "«Capisco le famiglie», ha aggiunto il sindaco.",
            "Le linee non vengono tagliate",
            "Marco Rossi",
        ),
        (
            "El alcalde Juan Pérez respondió: “No habrá recortes este año.” "
            "«Lo garantizo», añadió el alcalde.",
            "No habrá recortes este año",
            "Juan Pérez",
        ),
    ],
)
def test_curly_quotes_beside_guillemets_in_one_paragraph(text, words, speaker):
    assert one(text, words).speaker_full == speaker


def test_a_british_single_quote_runs_on_into_the_next_paragraph():
    text = (
        "Martin Coughlan, a retired postman, has waited two years.\n\n"
        "‘I was told six months,’ he said. ‘Then it was a year. Now nobody will give me a date.\n\n"
        "‘So I sit here and I wait.’"
    )
    assert one(text, "Now nobody will give me a date").speaker_full == "Martin Coughlan"
    assert one(text, "So I sit here and I wait").speaker_full == "Martin Coughlan"


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Dr Ann Reid, a surgeon, spoke first. “We are losing years,” she said.\n\n"
            "Tom Price, 64, a retired postman, has waited two years for a new knee.\n\n"
            "“I was told six months at the start,” he told the Valley Herald.",
            "I was told six months",
            "Tom Price",
        ),
        (
            "« Nous perdons des années », a déclaré la chirurgienne Anne Roux.\n\n"
            "Paul Girard, 64 ans, un facteur retraité, attend son opération depuis deux ans.\n\n"
            "« On m'avait promis six mois au départ », confie-t-il.",
            "On m'avait promis six mois",
            "Paul Girard",
        ),
    ],
)
def test_he_is_the_person_the_paragraph_before_introduced(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Tom Price has waited two years.\n\n"
            "“I was told six months,” he told the Valley Herald. “Then it was a year.”",
            "Then it was a year",
            "Tom Price",
        ),
        (
            "Ana Costa espera há dois anos.\n\n"
            "“Disseram-me seis meses”, disse ela ao Jornal Vale. “Depois foi um ano.”",
            "Depois foi um ano",
            "Ana Costa",
        ),
    ],
)
def test_a_pronoun_goes_on_as_its_person_not_the_paper_it_was_told_to(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "The Health Service said in a statement that the funds had been allocated.\n\n"
            "‘We are acutely aware of the delays,’ the statement said.",
            "acutely aware of the delays",
            "Health Service",
        ),
        (
            "A construtora Vértice Obras informou que pretende erguer casas no local.\n\n"
            '"A empresa sempre esteve aberta ao diálogo", diz o texto.',
            "sempre esteve aberta ao diálogo",
            "Vértice Obras",
        ),
    ],
)
def test_the_statement_said_is_whoever_issued_it(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Ray Hill lost by eleven votes.\n\n"
            "County Clerk Bernadette Vogel-Ames, who ran the recount, has run elections here "
            "since 1998. She said the hardest part was the watching.",
            "the hardest part was the watching",
            "Bernadette Vogel-Ames",
        ),
        (
            "Municipal Commissioner R. Venkataraghavan visited the site.\n\n"
            "“The contractor has been served a notice,” the commissioner said.",
            "The contractor has been served a notice",
            "R. Venkataraghavan",
        ),
    ],
)
def test_a_title_after_other_capitalised_words_is_not_part_of_the_name(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Der Geschäftsführer der Obermaier Technik GmbH, Rainer Obermaier, widerspricht.\n\n"
            "„Wir werden mit den Behörden kooperieren“, betonte Obermaier.",
            "Wir werden mit den Behörden kooperieren",
            "Rainer Obermaier",
        ),
        (
            "The chief executive of Halvorsen Appliance Co, Dana Halvorsen, spoke on Monday.\n\n"
            "“We did everything we could to keep the plant open,” Halvorsen said.",
            "We did everything we could",
            "Dana Halvorsen",
        ),
    ],
)
def test_a_surname_is_the_person_before_the_company_named_after_them(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Ruth Okafor spoke first.\n\n"
            "The contractor, Meghdoot Infraprojects Ltd., in a written reply, claimed that the "
            "delays were caused by the late handing over of land.",
            "the delays were caused by the late handing over of land",
            "Meghdoot Infraprojects Ltd",
        ),
        (
            "Cícera Ramos mora no terreno.\n\n"
            "O terreno pertence à construtora Vértice Obras, que, em nota, informou que "
            "pretende erguer um conjunto residencial no local.",
            "pretende erguer um conjunto residencial no local",
            "Vértice Obras",
        ),
        (
            "Ana Ruiz vive en el terreno.\n\n"
            "El terreno es de la constructora Vértice Obras, que, en un comunicado, informó que "
            "levantará viviendas en el lugar.",
            "levantará viviendas en el lugar",
            "Vértice Obras",
        ),
    ],
)
def test_a_company_with_its_legal_form_or_before_a_relative_clause_is_the_speaker(
    text, words, speaker
):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Laut dem Naturschutzverband Erlachtal wird es fünf Jahre dauern, bis sich der "
            "Bestand erholt hat.",
            "wird es fünf Jahre dauern, bis sich der Bestand erholt hat",
            "Naturschutzverband Erlachtal",
        ),
        (
            "Nach Angaben der Bergrettung Oberalpen waren die beiden Männer gut ausgerüstet, "
            "als der Hang abging.",
            "waren die beiden Männer gut ausgerüstet",
            "Bergrettung Oberalpen",
        ),
    ],
)
def test_laut_with_the_verb_second_and_a_comma_later(text, words, speaker):
    found = one(text, words)
    assert found.speaker_full == speaker and found.quote.startswith(words.split()[0])


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Wie Oberstaatsanwalt Dieter Lammersdorf am Donnerstag mitteilte, wird gegen einen "
            "Betrieb im Gewerbegebiet ermittelt.",
            "wird gegen einen Betrieb im Gewerbegebiet ermittelt",
            "Dieter Lammersdorf",
        ),
        (
            "As the minister, Dana Ruiz, explained, the new lanes will open in March.",
            "the new lanes will open in March",
            "Dana Ruiz",
        ),
        (
            "Como explicó la consejera Lucía Ortega, los centros abrirán en septiembre.",
            "los centros abrirán en septiembre",
            "Lucía Ortega",
        ),
        (
            "Comme l'a rappelé le maire Gérard Le Floc'h, la commune avait proposé son aide.",
            "la commune avait proposé son aide",
            "Gérard Le Floc'h",
        ),
    ],
)
def test_as_the_source_said_before_the_statement(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Halvorsen Appliance Co. will close its plant and cut about 1,200 jobs, the company "
            "said Wednesday.",
            "Halvorsen Appliance Co. will close its plant and cut about 1,200 jobs",
            "Halvorsen Appliance Co",
        ),
        (
            "Rainer Obermaier weist die Vorwürfe zurück.\n\n"
            "Sein Betrieb halte sämtliche Grenzwerte ein, sagte er auf Anfrage dieser Zeitung.",
            "Sein Betrieb halte sämtliche Grenzwerte ein",
            "Rainer Obermaier",
        ),
        (
            "The flyover will not open before the monsoon, the Sundarpur Municipal Corporation "
            "confirmed on Monday, marking the third missed deadline.",
            "The flyover will not open before the monsoon",
            "Sundarpur Municipal Corporation",
        ),
        (
            "Dieter Lammersdorf leitet die Ermittlungen.\n\n"
            "Ergebnisse der Analysen würden frühestens nächste Woche erwartet, so der "
            "Oberstaatsanwalt.",
            "Ergebnisse der Analysen würden frühestens nächste Woche erwartet",
            "Dieter Lammersdorf",
        ),
    ],
)
def test_the_source_after_the_statement_with_when_where_and_an_aside(text, words, speaker):
    found = one(text, words)
    assert found.speaker_full == speaker and found.quote == words


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "Bürgermeisterin Sabine Kreutzer-Hahn kündigte an, die Gemeinde werde als "
            "Nebenklägerin auftreten.",
            "die Gemeinde werde als Nebenklägerin auftreten",
        ),
        (
            "Landrat Jürgen Hessler räumte ein, der Kreis habe zu spät reagiert.",
            "der Kreis habe zu spät reagiert",
        ),
    ],
)
def test_a_german_separable_verb_then_the_subjunctive(text, words):
    assert one(text, words).quote == words


@pytest.mark.parametrize(
    "text, first, second",
    [
        (
            "La secretaria, Luz Dary Cifuentes, manifestó que la Alcaldía está dispuesta a "
            "dialogar, pero advirtió que no permitirá bloqueos en las vías principales.",
            "la Alcaldía está dispuesta a dialogar",
            "no permitirá bloqueos en las vías principales",
        ),
        (
            "The mayor, Ruth Okafor, said that the city is ready to talk, but warned that "
            "it will not allow blockades on the main roads.",
            "the city is ready to talk",
            "it will not allow blockades on the main roads",
        ),
    ],
)
def test_but_and_a_second_verb_without_its_subject_is_a_second_statement(text, first, second):
    assert one(text, first).quote == first
    assert one(text, second).quote == second
    assert one(text, second).speaker_full == one(text, first).speaker_full


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Pruett Mayor Jim Baptiste put it bluntly: “When the plant sneezes, this town "
            "catches pneumonia.”",
            "this town catches pneumonia",
            "Jim Baptiste",
        ),
        (
            "Deputy Commissioner of Police (Traffic) Sanjana Mehrotra had a simple message for "
            "commuters: “Kindly avoid the stretch between 8 am and 11 am.”",
            "Kindly avoid the stretch",
            "Sanjana Mehrotra",
        ),
        (
            "Bürgermeisterin Sabine Kreutzer-Hahn sprach am Abend. Ihr Fazit: „Wer unsere Erlach "
            "vergiftet, muss dafür geradestehen.“",
            "Wer unsere Erlach vergiftet",
            "Sabine Kreutzer-Hahn",
        ),
        (
            "The mayor, Ruth Okafor, spoke last. Her verdict: “This is the night the council "
            "gave up on the island.”",
            "the night the council gave up",
            "Ruth Okafor",
        ),
        (
            "Le maire, Gérard Le Floc'h, a pris la parole. Son verdict : « C'est un mois de "
            "chiffre d'affaires qui s'envole. »",
            "un mois de chiffre d'affaires",
            "Gérard Le Floc'h",
        ),
    ],
)
def test_a_colon_after_a_named_subject_or_a_possessive(text, words, speaker):
    assert one(text, words).speaker_full == speaker


def test_german_puts_the_subject_after_the_verb_after_a_fronted_phrase():
    text = (
        "In einer Pressemitteilung erklärte das Wasserwirtschaftsamt Hohenfels: »Eine Gefährdung "
        "des Trinkwassers besteht nicht.«\n\n"
        "Am Abend betonte die Umweltministerin Anna Keller: „Wir prüfen jeden Hinweis.“"
    )
    assert one(text, "Gefährdung des Trinkwassers").speaker_full == "Wasserwirtschaftsamt Hohenfels"
    assert one(text, "Wir prüfen jeden Hinweis").speaker_full == "Anna Keller"


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Bernadette Vogel-Ames, folding up the last table, said she was already thinking "
            "about the spring primary.",
            "she was already thinking about the spring primary",
            "Bernadette Vogel-Ames",
        ),
        (
            "Lucía Ortega, saliendo del pleno, dijo que el plan llegará a todas las regiones.",
            "el plan llegará a todas las regiones",
            "Lucía Ortega",
        ),
        (
            "Coun. Darnell Okonkwo-Reid voted against. He called the toll “a tax on geography” and "
            "said his constituents were being asked to pay for decades of neglect.",
            "his constituents were being asked to pay",
            "Darnell Okonkwo-Reid",
        ),
        (
            "Sophie Martin a voté contre. Elle a dénoncé « un impôt sur la géographie » et "
            "affirmé que les habitants paient pour des décennies de négligence.",
            "les habitants paient pour des décennies de négligence",
            "Sophie Martin",
        ),
        (
            "Lorraine Beaudoin, 71, said she drives to the mainland three times a week.",
            "she drives to the mainland three times a week",
            "Lorraine Beaudoin",
        ),
    ],
)
def test_the_subject_of_a_reported_clause_an_aside_or_a_pronoun_away(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "One of the counters, a retired teacher named Hal Prewitt, said that the count was "
            "the most boring patriotic thing he had done.",
            "the count was the most boring",
            "Hal Prewitt",
        ),
        (
            "Uno de los voluntarios, un maestro jubilado llamado Pedro Gil, dijo que el recuento "
            "fue lo más aburrido que había hecho.",
            "el recuento fue lo más aburrido",
            "Pedro Gil",
        ),
    ],
)
def test_a_person_named_in_an_apposition(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "Consultant surgeon Dr Aoife Brennock described the situation as ‘indefensible’.",
            "indefensible",
            "Aoife Brennock",
        ),
        (
            "Coun. Darnell Okonkwo-Reid voted against. He called the toll “a tax on geography”.",
            "a tax on geography",
            "Darnell Okonkwo-Reid",
        ),
        (
            'El diputado local Mauricio Ledesma calificó la campaña de "tardía".',
            "tardía",
            "Mauricio Ledesma",
        ),
        (
            "Un responsable d'une compagnie de croisière, sous couvert d'anonymat, juge la "
            "mesure « disproportionnée ».",
            "disproportionnée",
            "Un responsable d'une compagnie de croisière",
        ),
    ],
)
def test_someone_characterising_something_in_their_own_words(text, words, speaker):
    assert one(text, words).speaker_full == speaker


@pytest.mark.parametrize(
    "text",
    [
        "One of the counters, Hal Prewitt, was there. The counters “worked through the night”.",
        "La Fiscalía recibió una denuncia «por la noche y sin pruebas» del vecino.",
    ],
)
def test_a_speech_verb_after_an_article_is_a_noun(text):
    assert [s.quote for s in extract(text)] == []


def test_a_short_second_verb_stays_with_its_statement():
    text = "Ray Hill did ask. He told me he had no evidence of fraud and had never claimed any."
    assert one(text, "no evidence").quote == "he had no evidence of fraud and had never claimed any"


@pytest.mark.parametrize(
    "text, first, second",
    [
        (
            "Controller Kiri Walsh said no one had been reported injured, but two homes on the "
            "lane had been evacuated as a precaution.",
            "no one had been reported injured",
            "two homes on the lane had been evacuated as a precaution",
        ),
        (
            "La alcaldesa Rosa Díaz dijo que nadie había resultado herido, pero dos casas del "
            "barrio habían sido evacuadas por precaución.",
            "nadie había resultado herido",
            "dos casas del barrio habían sido evacuadas por precaución",
        ),
    ],
)
def test_but_and_a_new_subject_is_a_second_statement(text, first, second):
    assert one(text, first).quote == first
    assert one(text, second).quote == second


def test_a_title_in_front_of_a_name_is_a_role_that_refers_back():
    text = (
        "“We had no choice,” Mayor Gwen Tremblay said after the vote.\n\n"
        "Lorraine Baker, 71, said the toll would cost her dearly. “It adds up fast,” she said."
        "\n\nCouncil also voted for a study. The mayor said a final decision would come back "
        "to council in February."
    )
    assert one(text, "a final decision would come back").speaker_full == "Gwen Tremblay"


@pytest.mark.parametrize(
    "text, words, speaker",
    [
        (
            "SUNDARPUR: The flyover will not open before the monsoon, the Sundarpur Municipal "
            "Corporation (SMC) confirmed on Monday.",
            "The flyover will not open before the monsoon",
            "Sundarpur Municipal Corporation",
        ),
        (
            "VALDEMORO: Las obras del puente terminarán en marzo, dijo la alcaldesa Rosa Díaz.",
            "Las obras del puente terminarán en marzo",
            "Rosa Díaz",
        ),
    ],
)
def test_a_dateline_in_capitals_is_not_an_interview_answer(text, words, speaker):
    found = one(text, words)
    assert found.quote.endswith(words) and found.speaker_full == speaker
