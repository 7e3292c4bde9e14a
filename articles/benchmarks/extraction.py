"""Extraction fidelity: our HTML importer against trafilatura alone, on the corpus of pages.

Each page of tests/articles/corpus has a JSON file beside it: the snippets an extractor must
keep, those it must drop, and the captions it should show as captions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from django.conf import settings

from ..importers import parse_file
from ..rendering import render_markdown_body

CORPUS = settings.BASE_DIR / "tests" / "articles" / "corpus"


@dataclass(frozen=True)
class ExtractionScore:
    """What one extractor kept of a page's must-keep snippets and leaked of its must-drop ones."""

    kept: tuple[str, ...]
    leaked: tuple[str, ...]
    captions: tuple[str, ...] = ()  # the captions it shows as captions


@dataclass(frozen=True)
class PageScores:
    name: str
    must_keep: tuple[str, ...]
    must_drop: tuple[str, ...]
    captions: tuple[str, ...]
    ours: ExtractionScore
    trafilatura: ExtractionScore


def corpus_pages(corpus: Path = CORPUS) -> list[tuple[Path, dict]]:
    """Return the corpus pages with their snippets (the JSON file beside each page)."""
    return [
        (page, json.loads(page.with_suffix(".json").read_text(encoding="utf-8")))
        for page in sorted(corpus.glob("*.html"))
    ]


def _comparable(text: str) -> str:
    return " ".join(text.split()).casefold()


def score_page(page: Path, spec: dict) -> PageScores:
    """Score our importer (the text it stores) and trafilatura.extract() on one corpus page."""
    html = page.read_text(encoding="utf-8")
    (item,) = parse_file(page.name, html.encode())
    body = render_markdown_body(item.draft.body_markdown)
    ours = _comparable(" ".join([item.draft.subtitle, body.text]))
    theirs = _comparable(trafilatura.extract(html) or "")
    shown = {_comparable(c) for c in body_captions(body)}
    keep, drop = spec["must_keep"], spec["must_drop"]
    captions = spec.get("captions", [])

    def score(text: str, shown_captions: set[str]) -> ExtractionScore:
        return ExtractionScore(
            kept=tuple(s for s in keep if _comparable(s) in text),
            leaked=tuple(s for s in drop if _comparable(s) in text),
            captions=tuple(c for c in captions if _comparable(c) in shown_captions),
        )

    return PageScores(
        name=page.stem,
        must_keep=tuple(keep),
        must_drop=tuple(drop),
        captions=tuple(captions),
        ours=score(ours, shown),
        trafilatura=score(theirs, set()),  # plain text: nothing shows as a caption
    )


def body_captions(body) -> list[str]:
    """Return the texts of a rendered body's caption blocks."""
    return [
        body.text[block.start : block.end]
        for block in body.blocks
        if "caption" in block.css_class.split()
    ]


def bench_extraction(ctx):
    """Our HTML importer against trafilatura.extract() on the corpus: snippets kept and leaked."""
    scores = [score_page(page, spec) for page, spec in corpus_pages()]
    ctx.out(f"{'':<28} {'must-keep kept':^22} {'must-drop leaked':^22} {'captions':>12}")
    ctx.out(
        f"{'page':<28} {'ours':>10} {'trafilat.':>11} {'ours':>10} {'trafilat.':>11} {'ours':>12}"
    )
    for page in scores:
        ctx.out(
            f"{page.name:<28} {_ratio(page.ours.kept, page.must_keep):>10} "
            f"{_ratio(page.trafilatura.kept, page.must_keep):>11} "
            f"{_ratio(page.ours.leaked, page.must_drop):>10} "
            f"{_ratio(page.trafilatura.leaked, page.must_drop):>11} "
            f"{_ratio(page.ours.captions, page.captions):>12}"
        )
        for snippet in set(page.trafilatura.kept) - set(page.ours.kept):
            ctx.out(f"    lost by ours, kept by trafilatura: {snippet[:60]!r}")
        for snippet in page.ours.leaked:
            ctx.out(f"    leaked by ours: {snippet[:60]!r}")
    keep = sum(len(p.must_keep) for p in scores)
    drop = sum(len(p.must_drop) for p in scores)
    captions = sum(len(p.captions) for p in scores)
    for label, attribute in (("ours", "ours"), ("trafilatura.extract()", "trafilatura")):
        kept = sum(len(getattr(p, attribute).kept) for p in scores)
        leaked = sum(len(getattr(p, attribute).leaked) for p in scores)
        shown = sum(len(getattr(p, attribute).captions) for p in scores)
        ctx.result(f"{label}: must-keep kept", f"{kept}/{keep}")
        ctx.result(f"{label}: must-drop leaked", f"{leaked}/{drop}")
        ctx.result(f"{label}: captions shown as captions", f"{shown}/{captions}")


def _ratio(found, total) -> str:
    return f"{len(found)}/{len(total)}"
