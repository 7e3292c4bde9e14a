"""Plain-text articles: title line, paragraphs, photo captions, and the page furniture after."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .drafts import ArticleDraft, ImportFailed

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}~])")
_LINE_START = re.compile(r"^([#>+\-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
_LINE_START_ENTITIES = {":": "&#58;", "~": "&#126;", "=": "&#61;"}


def escape_markdown(text: str, *, line_start: bool = True) -> str:
    """Return text escaped so that Markdown renders it literally, typography included.

    `line_start` escapes what would start a heading, quote or list; text in the middle of a
    paragraph does not need it.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    # SmartyPants would turn -- into a dash and ... into an ellipsis: keep the author's text.
    text = re.sub(r"-(?=-)", r"\\-", text)
    text = re.sub(r"\.(?=\.\.)", r"\\.", text)
    if line_start:
        if text[:1] in _LINE_START_ENTITIES:
            text = _LINE_START_ENTITIES[text[0]] + text[1:]
        elif text.startswith(">"):
            text = "&gt;" + text[1:]
        else:
            text = _LINE_START.sub(r"\\\1", text)
            text = _ORDERED_START.sub(r"\1\\\2", text)
    return text


def caption_markdown(text: str) -> str:
    """Return a caption as a Markdown paragraph that renders as <p class="caption">."""
    return f"{escape_markdown(text)}\n{{: .caption }}"


# Photo credits at the end of a caption: agencies, "Photo by", handouts, and the "( NAME /)"
# credit some wire feeds append. Matched against the caption's last segment only, so a body
# paragraph that merely mentions an agency ("she told Reuters.") is not taken for a caption.
_AGENCIES = r"REUTERS|Reuters|AFP|AP|EPA|EFE|ANSA|DPA|dpa|Xinhua|Anadolu|TASS|Sputnik|Bloomberg"
_CREDIT = re.compile(
    rf"""
    \((?:AP\s+)?Photo\s+by\b                                  # (Photo by Jane Doe / AFP)
    | \b(?:Photo(?:graph)?s?|Pictures?|Images?|Foto|Credits?)\s*(?::|by\b)
    | \bAP\s*Photo\b | \bGetty\s+Images\b | \bShutterstock\b | \bAlamy\b
    | /\s*Handout\b | \bHandout\s+(?:via|/)
    | \b(?:{_AGENCIES})\s*/                                      # REUTERS / Jane Doe
    | /\s*(?:{_AGENCIES})\b                                      # Jane Doe/Reuters
    | \bvia\s+(?:{_AGENCIES})\b
    | \b(?:{_AGENCIES})\)?\s*$                                   # ... (Reuters)
    """,
    re.VERBOSE,
)
# "( PAVEL MIKHEYEV /)": a credit in capitals closed by a slash, ending the caption.
_BRACKET_CREDIT = re.compile(r"\(\s*[A-Z][A-Z0-9 .,'’&\-]*/\s*\)\s*$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_ENDS_SENTENCE = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
# "(With information from Europa Press)", "(Reporting by ...; Editing by ...)": where a story
# ends and what follows is the page's furniture.
_SOURCE_LINE = re.compile(
    r"^\(\s*(?:with\s+(?:additional\s+)?(?:information|reporting|input)|additional\s+reporting"
    r"|reporting|writing|editing|compiled|sources?|information|con\s+informaci[oó]n)\b.*\)\.?$",
    re.IGNORECASE,
)
# A page's furniture inside the story: "Related: <headline>", "Read more: ...", and the
# newsletter calls to action, in the languages of the news we import. Only short blocks that
# begin with one count, so a sentence that merely mentions a newsletter stays.
_RELATED_LABELS = (
    r"related(?:\s+(?:stories|articles|coverage|content|reading))?|read\s+(?:more|also|next)"
    r"|also\s+read|see\s+also|more\s+on\s+this(?:\s+story)?|recommended(?:\s+reading)?"
    r"|lee\s+también|lea\s+también|te\s+puede\s+interesar|le\s+puede\s+interesar"
    r"|más\s+información|lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|auch\s+interessant"
    r"|(?:à|a)\s+lire\s+(?:aussi|également)|lire\s+(?:aussi|également)|voir\s+aussi"
)
_RELATED_LINE = re.compile(rf"^[\W_]*(?:{_RELATED_LABELS})[\W_]*?(?:[:|»›>\-–—]|$)", re.IGNORECASE)
_NEWSLETTER_LINE = re.compile(
    r"""^[\W_]*(?:
        (?:sign\s+up|subscribe|register|join)\b.*\b(?:newsletters?|briefing|bulletin|inbox)\b
      | (?:sign\s+up|subscribe)(?:\s+(?:now|today|here))?[\W_]*$
      | (?:suscr[ií]be(?:te)?|ap[uú]ntate|reg[ií]strate)\b.*\b(?:bolet[ií]n|newsletter)\b
      | newsletter\s+(?:abonnieren|bestellen)\b | jetzt\s+(?:den\s+)?newsletter\b
      | (?:inscrivez-vous|abonnez-vous)\b.*\b(?:newsletter|lettre)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
BOILERPLATE_MAX_WORDS = 30


def is_boilerplate(text: str) -> bool:
    """Return whether a block is a page's furniture: a related link or a newsletter pitch."""
    text = " ".join(text.split())
    if not text or len(text.split()) > BOILERPLATE_MAX_WORDS:
        return False
    return bool(_RELATED_LINE.match(text) or _NEWSLETTER_LINE.match(text))


_BYLINE = re.compile(r"^By\s+(\S.*)$")
HEADLINE_MAX_WORDS = 25
BYLINE_MAX_WORDS = 10
# Lines shorter than this are a photo's label, kept even if the caption repeats them.
LABEL_MAX_CHARS = 20


@dataclass
class _Block:
    lines: list[str]
    gap_before: int  # blank lines between this block and the one before

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines)


def parse_text(text: str) -> ArticleDraft:
    """Read a plain-text article: the first non-empty line is its title."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise ImportFailed("the file is empty")
    title = " ".join(lines[start].split())
    blocks = _blocks(lines[start + 1 :])
    byline = ""
    if blocks and len(blocks[0].lines) == 1:
        match = _BYLINE.match(blocks[0].text)
        if match and _is_headline(blocks[0], max_words=BYLINE_MAX_WORDS):
            byline = match.group(1)
            blocks = blocks[1:]
    return ArticleDraft(title=title, byline=byline, body_markdown=_blocks_markdown(blocks))


def text_to_markdown(text: str) -> str:
    """Return a plain-text body (no title line) as Markdown."""
    return _blocks_markdown(_blocks(text.split("\n")))


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    gap = 0
    for line in lines:
        if line.strip():
            if not current:
                blocks.append(_Block(current, gap))
            current.append(line)
            continue
        if current:
            current = []
            gap = 0
        gap += 1
    return blocks


def _blocks_markdown(blocks: list[_Block]) -> str:
    parts = []
    for block in _without_trailing_headlines(blocks):
        if is_boilerplate(block.text):
            continue
        if is_caption(block.text):
            parts.append(caption_markdown(_caption_text(block.lines)))
        else:
            parts.append(escape_markdown(" ".join(block.text.split())))
    return "\n\n".join(parts)


def is_caption(text: str) -> bool:
    """Return whether a block of plain text is a photo caption (it ends with a credit)."""
    text = " ".join(text.split())
    if _BRACKET_CREDIT.search(text):
        return True
    tail = _SENTENCE_BREAK.split(text)[-1].strip()
    if not tail or _ENDS_SENTENCE.search(tail) or len(tail.split()) > 15:
        return False
    return bool(_CREDIT.search(tail))


def _caption_text(lines: list[str]) -> str:
    """Return a caption block as one line, dropping a line that another repeats (and extends).

    A video still's caption often comes twice, first without its credit. A short first line
    is the photo's label: it stays, joined to the caption.
    """
    normalised = [" ".join(line.split()) for line in lines]
    kept = []
    for i, line in enumerate(normalised):
        repeated = any(
            (other.startswith(line) and other != line) or (other == line and j < i)
            for j, other in enumerate(normalised)
            if j != i
        )
        if not repeated or len(line) < LABEL_MAX_CHARS:
            kept.append(line)
    return " ".join(kept)


def _is_headline(block: _Block, *, max_words: int = HEADLINE_MAX_WORDS) -> bool:
    text = block.text
    return (
        len(block.lines) == 1
        and len(text.split()) <= max_words
        and not _ENDS_SENTENCE.search(text)
        and not is_caption(text)
    )


def _without_trailing_headlines(blocks: list[_Block]) -> list[_Block]:
    """Drop the "related articles" headlines a page lists after the end of its story.

    They are short one-line blocks without closing punctuation that come after a source line
    ("(With information from ...)") or after two or more blank lines.
    """
    run_start = len(blocks)
    while run_start > 0 and _is_headline(blocks[run_start - 1]):
        run_start -= 1
    for k in range(max(run_start, 1), len(blocks)):
        if blocks[k].gap_before >= 2 or _SOURCE_LINE.match(blocks[k - 1].text):
            return blocks[:k]
    return blocks
