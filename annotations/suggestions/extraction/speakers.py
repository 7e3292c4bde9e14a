"""Who is who in an article: its named people and organisations, their roles and short names.

Built once per article from its text, then asked to resolve a speaker as written ("Tayler",
"the NGO", "He", "HRW") to the fullest name the article gives for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĪİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"
_PARTICLES = r"(?:de|da|del|der|den|van|von|la|le|bin|ibn|al|el|di|du|dos|ter|zu)"
_CAP = rf"(?:[{UPPER}]\.|[{UPPER}][\w'’]*(?:-[\w'’]+)*)"
# A run of capitalised words, with the particles names have inside them.
NAME = rf"{_CAP}(?:\s+(?:{_PARTICLES}\s+)*{_CAP})*"
_NAME = re.compile(rf"\b{NAME}")
_ACRONYM_DEFINED = re.compile(rf"({NAME})\s*\(([{UPPER}][{UPPER}&.]{{1,7}})\)")
# "the president of the country, Kasim Jomart Tokayev", "the NGO Human Rights Watch".
_ROLE_THEN_NAME = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)\s+((?:[\w’'-]+\s+){{0,7}}?[a-z][\w-]*)"
    rf"(?:,\s+|\s+)((?:{_CAP}(?:\s+(?:{_PARTICLES}\s+)*[\w'’-]+)*))"
)
# "Ruth Okafor, the mayor of Harwick," / "Ruth Okafor, a spokeswoman for ..."
_NAME_THEN_ROLE = re.compile(rf"({NAME}),\s+(?:the|a|an)\s+([a-z][^,.;]{{2,80}}?)[,.;]")
# A title in front of a name: "Interior Minister Dana Ruiz", "spokeswoman Ana Gil".
_TITLE_NAME = re.compile(rf"\b((?:[A-Z]?[a-z]+\s+)?(?:[a-z]+|[A-Z]{{2,5}}))\s+({_CAP}\s+{NAME})")

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
}
_ORGANISATION = re.compile(
    r"\b(ngo|ministry|government|authorit(?:y|ies)|police|army|office|agency|party|committee|"
    r"council|commission|court|department|service|union|bank|company|corporation|group|"
    r"watch|institute|university|hospital|association|organi[sz]ation|foundation|campaign|"
    r"alliance|coalition|network|trust|federation|fund|club|league|utility|firm|"
    r"spokes\w+ for)\b",
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
}
_ROLE_HEAD_SKIP = {"of", "for", "at", "in", "the", "and", "to", "on", "de", "du", "der"}
_TITLE_WORDS = {
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
}


def role_head(role: str) -> str:
    """Return the word a role is known by: "president" for "the president of the country"."""
    words = [w.lower().strip(",.") for w in role.split()]
    while words and words[0] in {"the", "a", "an", "its", "his", "her", "their"}:
        words = words[1:]
    head = ""
    for word in words:
        if word in _ROLE_HEAD_SKIP:
            break
        head = word
    return head


def is_organisation(name: str) -> bool:
    return bool(_ORGANISATION.search(name)) or bool(re.fullmatch(r"[A-Z][A-Z&.]{1,7}", name))


@dataclass
class Cast:
    """The names an article gives, with their short forms, roles and acronyms."""

    names: list[str] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    last: str = ""  # the last speaker resolved, for pronouns and roles that refer back
    last_person: str = ""
    last_organisation: str = ""
    heard_count: int = 0
    spoken: list[str] = field(default_factory=list)  # who has been quoted so far
    organisations: set[str] = field(default_factory=set)  # named with an organisation's role
    person_heard_at: int = -10

    @classmethod
    def of(cls, text: str) -> Cast:
        cast = cls()
        for match in _ACRONYM_DEFINED.finditer(text):
            acronym = match.group(2).replace(".", "")
            name = _spelled_by(_strip_article(match.group(1)), acronym)
            cast.acronyms[acronym] = name
            cast._add(name)
        for match in _ROLE_THEN_NAME.finditer(text):
            if match.group(1).split()[-1].lower() not in _ROLE_HEAD_SKIP:
                cast.learn(match.group(1), match.group(2))
        for match in _NAME_THEN_ROLE.finditer(text):
            cast.learn(match.group(2), match.group(1))
        for match in _TITLE_NAME.finditer(text):
            if role_head(match.group(1)) in _TITLE_WORDS:
                cast.learn(match.group(1), match.group(2))
        for match in _NAME.finditer(text):
            if " " in match.group().strip():
                cast._add(match.group())
        return cast

    def _add(self, name: str) -> None:
        words = " ".join(name.split()).rstrip(".").split()
        # "The NGO Human Rights Watch", "President Joe Biden": the name is what follows.
        while len(words) > 1 and (
            words[0].lower() in _TITLE_WORDS or words[0].lower() in _LEADING_WORDS
        ):
            words = words[1:]
        name = " ".join(words)
        if name and name not in self.names:
            self.names.append(name)

    def learn(self, role: str, name: str) -> None:
        """Remember that `name` has `role` ("the NGO Human Rights Watch")."""
        name = " ".join(name.split()).strip(" ,.")
        words = name.split()
        if not words or len(words) > 5 or words[0].lower() in PRONOUNS:
            return
        # "Kasim Jomart Tokayev, during a speech": the name stops at its first small word
        # after a capitalised one, unless that word is all there is ("Letta tayler").
        kept = [words[0]]
        for word in words[1:]:
            verb_like = re.fullmatch(r"\w+(?:ed|s)", word) is not None
            if not word[0].isupper() and (len(kept) > 1 or len(words) > 2 or verb_like):
                break
            kept.append(word)
        name = " ".join(kept)
        if not name[0].isupper():
            return
        self._add(name)
        full = self.full(name)
        # Known by its head ("president" of "the president of the country") and by the word
        # next to the name ("utility" of "a proposal from the municipal utility, Harwick Water").
        last = role.split()[-1].lower().strip(",.") if role.split() else ""
        if _ORGANISATION.fullmatch(last) or _ORGANISATION.fullmatch(role_head(role)):
            self.organisations.add(full)
        for head in {role_head(role), last}:
            if head and head not in PRONOUNS and head not in _ROLE_HEAD_SKIP:
                self.roles[head] = full

    def full(self, written: str) -> str:
        """Return the fullest name the article gives for a name as written."""
        words = _strip_article(" ".join(written.split())).strip(" ,.").split()
        while len(words) > 1 and words[0].lower().rstrip(".") in _TITLE_WORDS:
            words = words[1:]  # "Mayor Ruth Okafor", "Dr Helen Marsh"
        written = " ".join(words)
        if written in self.acronyms:
            return self.acronyms[written]
        if written.lower() in self.roles:
            return self.roles[written.lower()]
        tokens = {t.lower() for t in written.split()}
        best = written
        for name in self.names:
            if tokens <= {t.lower() for t in name.split()} and len(name) > len(best):
                best = name
        return self.acronyms.get(best, best)

    def resolve(self, written: str) -> tuple[str, float]:
        """Return the speaker's full name and how sure the resolution is (0..1)."""
        written = " ".join(written.split()).strip(" ,.")
        lowered = written.lower()
        if not written:
            return self.last, 0.6 if self.last else 0.0
        if lowered in PRONOUNS:
            wants = PRONOUNS[lowered]
            # A "he" long after the last person spoke is a translation's "it" (an NGO's).
            recent = self.heard_count - self.person_heard_at <= 3
            if wants == "person" and self.last_person and recent:
                return self.last_person, 0.75
            if wants == "organisation" and self.last_organisation:
                return self.last_organisation, 0.7
            return self.last, 0.6 if self.last else 0.0
        if not written[0].isupper() or lowered.startswith(("the ", "a ", "an ")):
            bare = _strip_article(written)
            if "," in bare and (name := bare.rpartition(",")[2].strip())[:1].isupper():
                self.learn(bare.rpartition(",")[0], name)
                return self.full(name), 0.9
            if bare[:1].isupper() and (name := _trailing_name(bare)):
                return self.full(name), 0.9
            head = role_head(bare)
            if head in self.roles:
                return self.roles[head], 0.8
            if (named := self.full(bare)) != bare:
                return named, 0.75  # "the residents' association": the one the article named
            if _ORGANISATION.fullmatch(head) and self.last_organisation:
                return self.last_organisation, 0.7
            return written, 0.55
        if "," in written:
            role, _, name = written.rpartition(",")
            if name.strip()[:1].isupper():
                self.learn(role, name)
                return self.full(name), 0.9
        return self.full(written), 0.9

    def mentioned_last(self, before: str) -> str:
        """Return the person named last in `before` (a pronoun's likeliest antecedent)."""
        best, best_at = "", -1
        for name in self.spoken + list(self.roles.values()):
            if is_organisation(name) or name in self.organisations:
                continue
            at = before.rfind(name.split()[-1])
            if at > best_at:
                best, best_at = name, at
        return best

    def heard(self, full: str) -> None:
        """Note the speaker just attributed, for the pronouns and roles after it."""
        if not full:
            return
        self.last = full
        self.heard_count += 1
        if full not in self.spoken:
            self.spoken.append(full)
        if is_organisation(full) or full in self.organisations:
            self.last_organisation = full
        else:
            self.last_person = full
            self.person_heard_at = self.heard_count


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def _trailing_name(text: str) -> str:
    match = re.search(rf"{NAME}$", text)
    return match.group() if match else ""


def _spelled_by(name: str, acronym: str) -> str:
    """Return the end of `name` whose initials spell `acronym` ("Human Rights Watch", HRW)."""
    words = name.split()
    for first in range(len(words)):
        initials = "".join(w[0] for w in words[first:] if w[0].isupper())
        if initials.upper() == acronym.upper():
            return " ".join(words[first:])
    return name
