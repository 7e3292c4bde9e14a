"""The demo articles (articles/demo) as evaluation items: read through the real importer, with
the gold statements of demo_gold.txt (`== file name`, then `quote | speaker` lines)."""

from __future__ import annotations

from pathlib import Path

from annotations.suggestions.evaluation.gold import Gold, gold_from_lines
from articles.importers import parse_file
from articles.rendering import render_markdown_body

DEMO = Path(__file__).resolve().parents[3] / "articles" / "demo"
GOLD = Path(__file__).with_name("demo_gold.txt")


def demo_golds() -> list[Gold]:
    """Return each demo article's text as the reader stores it, with its gold statements."""
    sections: dict[str, list[str]] = {}
    name = ""
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.startswith("== "):
            name = line[3:].strip()
            sections[name] = []
        elif line.strip():
            sections[name].append(line)
    golds = []
    for name, lines in sections.items():
        path = DEMO / name
        (item,) = parse_file(path.name, path.read_bytes())
        text = render_markdown_body(item.draft.body_markdown).text
        golds.append(gold_from_lines(text, lines))
    return golds
