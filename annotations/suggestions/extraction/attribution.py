"""Who made a quote: the attribution before or after it, in English, French, German, Spanish
and Italian."""

from __future__ import annotations

import re

from annotations.suggestions.extraction.verbs import VERB, verbs_in
from annotations.suggestions.extraction.vocabulary import NAME, PRONOUNS, UPPER

_AUX = r"(?:has|had|have|also|then|later|again|further|once|would|will|a|hat|ha|habe|en)"


_TIME = (
    r"(?:(?:this|last|on|next|el|le|am|il|lo|na|no|nesta|neste|este|esta|ce|dieser|diesen)\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|week|month|year|morning|afternoon|evening|night|lunes|martes|miércoles|"
    r"jueves|viernes|sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunedì|martedì|mercoledì|"
    r"giovedì|venerdì|sabato|domenica|segunda-feira|terça-feira|quarta-feira|quinta-feira|"
    r"sexta-feira)|yesterday|today|"
    r"tonight|earlier|later|again|also|then|recently|once|on\s+\w+|hier|gestern|ayer|"
    r"in\s+a\s+statement|in\s+an\s+interview"
)
_TRAILING_TIME = re.compile(rf"\s*,?\s+(?:{_TIME})$", re.IGNORECASE)
_LEADING = re.compile(rf"^(?:\s*(?:{_TIME})\b,?)+\s*", re.IGNORECASE)
_PHRASE_STOP = re.compile(
    r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)(?<!\bSt)\.|[;!?:()\[\]“”\"«»„]|"
    r",\s+(?:during|in|on|at|when|before|after|as|who|which|adding|while|"
    r"according|speaking|referring|citing|and|but|that|dass|que|qui|enquanto|mientras|pendant|"
    r"tandis|während|mentre|squinting|smiling|laughing)\b|\s(?:vom|zum|zur|al)\s|"
    r"\s(?:in|on|at|during|to|before|after|while|from|via|as|when|who|which|adding|that|"
    r"about|with|for|dans|lors|bei|im|am|beim|en|durante|ante|nel|nella|alla|em|à)\s",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"\b(?:according\s+to|selon|d'après|laut|según|secondo|segundo|de\s+acordo\s+com|per|"
    r"as\s+told\s+by)\s+",
    re.IGNORECASE,
)
_NAME_END = re.compile(rf"{NAME}$")
_LONG_NAME_END = re.compile(
    rf"\b(?:[Tt]he|[Ll]a|[Ee]l|[Ll]e|[Ii]l|[Oo])\s+{NAME}(?:\s+(?:of|for)\s+{NAME})?(?:\s+[a-z]+)?$"
)
_DETERMINER_WORD = re.compile(
    r"the|an?|its|his|her|their|le|la|les|un|une|der|die|das|ein|eine|einer|el|los|las|una|"
    r"il|lo|gli|uno|o|os|as|um|uma|dem|den|des|(?:l|d|un|dell|all|nell)['’]\w+",
    re.IGNORECASE,
)
# "Veradia's Ministry of Transport", "the Bank of England": a name with "of" inside it.
_ORG_OF_END = re.compile(
    rf"(?:[{UPPER}][\w'’-]*\s+)+(?:of|for)\s+(?:the\s+)?[{UPPER}][\w'’-]*(?:\s+[{UPPER}][\w'’-]*)*$"
)
_NP_END = re.compile(
    rf"(?:(?:\b(?:the|a|an|its|his|her|their|le|la|les|der|die|das|el|los|il|lo|gli|una|uno)\s+"
    rf"|\bl['’])[\w’'-]+(?:\s+[\w’'-]+){{0,4}}"
    rf"|{NAME})$",
    re.IGNORECASE,
)
# A relative clause's verb, its antecedent the speaker: "the builder Vértice, which, in a
# note, said that …", "la constructora Vértice, que, en una nota, informó que …"
_RELATIVE_SUBJECT = re.compile(
    rf"({NAME}),\s+(?:which|who|que|qui|che|quien|die|der|das)\s*,[^,;:]{{2,40}},$"
)
_APPOSITIVE_END = re.compile(rf"({NAME}),\s+(?:the|a|an)\s+[^,]{{2,90}},?$")
_NAME_BETWEEN_COMMAS = re.compile(rf"[\w’'],\s+({NAME}),$")
# "…, and added", "…, before stressing that": the subject is the one already speaking.
_JOINER_END = re.compile(
    r"(?:^|[,;]|\b(?:and|but|while|or|before|after|when|since|et|mais|puis|und|aber|sondern|"
    r"y|pero|e|ma|mas|però))\s*$",
    re.IGNORECASE,
)
_OBJECT = r"(?:\s+(?:him|her|them|reporters|journalists|the\s+\w+|\w+)){0,3}"


def speaker_after_verb(text: str) -> str | None:
    """Return the speaker a phrase after a verb names ("the president ..., Kasim Tokayev")."""
    rest = _LEADING.sub("", re.sub(r"^-(?:t-)?(?=\w)", "", text))
    rest = re.sub(r"\s*\([A-Z][A-Za-z]{1,8}\)", "", rest)  # "(UNEDRH)"
    rest = re.sub(rf"^\s*(?:to|a|à|al|ai|aos)\s+(?:[a-zà-ÿ]+\s+){{1,3}}(?=[{UPPER}])", "", rest)
    stop = _PHRASE_STOP.search(rest)
    phrase = rest[: stop.start()] if stop else rest
    phrase = phrase.strip(" ,—–-")
    phrase = _TRAILING_TIME.sub("", phrase)
    if not phrase:
        return None
    if len(phrase.split()) > 14 or not re.match(rf"(?:the|a|an|its|{NAME}|\w+)", phrase):
        return None
    first = phrase.split()[0].lower()
    if first in {"that", "que", "dass", "to", "how", "what", "if", "whether"}:
        return None
    if (
        phrase[:1].islower()
        and first not in PRONOUNS
        and not _DETERMINER_WORD.fullmatch(first)
        and not re.search(rf"[{UPPER}]", phrase)
    ):
        return None  # "racconta seduta davanti a casa": how, not who
    if first in PRONOUNS and not (first == "il" and len(phrase.split()) > 1):
        return phrase.split()[0]  # not Italian's "il ministro": French puts "il" alone here
    if "," in phrase:
        first, _, rest = phrase.partition(",")
        if re.fullmatch(NAME, first.strip()) and (
            re.match(r"\s*(?:a|an|the)\s", rest)
            or rest.strip()[:1].islower()
            or re.match(rf"\s*{NAME}[’']s\s", rest)  # "Hana Voss, Orbitline’s chief executive"
        ):
            # "Tomas Reyes, a spokesman for the coalition", "Carmen Ruiz, portavoz del sindicato"
            return first.strip()
        role, _, name = phrase.rpartition(",")
        name = name.strip()
        if name[:1].isupper():
            return f"{role.strip()}, {name}"
    return phrase


def subject_before(text: str) -> str | None:
    """Return the subject at the end of a clause before its verb; "" when it is left out."""
    clause = re.sub(rf"(?:\s+{_AUX}\b)+\s*$", "", text.rstrip(), flags=re.IGNORECASE)
    clause = re.sub(rf"\s*,?\s*(?:{_TIME}),?\s*$", "", clause, flags=re.IGNORECASE).rstrip()
    clause = re.sub(r"\s+(?:has|had|have|also)$", "", clause).rstrip()
    clause = re.sub(r"\s+(?:used|going|wanted|wants|liked)\s+to$", "", clause)  # "He used to say"
    clause = re.sub(r"\s*\([^()]{1,12}\)$", "", clause)  # "O Instituto … (Ineam)"
    if not re.search(r"\w", clause):
        return ""
    if match := _RELATIVE_SUBJECT.search(clause):
        return match.group(1)  # "…à construtora Vértice, que, em nota, informou que …"
    if match := _APPOSITIVE_END.search(clause):
        return match.group(1)  # "Jane Doe, a spokeswoman for the council,"
    if match := _NAME_BETWEEN_COMMAS.search(clause):
        return match.group(1)  # "The minister, Luc Bernard,"
    # "Un técnico …, lo resumió así": an object pronoun before the verb is not its subject.
    clause = re.sub(r"\s+(?:lo|la|le|les|se|me|te|nos|lui|leur)$", "", clause, flags=re.IGNORECASE)
    if _JOINER_END.search(clause):
        return ""
    last = clause.split()[-1]
    if last.lower() in PRONOUNS:
        return last
    if match := _ORG_OF_END.search(clause):
        # not "Veradia's", not "The"
        return re.sub(r"^(?:\S+['’]s\s+|(?:The|A|An)\s+)", "", match.group())
    if match := _APPOSITIVE_END.search(clause):
        return match.group(1)
    if match := _NAME_END.search(clause):
        return match.group()
    if match := _LONG_NAME_END.search(clause):
        return match.group()  # "The Friends of Mill Lane Library group"
    if match := _NP_END.search(clause):
        np = match.group()
        # "the NGO Human Rights Watch": from its determiner; a clause's last words otherwise.
        return np if len(np.split()) <= 6 else None
    words = clause.split()
    if len(words) == 1 and words[0][0].isupper():
        return words[0]
    if len(words) <= 3 and words[0][0].isupper() and all(w.isalpha() for w in words):
        return clause  # "Grain traders said …": a group, as the article names it
    return None


def after_quote(text: str) -> tuple[str | None, bool]:
    """Return the speaker named right after a quote, and whether it is named there at all."""
    rest = text.lstrip(" \t,.;!?…—–-\u00a0")
    if not rest:
        return None, False
    if match := _ACCORDING.match(rest):
        return speaker_after_verb(rest[match.end() :]), True
    if match := re.match(rf"(?:{_AUX}\s+)*{VERB}\b", rest, re.IGNORECASE):
        speaker = speaker_after_verb(rest[match.end() :])
        return (speaker or ""), True
    verb = next(iter(verbs_in(rest, 0, 120)), None)
    # "…”, HRW argues that …": a new statement begins, not this quote's attribution.
    starts_clause = verb and re.match(r"\s+(?:that|que|dass)\b", rest[verb.end() :])
    limit = 16 if re.match(rf"{NAME},", rest) else 8
    if verb and not starts_clause and len(rest[: verb.start()].split()) <= limit:
        speaker = subject_before(rest[: verb.start()])
        if speaker == "":
            # "…," Tomas Brell, head of the union, told Northwire. "…"
            speaker = opening_subject(rest[: verb.start()])
        if speaker:
            return speaker, True
    if match := re.match(rf"so\s+({NAME})\b", rest):
        return match.group(1), True  # German: "»…«, so Hartung."
    return None, False


def before_quote(text: str) -> tuple[str | None, bool]:
    """Return the speaker of a quote named before it in its sentence, and whether it is close.

    Close: the verb (or a colon, or "according to X,") comes right before the quote.
    """
    stripped = text.rstrip(" \t\u00a0")
    if match := re.search(rf"{_ACCORDING.pattern}(.{{2,90}}?),?$", stripped, re.IGNORECASE):
        return speaker_after_verb(match.group(1)), True
    verbs = verbs_in(stripped)
    if verbs:
        verb = verbs[-1]
        between = stripped[verb.end() :]
        close = bool(
            re.fullmatch(rf"{_OBJECT}\s*(?:that|que|dass|in\s+a\s+statement)?\s*[:,]?", between)
            or re.fullmatch(r",?\s*(?:but|and|mais|pero|aber|ma|mas)\s*", between)
            or (
                len(between.split()) <= 12
                and not re.search(r"[.;:!?]", between)
                and re.search(_CLAUSE_WORDS, between, re.IGNORECASE) is not None
            )
        )
        subject = subject_before(stripped[: verb.start()])
        if _FRONTED.match(stripped[: verb.start()]) and _INVERTED.match(between):
            # "In einer Pressemitteilung erklärte das Wasserwirtschaftsamt Hohenfels:"
            subject, close = speaker_after_verb(between.rstrip(" :")), True
        if subject == "":
            # "A driver at the front of the queue, who declined to give his name, said:"
            subject = opening_subject(stripped[: verb.start()]) or subject
        if subject is None and not stripped[: verb.start()].strip():
            subject = ""
        if subject is None and (who := _UNNAMED_WHO.match(stripped[: verb.start()])):
            subject = who.group(1)
        if subject is None:
            # "…," said the NGO, "…": a verb with its subject after it.
            subject = speaker_after_verb(between)
        return subject, close
    if stripped.endswith(":"):
        head = stripped[:-1].rstrip()
        if own := _POSSESSIVE_NOUN.search(head):
            # "Her answer:", "Ihr Fazit:", "Son verdict :": the possessive's person
            return _POSSESSOR[own.group(1).lower()], True
        if match := _NAME_END.search(head):
            return match.group(), True
        if match := _SUBJECT_OF_CLAUSE.search(head):
            return match.group(1), True
        if (match := _NAME_THEN_VERB.search(head)) and " " in match.group(1):
            # "Pruett Mayor Jim Baptiste put it bluntly:", "… Sanjana Mehrotra had a message:"
            return match.group(1), True
        if german := re.search(rf"\s({NAME})\s+(?:ein|an|hinzu|mit|fest|zu)$", head):
            return german.group(1), True  # "Allerdings räumte Oltrogge ein:"
        named = re.search(rf"({NAME})\s+(?:[a-zà-ÿ]+\s+)?[a-zà-ÿ]+$", head)
        if named and len(named.group(1).split()) >= 2:
            return named.group(1), True  # "… Fabio Greco attacca:"
        # "…, the trust's chair, Edwin Castellanos-Roe, went through the months:"
        named = [m.group(1) for m in _NAME_IN_COMMAS.finditer(head) if " " in m.group(1)]
        if named:
            return named[-1], True
        # "A councillor on the district board, who did not want to be named, was blunt:"
        if match := _UNNAMED_SUBJECT.match(head):
            return match.group(1), True
    return None, False


_POSSESSOR = {
    **dict.fromkeys(("his", "sein", "seine"), "he"),
    **dict.fromkeys(("her", "ihr", "ihre"), "she"),
    **dict.fromkeys(("their",), "they"),
    **dict.fromkeys(("son", "sa", "su", "suo", "sua", "seu"), "il"),
}
_POSSESSIVE_NOUN = re.compile(
    r"(?:^|[.;]\s+|\s)(his|her|their|sein|seine|ihr|ihre|son|sa|su|(?<=il\s)suo|(?<=la\s)sua|"
    r"(?<=o\s)seu|(?<=a\s)sua)\s+[\w-]+$",
    re.IGNORECASE,
)
_NAME_THEN_VERB = re.compile(
    rf"({NAME})\s+(?:(?:has|had|was|is|put|gave|made|took|sent|kept|offered|summed|went|"
    r"struck|sounded|left)\b|[a-z]+ed\b)[^,;“”\"«»„]*$"
)
# German puts the verb second after a fronted phrase, its subject after it: "In einer
# Pressemitteilung erklärte das Amt:", "Am Abend betonte die Ministerin Anna Keller:"
_FRONTED = re.compile(
    r"^\s*(?:In|Im|Am|Auf|Bei|Beim|Nach|Vor|Gegenüber|Während|Zum|Zur|Mit|Seit)\s[^,]*$"
)
_INVERTED = re.compile(rf"\s+(?:(?:der|die|das|den)\s+)?(?:[\w-]+\s+)?{NAME}\s*:?$")
_CLAUSE_WORDS = (
    r"\b(?:that|que|dass|che|was|is|were|are|would|had|será|sería|es|era|est|était|sei|sono|é)\b"
)
_NAME_IN_COMMAS = re.compile(rf"(?:^|,\s+)({NAME}),\s")
_UNNAMED_SUBJECT = re.compile(
    r"^\s*((?:a|an|one|un|une|una|uno|ein|eine|einer|um|uma)\s+[^,:;]{2,90}?)\s*,", re.IGNORECASE
)
_UNNAMED_WHO = re.compile(
    r"^\s*((?:[Aa]n?|[Oo]ne|[Uu]no?|[Uu]na|[Uu]ne|[Uu]ma?|[Ee]ine?)\s+[\w-]+)\s+"
    r"(?:who|que|qui|che|der|die)\b"
)
_SUBJECT_OF_CLAUSE = re.compile(
    rf"(?:^|[,;]\s+)({NAME}|he|she|they|it|the\s+[a-z]+)\s+(?:{_AUX}\s+)*[a-z]+(?:ed|s)\b"
)


_LEADING_SUBJECT = re.compile(
    rf"^\s*(?:[^,.;:!?“”\"«»„]{{2,60}},\s+)?((?:[{UPPER}][\w'’-]*\s+)?{NAME})"
    # "The contractor, Meghdoot Infraprojects Ltd., in a reply, claimed": a legal form's dot
    rf"(?:(?:(?<=Co)|(?<=Ltd)|(?<=Inc)|(?<=Corp)|(?<=LLC))\.)?(?:,|\s+[a-zà-ÿ])"
)


_TITLED_LEAD = re.compile(
    rf"^\s*(?:[^,.;:!?“”\"«»„]{{2,60}},\s+)?(?:(?i:the|a|an|la|el|le|il|o|a|der|die|das)\s+)?"
    rf"(?:[{UPPER}][\w'’-]*\s+){{0,3}}"
    rf"(?:(?!(?:of|for|at|de|di|da|do|del|des|du|von|vom|der)\s)[a-zà-ÿ][\w-]*\s+){{1,3}}"
    rf"({NAME}(?:\s+(?:S\.A\.|S\.L\.|S\.p\.A\.|Ltda\.|Ltd\.|Inc\.|GmbH|AG|plc))?)"
    rf"(?=,|\s+[a-zà-ÿ])"
)
_SURNAME_AND_AGE = re.compile(
    rf"^\s*({NAME}),\s+(?:(?:de\s+)?\d+|who|qui|que|der|die|che|for\s+(?:his|her|its|their)\s+"
    r"part|too|meanwhile|however|though|pour\s+sa\s+part|por\s+su\s+parte|"
    # "Vogel-Ames, folding up the last table, said", "Ortega, saliendo del pleno, dijo"
    r"[a-z]+ing|[a-zà-ÿ]+(?:ando|iendo|endo)|en\s+[a-zà-ÿ]+ant)\b"
)
_NAMED_APPOSITION = re.compile(
    r"^[^.;:“”\"«»„]{0,80}?\b(?:named|called|nommée?|llamad[oa]|chamad[oa]|chiamat[oa]|"
    rf"namens)\s+({NAME}),"
)
_PRONOUN_LEAD = re.compile(r"^\s*(He|She|Il|Elle|Er|Ella|Él|Ele|Ela|Lui|Lei)\s+[a-zà-ÿ]")
# "The zoo, which last year launched …, said": a subject with a relative clause after it
_SUBJECT_THEN_WHICH = re.compile(
    r"^\s*((?:The|La|El|Le|Il|O|A|Der|Die|Das)\s+[\w’'-]+(?:\s+[\w’'-]+){0,2}),\s+"
    r"(?:which|who|que|qui|che|der|die|das|dessen|deren)\b"
)


def leading_subject(sentence: str) -> str:
    """Return the named subject a sentence opens with, for a verb whose subject is left out:
    "Councillor Tom Becker called it … and said …", "La consejera de Sanidad, Lucía Ortega,
    reconoció …, pero aseguró que …". "" when the sentence does not open with a name."""
    if surname := _SURNAME_AND_AGE.match(sentence):
        return surname.group(1)  # "Brell, 58, who has led the union since 2011,"
    if named := _NAMED_APPOSITION.match(sentence):
        return named.group(1)  # "One of the counters, a retired teacher named Hal Prewitt,"
    titled = _TITLED_LEAD.match(sentence)
    if titled and len(titled.group(1).split()) >= 2:
        return titled.group(1)  # "Liberal Democrat councillor Priya Nandra, who …"
    match = _LEADING_SUBJECT.match(sentence)
    if not match or len(match.group(1).split()) < 2:
        if which := _SUBJECT_THEN_WHICH.match(sentence):
            return which.group(1)
        return ""
    return match.group(1)


def opening_subject(sentence: str) -> str:
    """Return the subject a sentence opens with, named or not ("One night nurse at Wexcombe
    General, who asked not to be named, said …"); "" when it opens otherwise."""
    if named := leading_subject(sentence):
        return named
    if who := _UNNAMED_WHO.match(sentence):
        return who.group(1)
    if match := _UNNAMED_SUBJECT.match(sentence):
        return match.group(1)
    # "He called the toll “…” and said …", "Elle a dénoncé … et affirmé que …"
    match = _PRONOUN_LEAD.match(sentence)
    return match.group(1) if match else ""


def sentence_speaker(prefix: str) -> str | None:
    """Return the subject of the first speech verb of a sentence's words before a quote."""
    elided = None
    for verb in verbs_in(prefix):
        subject = subject_before(prefix[: verb.start()])
        if subject:
            return subject
        if subject == "" and elided is None:
            elided = ""
    return elided


# Someone characterising something in a word or a phrase of their own: "Dr Aoife Brennock
# described the situation as ‘indefensible’", "He called the toll “a tax on geography”",
# "El diputado Mauricio Ledesma calificó la campaña de «tardía»".
_CHARACTERISED = re.compile(
    r"\b(?:called|calls|described|describes|slammed|qualifié|qualifiée|qualifie|juge|jugé|"
    r"calificó|califica|tachó|definì|definisce|definiu|bezeichnete|bezeichnet)"
    r"\s+[^.;:“”\"«»„‘’]{1,60}?\s*(?:as|comme|de|como|come|als|di)?\s*$"
)


def characterised_by(lead: str) -> str:
    """Return who characterises something in the quote after `lead`, "" if nobody does."""
    return opening_subject(lead) if _CHARACTERISED.search(lead) else ""
