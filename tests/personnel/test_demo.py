"""seed_demo gives the demo staff plausible files, once."""

import pytest
from django.core.management import call_command

from personnel import selectors
from personnel.models import PersonnelFile
from portal.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_every_official_a_file_once():
    call_command("seed_demo", "--no-progress")
    staff = User.objects.filter(is_staff=True, unit__isnull=False).count()
    assert PersonnelFile.objects.count() == staff == 1082
    counts = selectors.mailbox_counts()
    assert (counts["issued"], counts["in_use"]) == (901, 856)
    assert PersonnelFile.objects.filter(retirement_date__isnull=True).count() == 0
    assert PersonnelFile.objects.filter(next_step_due__isnull=False).exists()
    assert User.objects.get(username="p1.007").has_role("personnel_officer")
    call_command("seed_demo", "--no-progress")
    assert PersonnelFile.objects.count() == 1082
