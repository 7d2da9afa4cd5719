"""factory_boy factories for the kernel; apps add theirs beside their tests."""

from __future__ import annotations

import factory

from portal import roles
from portal.models import Unit, UnitKind, User

PASSWORD = "correct-horse-battery"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    short_name = factory.Sequence(lambda n: f"DV{n}")
    kind = UnitKind.DEPARTMENT
    agency_id = factory.Sequence(lambda n: f"000.{n % 100:02d}.26.H58")

    class Params:
        ward = factory.Trait(kind=UnitKind.WARD, name=factory.Sequence(lambda n: f"Phường {n}"))
        commune = factory.Trait(kind=UnitKind.COMMUNE, name=factory.Sequence(lambda n: f"Xã {n}"))
        committee = factory.Trait(kind=UnitKind.PEOPLES_COMMITTEE, short_name="UBND")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    is_staff = True
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password(PASSWORD)  # hashed before the row is saved

    class Params:
        citizen = factory.Trait(is_staff=False, unit=None)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        codes = extracted if isinstance(extracted, list | tuple) else [extracted]
        for code in codes:
            obj.groups.add(roles.group_for(code))
        obj.save()
