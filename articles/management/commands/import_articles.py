import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importers import FORMATS
from articles.imports import (
    import_items,
    is_url,
    read_sources,
    source_from_url,
    sources_from_path,
)
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Import articles from files, folders (walked), zip archives, JSON batches or web pages. "
        "Each item is imported whole or not at all; the command exits with status 1 if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="read every file in this format instead of detecting it",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check everything, report what would happen, save nothing",
        )
        parser.add_argument(
            "--article",
            type=int,
            metavar="ID",
            help="give this article a new revision with the (single) imported text",
        )

    def handle(self, *args, sources, format, dry_run, article, **options):
        target = None
        if article is not None:
            target = Article.objects.filter(pk=article).first()
            if target is None:
                raise CommandError(f"There is no article with id {article}.")
        import_sources = []
        for value in sources:
            import_sources.extend(
                [source_from_url(value)] if is_url(value) else sources_from_path(value)
            )
        items = read_sources(import_sources, format=format)
        if dry_run:
            self.stdout.write("Dry run: nothing will be saved.")
        with tqdm(
            total=len(items),
            desc="Importing",
            unit="article",
            file=sys.stderr,
            disable=len(items) <= 1 or options["verbosity"] == 0,
            leave=False,
        ) as progress:

            def report(result):
                with tqdm.external_write_mode(file=sys.stderr):
                    self.stdout.write(result.line(), self.style.ERROR if result.failed else None)
                progress.update()

            outcome = import_items(items=items, dry_run=dry_run, article=target, on_result=report)
        self.stdout.write(outcome.summary())
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} of {len(outcome.results)} items failed.")
