"""The first load of staff records: ``manage.py import_staff staff.xlsx [--commit] --user <username>``.

Without ``--commit`` it is a dry run: every bad row is reported and nothing
changes. With it, the rows are saved only if none is bad. Re-running it
updates the files it made (matched on the staff number).
"""

from __future__ import annotations

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from personnel import importer
from portal.models import User


class Command(BaseCommand):
    help = "Import staff records from an XLSX spreadsheet (a dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="Save the rows (only if none is bad).")
        parser.add_argument(
            "--user", help="Who imports (a Home Affairs officer); default: the first superuser."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
        else:
            actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("No such active user to import as.")
        try:
            handle = open(options["path"], "rb")
        except OSError as exc:
            raise CommandError(str(exc))
        with handle:
            upload = File(handle, name=options["path"])
            _header, rows = importer.read_rows(upload)
            with tqdm(
                total=len(rows), desc="import_staff", unit="row", disable=options["no_progress"]
            ) as bar:
                report = importer.run(upload, actor, dry_run=not options["commit"], progress=bar.update)
        for number, problems in report.errors:
            self.stdout.write(f"row {number}: " + "; ".join(problems))
        mode = "dry run" if report.dry_run else ("saved" if report.saved else "NOT saved (bad rows)")
        self.stdout.write(
            f"{report.rows} rows: {report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.bad_rows} bad — {mode}."
        )
        if report.errors and not report.dry_run:
            raise CommandError(f"{report.bad_rows} bad rows: nothing was saved.")
