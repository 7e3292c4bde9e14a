"""The words the speaker rules know, in English, French, German, Spanish, Italian and
Portuguese: determiners, pronouns, titles, organisations, and the patterns built from them."""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()


UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"
_PARTICLES = (
    r"(?:de|da|do|das|del|della|degli|der|den|van|von|la|le|bin|ibn|al|el|di|du|dos|ter|zu)"
)
_CAP = rf"(?:[{UPPER}]\.|[{UPPER}][\w'’]*(?:-[\w'’]+)*)"
# A run of capitalised words, with the particles names have inside them.
NAME = rf"{_CAP}(?:\s+(?:{_PARTICLES}\s+)*{_CAP})*"
_NAME = re.compile(rf"\b{NAME}")
_ACRONYM_DEFINED = re.compile(rf"({NAME})\s*\(([{UPPER}][{UPPER}&.]{{1,7}})\)")
# "the president of the country, Kasim Jomart Tokayev", "the NGO Human Rights Watch".
_DETERMINERS = (
    r"the|an?|its|his|her|their|"  # English
    r"le|la|les|un|une|son|sa|leur|"  # French
    r"der|die|das|dem|den|ein|eine|einer|eines|sein|seine|ihr|ihre|"  # German
    r"el|los|las|una?|su|"  # Spanish
    r"il|lo|gli|uno|suo|sua|"  # Italian
    r"o|os|as|um|uma|seu"  # Portuguese
)
_DETERMINER = re.compile(_DETERMINERS, re.IGNORECASE)
_DETERMINER_START = re.compile(rf"^(?:(?:{_DETERMINERS})\s+|[ld]['’](?=\w))", re.IGNORECASE)
# Definite articles: "the minister", "die 54-Jährige", "la consejera", "l'assessore" refer back.
_DEFINITE_START = re.compile(
    r"^(?:(?:the|le|la|les|der|die|das|dem|den|el|los|las|il|lo|gli|o|os|as)\s+|l['’](?=\w))",
    re.IGNORECASE,
)
_PORTUGUESE = re.compile(r"\b(?:não|uma|então|também|está|são|pelo|pela)\b|ção\b", re.IGNORECASE)
# Not German's determiners: its nouns are capitalised, so "die Ministerin sagte am Mittwoch"
# would read as a role and a name.
_ROMANCE_DETERMINERS = _DETERMINERS.replace(
    r"der|die|das|dem|den|ein|eine|einer|eines|sein|seine|ihr|ihre|", ""
)
_ROLE_THEN_NAME = re.compile(
    rf"(?:\b(?i:{_ROMANCE_DETERMINERS})\s+|\b[LlDd]['’])((?:[\w’'-]+\s+){{0,7}}?[a-zà-ÿ][\w-]*)"
    rf"(?:,\s+|\s+)((?:{_CAP}(?:\s+(?:{_PARTICLES}\s+)*[\w'’-]+)*))"
)
# "Ruth Okafor, the mayor of Harwick," / "Ruth Okafor, a spokeswoman for ..."
_NAME_THEN_ROLE = re.compile(
    rf"({NAME}),\s+(?:(?i:{_DETERMINERS})\s+|[Ll]['’])([a-zà-ÿ][^,.;]{{2,80}}?)[,.;]"
)
# A role in apposition before a name of two words or more, in any language (German roles are
# capitalised): "Ein Sprecher der Bahn, Thomas Wolf,", "La consejera de Sanidad, Lucía Ortega,".
_ROLE_COMMA_NAME = re.compile(
    rf"(?:\b(?i:{_DETERMINERS})\s+|\b[LlDd]['’])((?:[^\s,.;:!?“”\"«»„]+\s+){{0,7}}[^\s,.;:!?“”\"«»„]+),\s+"
    rf"({_CAP}(?:\s+(?:{_PARTICLES}\s+)*{_CAP})+)(?=\s*[,.;:])"
)
# A title in front of a name: "Interior Minister Dana Ruiz", "spokeswoman Ana Gil".
_TITLE_NAME = re.compile(rf"\b((?:[A-Z]?[a-z]+\s+)?(?:[a-z]+|[A-Z]{{2,5}}))\s+({_CAP}\s+{NAME})")
_COMPOUND_TITLE_NAME = re.compile(rf"\b([{UPPER}][a-zäöüß]{{4,}})\s+({_CAP}\s+{NAME})")
_GERMAN_TITLE_END = re.compile(
    r"(?:minister|ministerin|präsident|präsidentin|sprecher|sprecherin|meister|meisterin|"
    r"vorsitzende|vorsitzender|direktor|direktorin|chef|chefin|experte|expertin|leiter|"
    r"leiterin|forscher|forscherin|anwalt|anwältin|richter|richterin)$"
)

PRONOUNS = {
    "he": "person",
    "she": "person",
    "they": "any",
    "it": "organisation",
    "we": "any",
    "i": "person",
    "il": "person",
    "elle": "person",
    "er": "person",
    "sie": "any",
    "él": "person",
    "ella": "person",
    "a-t-il": "person",
    "a-t-elle": "person",
    "ele": "person",
    "ela": "person",
    "lui": "person",
    "lei": "person",
    "celle": "person",
    "celui": "person",
    "quien": "person",
}
_ORGANISATION = re.compile(
    r"\b(ngo|ministry|government|authorit(?:y|ies)|police|army|office|agency|party|committee|"
    r"council|commission|court|department|service|union|bank|company|corporation|group|"
    r"watch|institute|university|hospital|association|organi[sz]ation|foundation|campaign|"
    r"alliance|coalition|network|trust|federation|fund|club|league|utility|firm|"
    r"spokes\w+ for|"
    # French, German, Spanish, Italian, Portuguese
    r"ministère|gouvernement|syndicat|entreprise|société|mairie|préfecture|"
    r"ministerium|regierung|gewerkschaft|unternehmen|verband|polizei|behörde|"
    r"ministerio|gobierno|sindicato|empresa|ayuntamiento|policía|asociación|"
    r"ministero|governo|sindacato|azienda|comune|polizia|associazione|agence|agencia|agenzia|"
    r"agência|collectif|colectivo|movimento|movimiento|mouvement|confederación|"
    r"ministério|governo|empresa|prefeitura|polícia|associação|companhia|compañía|compagnie|"
    r"compagnia|firma|konzern|landratsamt|stadtwerke|gmbh|instituto|institut|istituto|parquet|"
    r"fiscalía|fiscalia|procura|staatsanwaltschaft|clube|verein|zoo|consorzio|consortium|"
    r"consorcio|unione|klinikum)\b",
    re.IGNORECASE,
)
# Capitalised at a sentence's start, never part of the name after them.
_LEADING_WORDS = {
    "the",
    "a",
    "an",
    "according",
    "selon",
    "laut",
    "según",
    "secondo",
    "but",
    "and",
    "when",
    "after",
    "as",
    "in",
    "on",
    "at",
    "for",
    "if",
    "while",
    "this",
    "that",
    "asked",
    "with",
    "by",
    "from",
    "meanwhile",
    "however",
    "also",
    "then",
    "le",
    "la",
    "les",
    "der",
    "die",
    "das",
    "el",
    "los",
    "las",
    "ein",
    "eine",
    "un",
    "une",
    "una",
    "il",
    "lo",
    "gli",
    "o",
    "os",
    "um",
    "uma",
    "segundo",
    "pero",
    "mais",
    "aber",
    "ma",
    "mas",
    # "Ihr Fazit:", "His verdict:": a possessive before a capitalised noun
    "ihr",
    "ihre",
    "sein",
    "seine",
    "his",
    "her",
    "their",
    # "Nach Angaben der Bergrettung …", "Wie Oberstaatsanwalt …", "Como explicó …"
    "nach",
    "angaben",
    "wie",
    "im",
    "am",
    "como",
    "comme",
    "come",
}
# Prepositions after a role's head word: "the president of …", "la consejera de Sanidad".
_ROLE_HEAD_SKIP = set(
    _words(
        "of for at in the and to on with from "
        "de du des d' à au aux pour "
        "der des von vom zur zum für im bei "
        "del de la en para "
        "di dei degli della delle del al ai alla allo agli per "
        "do da dos das no na pelo pela"
    )
)
_TITLE_WORDS = {
    "mme",
    "mlle",
    "sra",
    "herr",
    "frau",
    "minister",
    "president",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "senator",
    "governor",
    "mayor",
    "chief",
    "director",
    "secretary",
    "chancellor",
    "general",
    "commissioner",
    "chairman",
    "chairwoman",
    "professor",
    "economist",
    "analyst",
    "leader",
    "inspector",
    "superintendent",
    "councillor",
    "councilor",
    "researcher",
    "manager",
    "ngo",
    "group",
    "ministry",
    "agency",
    "union",
    "campaigner",
    "activist",
    "lawyer",
    "judge",
    "officer",
    "official",
    "sheriff",
    "coach",
    "ceo",
    "founder",
    "dr",
    "mr",
    "mrs",
    "ms",
    "sir",
    "dame",
    "captain",
    "meteorologist",
    "rentnerin",
    "wirtschaftsministerin",
    "verbandschef",
    "fraktionsvorsitzende",
    "clerk",
    "controller",
    "treasurer",
    "coun",
    "cllr",
    "geschäftsführer",
    "geschäftsführerin",
}
# The same titles in French, German, Spanish, Italian and Portuguese (masculine and feminine).
_TITLE_WORDS |= set(
    _words(
        "ministre président présidente porte-parole maire directeur directrice secrétaire "
        "député députée sénateur sénatrice juge avocat avocate chercheur chercheuse syndicaliste "
        "conseiller conseillère préfet "
        "minister ministerin präsident präsidentin sprecher sprecherin bürgermeister "
        "bürgermeisterin vorsitzende vorsitzender direktor direktorin chef chefin richter "
        "richterin anwalt anwältin forscher forscherin abgeordnete abgeordneter "
        "ministro ministra presidente presidenta portavoz alcalde alcaldesa director directora "
        "secretario secretaria consejero consejera diputado diputada juez jueza abogado abogada "
        "investigador investigadora concejal concejala "
        "portavoce sindaco sindaca direttore direttrice segretario segretaria assessore "
        "assessora consigliere consigliera deputato deputata giudice avvocato avvocata "
        "ricercatore ricercatrice "
        "prefeito prefeita diretor diretora secretário secretária vereador vereadora "
        "deputado deputada advogado advogada pesquisador pesquisadora"
    )
)


def role_head(role: str) -> str:
    """Return the word a role is known by: "president" for "the president of the country"."""
    words = [w.lower().strip(",.") for w in role.split()]
    while words and _DETERMINER.fullmatch(words[0]):
        words = words[1:]
    if words:
        words[0] = re.sub(r"^[ld]['’]", "", words[0])  # "l'assessora", "d'Ocean Watch"
    head = ""
    for word in words:
        if word in _ROLE_HEAD_SKIP:
            break
        head = word
    return head


# German compounds end with the organisation: "Verkehrsministerium", "Landesbauernverband".
_GERMAN_ORGANISATION_END = re.compile(
    r"(?:ministerium|verband|behörde|gewerkschaft|amt|gericht|polizei|regierung|verwaltung|"
    r"gesellschaft|konzern|partei|kommission|institut)\b",
    re.IGNORECASE,
)


# A company's legal form: "Halvorsen Appliance Co.", "Meghdoot Infraprojects Ltd."
_COMPANY_END = re.compile(
    r"\b(?:Co|Corp|Inc|Ltd|LLC|plc|PLC|GmbH|AG|SA|S\.A|S\.L|SpA|S\.p\.A|Ltda|SARL|SAS)\.?$"
)


def is_company(name: str) -> bool:
    return bool(_COMPANY_END.search(name))


def is_organisation(name: str) -> bool:
    return (
        bool(_ORGANISATION.search(name))
        or bool(_COMPANY_END.search(name))
        or bool(_GERMAN_ORGANISATION_END.search(name))
        or bool(re.fullmatch(r"[A-Z][A-Z&.]{1,7}", name))
    )


_NOT_A_NAME = set(
    _words(
        "street road avenue square lane station river bridge park hall market city county valley "
        "ridge island centre center airport port stadium "
        "straße strasse platz bahnhof rue place gare calle plaza estación via piazza stazione "
        "rua praça avenida "
        "monday tuesday wednesday thursday friday saturday sunday january february march april "
        "june july august september october november december "
        "montag dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi "
        "vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo"
    )
)


# What issued a statement stands for whoever spoke last: "the statement said", "the reply
# stated", "diz o texto", "heißt es in der Mitteilung".
DOCUMENTS = {
    *("statement", "release", "reply", "letter", "note", "notice", "email", "communiqué"),
    *("texte", "lettre", "comunicado", "texto", "nota", "carta", "respuesta", "mitteilung"),
    *("erklärung", "schreiben", "antwort", "comunicato", "lettera", "risposta"),
}


COMPANY_WORDS = {
    *("company", "firm", "business", "manufacturer", "maker", "empresa", "entreprise"),
    *("société", "unternehmen", "konzern", "azienda", "società", "companhia", "compañía"),
}


def after_title(words: list[str]) -> list[str]:
    """Return a name's words after a title the first words hold: "County Clerk Bernadette
    Vogel-Ames", "Municipal Commissioner R. Venkataraghavan", "Pruett Mayor Jim Baptiste"."""
    for n, word in enumerate(words[:3]):
        if word.lower().rstrip(".") in _TITLE_WORDS and len(words) - n - 1 >= 2:
            return after_title(words[n + 1 :])
    return words


PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|to|en|à|au|aux|im|em|na|no|nach|aus|da|di|de|del|della|do|von|a)\s+"
    r"(?:nearby\s+|neighbouring\s+|central\s+|northern\s+|southern\s+)?$",
    re.IGNORECASE,
)


# What introduces a person: "Derek Moult, 71,", "Martin Coughlan (64)", "X, a retired …",
# "X, who …", "X, de 44 anos", "X, qui …".
INTRODUCED = (
    r"(?=\s*\(\d+\)|,\s+(?:\d+\b|(?:de\s+)?\d+\s+(?:ans|años|anos|anni|Jahre)\b|"
    r"(?:a|an|the|who|whose|un|une|una|um|uma|el|la|le|il|o|qui|que|che|der|die|ein|eine)\s))"
)
TOLD_BEFORE = re.compile(
    r"\b(?:told|tells|tell|dijo\s+a|contó\s+a|disse\s+(?:a|ao|à)|contou\s+(?:a|ao|à)|"
    r"a\s+(?:dit|déclaré|confié|expliqué)\s+(?:à|au)|ha\s+detto\s+(?:a|al|alla)|"
    r"sagte\s+(?:der|dem|die)|"
    r"sagte\s+(?:der|dem)|erklärte\s+(?:der|dem))\s+(?:the\s+|la\s+|el\s+|le\s+)?$",
    re.IGNORECASE,
)
