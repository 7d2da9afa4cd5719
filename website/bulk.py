"""Bulk loaders for the benchmark and the report's test: rows shaped like the city's first half of 2022.

``articles()`` writes published Wagtail article pages straight into the page
tree (materialised paths computed here, as treebeard would) and their rows
in ``website_article``: 100,000 pages in seconds, where saving each page
through Wagtail would take an hour. ``h1_2022()`` loads what the report
counts (FIGURES.md): units, accounts, documents, mailboxes, services,
certificates, articles, legal documents, feedback and meetings.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from portal import workdays

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
WORDS = (
    "thành phố phường xã hội nghị chuyển đổi số cải cách hành chính dịch vụ công trực tuyến "
    "người dân doanh nghiệp đô thị văn minh môi trường giáo dục y tế giao thông lễ hội trái cây "
    "xây dựng quy hoạch an ninh trật tự kinh tế du lịch nông thôn mới tiếp công dân"
).split()


def _step(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def _title(rng: random.Random, i: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(8)).capitalize() + f" {i}"


@transaction.atomic
def articles(section, count: int, start: datetime, end: datetime, seed: int = 1, batch: int = 5000) -> int:
    """``count`` published articles under ``section``, published evenly between ``start`` and ``end``."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from portal.text import fold
    from website.models import Article

    rng = random.Random(seed)
    parent = Page.objects.select_for_update().get(pk=section.pk)
    content_type = ContentType.objects.get_for_model(Article)
    locale = Locale.get_default()
    first = parent.numchild + 1
    span = (end - start).total_seconds()
    done = 0
    while done < count:
        size = min(batch, count - done)
        pages = []
        extra = []
        for k in range(size):
            i = first + done + k
            at = start + timedelta(seconds=span * (done + k) / max(count, 1))
            title = _title(rng, i)
            slug = f"bai-{i}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    path=parent.path + _step(i),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=at,
                    last_published_at=at,
                    latest_revision_created_at=at,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )
            )
            intro = " ".join(rng.choice(WORDS) for _ in range(25))
            extra.append((title, intro, at))
        created = Page.objects.bulk_create(pages)
        rows = [
            (
                page.pk,
                intro,
                f"<p>{intro}</p>",
                "",
                "",
                section.specific.category,
                section.specific.ward_id,
                at,
                fold(f"{title} {intro}"),
            )
            for page, (title, intro, at) in zip(created, extra, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO website_article (page_ptr_id, intro, body, author, lead_image_alt, category, ward_id, "
                "published_at, search_text) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        done += size
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
    return count


SPREAD = {  # a copy's dates spread over the half-year (g: the copy's number)
    "arrived_at": "t.arrived_at + (g %% 170) * interval '1 day'",
    "registered_at": "t.registered_at + (g %% 170) * interval '1 day'",
    "closed_at": "t.closed_at + (g %% 170) * interval '1 day'",
    "issued_at": "t.issued_at + (g %% 170) * interval '1 day'",
    "document_date": "t.document_date + (g %% 170)",
    "created_at": "now()",
    "updated_at": "now()",
}


def _copies(template, count: int, overrides: dict) -> None:
    """``count`` copies of a row in one INSERT … SELECT (generate_series), some columns computed."""
    if count <= 0:
        return
    model = type(template)
    columns = [
        f.column
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]
    values = [
        overrides.get(c) or (SPREAD[c] if c in SPREAD and getattr(template, c, None) else f"t.{c}")
        for c in columns
    ]
    table = model._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from the model, no input
        f"SELECT {', '.join(values)} FROM {table} t, generate_series(1, %s) g WHERE t.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, template.pk])


def h1_2022(progress=print) -> dict:
    """The first half of 2022 in Mỹ Tho as the article reports it (FIGURES.md); returns what was loaded.

    Figures (the article says "more than"): 68 units, 1,082 accounts; 70,812
    documents received and handled electronically and 13,215 issued city-wide,
    of which 7,318 received and 3,506 issued at the city committee (all
    electronic); 901 mailboxes, 856 (95%) in regular use; 341 services (13 /
    182 / 146 at levels 2 / 3 / 4), no dossier late; 41 units with an
    organisation certificate, 132 personal certificates; 284 articles, 146
    legal documents; 51 feedback items received and answered; 24 online
    meetings linking the city hall with its 17 wards.
    """
    from django.contrib.auth.hashers import make_password

    from documents.models import (
        Certificate,
        CertificateKind,
        Direction,
        Document,
        DocumentType,
        Medium,
        Timeliness,
    )
    from documents.models import DocumentStatus as S
    from feedback.models import Category as FeedbackCategory
    from feedback.models import Report
    from onestop.models import Sector, Service
    from personnel.models import PersonnelFile
    from portal.models import Unit, UnitKind, User
    from website import setup
    from website.models import LegalDocument, Meeting, MeetingSite, SectionPage

    lo = datetime(2022, 1, 1, tzinfo=workdays.TZ)
    hi = datetime(2022, 7, 1, tzinfo=workdays.TZ) - timedelta(seconds=1)

    # Units: the committee, 17 wards and communes, 50 departments and agencies = 68.
    city = Unit.objects.create(code="H1-UBND", name="UBND thành phố Mỹ Tho", kind=UnitKind.PEOPLES_COMMITTEE)
    wards = [
        Unit.objects.create(code=f"H1-P{i}", name=f"Phường {i}", kind=UnitKind.WARD, parent=city)
        for i in range(1, 18)
    ]
    others = [
        Unit.objects.create(code=f"H1-D{i}", name=f"Phòng ban {i}", kind=UnitKind.DEPARTMENT, parent=city)
        for i in range(1, 51)
    ]
    units = [city, *wards, *others]
    progress("units")

    password = make_password(None)
    staff = User.objects.bulk_create(
        [
            User(
                username=f"h1.{i}",
                password=password,
                is_staff=True,
                unit=units[i % len(units)],
                full_name=f"CB {i}",
            )
            for i in range(1082)
        ]
    )
    progress("accounts")

    qd = DocumentType.objects.get(code="QD")
    cv = DocumentType.objects.get(code="CV")

    def incoming(unit, n, offset):
        at = lo + timedelta(days=1)
        template = Document.objects.create(
            direction=Direction.INCOMING,
            status=S.DONE,
            doc_type=cv,
            summary="Công văn đến",
            unit=unit,
            medium=Medium.ELECTRONIC,
            arrival_number=offset + 1,
            arrived_at=at,
            registered_at=at,
            closed_at=at + timedelta(days=2),
            timeliness=Timeliness.ON_TIME,
            notation=f"{offset + 1}/CV",
        )
        _copies(
            template,
            n - 1,
            {"arrival_number": "t.arrival_number + g", "notation": "(t.arrival_number + g)::text || '/CV'"},
        )

    def outgoing(unit, n, offset):
        at = lo + timedelta(days=1)
        template = Document.objects.create(
            direction=Direction.OUTGOING,
            status=S.ISSUED,
            doc_type=qd,
            summary="Văn bản đi",
            unit=unit,
            medium=Medium.ELECTRONIC,
            number=offset + 1,
            year=2022,
            notation=f"{offset + 1}/QĐ-H1",
            issued_at=at,
            document_date=at.date(),
            digitally_signed=True,
        )
        _copies(template, n - 1, {"number": "t.number + g", "notation": "(t.number + g)::text || '/QĐ-H1'"})

    incoming(city, 7318, 0)
    outgoing(city, 3506, 0)
    rest = [*wards, *others]
    received_rest, issued_rest = 70812 - 7318, 13215 - 3506
    for i, unit in enumerate(rest):
        n_in = received_rest // len(rest) + (1 if i < received_rest % len(rest) else 0)
        n_out = issued_rest // len(rest) + (1 if i < issued_rest % len(rest) else 0)
        incoming(unit, n_in, 100000 * (i + 1))
        outgoing(unit, n_out, 100000 * (i + 1))
    progress("documents")

    PersonnelFile.objects.bulk_create(
        [
            PersonnelFile(
                staff_number=f"H1-{i:05d}",
                full_name=f"Cán bộ {i}",
                sex="male" if i % 2 else "female",
                birth_date=date(1980, 1, 1) + timedelta(days=i),
                category="civil_servant",
                unit=units[i % len(units)],
                official_email=f"cb{i}@mytho.gov.vn" if i < 901 else "",
                mailbox_in_use=i < 856,
            )
            for i in range(1082)
        ]
    )
    progress("mailboxes")

    Service.objects.update(active=False)  # only the 2022 catalogue counts here
    sector = Sector.objects.create(code="H1", name="Lĩnh vực 2022")
    levels = [2] * 13 + [3] * 182 + [4] * 146
    Service.objects.bulk_create(
        [
            Service(
                code=f"H1.{i:03d}",
                name=f"Thủ tục {i}",
                sector=sector,
                level=level,
                result_name="Kết quả",
                processing_days=5,
            )
            for i, level in enumerate(levels)
        ]
    )
    progress("services")

    certificates = [
        Certificate(
            kind=CertificateKind.ORGANISATION,
            unit=units[i],
            common_name=units[i].name,
            subject=f"CN={units[i].name}",
            issuer="CN=Ban Cơ yếu Chính phủ",
            serial_number=f"{i:x}",
            fingerprint=f"{i:064x}",
            not_before=datetime(2021, 1, 1, tzinfo=workdays.TZ),
            not_after=datetime(2026, 1, 1, tzinfo=workdays.TZ),
            der=b"",
        )
        for i in range(41)
    ]
    certificates += [
        Certificate(
            kind=CertificateKind.PERSONAL,
            owner=staff[i],
            unit=staff[i].unit,
            common_name=f"Lãnh đạo {i}",
            subject=f"CN=Lãnh đạo {i}",
            issuer="CN=Ban Cơ yếu Chính phủ",
            serial_number=f"{1000 + i:x}",
            fingerprint=f"{1000 + i:064x}",
            not_before=datetime(2021, 1, 1, tzinfo=workdays.TZ),
            not_after=datetime(2026, 1, 1, tzinfo=workdays.TZ),
            der=b"",
        )
        for i in range(132)
    ]
    Certificate.objects.bulk_create(certificates)
    progress("certificates")

    setup.ensure_site()
    section = SectionPage.objects.get(slug="tin-thanh-pho")
    articles(section, 284, lo, hi)
    LegalDocument.objects.bulk_create(
        [
            LegalDocument(
                notation=f"{i + 1}/2022/QĐ-UBND",
                doc_type="Quyết định",
                issuer=city,
                issuer_name=city.name,
                signer="Chủ tịch UBND",
                summary=f"Quyết định số {i + 1} năm 2022",
                issued_on=(lo + timedelta(days=i)).date(),
                published_at=lo + timedelta(days=i, hours=9),
            )
            for i in range(146)
        ]
    )
    progress("website")

    category = FeedbackCategory.objects.create(
        code="h1-2022", name="Đô thị", default_unit=city, working_days=10
    )
    Report.objects.bulk_create(
        [
            Report(
                code=f"PA-22{i:04d}",
                key_hash="0" * 64,
                category=category,
                ward=wards[i % 17],
                address="Đường 30/4",
                description="Đèn đường hỏng",
                reporter_name="Người dân",
                reporter_phone="0912345678",
                status="answered",
                unit=city,
                unit_ids=[city.pk],
                received_at=lo + timedelta(days=3 * i),
                forward_due=(lo + timedelta(days=3 * i + 5)).date(),
                updated_at=lo + timedelta(days=3 * i + 2),
                answer="Đã sửa chữa.",
                answered_unit=city,
                answered_at=lo + timedelta(days=3 * i + 2),
                published_at=lo + timedelta(days=3 * i + 2),
            )
            for i in range(51)
        ]
    )
    progress("feedback")

    for i in range(24):
        meeting = Meeting.objects.create(
            unit=city,
            title=f"Hội nghị trực tuyến số {i + 1}",
            chaired_by="Chủ tịch UBND thành phố",
            starts_at=lo + timedelta(days=7 * i, hours=8),
            location="Hội trường UBND thành phố",
            online=True,
            held=True,
        )
        MeetingSite.objects.bulk_create([MeetingSite(meeting=meeting, unit=w) for w in wards])
    progress("meetings")
    return {"city": city, "wards": wards, "units": units}


def timed(fn, *args, **kwargs):
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


def now():
    return timezone.now()
