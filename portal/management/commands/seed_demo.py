"""Load the demo city (idempotent): ``python manage.py seed_demo``.

The kernel's data comes from ``portal.demo``; every other installed app may
add its own through a ``<app>.demo.seed(progress)`` function, so the kernel
imports no domain app.
"""

from __future__ import annotations

import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from tqdm import tqdm

from portal import demo


class Command(BaseCommand):
    help = "Load the demo city: units, staff, calendar and each app's demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        started = time.monotonic()
        seeders = [("portal", demo.seed)]
        for config in apps.get_app_configs():
            if config.name == "portal":
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            seeders.append((config.name, module.seed))
        with tqdm(total=len(seeders), desc="seed_demo", unit="app", disable=options["no_progress"]) as bar:
            for name, seed in seeders:
                bar.set_postfix_str(name)
                result = seed(progress=lambda n: None)
                bar.update(1)
                self.stdout.write(f"  {name}: {result}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s."))
