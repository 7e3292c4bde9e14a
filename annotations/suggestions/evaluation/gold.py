"""Gold statements: where each quote is in an article's text and who said it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Gold:
    text: str
    quotes: list[tuple[int, int, str]]  # start, end, speaker
    negatives: list[tuple[int, int]]


def normal(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def gold_from_lines(text: str, lines: list[str]) -> Gold:
    """Locate `quote | speaker` and `not: words` lines in text (each must be found there)."""
    quotes, negatives = [], []
    for line in lines:
        if line.startswith("not: "):
            words = line[5:].strip()
            at = text.index(words)
            negatives.append((at, at + len(words)))
        elif " | " in line:
            words, speaker = (part.strip() for part in line.rsplit(" | ", 1))
            at = text.index(words)
            quotes.append((at, at + len(words), speaker))
    return Gold(text, quotes, negatives)


def load(path: Path) -> Gold:
    """Read one corpus file: its body as the reader stores it, and its gold spans."""
    raw = path.read_text(encoding="utf-8")
    body, _, gold = raw.partition("=== gold ===")
    text = "\n\n".join(p.strip() for p in body.strip().split("\n\n")[1:])
    return gold_from_lines(text, gold.strip().splitlines())
