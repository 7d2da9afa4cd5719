"""Recompute every personnel file's step and retirement dates from the rules in force."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recompute every personnel file's next step date, retirement date and highest qualifications."

    def handle(self, *args, **options):
        from personnel import services

        self.stdout.write(f"{services.recompute_all()} files recomputed.")
