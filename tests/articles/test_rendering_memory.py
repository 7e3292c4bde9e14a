"""Rendering gives back the C memory it takes: a worker importing 10,000 articles stays flat.

cmarkgfm's own wrapper leaked the document tree and the HTML string of every call (about 8 KB
for an article). The C heap is read with glibc's mallinfo2(): what is allocated and not freed.
"""

from __future__ import annotations

import ctypes

from articles.benchmarks.seeding import TextGenerator
from articles.rendering import markdown_to_html
from articles.rendering.cmark import markdown_to_html as cmark_to_html


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


_mallinfo2 = ctypes.CDLL(None).mallinfo2
_mallinfo2.restype = _MallInfo2


def c_heap_in_use() -> int:
    info = _mallinfo2()
    return info.uordblks + info.hblkhd


def _growth(render, texts) -> int:
    for text in texts[:50]:
        render(text)
    before = c_heap_in_use()
    for text in texts:
        render(text)
    return c_heap_in_use() - before


def _articles(count: int) -> list[str]:
    generator = TextGenerator()
    return [
        "\n\n".join(generator.paragraphs()) + f"\n\n| a | b |\n|---|---|\n| {n} | x |"
        for n in range(count)
    ]


def test_a_thousand_renders_leave_the_c_heap_as_it_was():
    texts = _articles(1000)
    # Leaking, cmarkgfm's wrapper grew the heap by about 8 MB here.
    assert _growth(markdown_to_html, texts) < 1_000_000


def test_the_measure_sees_a_leak():
    leaked = []

    def leaky(text):
        leaked.append(ctypes.create_string_buffer(8_000))  # held, as the tree and string were
        return cmark_to_html(text, options=0, extensions=["table"])

    assert _growth(leaky, _articles(300)) > 2_000_000
