"""Load-test data on the cluster's database (after ``release --demo``): ``python -m loadtest.prepare OUT.json``.

For the city hall and each of the 17 wards and communes: its ~20 demo
officials (sessions signed in with both factors, made here so the test does
not spend its time hashing 360 passwords), dossiers filed online and accepted
through the real services (with their PDF in the object store), and the
services each desk receives. Writes what the Locust users need to OUT.json.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys

import django


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main(out_path: str, dossiers_per_site: int = 40, officials_per_site: int = 20) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onestop import services
    from onestop.models import Dossier, OnlineClass, Service, online_q
    from onestop.workflow import Citizen
    from portal import otp, roles
    from portal.models import Unit, UnitKind, User

    rng = random.Random(12)
    pdf = _pdf()
    sites = list(Unit.objects.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE]).order_by("path"))
    sites.append(Unit.objects.get(kind=UnitKind.PEOPLES_COMMITTEE))
    plan = {"sites": []}
    for unit in sites:
        received = list(
            Service.objects.filter(
                online_q(OnlineClass.FULL) | online_q(OnlineClass.PARTIAL), active=True, receiving_units=unit
            ).order_by("code")
        )
        site = {"unit": unit.pk, "name": unit.name, "services": [], "officials": [], "dossiers": []}
        for service in received:
            documents = [d.pk for d in service.documents.filter(mandatory=True)]
            site["services"].append(
                {"code": service.code, "documents": documents, "pays": service.pays_online}
            )
        officer = User.objects.filter(unit=unit, groups=roles.group_for(roles.ONESTOP_OFFICER)).first()
        free = [s for s in received if not s.pays_online]
        # Dossiers whose files the storage still holds (make cluster's S3 server keeps objects in
        # memory: a database reused from an earlier run names files that are gone); new ones make up the rest.
        candidates = Dossier.objects.filter(receiving_unit=unit).exclude(code="").prefetch_related("files")
        existing = [
            d
            for d in candidates[: dossiers_per_site * 3]
            if all(default_storage.exists(f.file.name) for f in d.files.all())
        ][:dossiers_per_site]
        for n in range(max(0, dossiers_per_site - len(existing))):
            if not free:
                break
            service = free[n % len(free)]
            phone = f"09{rng.randrange(10**8):08d}"
            draft = services.create_draft(
                service,
                unit,
                {
                    "applicant_name": "Nguyễn Văn Tải",
                    "applicant_id_number": f"0820{rng.randrange(10**8):08d}",
                    "applicant_address": "12 Lê Lợi",
                    "applicant_phone": phone,
                    "applicant_email": f"tai{n}@example.com",
                    "request_summary": "Kiểm thử tải",
                    "consent": True,
                },
            )
            for doc in service.documents.filter(mandatory=True):
                upload = SimpleUploadedFile("giay-to.pdf", pdf, content_type="application/pdf")
                services.attach_file(draft, upload, Citizen(draft.pk), required_document=doc)
            dossier = services.submit_dossier(draft, Citizen(draft.pk))
            if n % 2 == 0 and officer is not None:
                dossier = services.accept_dossier(dossier, officer)
            existing.append(dossier)
        for dossier in existing:
            files = [f.pk for f in dossier.files.all()[:1]]
            site["dossiers"].append(
                {"pk": dossier.pk, "code": dossier.code, "phone": dossier.applicant_phone, "files": files}
            )
        staff = list(User.objects.filter(unit=unit, is_staff=True, is_active=True).order_by("username"))
        for user in staff[:officials_per_site]:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            otp.mark_verified(session, user)  # saves the session
            site["officials"].append({"username": user.username, "session": session.session_key})
        plan["sites"].append(site)
        print(
            f"{unit.name}: {len(site['officials'])} officials, {len(site['dossiers'])} dossiers", flush=True
        )
    plan["session_cookie"] = settings.SESSION_COOKIE_NAME
    with open(out_path, "w") as fh:
        json.dump(plan, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], *[int(a) for a in sys.argv[2:]]))
