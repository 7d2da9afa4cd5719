"""``manage.py restore DIR``: a backup into a fresh database and storage (portal.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into the (empty) database and storage configured."

    def add_arguments(self, parser):
        parser.add_argument("source")

    def handle(self, *args, source, **options):
        from portal.backup import restore

        try:
            result = restore(Path(source))
        except RuntimeError as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(f"restored from {source}: {result}"))
