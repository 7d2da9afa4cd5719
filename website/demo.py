"""Demo content of the public website (idempotent), loaded by ``seed_demo``.

The news tree with a section per ward, editorial roles for demo officials
(``ubnd.vanthu`` writes, ``ubnd.lanhdao`` reviews and publishes, ``p1.cv``
writes for Phường 1), a dozen published articles, the fields of law, the register's public
documents published into the library, and this week's work schedule with an
online meeting linking the city hall and its wards.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from portal import roles, workdays

ARTICLES = [
    (
        "tin-thanh-pho",
        "Thành phố Mỹ Tho đẩy mạnh chuyển đổi số năm 2026",
        "Hội nghị triển khai kế hoạch chuyển đổi số của thành phố.",
    ),
    (
        "tin-thanh-pho",
        "Khánh thành công viên bờ sông Tiền",
        "Công viên mới mở cửa phục vụ người dân từ ngày 1/12.",
    ),
    (
        "tin-thanh-pho",
        "Lễ hội trái cây Nam Bộ tại Mỹ Tho",
        "Hơn 100 gian hàng trái cây đặc sản tham gia lễ hội.",
    ),
    (
        "thong-bao",
        "Thông báo lịch tiếp công dân tháng 12",
        "Lãnh đạo UBND thành phố tiếp công dân định kỳ vào thứ Năm.",
    ),
    (
        "thong-bao",
        "Thông báo tạm ngừng cấp nước khu vực Phường 1",
        "Công ty cấp nước bảo trì đường ống từ 8 giờ đến 16 giờ.",
    ),
    (
        "thong-bao",
        "Thông báo tuyển dụng viên chức năm 2026",
        "UBND thành phố thông báo tuyển dụng 25 chỉ tiêu viên chức.",
    ),
    (
        "cai-cach-hanh-chinh",
        "341 dịch vụ công trực tuyến phục vụ người dân",
        "Người dân nộp hồ sơ trực tuyến, theo dõi bằng mã hồ sơ.",
    ),
    (
        "cai-cach-hanh-chinh",
        "Không có hồ sơ trễ hạn trong 6 tháng đầu năm",
        "Bộ phận một cửa các cấp giải quyết đúng hạn toàn bộ hồ sơ.",
    ),
    (
        "cai-cach-hanh-chinh",
        "Thanh toán phí, lệ phí trực tuyến qua VNPAY",
        "Hồ sơ mức độ 4 được thanh toán và nhận kết quả trực tuyến.",
    ),
]
FIELDS = [
    "Đất đai",
    "Xây dựng - đô thị",
    "Tài chính - ngân sách",
    "Giáo dục",
    "Y tế",
    "Văn hóa - xã hội",
    "Tổ chức - nội vụ",
]
# Existing demo officials take the editorial roles (the article's city has exactly 1,082 accounts).
EDITORS = [("ubnd.vanthu", roles.EDITOR), ("ubnd.lanhdao", roles.EDITORIAL_LEADER)]
WARD_EDITOR = "p1.cv"  # writes in Phường 1's section only


def _editors(city) -> int:
    from django.contrib.auth.models import Group

    from portal.models import User
    from website.setup import ward_group_name

    given = 0
    for username, role in EDITORS:
        user = User.objects.filter(username=username).first()
        group = roles.group_for(role)
        if user is not None and not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            given += 1
    ward_editor = User.objects.filter(username=WARD_EDITOR).select_related("unit").first()
    if ward_editor is not None and ward_editor.unit is not None:
        group = Group.objects.filter(name=ward_group_name(ward_editor.unit)).first()
        if group is not None and not ward_editor.groups.filter(pk=group.pk).exists():
            ward_editor.groups.add(group)
            given += 1
    return given


def seed(progress=None) -> dict:
    from documents.services import public_documents
    from portal.models import Unit, UnitKind
    from website import services, setup
    from website.models import Article, LegalField, Meeting, MeetingSite, SectionPage

    city = Unit.objects.filter(kind=UnitKind.PEOPLES_COMMITTEE, parent__isnull=True).order_by("pk").first()
    if city is None:
        return {"skipped": "no city"}
    setup.ensure_site()
    editors = _editors(city)
    for order, name in enumerate(FIELDS):
        LegalField.objects.get_or_create(name=name, defaults={"order": order})
    articles = 0
    if not Article.objects.exists():
        from portal.models import User

        chief = User.objects.filter(username="ubnd.lanhdao").first()
        for slug, title, intro in ARTICLES:
            section = SectionPage.objects.get(slug=slug)
            article = Article(
                title=title, intro=intro, body=f"<p>{intro}</p>", author="Ban biên tập", live=False
            )
            section.add_child(instance=article)
            article.save_revision(user=chief).publish(user=chief)
            articles += 1
    published = 0
    for doc_id in public_documents().values_list("pk", flat=True)[:500]:
        if services.publish_legal_document(doc_id) is not None:
            published += 1
    meetings = 0
    if not Meeting.objects.exists():
        today = workdays.local(timezone.now()).date()
        monday = today - timedelta(days=today.weekday())
        at = timezone.make_aware(datetime.combine(monday + timedelta(days=1), time(8, 0)), workdays.TZ)
        online = Meeting.objects.create(
            unit=city,
            title="Hội nghị trực tuyến sơ kết công tác cải cách hành chính",
            chaired_by="Chủ tịch UBND thành phố",
            starts_at=at,
            ends_at=at + timedelta(hours=3),
            location="Hội trường UBND thành phố",
            online=True,
            online_url="https://hop.mytho.gov.vn/phong/cchc",
        )
        wards = Unit.objects.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE], active=True).order_by("path")
        MeetingSite.objects.bulk_create(
            [
                MeetingSite(
                    meeting=online, unit=city, place="Hội trường", attendees="Lãnh đạo UBND, các phòng ban"
                )
            ]
            + [
                MeetingSite(
                    meeting=online, unit=w, place="Hội trường UBND", attendees="Chủ tịch, Phó Chủ tịch"
                )
                for w in wards
            ]
        )
        Meeting.objects.create(
            unit=city,
            title="Giao ban lãnh đạo UBND thành phố",
            chaired_by="Chủ tịch UBND thành phố",
            starts_at=at + timedelta(days=2),
            location="Phòng họp số 1",
            internal=True,
        )
        meetings = 2
    return {"editors": editors, "articles": articles, "legal_documents": published, "meetings": meetings}
