"""Demo data of the documents app: a certificate authority and the city's certificates (``seed_demo``).

As in the 2022 report: 41 organisation certificates and 132 personal ones,
issued by a demo certificate authority whose root is a trusted root of the
registry. Organisation certificates go to the city people's committee, its
17 wards and communes, its 13 departments and then the next units in the
unit tree; personal certificates to the named demo leaders first, then the
other leaders, unit by unit (units and staff from ``portal.demo``). Each
comes with its image: a blue handwritten-style signature for a person, a red
seal for a unit, both PNG with a transparent background.

Personal keys are encrypted with the demo signing passphrase
(:data:`DEMO_PASSPHRASE`, published in the README, so its key derivation is
kept light: :data:`DEMO_KDF_ITERATIONS`); organisation keys and the
authority's with ``ORG_SIGNING_KEY_SECRET``. Without that secret (and
``DEBUG`` off) nothing is created and the result says why.

Idempotent: the authority is found by its name, certificates by holder and
issuer, so a second run creates nothing; a run after new staff or units were
added issues only what is missing. EC P-256 keys, one transaction.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from datetime import timedelta
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from documents import ca, conf, keys
from documents.models import Certificate, CertificateKind
from portal import demo as portal_demo
from portal import roles
from portal.models import Unit, UnitKind, User

DEMO_CA_NAME = "Demo CA Mỹ Tho (không dùng thật)"
DEMO_CA_ORGANISATION = "Cổng dịch vụ công thành phố Mỹ Tho - môi trường thử nghiệm"
DEMO_PASSPHRASE = "ky-so-MyTho-2022"
DEMO_KDF_ITERATIONS = 20_000
ORGANISATIONS = 41
PERSONAL = 132
SIGNATURE_BLUE = (20, 48, 160, 255)
SEAL_RED = (210, 16, 24, 255)


# --- images ---------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _font(bold: bool, size: int):
    from PIL import ImageFont

    from portal.pdf import FONT_DIR

    return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def signature_png(name: str) -> bytes:
    """A handwritten-looking blue signature, the same for the same name (transparent background)."""
    from PIL import Image, ImageDraw

    rng = random.Random(hashlib.sha256(name.encode()).digest())
    w, h = 480, 170
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    waves = [(rng.uniform(1.5, 4.5), rng.uniform(0, math.tau), rng.uniform(12, 34)) for _ in range(3)]
    points = []
    for i in range(160):
        t = i / 159
        x = 30 + t * (w - 70)
        y = h / 2 + sum(a * math.sin(f * t * math.tau + p) for f, p, a in waves) * (1 - 0.4 * t)
        points.append((x, y))
    draw.line(points, fill=SIGNATURE_BLUE, width=5, joint="curve")
    # a flourish under the name
    y0 = h - 30 + rng.uniform(-6, 6)
    draw.line([(60, y0), (w - 60, y0 - rng.uniform(8, 20))], fill=SIGNATURE_BLUE, width=4)
    return _png(img)


def seal_png(name: str, centre: str) -> bytes:
    """A round red seal: the unit's name around the ring, a star and ``centre`` in the middle."""
    from PIL import Image, ImageDraw

    size = 420
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = size / 2
    draw.ellipse((6, 6, size - 6, size - 6), outline=SEAL_RED, width=10)
    draw.ellipse((58, 58, size - 58, size - 58), outline=SEAL_RED, width=4)
    # star
    star = []
    for i in range(10):
        r = 34 if i % 2 == 0 else 14
        a = -math.pi / 2 + i * math.pi / 5
        star.append((c + r * math.cos(a), c - 62 + r * math.sin(a)))
    draw.polygon(star, fill=SEAL_RED)
    font = _font(True, 30 if len(centre) <= 8 else 22)
    draw.text((c, c + 18), centre.upper(), fill=SEAL_RED, font=font, anchor="mm")
    # the name around the ring, centred on the top
    text = name.upper()[:44]
    ring_font = _font(True, 24)
    radius = (size / 2) - 33
    step = min(0.15, math.tau * 0.9 / max(len(text), 1))
    for i, char in enumerate(text):
        angle = -math.pi / 2 + (i - (len(text) - 1) / 2) * step
        glyph = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((20, 20), char, fill=SEAL_RED, font=ring_font, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = c + radius * math.cos(angle) - 20
        y = c + radius * math.sin(angle) - 20
        img.alpha_composite(glyph, (int(x), int(y)))
    return _png(img)


# --- who gets what ------------------------------------------------------------------------


def organisation_units() -> list[Unit]:
    """The 41 units with an organisation certificate: the committee, wards and communes, departments, then others."""
    units = list(Unit.objects.filter(active=True).order_by("path"))
    rank = {
        UnitKind.PEOPLES_COMMITTEE: 0,
        UnitKind.WARD: 1,
        UnitKind.COMMUNE: 1,
        UnitKind.DEPARTMENT: 2,
        UnitKind.MASS_ORGANISATION: 3,
        UnitKind.AGENCY: 4,
    }
    units.sort(key=lambda u: (rank.get(u.kind, 9), u.path))
    return units[:ORGANISATIONS]


def personal_holders() -> list[User]:
    """The 132 holders: the named demo leaders first, then leaders unit by unit."""
    named = [u for u, _unit, role, _n, _p in portal_demo.DEMO_USERS if role == roles.LEADER]
    leaders = list(
        User.objects.filter(roles.has_role_q(roles.LEADER), is_active=True, is_staff=True, unit__isnull=False)
        .select_related("unit")
        .order_by("unit__path", "username")
    )
    leaders.sort(
        key=lambda u: (u.username not in named, named.index(u.username) if u.username in named else 0)
    )
    return leaders[:PERSONAL]


# --- seeding ------------------------------------------------------------------------------------


def _authority() -> ca.Authority:
    row = Certificate.objects.filter(kind=CertificateKind.AUTHORITY, common_name=DEMO_CA_NAME).first()
    if row is None:
        return ca.create_authority(DEMO_CA_NAME, organisation=DEMO_CA_ORGANISATION)
    return ca.load_authority(row)


def _expiry(now, index: int):
    """Spread expiries over 3 years (a few within the reminder marks), the same on every run."""
    return now + timedelta(days=1 + (index * 211) % 1095, hours=(index * 7) % 24)


@transaction.atomic
def seed_certificates(progress=None) -> dict:
    problem = conf.org_secret_problem()
    if problem:
        return {"skipped": problem}
    try:
        authority = _authority()
    except keys.WrongPassphrase as exc:
        return {"skipped": str(exc)}
    now = timezone.now()
    issued_from = now - timedelta(days=30)
    have_units = set(
        Certificate.objects.filter(
            kind=CertificateKind.ORGANISATION, issuer_certificate=authority.certificate
        ).values_list("unit_id", flat=True)
    )
    have_people = set(
        Certificate.objects.filter(
            kind=CertificateKind.PERSONAL, issuer_certificate=authority.certificate
        ).values_list("owner_id", flat=True)
    )
    created = {"organisation": 0, "personal": 0}
    for index, unit in enumerate(organisation_units()):
        if unit.pk in have_units:
            continue
        ca.issue(
            authority,
            kind=CertificateKind.ORGANISATION,
            common_name=unit.name,
            unit=unit,
            not_before=issued_from,
            not_after=_expiry(now, index),
            image=seal_png(unit.name, unit.short_name or unit.code),
            image_width_mm=36
            if unit.kind in (UnitKind.PEOPLES_COMMITTEE, UnitKind.WARD, UnitKind.COMMUNE)
            else 35,
        )
        created["organisation"] += 1
    for index, user in enumerate(personal_holders()):
        if user.pk in have_people:
            continue
        ca.issue(
            authority,
            kind=CertificateKind.PERSONAL,
            common_name=user.full_name or user.username,
            owner=user,
            unit=user.unit,
            passphrase=DEMO_PASSPHRASE,
            kdf_iterations=DEMO_KDF_ITERATIONS,
            not_before=issued_from,
            not_after=_expiry(now, index + ORGANISATIONS),
            image=signature_png(user.full_name or user.username),
            image_width_mm=40,
        )
        created["personal"] += 1
    if progress:
        progress(created["organisation"] + created["personal"])
    return {
        "authority": authority.certificate.common_name,
        "organisation_created": created["organisation"],
        "personal_created": created["personal"],
    }


# --- documents ------------------------------------------------------------------------------

DEMO_MARK = "(dữ liệu mẫu)"  # in every demo document's summary: how a second run finds them


def _pdf(title: str, subject: str, paragraphs: list[str]) -> bytes:
    from portal import pdf as portal_pdf

    story = portal_pdf.title(title, subject)
    story += [portal_pdf.para(text) for text in paragraphs]
    return portal_pdf.build(story, title=f"{title} {subject}")


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _staff(unit_code: str, role: str) -> User | None:
    return (
        User.objects.filter(roles.has_role_q(role), unit__code=unit_code, is_active=True, is_staff=True)
        .order_by("username")
        .first()
    )


def seed_documents(progress=None) -> dict:
    """The back office's first look: documents at every step, made through ``documents.services``.

    At the city people's committee: an incoming letter from the province
    being handled by the justice department (assigned, passed down to its
    specialist, the urban management department coordinating), one waiting
    to be assigned, one closed with its reply; a decision drafted by the
    justice department, reviewed, signed (digitally with the leader's demo
    certificate when the registry has it), numbered and issued to Ward 1 and
    Ward 2 (Ward 1 accepted and assigned it, Ward 2 has it in its queue to
    register), published in the legal library; a draft of the urban
    management department waiting for its leader's review. Idempotent: a
    second run finds them by :data:`DEMO_MARK` and creates nothing.
    """
    from documents import catalogue, selectors, services
    from documents.models import Document, DocumentType

    if Document.objects.filter(summary__contains=DEMO_MARK).exists():
        return {"documents_created": 0}
    catalogue.ensure_catalogue()
    people = {
        "clerk": User.objects.filter(username="ubnd.vanthu").first(),
        "leader": User.objects.filter(username="ubnd.lanhdao").first(),
        "tp_cv": User.objects.filter(username="tuphap.cv").first(),
        "tp_ld": User.objects.filter(username="tuphap.ld").first(),
        "qldt_cv": User.objects.filter(username="qldt.cv").first(),
        "p1_clerk": _staff("P1", roles.CLERK),
        "p1_leader": User.objects.filter(username="p1.lanhdao").first(),
        "p1_cv": User.objects.filter(username="p1.cv").first(),
    }
    missing = [name for name, user in people.items() if user is None]
    if missing:
        return {"skipped": f"demo staff missing: {', '.join(missing)}"}
    units = {code: Unit.objects.filter(code=code).first() for code in ("UBND", "TP", "QLDT", "P1", "P2")}
    if any(unit is None for unit in units.values()):
        return {"skipped": "demo units missing"}
    types = {t.code: t for t in DocumentType.objects.all()}
    clerk, leader = people["clerk"], people["leader"]
    created = 0

    def incoming(summary, sender, notation, paragraphs):
        nonlocal created
        created += 1
        return services.register_incoming(
            clerk,
            {
                "doc_type": types["CV"],
                "summary": f"{summary} {DEMO_MARK}",
                "sender_name": sender,
                "notation": notation,
                "medium": "electronic",
                "document_date": timezone.localdate() - timedelta(days=2),
            },
            _upload("cong-van-den.pdf", _pdf("CÔNG VĂN", summary, paragraphs)),
        )

    # 1. Incoming, being handled: assigned to the justice department, passed down to its specialist.
    handled = incoming(
        "Về việc rà soát văn bản quy phạm pháp luật do Hội đồng nhân dân, Ủy ban nhân dân ban hành",
        "Sở Tư pháp tỉnh Tiền Giang",
        "215/STP-XDKTVB",
        [
            "Sở Tư pháp đề nghị Ủy ban nhân dân thành phố Mỹ Tho rà soát, hệ thống hóa văn bản quy phạm "
            "pháp luật còn hiệu lực, báo cáo kết quả trước ngày 15 của tháng sau.",
        ],
    )
    services.assign_document(
        handled,
        leader,
        lead_unit=units["TP"],
        coordinating=[units["QLDT"]],
        deadline=7,
        note="Phòng Tư pháp chủ trì, Phòng Quản lý đô thị phối hợp rà soát.",
    )
    services.pass_down(
        handled,
        people["tp_ld"],
        unit=units["TP"],
        user=people["tp_cv"],
        deadline=5,
        note="Đồng chí Tuấn xử lý.",
    )

    # 2. Incoming, registered, waiting for the leader's assignment.
    incoming(
        "Về việc tổ chức Hội nghị tổng kết công tác cải cách hành chính",
        "Ủy ban nhân dân tỉnh Tiền Giang",
        "1024/UBND-KSTTHC",
        ["Ủy ban nhân dân tỉnh mời lãnh đạo Ủy ban nhân dân thành phố dự hội nghị tổng kết."],
    )

    # 3. Outgoing: drafted by the justice department for the committee, reviewed, signed, issued to two wards.
    summary = (
        f"Về việc ban hành Kế hoạch phổ biến, giáo dục pháp luật năm {timezone.localdate().year} {DEMO_MARK}"
    )
    decision = services.create_draft(
        people["tp_cv"],
        {
            "doc_type": types["QD"],
            "summary": summary,
            "issuing_unit": units["UBND"],
            "signer": leader,
            "signer_title": "CHỦ TỊCH",
            "recipient_units": [units["P1"], units["P2"]],
            "recipients_text": "Như Điều 3;\nLưu: VT, TP.",
            "public": True,
        },
        _upload(
            "du-thao-quyet-dinh.pdf",
            _pdf(
                "QUYẾT ĐỊNH",
                summary.replace(f" {DEMO_MARK}", ""),
                [
                    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phổ biến, giáo dục pháp luật.",
                    "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
                    "Điều 3. Chánh Văn phòng, Trưởng phòng Tư pháp, Chủ tịch Ủy ban nhân dân các phường, "
                    "xã chịu trách nhiệm thi hành Quyết định này.",
                ],
            ),
        ),
    )
    created += 1
    services.submit_draft(decision, people["tp_cv"])
    services.approve_draft(decision, people["tp_ld"], "Đã thẩm định, trình Chủ tịch ký.")
    digital = selectors.personal_certificate(leader) is not None
    services.sign_document(decision, leader, passphrase=DEMO_PASSPHRASE if digital else "")
    decision = services.issue_document(decision, clerk)
    copy_p1 = Document.objects.get(source=decision, unit=units["P1"])
    services.accept_arrived(copy_p1, people["p1_clerk"])
    services.assign_document(
        copy_p1, people["p1_leader"], lead_unit=units["P1"], lead_user=people["p1_cv"], deadline=10
    )

    # 4. Incoming, handled and closed with the decision as its reply.
    asked = incoming(
        "Về việc đề nghị xây dựng kế hoạch phổ biến, giáo dục pháp luật",
        "Hội đồng phối hợp phổ biến, giáo dục pháp luật tỉnh",
        "12/HĐPH",
        ["Đề nghị các địa phương xây dựng và ban hành kế hoạch trong quý I."],
    )
    services.assign_document(asked, leader, lead_unit=units["UBND"], lead_user=leader, deadline=10)
    services.close_document(asked, leader, "Đã ban hành kế hoạch.", reply=decision)

    # 5. A draft of the urban management department, waiting for its leader's review.
    review = services.create_draft(
        people["qldt_cv"],
        {
            "doc_type": types["CV"],
            "summary": f"Về việc tăng cường quản lý trật tự lòng đường, vỉa hè {DEMO_MARK}",
            "issuing_unit": units["UBND"],
            "recipient_units": [units["P1"], units["P2"]],
        },
        _upload(
            "du-thao-cong-van.pdf",
            _pdf("CÔNG VĂN", "Về việc tăng cường quản lý trật tự lòng đường, vỉa hè", ["Nội dung dự thảo."]),
        ),
    )
    created += 1
    services.submit_draft(review, people["qldt_cv"])
    if progress:
        progress(created)
    return {"documents_created": created, "signed_digitally": digital, "issued": decision.notation}


def seed(progress=None) -> dict:
    result = seed_certificates(progress)
    documents = seed_documents(progress)
    if "skipped" in documents:
        result["documents_skipped"] = documents["skipped"]
    else:
        result.update(documents)
    return result
