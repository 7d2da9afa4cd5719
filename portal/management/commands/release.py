"""The release step, run once per release before the new code serves: ``manage.py release``.

Migrates the database, collects the static files (content-hashed names, so
pages of the old and the new release each find theirs during a rolling
restart), and, for the demo only (``--demo``), loads the demo data the first
time, remembered in the database (a row of ``portal.Heartbeat``), not on a
node's disk. Several nodes running it at once queue on a PostgreSQL advisory
lock: one migrates, the others then find nothing left to do.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

RELEASE_LOCK = 0x72656C65  # "rele"
DEMO_MARKER = "release:demo-data"


class Command(BaseCommand):
    help = "Release step: migrate, collectstatic, and (--demo) the demo data once per database."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Load the demo data if not loaded yet.")
        parser.add_argument("--no-static", action="store_true", help="Skip collectstatic.")

    def handle(self, *args, demo=False, no_static=False, verbosity=1, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [RELEASE_LOCK])
        try:
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
            if not no_static:
                call_command("collectstatic", interactive=False, verbosity=max(verbosity - 1, 0))
            if demo:
                self._demo()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RELEASE_LOCK])
        self.stdout.write(self.style.SUCCESS("release done"))

    def _demo(self) -> None:
        from portal.models import Heartbeat

        if Heartbeat.objects.filter(name=DEMO_MARKER).exists():
            return
        self.stdout.write("first start: loading the demo data (seed_demo)")
        call_command("seed_demo", no_progress=True)
        Heartbeat.objects.create(name=DEMO_MARKER, last_run=timezone.now(), detail={})
