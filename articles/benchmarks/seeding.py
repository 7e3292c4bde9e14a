"""Generated articles for the bench, and the fast way to seed many of them.

Articles are generated, never copied: a newsy core vocabulary plus made-up words, drawn with
Zipf's law so that, as in real text, a few words are everywhere and most are rare.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from django.db import connection

from ..models import Article
from ..rendering import WORDS_PER_MINUTE
from ..services import content_hash

_CORE = """
said government minister police protest council water prices study report people year
city state court election president party law public health school children workers union
strike budget tax energy fuel market bank company data survey research university hospital
doctors patients climate flood drought river housing rent transport railway airport border
army security forces officials spokesman statement interview evidence figures percent
million increase decrease record crisis talks agreement deal vote parliament opposition
campaign leader mayor residents community village region capital coast harbour farmers
prices inflation wages jobs unemployment exports imports trade industry factory mine oil
gas electricity pipeline reservoir leakage investigation inquiry trial judge prosecutor
journalist newspaper broadcaster website social media video footage witness victims injured
killed arrested detained released sentenced accused denied confirmed warned promised
"""
CORE_WORDS = _CORE.split()
SOURCES = ["Valley Herald", "Coast Post", "Northfield Times", "Meridian Wire", "Eastmere Courier"]
SYLLABLES = [c + v for c in "bdklmnrstv" for v in "aeio"]


class TextGenerator:
    """Make article titles and paragraphs, deterministic for a given seed."""

    def __init__(self, seed: int = 2024, made_up_words: int = 6000):
        self.rng = random.Random(seed)
        made_up = {
            "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4)))
            for _ in range(made_up_words * 2)
        }
        # Interleave so that both real and made-up words span common to rare.
        made_up = sorted(made_up)[:made_up_words]
        self.rng.shuffle(made_up)
        self.words = [w for pair in zip(CORE_WORDS, made_up, strict=False) for w in pair]
        self.words += made_up[len(CORE_WORDS) :]
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.cum_weights = list(_accumulate(weights))

    def sample(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=k)

    def sentence(self) -> str:
        words = self.sample(self.rng.randint(8, 22))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def title(self) -> str:
        return " ".join(self.sample(self.rng.randint(5, 10))).capitalize()

    def paragraphs(self) -> list[str]:
        return [self.paragraph() for _ in range(self.rng.randint(4, 9))]


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def prerendered_body(paragraphs: list[str]) -> tuple[str, str]:
    """Return (html, text) exactly as rendering.render_markdown_body gives for plain paragraphs.

    Seeding 100,000 articles through Markdown would take minutes, so the bench builds the same
    output directly (tests/articles/test_benchmarks.py checks they agree).
    """
    html, offset = [], 0
    for number, paragraph in enumerate(paragraphs, 1):
        html.append(f'<p id="b{number}" data-start="{offset}">{paragraph}</p>')
        offset += len(paragraph) + 2
    return "\n".join(html), "\n\n".join(paragraphs)


def seed_articles(count: int, *, generator: TextGenerator, batch_size: int = 1000) -> None:
    """Insert `count` generated articles with bulk_create.

    The search index needs no help: PostgreSQL computes its generated tsvector column and
    SQLite's triggers fill the FTS5 table on every INSERT, bulk or not. (No ArticleRevision rows
    are made; nothing measured here reads them.)
    """
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for first in range(0, count, batch_size):
        batch = []
        for n in range(first, min(first + batch_size, count)):
            paragraphs = generator.paragraphs()
            html, text = prerendered_body(paragraphs)
            title, words = generator.title(), len(text.split())
            batch.append(
                Article(
                    title=title,
                    subtitle=generator.sentence(),
                    source_name=SOURCES[n % len(SOURCES)],
                    source_url=f"https://bench.example/seed/{n}",
                    published_at=start + timedelta(minutes=37 * n),
                    body_markdown=text,
                    body_html=html,
                    body_text=text,
                    word_count=words,
                    reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
                    content_hash=content_hash(title=title, subtitle="", byline="", body_text=text),
                )
            )
        Article.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        # What autovacuum would soon do on a live table: merge the GIN index's pending list
        # and give the planner statistics. (VACUUM cannot run inside a transaction.)
        with connection.cursor() as cursor:
            vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            cursor.execute(f"{vacuum} articles_article")
