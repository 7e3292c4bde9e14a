import time

from django.core.management.base import BaseCommand, CommandError

from annotations.interop.backup import BackupError, load_claimwork
from annotations.management.files import read_file


class Command(BaseCommand):
    help = (
        "Restore a backup written by dump_claimwork into a database without claim work (its "
        "articles and accounts are found by original URL and username, or created). All or "
        "nothing: an error names the item, and then nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup (JSON-LD).")
        parser.add_argument(
            "--user",
            help="Who loads it, here or in the backup (default: the first superuser); the load "
            "is recorded in their history.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the whole load, then save nothing."
        )

    def handle(self, *args, **options):
        raw = read_file(options["file"])
        started = time.perf_counter()
        try:
            report = load_claimwork(raw, loader=options["user"], dry_run=options["dry_run"])
        except BackupError as exc:
            raise CommandError(f"Nothing was loaded: {exc}.") from None
        for warning in report.warnings:
            self.stderr.write(f"note: {warning}")
        self.stdout.write(f"{report.summary()} ({time.perf_counter() - started:.2f} s)")
