from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from annotations.interop.exports import FORMATS, export_annotations, visible_annotations
from annotations.interop.webannotation import Urls
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Export annotations as W3C JSON-LD, CSV, Markdown or an HTML page. Shared annotations "
        "only, unless --include-private. Absolute links use CLAIMLENS_BASE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="jsonld")
        parser.add_argument("--article", type=int, help="Only this article's annotations.")
        parser.add_argument("-o", "--output", help="Write to this file (default: standard output).")
        parser.add_argument(
            "--include-private",
            action="store_true",
            help="Also export everyone's private annotations (for backups).",
        )

    def handle(self, *args, **options):
        article = None
        if options["article"] is not None:
            article = Article.objects.filter(pk=options["article"]).first()
            if article is None:
                raise CommandError(f"There is no article {options['article']}.")
        annotations = visible_annotations(
            AnonymousUser(), include_private=options["include_private"]
        )
        if article is not None:
            annotations = annotations.filter(article=article)
        export = export_annotations(
            annotations, fmt=options["format"], urls=Urls.from_settings(), article=article
        )
        if options["output"]:
            Path(options["output"]).write_text(export.content, encoding="utf-8", newline="")
            count = annotations.count()
            self.stderr.write(f"Wrote {count} annotations to {options['output']}.")
        else:
            self.stdout.write(export.content, ending="")
