"""python manage.py import_bundle PATH — load a handover archive into this fresh (migrated, empty) instance."""

from django.core.management.base import BaseCommand, CommandError

from kakehashi.handover.bundle import BundleError, load_bundle


class Command(BaseCommand):
    help = "Load a handover archive into an empty, migrated database (keys, relations, files and times kept)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the zip written by export_bundle")

    def handle(self, *args, path, **options):
        try:
            counts = load_bundle(path)
        except (BundleError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{path}: {len(counts)} tables, {sum(counts.values())} rows loaded")
