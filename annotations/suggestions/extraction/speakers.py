"""Who is who in an article: its named people and organisations, their roles and short names.

Built once per article from its text, then asked to resolve a speaker as written ("Tayler",
"the NGO", "He", "HRW") to the fullest name the article gives for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from annotations.suggestions.extraction.vocabulary import (
    _ACRONYM_DEFINED,
    _COMPOUND_TITLE_NAME,
    _DEFINITE_START,
    _DETERMINER,
    _DETERMINER_START,
    _GERMAN_TITLE_END,
    _LEADING_WORDS,
    _NAME,
    _NAME_THEN_ROLE,
    _NOT_A_NAME,
    _ORGANISATION,
    _PORTUGUESE,
    _ROLE_COMMA_NAME,
    _ROLE_HEAD_SKIP,
    _ROLE_THEN_NAME,
    _TITLE_NAME,
    _TITLE_WORDS,
    COMPANY_WORDS,
    DOCUMENTS,
    INTRODUCED,
    NAME,
    PLACE_BEFORE,
    PRONOUNS,
    TOLD_BEFORE,
    after_title,
    is_company,
    is_organisation,
    role_head,
)


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
    portuguese: bool = False  # where "a" is "the" ("a parlamentar")

    @classmethod
    def of(cls, text: str) -> Cast:
        cast = cls(portuguese=len(_PORTUGUESE.findall(text[:3000])) >= 3)
        for match in _ACRONYM_DEFINED.finditer(text):
            acronym = match.group(2).replace(".", "")
            name = _spelled_by(_strip_article(match.group(1)), acronym)
            cast.acronyms[acronym] = name
            cast._add(name)
        for match in _ROLE_THEN_NAME.finditer(text):
            if match.group(1).split()[-1].lower() not in _ROLE_HEAD_SKIP:
                cast.learn(match.group(1), match.group(2))
        for match in _NAME_THEN_ROLE.finditer(text):
            if len(match.group(2).split()) <= 8:  # not "Selon Bernard, la grève coûte …"
                cast.learn(match.group(2), match.group(1))
        for match in _ROLE_COMMA_NAME.finditer(text):
            if match.group(1).split()[-1].lower() not in _ROLE_HEAD_SKIP:
                cast.learn(match.group(1), match.group(2))
        for match in _TITLE_NAME.finditer(text):
            if role_head(match.group(1)) in _TITLE_WORDS:
                cast.learn(match.group(1), match.group(2))
        for match in _COMPOUND_TITLE_NAME.finditer(text):
            # German compounds end with the title: "Umweltministerin", "Schäfermeister".
            if _GERMAN_TITLE_END.search(match.group(1).lower()):
                cast.learn(match.group(1), match.group(2))
        for match in _NAME.finditer(text):
            if " " in match.group().strip():
                cast._add(match.group())
        return cast

    def _add(self, name: str) -> None:
        words = " ".join(name.split()).rstrip(".").split()
        title = words[0].lower().rstrip(".") if len(words) > 2 else ""
        # "The NGO Human Rights Watch", "President Joe Biden": the name is what follows.
        while len(words) > 1 and (
            words[0].lower() in _TITLE_WORDS
            or words[0].lower() in _LEADING_WORDS
            or _GERMAN_TITLE_END.search(words[0].lower())
        ):
            words = words[1:]
        kept = after_title(words)
        name = " ".join(kept)
        if title in _TITLE_WORDS and len(kept) >= 2:  # "Mayor Gwen …": "the mayor" is her
            self.roles.setdefault(title, name)
        if len(kept) < len(words):  # "the commissioner" is who the title was in front of
            self.roles.setdefault(words[-len(kept) - 1].lower().rstrip("."), name)
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
        while len(words) > 1 and words[0].lower() in _LEADING_WORDS:
            words = words[1:]  # "Selon Bernard"
        kept = [words[0]]
        for word in words[1:]:
            verb_like = re.fullmatch(r"\w+(?:ed|s)", word) is not None
            if not word[0].isupper() and (len(kept) > 1 or len(words) > 2 or verb_like):
                break
            kept.append(word)
        name = " ".join(kept)
        if not name[0].isupper() or {w.lower() for w in kept} & _NOT_A_NAME:
            return
        self._add(name)
        full = self.full(name)
        # Known by its head ("president" of "the president of the country") and by the word
        # next to the name ("utility" of "a proposal from the municipal utility, Harwick Water").
        last = role.split()[-1].lower().strip(",.") if role.split() else ""
        words = role.split()
        prep = next((n for n, w in enumerate(words) if w.lower() in _ROLE_HEAD_SKIP), None)
        if role_head(role) in _TITLE_WORDS and prep is not None:
            # "le directeur de l'agence", "a spokesman for the Open Streets coalition": the
            # organisation after the preposition is known by its last word, not the person.
            last = ""
            organisation = _strip_article(" ".join(words[prep + 1 :])).strip(" ,.")
            if organisation and is_organisation(organisation):
                key = organisation.split()[-1].lower()
                self.roles.setdefault(key, organisation)
                self.organisations.add(organisation)
        if _ORGANISATION.fullmatch(last) or _ORGANISATION.fullmatch(role_head(role)):
            self.organisations.add(full)
        for head in {role_head(role), last}:
            if head and head not in PRONOUNS and head not in _ROLE_HEAD_SKIP:
                self.roles[head] = full
        # French, Spanish and Italian put adjectives after the noun ("la maire sortante de …"):
        # the role is known by each of its words before the preposition too.
        for word in words[: prep if prep is not None else len(words)]:
            word = re.sub(r"^[ld]['’]", "", word.lower().strip(",."))
            if len(word) > 3 and not _DETERMINER.fullmatch(word) and word not in PRONOUNS:
                self.roles.setdefault(word, full)

    def full(self, written: str) -> str:
        """Return the fullest name the article gives for a name as written."""
        words = _strip_article(" ".join(written.split())).strip(" ,.").split()
        while len(words) > 1 and (
            words[0].lower().rstrip(".") in _TITLE_WORDS
            or _GERMAN_TITLE_END.search(words[0].lower())
        ):
            words = words[1:]  # "Mayor Ruth Okafor", "Dr Helen Marsh"
        written = " ".join(after_title(words))
        if written in self.acronyms:
            return self.acronyms[written]
        if written.lower() in self.roles:
            return self.roles[written.lower()]
        tokens = {t.lower() for t in written.split()}
        best = written
        for name in self.names:
            if tokens <= {t.lower() for t in name.split()} and len(name) > len(best):
                best = name
        if " " not in written and written.lower() != best.split()[-1].lower():
            # "betonte Obermaier": Rainer Obermaier, not Obermaier Oberflächentechnik GmbH
            people = [n for n in self.names if n.split()[-1] == written and " " in n]
            if people and not is_organisation(people[0]):
                best = max(people, key=len)
        return self.acronyms.get(best, best)

    def resolve(self, written: str, before: str = "", paragraph: str = "") -> tuple[str, float]:
        """Return the speaker's full name and how sure the resolution is (0..1).

        `before` and `paragraph`: the article's words before the statement and the start of
        its paragraph, quotes blanked out, where a pronoun or a role that refers back finds
        the person it stands for."""
        written = " ".join(written.split()).strip(" ,.")
        lowered = written.lower()
        if not written:
            # "«…», afirmou.": the person named before it in its paragraph, else who spoke last
            if named := self.mentioned_last(paragraph):
                return named, 0.6
            return self.last, 0.6 if self.last else 0.0
        if lowered in PRONOUNS:
            wants = PRONOUNS[lowered]
            if wants != "organisation" and (named := self.antecedent(before, paragraph)):
                return named, 0.75
            # A "he" long after the last person spoke is a translation's "it" (an NGO's).
            recent = self.heard_count - self.person_heard_at <= 3
            if wants == "person" and self.last_person and recent:
                return self.last_person, 0.75
            if wants == "organisation" and self.last_organisation:
                return self.last_organisation, 0.7
            return self.last, 0.6 if self.last else 0.0
        if not written[0].isupper() or _DETERMINER_START.match(written):
            bare = _strip_article(written)
            if "," in bare and (name := bare.rpartition(",")[2].strip())[:1].isupper():
                self.learn(bare.rpartition(",")[0], name)
                return self.full(name), 0.9
            head = role_head(bare)
            if head in DOCUMENTS and self.last:
                return self.last, 0.7  # "the statement said", "diz o texto": who issued it
            if head in self.roles:
                return self.roles[head], 0.8
            if known := next((r for r in self.roles if len(head) > 4 and r.endswith(head)), ""):
                return self.roles[known], 0.75  # "die Ministerin" of "Umweltministerin …"
            name = _trailing_name(bare) if bare[:1].isupper() or " " in bare else ""
            lead = bare[: -len(name)].lower().split() if name else []
            if name and (" " in name or lead) and not set(lead) & _ROLE_HEAD_SKIP:
                # "the NGO Human Rights Watch"; not "eine Mutter aus dem Ortsteil Lindhorst"
                return self.full(name), 0.9
            if (named := self.full(bare)) != bare:
                return named, 0.75  # "the residents' association": the one the article named
            if _ORGANISATION.fullmatch(head) and self.last_organisation:
                return self.last_organisation, 0.7
            if _ORGANISATION.fullmatch(head) and (named := self._organisation_in(before, head)):
                return named, 0.7  # "the company" before any organisation has spoken
            definite = _DEFINITE_START.match(written) or (
                self.portuguese and lowered.startswith("a ")
            )
            named = definite and not is_organisation(bare) and self.antecedent(before, paragraph)
            if named:
                return named, 0.6  # "betonte die 54-Jährige": the person named last
            return written, 0.55
        if "," in written:
            role, _, name = written.rpartition(",")
            if name.strip()[:1].isupper():
                self.learn(role, name)
                return self.full(name), 0.9
        return self.full(written), 0.9

    def antecedent(self, before: str, paragraph: str) -> str:
        """Return who a "she" or "the minister" stands for: the person named last in this
        paragraph, else the person who spoke last, else the person named last before."""
        spoke_here = self.last_person and _mentions(paragraph, self.last_person.split()[-1])
        return (
            (self.last_person if spoke_here else "")
            or self.mentioned_last(paragraph)
            or self.introduced_before(before[: len(before) - len(paragraph)])
            or (self.last_person if self.heard_count - self.person_heard_at <= 3 else "")
            or self.mentioned_last(before)
        )

    def introduced_before(self, before: str) -> str:
        """Return a person the paragraph just before introduced (a name, then an age, a role or
        a "who" clause) who has not spoken yet, when it does not name the last speaker:
        "Martin Coughlan (64), a retired postman, has been waiting 26 months." then "‘…,’ he
        told the paper." is Coughlan speaking; not a name in passing ("Photo: Marek Novak")."""
        previous = before.rstrip().rpartition("\n")[2]
        if self.last_person and _mentions(previous, self.last_person.split()[-1]):
            return ""
        best, best_at = "", -1
        for name in {*self.roles.values(), *self.names}:
            if name in self.spoken or not _looks_like_a_person(name):
                continue
            for match in re.finditer(re.escape(name) + INTRODUCED, previous):
                if match.start() > best_at:
                    best, best_at = name, match.start()
        return best

    def _organisation_in(self, before: str, head: str) -> str:
        """Return the organisation of the kind `head` says named last in `before`: a company
        by its legal form ("Halvorsen Appliance Co."), others by the word ("the ministry")."""
        company = head in COMPANY_WORDS
        found = [
            (before.rfind(n), n)
            for n in self.names
            if (is_company(n) if company else head in n.lower().split())
        ]
        return max(found)[1] if found and max(found)[0] >= 0 else ""

    def mentioned_last(self, before: str) -> str:
        """Return the person named last in `before` (a pronoun's likeliest antecedent)."""
        best, best_at = "", -1
        people = [n for n in {*self.names, *self.spoken} if _looks_like_a_person(n)]
        for name in {*self.roles.values(), *people}:
            if is_organisation(name) or name in self.organisations:
                continue
            surname = name.split()[-1]
            at = before.rfind(surname)
            while at >= 0 and not _whole_word(before, at, len(surname)):
                at = before.rfind(surname, 0, at)
            whole = at + len(surname) - len(name)  # where the name starts, written in full
            start = (
                whole if before[max(0, whole) : at].lower() == name[: -len(surname)].lower() else at
            )
            if at >= 0 and PLACE_BEFORE.search(before, max(0, start - 20), start):
                continue  # "abita a Valle Ombrosa", "da Universidade … de Santa Albertina"
            if at >= 0 and TOLD_BEFORE.search(before, max(0, start - 30), start):
                continue  # "he told the Drumcallan Herald": who is told is not who speaks
            if at > best_at or (at == best_at and at >= 0 and len(name) > len(best)):
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
    return _DETERMINER_START.sub("", text.strip())


def _looks_like_a_person(name: str) -> bool:
    """Two to four capitalised words, none of them a title, a place word or a day."""
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    lowered = {w.lower().strip(".,’'") for w in words}
    if re.fullmatch(r"[IVX]{2,4}", words[-1]):
        return False  # "the Morag II": a boat, a storm, a ship
    return not lowered & (_NOT_A_NAME | _TITLE_WORDS | _LEADING_WORDS)


def _mentions(text: str, word: str) -> bool:
    at = text.find(word)
    while at >= 0 and not _whole_word(text, at, len(word)):
        at = text.find(word, at + 1)
    return at >= 0


def _whole_word(text: str, at: int, length: int) -> bool:
    end = at + length
    return (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


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
