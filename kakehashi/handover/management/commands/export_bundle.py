"""python manage.py export_bundle PATH — all data of this instance in one documented zip (see docs/operations)."""

from django.core.management.base import BaseCommand, CommandError

from kakehashi.handover.bundle import BundleError, write_bundle


class Command(BaseCommand):
    help = "Write every table and stored file into one handover archive (zip: manifest, JSON lines, files)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the zip")
        parser.add_argument("--reason", default="", help="why (kept in the access log)")

    def handle(self, *args, path, reason, **options):
        from kakehashi.privacy.choices import AccessAction
        from kakehashi.privacy.services import access_record

        def progress(done, total):
            if options["verbosity"] > 1:
                self.stderr.write(f"\r{done}/{total}", ending="")

        try:
            summary = write_bundle(path, progress=progress)
        except (BundleError, OSError) as error:
            raise CommandError(str(error)) from error
        access_record(
            actor=None,
            action=AccessAction.BUNDLE_EXPORT,
            reason=reason or "manage.py export_bundle",
            path="manage.py export_bundle",
            detail={"tables": summary.tables, "rows": summary.rows, "files": summary.files},
        )
        for name in summary.missing_files:
            self.stderr.write(self.style.WARNING(f"file missing in storage, not carried: {name}"))
        self.stdout.write(
            f"{path}: {summary.tables} tables, {summary.rows} rows, {summary.files} files, "
            f"{summary.size} bytes, sha256 {summary.sha256}"
        )
