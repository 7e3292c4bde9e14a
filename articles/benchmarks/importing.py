"""Importing articles: plain-text files, and HTML pages against trafilatura alone."""

from __future__ import annotations

import time

import trafilatura
from django.test import override_settings

from ..importers.html_pages import EXTRACTION_OPTIONS
from ..imports import ImportSource, import_sources
from ..services import CREATED
from .seeding import SOURCES, TextGenerator


def bench_import_text(ctx):
    """Import plain-text files through the importer, as the command and the admin do."""
    documents = [
        ctx.generator.title() + "\n\n" + "\n\n".join(ctx.generator.paragraphs())
        for _ in range(_import_count(ctx))
    ]
    started = time.perf_counter()
    for n, document in enumerate(documents):
        _import(f"bench-{n}.txt", document)
    elapsed = time.perf_counter() - started
    ctx.result("text import", f"{len(documents) / elapsed:,.0f}", "articles/s")


def bench_import_html(ctx):
    """Import HTML pages through the importer; trafilatura alone, same options, for scale."""
    count = _import_count(ctx)
    pages = [_html_page(ctx.generator, n) for n in range(count)]
    unwaited = [_html_page(ctx.generator, count + 1 + n) for n in range(count)]
    _extract(pages[0])  # warm up both
    _import("warm-up.html", _html_page(ctx.generator, 2 * count + 1))

    # Interleaved page by page, so that load from elsewhere on the machine weighs on all alike.
    # The import as configured (by default each item waits for the disk), and as a bulk load
    # with CLAIMLENS_IMPORT_WAIT_FOR_DISK off, on pages of its own (the same page would be
    # found to be a copy).
    extraction = full = quick = 0.0
    for n, page in enumerate(pages):
        started = time.perf_counter()
        _extract(page)
        extraction += time.perf_counter() - started
        started = time.perf_counter()
        _import(f"bench-{n}.html", page)
        full += time.perf_counter() - started
        with override_settings(CLAIMLENS_IMPORT_WAIT_FOR_DISK=False):
            started = time.perf_counter()
            _import(f"bench-unwaited-{n}.html", unwaited[n])
            quick += time.perf_counter() - started

    ctx.result("HTML import", f"{len(pages) / full:,.0f}", "articles/s")
    ctx.result("trafilatura extraction alone", f"{len(pages) / extraction:,.0f}", "pages/s")
    ctx.result("HTML import / extraction", f"{full / extraction:.2f}", "x (target <= 1.5)")
    ctx.result(
        "  the same, not waiting for the disk", f"{quick / extraction:.2f}", "x (WAIT_FOR_DISK=0)"
    )


def _import_count(ctx) -> int:
    return max(10, min(200, ctx.articles // 5))


def _import(name: str, text: str) -> None:
    """Import one file exactly as an upload or `import_articles` would: read, check, store."""
    report = import_sources(sources=[ImportSource(name, data=text.encode())])
    if report.failed or report.counts[CREATED] != 1:
        raise RuntimeError(f"the bench import of {name} went wrong: {report.results[0].line()}")


def _extract(page: str) -> str:
    """Return what trafilatura alone makes of a page: its article, as Markdown."""
    return trafilatura.extract(page, output_format="markdown", **EXTRACTION_OPTIONS)


def _html_page(generator: TextGenerator, n: int) -> str:
    """Return a news page of typical weight (~25 KB): the article amid menus, teasers, scripts."""
    source = SOURCES[n % len(SOURCES)]
    title = generator.title()
    paragraphs = "\n".join(f"<p>{p}</p>" for p in generator.paragraphs())
    nav = "".join(f'<li><a href="/section/{i}">{generator.title()}</a></li>' for i in range(60))
    teasers = "".join(
        f'<li><a href="/story/{i}"><h3>{generator.title()}</h3></a>{generator.sentence()}</li>'
        for i in range(24)
    )
    comments = "".join(
        f'<div class="comment"><b>reader{i}</b><p>{generator.paragraph()}</p></div>'
        for i in range(8)
    )
    footer = "".join(f'<a href="/page/{i}">{generator.title()}</a>' for i in range(40))
    data = ",".join(f'{{"id":{i},"headline":"{generator.title()}"}}' for i in range(60))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {source}</title>
<meta property="og:title" content="{title}"><meta name="author" content="Reporter {n}">
<meta property="og:site_name" content="{source}">
<meta property="article:published_time" content="2024-05-{1 + n % 28:02d}T08:00:00Z">
<link rel="canonical" href="https://bench.example/html/{n}">
<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js"></script>
<script>window.__STATE__ = {{"stories": [{data}]}};</script></head>
<body><div class="cookie-banner">We use cookies. <button>Accept</button></div>
<header><a href="/">{source}</a><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Reporter {n}</p>
{paragraphs}</article>
<section class="comments"><h2>Comments</h2>{comments}</section>
<aside><h2>Most read</h2><ul>{teasers}</ul></aside></main>
<footer><p>Copyright 2024 {source}</p>{footer}</footer>
</body></html>"""
