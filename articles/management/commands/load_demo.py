from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo articles and accounts (safe to run again)."

    def handle(self, *args, **options):
        self.stdout.write("Demo data: nothing to load yet.")
