import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from annotations.interop.backup import dump_claimwork
from annotations.interop.webannotation import Urls


class Command(BaseCommand):
    help = (
        "Write all the claim work (annotations as W3C Web Annotations, replies, claims with "
        "their evidence, verdicts and ClaimReviews, labels, history) and the articles, as one "
        "JSON-LD document that load_claimwork restores. Links use CLAIMLENS_BASE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Write to this file (default: standard output).")
        parser.add_argument(
            "--without-articles",
            action="store_true",
            help="Name each article without its text (restoring then needs the articles there).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        document = dump_claimwork(
            urls=Urls.from_settings(), with_articles=not options["without_articles"]
        )
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if not options["output"]:
            self.stdout.write(text)
            return
        Path(options["output"]).write_text(text, encoding="utf-8", newline="")
        counts = ", ".join(
            f"{len(document[part])} {part}"
            for part in ("articles", "claims", "annotationRecords", "replies", "history")
        ).replace("annotationRecords", "annotations")
        self.stderr.write(
            f"Wrote {counts} to {options['output']} ({len(text.encode()):,} bytes, "
            f"{time.perf_counter() - started:.2f} s)."
        )
