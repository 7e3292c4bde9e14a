"""The shapes of reported speech: "X said (that) …", "according to X, …", "…, the agency said.",
and the words that end or split a reported statement."""

from __future__ import annotations

import re

from annotations.suggestions.extraction.attribution import speaker_after_verb
from annotations.suggestions.extraction.verbs import VERB
from annotations.suggestions.extraction.vocabulary import NAME, UPPER

# German reports with a comma and the subjunctive: "Kühlwein erklärte, der Bau solle …".
KONJUNKTIV = re.compile(
    # "teilte … mit,", "kündigte an,", "räumte ein,": a separable verb's particle first
    r"(?:(?:\s+[\w]+){0,5}?\s+(?:mit|an|ein|fest|hinzu|zu|vor|aus))?,\s+(?=[^.;]*?\b(?:sei|seien|habe|werde|solle|sollen|könne|"
    r"müsse|gebe|wolle|dürfe|würde|würden|fürchte|lebe|liege|fehle|brauche|bleibe|stehe|hätte|"
    r"hätten|wäre|wären)\b)"
)
# "A volunteer … who asked that her name not be used, said …": a verb in a relative clause
RELATIVE_BEFORE = re.compile(
    r"(?:\b(?:who|which)|,\s+(?:que|qui|che|der|die|das|quien))\s+(?:\w+\s+)?$", re.IGNORECASE
)
# "…, ma la qualità resta «molto buona»": where a statement turns before a quote
BUT_BEFORE = re.compile(
    r",?\s+(?:but|ma|mais|pero|aber|mas)\s+(?:wanted|la|il|le|el|die|der|the|a|o)?[^,]*$"
)
# "Laut Landespolizeidirektion Oberalpen löste sich …": the source named, then the verb
LAUT_NAME = re.compile(
    r"^[Ll]aut\s+(?P<who>(?:(?:dem|der|den|des)\s+)?[A-ZÄÖÜ][\w-]*(?:\s+[A-ZÄÖÜ][\w-]*)*)\s+"
    r"(?P<clause>[a-zäöüß][\w]*\b.+?)[.!?]?$"
)
THAT = re.compile(
    r",?\s+(?:[\w’'-]+,?\s+){0,6}?(?:(?:that|que|dass|che),?\s+|qu['’](?=\w))", re.IGNORECASE
)
SAYS = (
    r"said|says|insisted|insists|argued|argues|claimed|claims|warned|warns|added|believes|"
    r"admitted|acknowledged|estimated|predicted|confirmed|stressed|maintains|maintained"
)
# "Owen Price said the company would appeal": a clause after the verb, its "that" left out.
CLAUSE_BETWEEN = re.compile(
    r"\b(?:and|but|was|were|is|are|would|will|had|y|et|und|pero|mais|aber)\b", re.IGNORECASE
)
REPORTED_BARE = re.compile(
    rf"\b(?:{SAYS}|told\s+(?:the\s+)?[\w’'-]+)\s+"
    r"(?=(?:the|a|an|his|her|its|their|this|these|those|there|it|he|she|they|we|\d+|"
    r"[A-Z][\w'’]*|[a-z]+s|about|around|some|more|nearly|almost|only|no|all|most|many|several|"
    r"up|over|roughly)\b[^.!?]*\b(?:is|was|were|are|would|could|will|had|has|have|should|"
    r"can|must|might|\w+ed)\b"
    # "said she drives to the mainland three times a week": a pronoun and the present
    r"|(?:he|she)\s+(?:[a-z]+ly\s+)?[a-z]+s\b"
    # "said mobile library visits … would increase": any words, then a modal or an auxiliary
    r"|(?!(?:whether|if|how|what|when|why|who|where|so|nothing|anything)\b)"
    r"[a-z][\w-]*(?:\s+[\w'’-]+){0,7}\s+(?:would|will|could|should|is|was|were|are|had|has|"
    r"have|can|must|might)\b)"
)
PREFIX_MAX = 300
QUOTE_ONLY = re.compile(
    r"\s*[\"“”„«»‘’'].*[\"“”„«»‘’']\s*[,.…—–-]?\s*(?:(?:ha|hat|has|had|a|avait|había)\s+)?",
    re.DOTALL,
)
CONCESSION = re.compile(
    r",\s+(?:malgré|despite|trotz|pese\s+a|a\s+pesar\s+de|nonostante|malgrado|apesar\s+de|"
    # "…, most of them bound for North Africa": the narrator's aside after the statement
    r"(?:most|many|some|all|several|none|half)\s+of\s+(?:them|whom|which))\b",
    re.IGNORECASE,
)
# "…, but she insisted the scheme was lawful": a second statement, with its own verb.
SECOND_STATEMENT = re.compile(
    r",\s+(?:but|and|while|though|although|mais|et|pero|y|ma|e|aber|und)\s+"
    rf"(?=(?:(?:he|she|they|il|elle|er|sie|ella|él|lei|lui|ele|ela)\s+)?(?:also\s+)?{VERB}"
    # "…, pero advirtió que …", "…, but warned that …": the subject left out
    r"(?:\s+(?:that|que|dass|che)\b|\s+qu['’]|,\s)|"
    rf"(?:he|she|they|il|elle|er|sie|ella|él|lei|lui|ele|ela)\s+(?:also\s+)?{VERB}\b)",
    re.IGNORECASE,
)
# "… said the plan would create jobs and that talks had been offered": two statements.
AND_THAT = re.compile(
    r",?\s+(?:and|y|et|e|und|ed)\s+(?:(?:also\s+)?[\w]+\s+)?(?:that|que|dass|che)\s+"
    # "… no one had been injured, but two homes had been evacuated": a new subject and verb
    r"|,\s+(?:but|pero|mais|ma|mas|aber)\s+(?=(?:[\w'’-]+\s+){1,5}?(?:had|has|have|was|were|"
    r"is|are|would|will|habían|había|avaient|avait|erano|era|tinham|tinha|hatten|hatte)\s)"
    r"|\s+and\s+(?=(?:would|will|could|should|had|has|was|is|were|are|hoped|expected|"
    r"planned|promised|pledged|vowed)\b)",
    re.IGNORECASE,
)
# Where a reported clause opens on how it was said, not on what: "in a statement it was …"
CLAUSE_LEAD = re.compile(
    r"(?:in\s+a\s+statement|in\s+an\s+interview|on\s+\w+day|to\s+reporters)\s*,?\s*", re.IGNORECASE
)
# An interview's answers: "Abelard: Mostly I make other departments think about heat …"
TRANSCRIPT = re.compile(r"([A-ZÀ-Þ][\w’'-]+(?:\s+[A-ZÀ-Þ][\w’'-]+){0,2}):\s+(?=\S)")
# German reports go on in the subjunctive: "Als die Bergrettung eintraf, sei der Verletzte …".
KONJUNKTIV_SENTENCE = re.compile(
    r"\b(?:sei|seien|habe|werde|solle|könne|müsse|gebe|wolle|dürfe|ereigne|liege|fehle|brauche|"
    r"bleibe|stehe)\b"
)
LOOK_BACK = 1200  # how far back a pronoun looks for the person it stands for
ACCORDING_WORDS = (
    r"(?:according\s+to|selon|d'après|laut|según|secondo|segundo|de\s+acordo\s+com|"
    r"nach\s+Angaben)"
)
ACCORDING_CLAUSE = re.compile(
    rf"^{ACCORDING_WORDS}\s+(?P<who>[^,]{{2,80}}),\s+(?P<clause>.+?)[.!?]?$",
    re.IGNORECASE | re.DOTALL,
)
# German puts the verb second, with no comma: "Laut dem Ministerium sind zwei Millionen …".
ACCORDING_VERB_SECOND = re.compile(
    r"^(?:laut|nach\s+Angaben)\s+(?P<who>[^,]{2,80}?)\s+(?P<clause>(?:sind|ist|seien|sei|haben|hat|habe|wird|"
    r"werden|wurde|wurden|würde|würden|waren|war|gibt|gab|soll|sollen|könnte|könnten|muss|"
    r"müssen|dürfte|"
    r"dürften|kostet|kosten|liegt|liegen|stieg|stiegen|fiel|fielen)\b.+?)[.!?]?$",
    re.IGNORECASE | re.DOTALL,
)
# "Rents rose 9 percent, according to figures from the ministry.": the source comes last.
CLAUSE_ACCORDING = re.compile(
    rf"^(?P<clause>.+?),\s+{ACCORDING_WORDS}\s+(?P<who>[^,]{{2,80}}?)[.!?]?$",
    re.IGNORECASE | re.DOTALL,
)
# The source after the statement: "Die hohen Preise machten jede Stunde zum Verlust, erklärte
# Sommerfeld.", "The line will reopen in May, the agency said."
WHO_SHORT = (
    rf"(?:(?:(?!(?:aber|und|auch|vor|mit|von|zu|and|but|to|for|of|e|y|et|pero|mais|ma)\s)"
    rf"[a-zà-ÿ][\w-]*\s+){{0,2}}{NAME}|"
    r"(?:(?:[Tt]he|an?|its|his|her|their|das|die|der|el|la|le|il|lo|o|os|un|une|una|ein|eine)\s+"
    r"|[lL]['’])"
    r"(?![\w-]+\s+(?:would|will|had|has|was|is|could)\b)[\w’'-]+"
    r"(?:\s+(?!(?:au|aux|à|to|for|with|avec|zu|con|com|per)\b)[\w’'-]+){0,3}"
    r"(?:\s+\([A-Z]{2,6}\))?(?:\s+(?:des|du|de|del|der)\s+[A-Z][\w-]+)?|"
    r"he|she|they|it|er|sie|il|elle)"
)
# What may follow the source: when and where it spoke ("said Wednesday", "sagte er auf
# Anfrage dieser Zeitung", "dijo el martes en rueda de prensa"), and an aside of the
# narrator's ("…, the corporation confirmed on Monday, marking the third missed deadline").
_WHEN = (
    r"(?:\s+(?:(?:on|am|el|le|il|this|last)\s+\w+|today|yesterday|tonight|earlier|"
    r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"in\s+a\s+statement|in\s+an\s+interview|to\s+reporters|auf\s+Anfrage(?:\s+\w+){0,2}|"
    r"gegenüber\s+(?:der|dem|den)\s+\w+(?:\s+\w+)?|en\s+(?:un\s+)?comunicado|"
    r"en\s+rueda\s+de\s+prensa|dans\s+un\s+communiqué|in\s+una\s+nota|em\s+nota)){0,2}"
)
_ASIDE = r"(?:,\s+(?:[a-z]+ing|a\s+(?:day|week)|which|citing)\b[^“”\"«»„]*)?"
CLAUSE_VERB_WHO = re.compile(
    rf"^(?P<clause>[^“”\"«»„]+?),\s+(?:(?:a|ha|hat|has)\s+)?(?:{VERB}|so)(?:\s+[a-zà-ÿ]+di)?\s+"
    rf"(?P<who>{WHO_SHORT})"
    rf"{_WHEN}{_ASIDE}[.!?]?$",
)
CLAUSE_WHO_VERB = re.compile(
    rf"^(?P<clause>[^“”\"«»„]+?),\s+(?P<who>{WHO_SHORT})\s+(?:also\s+)?(?:{VERB})"
    rf"{_WHEN}(?:{_ASIDE}[.!?]?$|,\s+(?:but|and)\s)",
)
# The source in a clause of its own before the statement: "Wie Oberstaatsanwalt X am
# Donnerstag mitteilte, wird …", "As the minister explained, …" (the verb last), "Como
# explicó la ministra, …", "Comme l'a rappelé le maire, …" (the verb first).
AS_WHO_SAID = re.compile(
    r"^(?:Wie|As)\s+(?P<who>[^“”\"«»„]{2,60}?),?\s+(?:(?:am|on|in|im|at|last|this)\s+\w+\s+)?"
    rf"(?:(?:has|had|hat|have)\s+)?{VERB}(?:\s+(?:hat|habe|hatte|hatten))?,\s+"
    r"(?P<clause>[^“”\"«»„]+?)[.!?]?$"
)
AS_SAID_WHO = re.compile(
    r"^(?:Como|Comme|Come|Conforme)\s+(?:(?:lo|l['’]a|l['’]ont|ha|a|han|hanno)\s+)?"
    rf"{VERB}\s+(?P<who>[^,“”\"«»„]{{2,60}}),\s+(?P<clause>[^“”\"«»„]+?)[.!?]?$"
)
# A statement: five words or more, and not a name in apposition ("The chairman, Victor Hale,").
APPOSITION_END = re.compile(rf"(?:,\s+{NAME}|^\s*\S+(?:\s+\S+){{0,3}})$")
# What a source published, before the source: "figures from the ministry", "a report by X";
# without a source after it ("figures published on Thursday") nobody is named.
SOURCE_NOUN = (
    r"^(?:(?:the|a|an|new|latest|official|its|their|los|las|les|i|le|os|die)\s+)*(?:figures|data|"
    r"statistics|numbers|estimates|documents|records|report|study|survey|poll|analysis|research|"
    r"datos|cifras|données|chiffres|dati|cifre|dados|números|Angaben|Zahlen)"
)
SOURCE_OF = re.compile(
    SOURCE_NOUN + r"\s+(?:from|by|of|published\s+by|released\s+by|de|del|des|della|do|da|der)\s+"
    r"(?:(?:la|el|les|la|a|o)\s+)?(?:propia|propio|própria|propria|même\s+)?",
    re.IGNORECASE,
)
OWN_FIGURES = re.compile(
    r"^(?:the\s+)?(\w+)(?:(?:['’]s(?:\s+own)?)?\s+(?:figures|data|statistics|records|estimates)|"
    r"['’]s\s+(?:\w+\s+)?(?:figures|data|filing|filings|accounts|website|statement))$",
    re.IGNORECASE,
)
UNNAMED_SOURCE = re.compile(SOURCE_NOUN + r"\b", re.IGNORECASE)


# The attribution set inside a quote, as Spanish and French papers do: "Aquí nadie …
# —dijo Solís Barragán al cierre del evento—, aunque …", « Nous …, reconnaît l'échevine,
# Sophie Vandenbroucke. Nous en assumons … ».
_INCISE = re.compile(
    rf"(?:\s*—\s*(?={VERB}\b)[^—]{{4,120}}—\s*,?"
    rf"|,\s+(?:(?:a|ha)\s+)?(?={VERB}(?:-t-(?:il|elle))?\s)[^.!?«»“”\"]{{4,120}}?"
    rf"(?:\.\s+(?=[{UPPER}])|,\s+(?=[a-zà-ÿ])))",
)


def split_incises(text: str, spans: list) -> list:
    """Return the quoted spans with each quote that holds its own attribution cut in two
    around it, so that each part is attributed by the words between them."""
    out = []
    for span in spans:
        incise = _INCISE.search(text, span.start, span.end)
        speaker = incise and speaker_after_verb(
            re.sub(
                rf"^[\s—,]*(?:(?:a|ha)\s+)?{VERB}(?:-t-(?:il|elle))?",
                "",
                incise.group(),
                flags=re.I,
            )
        )
        if not incise or not speaker or incise.start() - span.start < 8:
            out.append(span)
            continue
        first = type(span)(span.open, incise.start(), span.start, incise.start())
        start = (
            incise.end()
            + len(text[incise.end() : span.end])
            - len(text[incise.end() : span.end].lstrip())
        )
        second = type(span)(incise.end() - 1, span.close, start, span.end)
        out.extend([first, second])
    return out
