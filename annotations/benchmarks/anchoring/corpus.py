"""The adversarial anchoring corpus, in several languages and scripts (deterministic for a seed).

Repeated quotes told apart by context sent without its joining space, quotes across line
breaks and blocks, typos, broken quotation marks, near-duplicate sentences and quotes that
are not there: each case says where its quote should go, or that it should be refused.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from annotations.core.anchoring import context_of


@dataclass(frozen=True)
class Case:
    kind: str
    language: str
    text: str
    exact: str
    prefix: str
    suffix: str
    expected: tuple[int, int] | None  # None: the quote is not in the text, refuse it
    start: int | None = None
    end: int | None = None
    slack: int = 0  # how far each end of an approximate placement may be from expected

    def shifted(self, before: str, after: str) -> Case:
        """Return the case inside a longer text."""
        move = len(before)
        return Case(
            self.kind,
            self.language,
            before + self.text + after,
            self.exact,
            self.prefix,
            self.suffix,
            None if self.expected is None else (self.expected[0] + move, self.expected[1] + move),
            None if self.start is None else self.start + move,
            None if self.end is None else self.end + move,
            self.slack,
        )


SENTENCES = {
    "en": [
        "The minister said the budget would be balanced by next spring.",
        "Police officers blocked the road to the harbour for most of the night.",
        "Farmers in the north say the drought has cut their harvest by half.",
        "The court will hear the appeal against the new housing law in March.",
        "Residents were told to boil their water until further notice.",
        "Opposition leaders called the agreement a betrayal of the coal miners.",
        "Prices of bread and fuel rose faster than wages for a third year.",
        "A spokesman for the army denied that soldiers had fired on the crowd.",
        "The report found that one in five hospitals lacked basic equipment.",
        "Teachers walked out of schools across the capital on Tuesday morning.",
    ],
    "fr": [
        "Le ministre a déclaré que le budget serait équilibré au printemps prochain.",
        "Les policiers ont bloqué la route du port pendant une grande partie de la nuit.",
        "Selon les agriculteurs du nord, la sécheresse a réduit leur récolte de moitié.",
        "La cour examinera en mars l’appel contre la nouvelle loi sur le logement.",
        "On a demandé aux habitants de faire bouillir l’eau jusqu’à nouvel ordre.",
        "Les prix du pain et du carburant ont augmenté plus vite que les salaires.",
        "Un porte-parole de l’armée a nié que des soldats aient tiré sur la foule.",
        "Le rapport révèle qu’un hôpital sur cinq manque d’équipement de base.",
    ],
    "de": [
        "Der Minister sagte, der Haushalt werde bis zum nächsten Frühjahr ausgeglichen.",
        "Polizisten sperrten die Straße zum Hafen fast die ganze Nacht über.",
        "Bauern im Norden sagen, die Dürre habe ihre Ernte um die Hälfte verringert.",
        "Das Gericht verhandelt im März über die Klage gegen das neue Wohnungsgesetz.",
        "Die Anwohner sollen ihr Wasser bis auf Weiteres abkochen.",
        "Die Preise für Brot und Treibstoff stiegen schneller als die Löhne.",
        "Ein Sprecher der Armee bestritt, dass Soldaten auf die Menge geschossen hätten.",
        "Laut dem Bericht fehlt jedem fünften Krankenhaus die Grundausstattung.",
    ],
    "ru": [
        "Министр заявил, что бюджет будет сбалансирован к следующей весне.",
        "Полиция перекрыла дорогу к порту почти на всю ночь.",
        "Фермеры на севере говорят, что засуха вдвое сократила урожай.",
        "Суд рассмотрит апелляцию против нового жилищного закона в марте.",
        "Жителям посоветовали кипятить воду до особого распоряжения.",
        "Цены на хлеб и топливо росли быстрее зарплат третий год подряд.",
        "Представитель армии отрицал, что солдаты стреляли в толпу.",
        "В докладе говорится, что каждой пятой больнице не хватает оборудования.",
    ],
    "el": [
        "Ο υπουργός δήλωσε ότι ο προϋπολογισμός θα ισοσκελιστεί έως την άνοιξη.",
        "Η αστυνομία απέκλεισε τον δρόμο προς το λιμάνι σχεδόν όλη τη νύχτα.",
        "Οι αγρότες του βορρά λένε ότι η ξηρασία μείωσε τη σοδειά στο μισό.",
        "Το δικαστήριο θα εξετάσει την έφεση κατά του νέου νόμου τον Μάρτιο.",
        "Οι κάτοικοι κλήθηκαν να βράζουν το νερό μέχρι νεωτέρας.",
        "Οι τιμές του ψωμιού και των καυσίμων αυξήθηκαν ταχύτερα από τους μισθούς.",
    ],
    # Decomposed accents (a letter, then a combining mark) and emoji with skin tones.
    "mixed": [
        unicodedata.normalize("NFD", "Café owners in Mérida say the fiesta brought record crowds.")
        + " 🎉",
        "Fans 👍🏽 the decision, the club said in a statement on Friday.",
        unicodedata.normalize("NFD", "Señora Núñez told reporters the school would reopen.")
        + " 🏫",
        "The vote 🗳️ was delayed twice because of the storm.",
        unicodedata.normalize("NFD", "Zoë and Anaïs were among the volunteers at the shelter."),
        "Ticket prices 💸 doubled since last season, supporters complained.",
    ],
}


def _words_span(text: str, start: int, words: int) -> tuple[int, int]:
    """Return the span of `words` words of text from start."""
    end, seen = start, 0
    while end < len(text) and seen < words:
        while end < len(text) and text[end].isspace():
            end += 1
        while end < len(text) and not text[end].isspace():
            end += 1
        seen += 1
    return start, end


def _context(text: str, start: int, end: int, *, joined: bool) -> tuple[str, str]:
    """Return a client's prefix and suffix; without the joining space unless `joined`."""
    prefix, suffix = context_of(text, start, end)
    return (prefix, suffix) if joined else (prefix.rstrip(), suffix.lstrip())


def _typo(rnd: random.Random, value: str, count: int) -> str:
    letters = [i for i, c in enumerate(value) if c.isalpha() and c.isascii()]
    chars = list(value)
    for i in rnd.sample(letters, min(count, len(letters))):
        chars[i] = "x" if chars[i] != "x" else "q"
    return "".join(chars)


class _Builder:
    def __init__(self, rnd: random.Random, language: str):
        self.rnd, self.language = rnd, language
        self.pool = SENTENCES[language]

    def paragraphs(self, count: int, *, without: tuple[str, ...] = ()) -> list[str]:
        pool = [s for s in self.pool if s not in without]
        return [" ".join(self.rnd.sample(pool, self.rnd.randint(2, 3))) for _ in range(count)]

    def repeated(self, kind: str, *, joined: bool) -> Case:
        """The same sentence three times in different company; one of them is meant."""
        rnd = self.rnd
        sentence = rnd.choice(self.pool)
        # Each occurrence has its own neighbours, so its context tells it apart.
        others = rnd.sample([s for s in self.pool if s != sentence], 4)
        paragraphs = [f"{others[i]} {sentence} {others[i + 1]}" for i in range(3)]
        text = "\n\n".join(paragraphs)
        target = rnd.randrange(3)
        at = text.index(sentence, sum(len(p) + 2 for p in paragraphs[:target]))
        if kind == "by-prefix":  # the first words: only the prefix differs
            span = _words_span(text, at, 3)
        elif kind == "by-suffix":  # the last words: only the suffix differs
            words = sentence.split()
            tail = " ".join(words[-3:])
            span = (at + len(sentence) - len(tail), at + len(sentence))
        else:
            span = (at, at + len(sentence))
        prefix, suffix = _context(text, *span, joined=joined)
        if kind == "by-prefix":
            suffix = ""
        elif kind == "by-suffix":
            prefix = ""
        name = f"repeated {kind}" + (" (joined)" if joined else " (no joining space)")
        return Case(name, self.language, text, text[span[0] : span[1]], prefix, suffix, span)

    def across(self, separator: str, given: str) -> Case:
        """A quote across a line break or a block boundary, selected with `given` there."""
        first, second = self.rnd.sample(self.pool, 2)
        # Neither sentence elsewhere: the pair would be there too, with the same context.
        opening, closing = self.paragraphs(2, without=(first, second))
        opening += "\n\n"
        text = opening + first + separator + second + "\n\n" + closing
        tail = " ".join(first.split()[-3:])
        head = " ".join(second.split()[:3])
        start = len(opening) + len(first) - len(tail)
        end = len(opening) + len(first) + len(separator) + len(head)
        exact = tail + given + head
        prefix, suffix = _context(text, start, end, joined=False)
        kind = "across a line break" if separator == "\n" else "across blocks"
        return Case(kind, self.language, text, exact, prefix, suffix, (start, end))

    def broken_and_whole(self) -> Case:
        """Words across a line break, the same words on one line elsewhere: the first meant.

        The Hypothesis client tries its approximate search only when there is no exact match,
        so the line without the break wins whatever the context says.
        """
        first, second, third, fourth = self.rnd.sample(self.pool, 4)
        tail = " ".join(first.split()[-2:])
        head = " ".join(second.split()[:2])
        text = f"{third} {first}\n{second}\n\n{fourth} {tail} {head}"
        start = len(third) + 1 + len(first) - len(tail)
        end = len(third) + 1 + len(first) + 1 + len(head)
        prefix, suffix = _context(text, start, end, joined=False)
        return Case("across a line break, and on one line elsewhere", self.language, text,
                    f"{tail} {head}", prefix, suffix, (start, end))  # fmt: skip

    def typo(self, errors: int, words: int) -> Case:
        text = "\n\n".join(self.paragraphs(4))
        sentences = [s for s in self.pool if s in text]
        sentence = self.rnd.choice(sentences)
        at = text.index(sentence)
        span = _words_span(text, at, words)
        exact = _typo(self.rnd, text[span[0] : span[1]], errors)
        prefix, suffix = _context(text, *span, joined=False)
        kind = "short quote with a typo" if span[1] - span[0] < 16 else "typo in the quote"
        if exact == text[span[0] : span[1]]:  # no Latin letter to change
            kind = "exact quote"
        return Case(kind, self.language, text, exact, prefix, suffix, span, slack=errors)

    def quotation_marks(self) -> Case:
        """The article has typographic quotation marks, the client straight ones."""
        first, second, third = self.rnd.sample(self.pool, 3)
        inner = second.rstrip(".")
        text = "\n\n".join([first, f"She said: “{inner}”, and left. {third}", *self.paragraphs(1)])
        start = text.index("“")
        end = text.index("”") + 1
        exact = '"' + inner + '"'
        prefix, suffix = _context(text, start, end, joined=False)
        return Case("broken quotation marks", self.language, text, exact, prefix, suffix,
                    (start, end), slack=1)  # fmt: skip

    def near_duplicate(self, *, typo: bool) -> Case:
        """Two sentences that differ by one word; the quote is the second."""
        base = self.rnd.choice(self.pool)
        words = base.split()
        i = self.rnd.randrange(1, len(words) - 1)
        twin = " ".join([*words[:i], "not", *words[i:]])
        text = "\n\n".join([base, *self.paragraphs(1), twin, *self.paragraphs(1)])
        at = text.index(twin)
        span = (at, at + len(twin))
        exact = _typo(self.rnd, twin, 1) if typo else twin
        prefix, suffix = _context(text, *span, joined=False)
        kind = "near-duplicate sentence" + (" with a typo" if typo else "")
        return Case(kind, self.language, text, exact, prefix, suffix, span, slack=1)

    def absent(self, other_language: str, *, rewritten: bool) -> Case:
        """A quote that is not in the text: another article's, or this one's rewritten."""
        text = "\n\n".join(self.paragraphs(4))
        if rewritten:
            # Half its words replaced by others of the same text: no longer what it said.
            words = self.rnd.choice(self.pool).split()
            pool = " ".join(self.pool).split()
            exact = " ".join(w if k % 2 else self.rnd.choice(pool) for k, w in enumerate(words))
        else:
            exact = self.rnd.choice(SENTENCES[other_language])
        anywhere = self.rnd.randrange(len(text) - 40)
        prefix, suffix = _context(text, anywhere, anywhere + 1, joined=False)
        kind = "rewritten beyond recognition" if rewritten else "not in the text"
        return Case(kind, self.language, text, exact, prefix, suffix, None)

    def positioned(self) -> Case:
        """A repeated quote with no context, only its position."""
        sentence = self.rnd.choice(self.pool)
        text = "\n\n".join([sentence, *self.paragraphs(1), sentence, *self.paragraphs(1)])
        span = _words_span(text, text.rindex(sentence), 4)
        return Case("repeated, by position only", self.language, text,
                    text[span[0] : span[1]], "", "", span, span[0], span[1])  # fmt: skip


def corpus(seed: int = 13, rounds: int = 3) -> list[Case]:
    """Return the adversarial anchoring corpus (deterministic for a seed)."""
    rnd = random.Random(seed)
    cases = []
    languages = list(SENTENCES)
    for _ in range(rounds):
        for language in languages:
            build = _Builder(rnd, language)
            other = rnd.choice([x for x in languages if x != language])
            for kind in ("by-prefix", "by-suffix", "both"):
                cases.append(build.repeated(kind, joined=False))
                cases.append(build.repeated(kind, joined=True))
            cases += [
                build.across("\n", " "),
                build.across("\n\n", " "),
                build.across("\n\n", "\n"),
                build.broken_and_whole(),
                build.typo(1, 6),
                build.typo(2, 9),
                build.typo(1, 2),
                build.quotation_marks(),
                build.near_duplicate(typo=False),
                build.near_duplicate(typo=True),
                build.absent(other, rewritten=False),
                build.absent(other, rewritten=True),
                build.positioned(),
            ]
    return cases
