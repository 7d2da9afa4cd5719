"""``manage.py backup DIR``: the database (pg_dump) and every stored file, with a manifest (portal.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Dump the database and copy every stored file into DIR, with a manifest of their digests."

    def add_arguments(self, parser):
        parser.add_argument("target")

    def handle(self, *args, target, **options):
        from portal.backup import backup

        result = backup(Path(target))
        self.stdout.write(self.style.SUCCESS(f"backup in {target}: {result}"))
