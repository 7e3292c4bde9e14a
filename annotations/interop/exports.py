"""Annotations out of Claimlens: W3C JSON-LD collections, CSV, Markdown and a standalone HTML page.

Every export holds only what the exporting user may read (shared annotations, their own private
ones); commands export as nobody in particular — shared annotations — unless asked to include
private ones.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from annotations.core import permissions
from annotations.interop.markdown import by_article, markdown_text
from annotations.interop.webannotation import (
    PAGE_NOTE,
    Urls,
    annotation_jsonld,
    annotation_kind,
    collection_jsonld,
    page_jsonld,
)
from annotations.models import Annotation
from articles.models import Article
from articles.rendering import sanitize_html

FORMATS = {
    "jsonld": ("application/ld+json", "jsonld"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
}
CSV_COLUMNS = [
    "created",
    "author",
    "article",
    "URL",
    "type",
    "quote",
    "note",
    "tags",
    "claim",
    "status",
]
# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def visible_annotations(user, *, include_private: bool = False):
    """Return the live annotations user may read, fetched for serialising.

    A moderator's hidden annotations stay out of exports, except for their author and for
    moderators. `include_private` (management commands only) takes everyone's private ones.
    """
    qs = Annotation.objects.alive() if include_private else Annotation.objects.visible_to(user)
    if not permissions.is_moderator(user):
        own = Q(author=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        qs = qs.filter(Q(hidden_at__isnull=True) | own)
    return qs.with_related().select_related("origin")


def in_export_order(qs):
    """Return annotations article by article, each article's in reading order."""
    return qs.order_by("article_id", F("start").asc(nulls_first=True), "end", "pk")


@dataclass(frozen=True)
class Export:
    content: str
    content_type: str
    filename: str


def export_iri(urls: Urls, fmt: str, article: Article | None) -> str:
    if article is None:
        path = reverse("interop:export-all", kwargs={"fmt": fmt})
    else:
        path = reverse("interop:export-article", kwargs={"article_id": article.pk, "fmt": fmt})
    return urls.absolute(path)


def export_annotations(
    annotations, *, fmt: str, urls: Urls, article: Article | None = None
) -> Export:
    """Serialise annotations (from visible_annotations) in one of FORMATS."""
    annotations = list(in_export_order(annotations))
    stem = f"claimlens-article-{article.pk}" if article is not None else "claimlens"
    content_type, extension = FORMATS[fmt]
    if fmt == "jsonld":
        content = json.dumps(
            jsonld_collection(annotations, urls=urls, article=article), ensure_ascii=False, indent=2
        )
    elif fmt == "csv":
        content = csv_text(annotations, urls=urls)
    elif fmt == "md":
        content = markdown_text(annotations, urls=urls, article=article)
    else:
        content = html_page(annotations, urls=urls, article=article)
    return Export(content, content_type, f"{stem}-annotations.{extension}")


# --- JSON-LD ---------------------------------------------------------------------------------


def jsonld_collection(annotations, *, urls: Urls, article: Article | None = None) -> dict:
    """Return an AnnotationCollection with every annotation embedded in its one page."""
    iri = export_iri(urls, "jsonld", article)
    label = f"Annotations on “{article.title}”" if article else "Annotations in Claimlens"
    modified = max((a.updated_at for a in annotations), default=None)
    page = page_jsonld(
        iri=f"{iri}#page-1",
        items=[annotation_jsonld(a, urls) for a in annotations],
        part_of={"id": iri, "total": len(annotations)},
        start_index=0,
        context=False,
    )
    return collection_jsonld(
        iri=iri,
        label=label,
        total=len(annotations),
        first=page,
        last=page["id"],
        modified=modified,
    )


# --- CSV -------------------------------------------------------------------------------------


def csv_cell(value: str) -> str:
    """Return value safe to open in a spreadsheet: a formula-looking cell is quoted with '."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_text(annotations, *, urls: Urls) -> str:
    """Return the annotations as CSV, UTF-8 with a byte-order mark so that Excel reads it."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for a in annotations:
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    a.created_at.isoformat(),
                    a.author.get_username(),
                    a.article.title,
                    urls.absolute(a.get_absolute_url()),
                    annotation_kind(a),
                    a.exact,
                    a.note,
                    ", ".join(label.name for label in a.labels.all()),
                    a.claim.title if a.claim else "",
                    a.claim.status.name if a.claim else "",
                )
            ]
        )
    return out.getvalue()


# --- standalone HTML -------------------------------------------------------------------------


def _mark_passages(body_html: str, annotations: list, numbers: dict[int, int]) -> str:
    """Return the article's HTML with each annotated passage in <mark> and a note reference.

    The body's blocks carry data-start (their offset in the canonical text), and the text
    nodes of a block add up to its text, so offsets can be found again in the HTML.
    """
    placed = [
        a for a in annotations if a.start is not None and a.end is not None and a.end > a.start
    ]
    if not placed or not body_html:
        return body_html
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    ends: dict[int, list[int]] = {}
    for a in placed:
        ends.setdefault(a.end, []).append(numbers[a.pk])
    bounds = sorted({a.start for a in placed} | {a.end for a in placed})

    def covering(lo: int, hi: int) -> list:
        return [a for a in placed if a.start <= lo and hi <= a.end]

    blocks = [
        el for el in root.iter() if isinstance(el.tag, str) and el.get("data-start") is not None
    ]
    for block in blocks:
        offset = int(block.get("data-start"))
        # Each text holder: (element, "text" | "tail"), in document order within the block.
        holders = []

        def walk(element, holders=holders, block=block):
            holders.append((element, "text"))
            for child in element:
                walk(child)
                holders.append((child, "tail"))

        walk(block)
        holders = [(el, attr) for el, attr in holders if not (el is block and attr == "tail")]
        for element, attr in holders:
            text = getattr(element, attr) or ""
            if not text:
                continue
            lo, hi = offset, offset + len(text)
            offset = hi
            cuts = [b - lo for b in bounds if lo < b < hi]
            if not any(a.start < hi and a.end > lo for a in placed) and not any(
                lo < e <= hi for e in ends
            ):
                continue
            pieces = []
            edges = [0, *cuts, len(text)]
            for i in range(len(edges) - 1):
                s, e = edges[i], edges[i + 1]
                pieces.append((text[s:e], lo + s, lo + e))
            _replace_text(element, attr, pieces, covering, ends)
    return "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def _replace_text(element, attr, pieces, covering, ends) -> None:
    """Put pieces of one text node back as plain text, <mark>s and note references."""
    new_nodes = []
    leading = ""
    for text, lo, hi in pieces:
        over = covering(lo, hi)
        if over:
            mark = lxml_html.Element("mark")
            mark.text = text
            mark.set("class", "claim" if any(a.claim_id for a in over) else "passage")
            new_nodes.append(mark)
        elif new_nodes:
            _append_text(new_nodes[-1], text)
        else:
            leading += text
        for number in ends.get(hi, []):
            ref = lxml_html.Element("sup")
            link = lxml_html.Element("a", href=f"#note-{number}", id=f"ref-{number}")
            link.text = str(number)
            ref.append(link)
            new_nodes.append(ref)
        if hi in ends:
            ends.pop(hi)
    if attr == "text":
        element.text = leading
        for position, node in enumerate(new_nodes):
            element.insert(position, node)
    else:
        parent = element.getparent()
        element.tail = leading
        index = parent.index(element)
        for position, node in enumerate(new_nodes, start=1):
            parent.insert(index + position, node)


def _append_text(node, text: str) -> None:
    node.tail = (node.tail or "") + text


def html_page(annotations, *, urls: Urls, article: Article | None = None) -> str:
    """Return a standalone HTML page of the annotated article(s), notes listed after each."""
    sections = []
    number = 0
    for current, group in by_article(annotations, article):
        numbers = {}
        notes = []
        for a in group:
            number += 1
            numbers[a.pk] = number
            notes.append(
                {
                    "number": number,
                    "annotation": a,
                    "kind": annotation_kind(a),
                    "note_html": sanitize_html(a.note_html),
                    "tags": [label.name for label in a.labels.all()],
                }
            )
        sections.append(
            {
                "article": current,
                "url": current.source_url or urls.article(current),
                "body_html": _mark_passages(current.body_html, group, numbers),
                "notes": notes,
            }
        )
    return render_to_string(
        "annotations/interop/export_article.html",
        {
            "sections": sections,
            "title": article.title if article is not None else "Annotations in Claimlens",
            "exported_at": timezone.now(),
            "PAGE_NOTE": PAGE_NOTE,
        },
    )
