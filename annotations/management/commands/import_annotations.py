from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.interop.imports import ImportFileError, import_annotations
from annotations.interop.webannotation import Urls
from annotations.management.files import read_file
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Import W3C Web Annotations (JSON-LD) or Hypothesis JSON onto articles already in "
        "Claimlens, placing each by its quote. Reports every annotation it could not import "
        "and exits with status 1 if there was one."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file.")
        parser.add_argument("--article", type=int, help="Put every annotation on this article.")
        parser.add_argument("--user", help="Import as this user (default: the first superuser).")
        parser.add_argument(
            "--keep-authors",
            action="store_true",
            help="Give each annotation to the local user its creator names, when there is one "
            "(to restore a Claimlens export).",
        )

    def handle(self, *args, **options):
        raw = read_file(options["file"])
        users = get_user_model().objects
        if options["user"]:
            user = users.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user {options['user']}.")
        else:
            user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if user is None:
                raise CommandError("There is no superuser: name the importing user with --user.")
        article = None
        if options["article"] is not None:
            article = Article.objects.filter(pk=options["article"]).first()
            if article is None:
                raise CommandError(f"There is no article {options['article']}.")
        try:
            report = import_annotations(
                raw,
                user=user,
                urls=Urls.from_settings(),
                article=article,
                keep_authors=options["keep_authors"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for result in report.results:
            for warning in result.warnings:
                self.stderr.write(f"item {result.index}: note: {warning}")
            if not result.ok:
                self.stderr.write(f"item {result.index}: not imported: {result.reason}")
        summary = f"Imported {len(report.imported)} of {len(report.results)} annotations."
        if report.replies:
            count = len(report.replies)
            summary += " 1 of them is a reply." if count == 1 else f" {count} of them are replies."
        if report.already:
            summary += f" {len(report.already)} were imported before, left as they are."
        if report.failures:
            raise CommandError(f"{summary} {len(report.failures)} could not be imported.")
        self.stdout.write(summary)
