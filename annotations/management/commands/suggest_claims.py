"""Print the attributed statements of a file or a stored article, one JSON object a line."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.management.files import read_file
from annotations.suggestions.extraction import extract
from articles.importers import parse_file
from articles.models import Article
from articles.rendering import render_markdown_body

FIELDS = ("quote", "start", "end", "speaker", "speaker_full", "confidence")


class Command(BaseCommand):
    help = (
        "Print each quote or reported statement and who made it, as JSON lines: quote, start, "
        "end (offsets in the article's plain text), speaker, speaker_full, confidence."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="any file the importer reads")
        parser.add_argument("--article", type=int, help="a stored article's id")

    def handle(self, *args, file, article, **options):
        if bool(file) == bool(article):
            raise CommandError("Give a FILE or --article ID (one of them).")
        for text in self._texts(file, article):
            for found in extract(text):
                row = {name: getattr(found, name) for name in FIELDS}
                self.stdout.write(json.dumps(row, ensure_ascii=False))

    def _texts(self, file, article) -> list[str]:
        if article:
            stored = Article.objects.filter(pk=article).values_list("body_text", flat=True)
            if not stored:
                raise CommandError(f"There is no article {article}.")
            return list(stored)
        data = read_file(file)
        texts = []
        for item in parse_file(Path(file).name, data):
            if item.error:
                raise CommandError(f"{item.name}: {item.error}")
            texts.append(render_markdown_body(item.draft.body_markdown).text)
        return texts
