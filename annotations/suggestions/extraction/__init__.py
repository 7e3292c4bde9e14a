"""Find an article's attributed quotes and reported statements, and who made them.

Rules, not a model: quoted spans are paired however the page marked them (marks.py), each is
attributed by the words around it (attribution.py), and speakers are resolved against the
names, roles and acronyms the article itself gives (speakers.py). Pure Python and regular
expressions, so it runs as an article is stored (thousands of articles a second).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from annotations.suggestions.extraction.attribution import (
    after_quote,
    before_quote,
    characterised_by,
    opening_subject,
    sentence_speaker,
    speaker_after_verb,
    subject_before,
    verbs_in,
)
from annotations.suggestions.extraction.marks import Quoted, paragraphs, quoted_spans
from annotations.suggestions.extraction.naming import (
    NAMING_BEFORE,
    NOUN_BEFORE,
    TERM_BEFORE,
    WORK_AFTER,
    WORK_BEFORE,
)
from annotations.suggestions.extraction.reported import (
    ACCORDING_CLAUSE,
    ACCORDING_VERB_SECOND,
    AND_THAT,
    APPOSITION_END,
    AS_SAID_WHO,
    AS_WHO_SAID,
    BUT_BEFORE,
    CLAUSE_ACCORDING,
    CLAUSE_BETWEEN,
    CLAUSE_LEAD,
    CLAUSE_VERB_WHO,
    CLAUSE_WHO_VERB,
    CONCESSION,
    KONJUNKTIV,
    KONJUNKTIV_SENTENCE,
    LAUT_NAME,
    LOOK_BACK,
    OWN_FIGURES,
    PREFIX_MAX,
    QUOTE_ONLY,
    RELATIVE_BEFORE,
    REPORTED_BARE,
    SECOND_STATEMENT,
    SOURCE_OF,
    THAT,
    TRANSCRIPT,
    UNNAMED_SOURCE,
    split_incises,
)
from annotations.suggestions.extraction.speakers import Cast
from annotations.suggestions.extraction.verbs import VERBS
from annotations.suggestions.extraction.vocabulary import PRONOUNS

QUOTE, REPORTED = "quote", "reported"
MIN_WORDS_CLOSE, MIN_WORDS_LOOSE, MIN_WORDS_REPORTED = 2, 5, 4
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»“]?(?=\s+[\"“”„«‘'A-ZÀ-Þ¿¡])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Jr|Sr|Inc|Ltd|No|Mt|Col|Lt|Sgt|Capt|vs|"
    r"e\.g|i\.e|U\.S|U\.K)|\b[A-Z])\.$"
)
# "said that", "told reporters that", "indicó en un comunicado que", "sagte am Mittwoch, dass".


@dataclass(frozen=True)
class Suggested:
    """A statement the article attributes to someone, at offsets in its plain text."""

    quote: str
    start: int
    end: int
    speaker: str
    speaker_full: str
    confidence: float
    kind: str = QUOTE

    def as_json(self) -> dict:
        return asdict(self)


def sentences(text: str, start: int, end: int, spans: list[Quoted]) -> list[tuple[int, int]]:
    """Return the sentences of a paragraph, never splitting inside a quoted span."""
    found, at = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        if any(s.open < match.start() < s.close for s in spans):
            continue
        if _ABBREVIATION.search(text, max(start, match.start() - 5), match.start() + 1):
            continue
        found.append((at, stop))
        at = stop
    if text[at:end].strip():
        found.append((at, end))
    return found


def _reporting_verb(body: str) -> tuple[int, int] | None:
    """Return the span of the first "said that", "a déclaré que", "sagte, dass" of a sentence."""
    for verb in verbs_in(body, 0, PREFIX_MAX + 20):
        if RELATIVE_BEFORE.search(body, max(0, verb.start() - 30), verb.start()):
            continue
        that = THAT.match(body, verb.end()) or KONJUNKTIV.match(body, verb.end())
        # not "told parliament the strike was illegal and warned that": a clause between
        if that and not CLAUSE_BETWEEN.search(body, verb.end(), that.end()):
            return verb.start(), that.end()
    return None


def _masked(text: str, start: int, end: int, spans: list[Quoted]) -> str:
    """Return text[start:end] with the words of its quoted spans left out."""
    out, at = [], start
    for span in spans:
        if span.open >= start and span.close < end:
            out.append(text[at : span.open + 1])
            out.append("…")
            at = span.close
    out.append(text[at:end])
    return "".join(out)


def _sentence_of(bounds: list[tuple[int, int]], at: int) -> tuple[int, int]:
    return next((b for b in bounds if b[0] <= at < b[1]), bounds[-1])


class _Reader:
    """Reads one article's paragraphs in order, remembering who spoke last."""

    def __init__(self, text: str):
        self.text = text
        self.cast = Cast.of(text)
        self.found: list[Suggested] = []

    def run(self) -> list[Suggested]:
        found = [
            (p, split_incises(self.text, quoted_spans(self.text, *p)))
            for p in paragraphs(self.text)
        ]
        # The text with its quoted words blanked out: where "she" and "the minister" look
        # back for the person named last (never a nickname or a title in quotation marks).
        chars = list(self.text)
        for _, spans in found:
            for span in spans:
                chars[span.start : span.end] = " " * (span.end - span.start)
        self.masked = "".join(chars)
        for (start, end), spans in found:
            self._paragraph_start = start
            bounds = sentences(self.text, start, end, spans)
            heard: dict = {}
            if self._transcript(start, end, spans):
                continue
            # In reading order, so that "he" and "the minister" refer back to who spoke last;
            # a sentence's reported clause after its quotes ("…,” he said, adding that …").
            steps = [(span.open, 1, n) for n, span in enumerate(spans)]
            steps += [(sentence[1], 0, n) for n, sentence in enumerate(bounds)]
            for _, is_quote, n in sorted(steps):
                if is_quote:
                    self._quote(spans[n], spans, n, bounds, heard, (start, end))
                else:
                    self._reported(bounds[n], spans)
        return sorted(self.found, key=lambda s: s.start)

    def _quote(self, span, spans, n, bounds, heard, paragraph) -> None:
        text = self.text
        sentence = _sentence_of(bounds, span.open)
        previous = spans[n - 1].close + 1 if n and spans[n - 1].close >= sentence[0] else None
        before = text[previous if previous is not None else sentence[0] : span.open]
        following = spans[n + 1].open if n + 1 < len(spans) else paragraph[1]
        after_end = min(_sentence_of(bounds, min(span.close, paragraph[1] - 1))[1], following)
        after = text[span.close + 1 : after_end]
        words = len(span.text(text).split())
        said = span.text(text)
        lead = text[sentence[0] : span.open]
        if NAMING_BEFORE.search(lead) or WORK_AFTER.match(after):
            return
        if WORK_BEFORE.search(lead) and (said[:1].isupper() or words < 6):
            return
        if TERM_BEFORE.search(lead) and words < 8:
            return
        noun = NOUN_BEFORE.search(lead)
        if noun and noun.group(1).lower() not in VERBS and said[:1].isupper() and words < 6:
            return
        written, close = after_quote(after)
        base = 0.95
        if written is None:
            written, close = before_quote(before)
            base = 0.9 if close else 0.75
        if not written:
            # Left out ("and added that …") or not here: the sentence's first speaker.
            prefix = _masked(text, sentence[0], span.open, spans)
            if (found := sentence_speaker(prefix)) is not None and (found or written is None):
                written, base = found, base if written == "" else 0.7
        if who := characterised_by(lead):  # even in one word: "as ‘indefensible’"
            words = max(words, MIN_WORDS_CLOSE)
            if written is None or not close:
                written, close, base = who, True, 0.6
        owner = self._reported(sentence, spans, dry=True) if written is None else None
        if owner and owner[1] <= span.open:
            # "Secondo il Consorzio, …, ma la qualità resta «molto buona»"
            written, close, base = owner[0], True, 0.7
        if written is None and sentence in heard:
            written, close, base = heard[sentence], False, 0.7
        if written is None and "paragraph" in heard:
            # “…,” Ellis said after the match. “…”: the same speaker goes on.
            written, close, base = heard["paragraph"], True, 0.7
        covered = (span.end - span.start) / max(1, paragraph[1] - paragraph[0])
        if written is None and covered > 0.85 and words >= 6:
            written, close, base = "", False, 0.5  # a paragraph that is all quote: go on
        if written is None or words < (MIN_WORDS_CLOSE if close else MIN_WORDS_LOOSE):
            return
        # "Okafor dismissed … “…,” she said": the person named last.
        full, sure = self.cast.resolve(written, *self._before(span.open, paragraph[0]))
        if not full:
            return
        self.cast.heard(full)
        # A pronoun goes on as the person it stood for, not re-read against later names.
        said_by = full if written.lower() in PRONOUNS else written or full
        heard[sentence] = heard["paragraph"] = said_by
        self._add(span.start, span.end, written or full, full, base * sure, QUOTE)

    def _reported(self, sentence: tuple[int, int], spans: list[Quoted], dry: bool = False):
        """Suggest the sentence's reported statement; with dry, only return (who, where its
        statement starts), for the quotes inside it."""
        start, end = sentence
        body = self.text[start:end].strip()
        offset = start + (len(self.text[start:end]) - len(self.text[start:end].lstrip()))
        match = (
            # German "Laut X wird es …" has no comma after its source: the verb comes second
            ACCORDING_VERB_SECOND.match(body)
            or ACCORDING_CLAUSE.match(body)
            or CLAUSE_ACCORDING.match(body)
            or LAUT_NAME.match(body)
            or AS_WHO_SAID.match(body)
            or AS_SAID_WHO.match(body)
        )
        if not match and self._subjunctive_goes_on(start, body, spans):
            return None
        if not match:
            match = CLAUSE_VERB_WHO.match(body) or CLAUSE_WHO_VERB.match(body)
            if match and APPOSITION_END.search(match.group("clause")):
                match = None
        if match:
            who = SOURCE_OF.sub("", match.group("who"))
            who = OWN_FIGURES.sub(r"the \1", who)
            if UNNAMED_SOURCE.match(who):
                return  # "according to figures published on Thursday": nobody is named
            # "according to court filings": the source as written when it names nobody
            written = speaker_after_verb(who) or who.strip()
            clause = (match.start("clause"), match.end("clause"))
            if dry:
                return written, offset + clause[0]
        else:
            verb = _reporting_verb(body)
            found = REPORTED_BARE.search(body, 0, PREFIX_MAX + 60)
            # "told parliament the strike was illegal and warned that …": the first statement
            first = found and verb and found.end() < verb[0]
            bare = verb is None or bool(first and " and " in body[found.end() : verb[0]])
            if bare and found:
                verb = found.span()
                if re.search(r"\b(?:not|never|n['’]t)\s*$", body[: verb[0]]):
                    return  # "The ministry has not said whether …"
            if verb is None or verb[0] > PREFIX_MAX:
                return
            prefix = body[: verb[0]]
            if QUOTE_ONLY.fullmatch(prefix):
                # "«…», explicó un biólogo que pidió …": the quote's attribution, and its "que"
                # opens a relative clause, not a statement.
                return
            written = subject_before(prefix)
            if written == "":
                # "Becker called the project “…” and said …": the sentence's own subject.
                written = opening_subject(prefix) or written
            if bare and not written:
                return  # a named subject, or it is not reported speech
            if written is None or ("“" in prefix and not written):
                return
            if dry:
                return written, offset + verb[1]
            clause = (verb[1], len(body.rstrip(".!?")))
            # "… qu'elle briguerait un troisième mandat, malgré la fronde …": not the statement.
            if concession := CONCESSION.search(body, verb[1]):
                clause = (verb[1], concession.start())
            if second := SECOND_STATEMENT.search(body, verb[1], clause[1]):
                clause = (verb[1], second.start())
                self._reported((offset + second.end(), end), spans)
        also = None
        also_match = AND_THAT.search(body, clause[0], clause[1])
        short = also_match and len(body[also_match.end() : clause[1]].split()) < 6
        if short and not re.search(r"(?:that|que|dass|che)\s+$", also_match.group()):
            also_match = None  # "… and had never claimed any": too short to stand alone
        if also_match:
            also = (offset + also_match.end(), offset + clause[1])
            also_that = re.search(r"(?:that|que|dass|che)\s+$", also_match.group())
            clause = (clause[0], also_match.start())
        clause_start, clause_end = offset + clause[0], offset + clause[1]
        if lead := CLAUSE_LEAD.match(self.text, clause_start, clause_end):
            clause_start = lead.end()
        if also and any(s.open < also[1] and s.close > also[0] for s in spans):
            also = None
        quoted = [
            s
            for s in spans
            if s.open < clause_end
            and s.close > clause_start
            # "sous le slogan « Métro 2028 »": a name in the statement, not a quote of its own
            and not NAMING_BEFORE.search(self.text, max(clause_start, s.open - 40), s.open)
            and not WORK_BEFORE.search(self.text, max(clause_start, s.open - 40), s.open)
        ]
        if quoted:
            # "… said that she supported the goal but wanted to see “a real price tag”": the
            # statement before the quote is the speaker's too; the quote is its own suggestion.
            clause_end = quoted[0].open
            if cut := BUT_BEFORE.search(self.text, clause_start, clause_end):
                clause_end = cut.start()
            elif not re.search(r"[,;:—–]\s*$", self.text[clause_start:clause_end]):
                clause_end = clause_start  # "… put losses “closer to one in four”": one statement
            clause_end = len(self.text[:clause_end].rstrip(" ,;:—–-"))
            if len(self.text[clause_start:clause_end].split()) < MIN_WORDS_REPORTED:
                clause_end = clause_start  # nothing of its own before the quote
        if clause_end <= clause_start and also and also_that:
            clause_start, clause_end, also = *also, None
        if (
            clause_end <= clause_start
            or len(self.text[clause_start:clause_end].split()) < MIN_WORDS_REPORTED
        ):
            return
        # "X Co. will close the plant, the company said": the statement before its source
        after = match and match.start("who") and written.lower() not in PRONOUNS
        where = offset + match.start("who") if after else offset
        full, sure = self.cast.resolve(written, *self._before(where, self._paragraph_start))
        if not full:
            return
        self.cast.heard(full)
        self._add(clause_start, clause_end, written or full, full, 0.6 * sure, REPORTED)
        if also and len(self.text[also[0] : also[1]].split()) >= MIN_WORDS_REPORTED:
            self._add(*also, written or full, full, 0.55 * sure, REPORTED)

    def _subjunctive_goes_on(self, start: int, body: str, spans: list[Quoted]) -> bool:
        """A German report going on in the subjunctive, by whoever spoke last in the paragraph."""
        last = self.found[-1] if self.found else None
        if (
            last is None
            or last.kind != REPORTED
            or last.start < self._paragraph_start
            or any(s.open >= start and s.open < start + len(body) for s in spans)
            or not KONJUNKTIV_SENTENCE.search(body)
            or _reporting_verb(body)
        ):
            return False
        stop = start + len(body.rstrip(".!?"))
        self._add(start, stop, last.speaker, last.speaker_full, last.confidence, REPORTED)
        return True

    def _transcript(self, start: int, end: int, spans: list[Quoted]) -> bool:
        """An interview's answer, "Abelard: Mostly I …", by someone the article names."""
        match = TRANSCRIPT.match(self.text, start, end)
        if not match or spans or len(self.text[match.end() : end].split()) < MIN_WORDS_LOOSE:
            return False
        if match.group(1).isupper():
            return False  # a dateline, "SUNDARPUR: The flyover …", not an answer
        full = self.cast.full(match.group(1))
        if " " not in full or full not in self.cast.names:
            return False
        self.cast.heard(full)
        self._add(match.end(), end, match.group(1), full, 0.8, QUOTE)
        return True

    def _before(self, at: int, paragraph_start: int) -> tuple[str, str]:
        """Return the words before `at` (quotes blanked out), and those of its paragraph."""
        return self.masked[max(0, at - LOOK_BACK) : at], self.masked[paragraph_start:at]

    def _add(self, start, end, speaker, full, confidence, kind) -> None:
        self.found.append(
            Suggested(
                quote=self.text[start:end],
                start=start,
                end=end,
                speaker=" ".join(speaker.split()),
                speaker_full=" ".join(full.split()),
                confidence=round(min(confidence, 1.0), 2),
                kind=kind,
            )
        )


def extract(text: str) -> list[Suggested]:
    """Return the attributed quotes and reported statements of a plain text, in order."""
    return _Reader(text).run()
