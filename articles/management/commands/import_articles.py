import sys
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from articles.importers import FORMATS
from articles.imports import NEW, ImportReport, import_items, is_url
from articles.jobs.running import job_create
from articles.jobs.sources import entries_from_path, entry_from_url, read_entry
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
        parser.add_argument(
            "--as-new",
            action="store_true",
            help="store every item without a source URL as a new article, even when an article "
            "with its title and source is already here, and a near copy of an article as a "
            "separate article",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="make an import job for the workers (manage.py db_worker) and return at once",
        )

    def handle(self, *args, sources, format, dry_run, article, as_new, background, **options):
        if article is not None and as_new:
            raise CommandError("Give either --article or --as-new, not both.")
        target = None
        if article is not None:
            target = Article.objects.filter(pk=article).first()
            if target is None:
                raise CommandError(f"There is no article with id {article}.")
        # Listing what to import reads no article (a zip's members are only named), so the
        # progress starts with the first item, however big the batch.
        entries = []
        for value in sources:
            found = [entry_from_url(value)] if is_url(value) else entries_from_path(value)
            entries.extend((label, {**source, "format": format or ""}) for label, source in found)
        if background:
            job = job_create(
                title=f"{len(entries)} items from the command line",
                entries=entries,
                choice=NEW if as_new else (str(article) if article else ""),
            )
            self.stdout.write(f"Job {job.pk} queued with {job.total} items.")
            return
        if target is not None and len(entries) > 1:
            raise CommandError(f"Only one item can update article {target.pk}; got {len(entries)}.")
        if dry_run:
            self.stdout.write("Dry run: nothing will be saved.")
        results = []
        with transaction.atomic() if dry_run else nullcontext():
            for label, source in self._progress(entries, options["verbosity"]):
                items = read_entry(label, source)
                report = import_items(
                    items=items,
                    dry_run=dry_run,
                    article=target,
                    choices=[NEW] * len(items) if as_new else None,
                )
                for result in report.results:
                    self._report(result)
                results.extend(report.results)
            if dry_run:
                transaction.set_rollback(True)
        outcome = ImportReport(tuple(results), dry_run=dry_run)
        self.stdout.write(outcome.summary())
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} of {len(outcome.results)} items failed.")

    def _progress(self, entries, verbosity):
        """Yield the entries with a bar on a terminal, a line each elsewhere (logs, pipes)."""
        if len(entries) <= 1 or verbosity == 0:
            yield from entries
            return
        if not sys.stderr.isatty():
            for number, entry in enumerate(entries, start=1):
                sys.stderr.write(f"Importing {number}/{len(entries)}: {entry[0]}\n")
                yield entry
            return
        with tqdm(entries, desc="Importing", unit="item", file=sys.stderr, leave=False) as progress:
            yield from progress

    def _report(self, result):
        with tqdm.external_write_mode(file=sys.stderr):
            style = self.style.ERROR if result.failed else None
            if result.duplicates and not result.failed:
                style = self.style.WARNING
            self.stdout.write(result.line(), style)
