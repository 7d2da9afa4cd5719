"""The leaders' weekly work schedule: public entries for everyone, internal ones for staff only."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from portal import roles, workdays
from website.models import Meeting, MeetingSite


def test_week_lists_public_meetings_with_sites_and_hides_internal_ones(
    city, ward_a, ward_b, client, make_user
):
    start = timezone.make_aware(datetime(2026, 12, 2, 8, 0), workdays.TZ)
    online = Meeting.objects.create(
        unit=city,
        title="Hội nghị trực tuyến sơ kết 6 tháng",
        chaired_by="Chủ tịch UBND thành phố",
        starts_at=start,
        location="Hội trường UBND thành phố",
        online=True,
        online_url="https://hop.mytho.gov.vn/phong/123",
    )
    MeetingSite.objects.create(
        meeting=online, unit=ward_a, place="Hội trường phường", attendees="Chủ tịch, Phó Chủ tịch"
    )
    Meeting.objects.create(
        unit=city,
        title="Họp giao ban nội bộ",
        chaired_by="Chánh Văn phòng",
        starts_at=start + timedelta(hours=3),
        location="Phòng họp số 2",
        internal=True,
    )
    public = client.get("/lich-cong-tac/", {"tuan": "2026-12-02"}).content.decode()
    assert "Hội nghị trực tuyến sơ kết 6 tháng" in public and ward_a.name in public
    assert "Họp giao ban nội bộ" not in public and "hop.mytho.gov.vn" not in public
    ward = client.get("/lich-hop/", {"tuan": "2026-12-02", "don_vi": ward_b.pk}).content.decode()
    assert "Hội nghị trực tuyến sơ kết 6 tháng" not in ward
    client.force_login(make_user(unit=city))
    staff = client.get("/lich-cong-tac/", {"tuan": "2026-12-02"}).content.decode()
    assert "Họp giao ban nội bộ" in staff and "hop.mytho.gov.vn" in staff
    assert client.get("/lich-cong-tac/", {"tuan": "rác", "don_vi": "x"}).status_code == 200


def test_demo_seed_fills_the_site_once(city, ward_a, client, make_user):
    from portal.models import User
    from website import demo
    from website.models import Article, Meeting

    make_user(unit=city, username="ubnd.lanhdao")
    make_user(unit=city, username="ubnd.vanthu")
    users = User.objects.count()
    first = demo.seed()
    assert first["articles"] == len(demo.ARTICLES) and first["meetings"] == 2 and first["editors"] == 2
    assert User.objects.count() == users  # demo officials take the roles: no new accounts
    assert User.objects.get(username="ubnd.lanhdao").has_role(roles.EDITORIAL_LEADER)
    again = demo.seed()
    assert again["articles"] == 0 and again["meetings"] == 0
    assert Article.objects.filter(published_at__isnull=False).count() == len(demo.ARTICLES)
    assert "Thông báo lịch tiếp công dân tháng 12" in client.get("/").content.decode()
    assert Meeting.objects.filter(internal=False, online=True, sites__unit=ward_a).exists()


def test_files_of_internal_meetings_drafts_and_loose_uploads_are_for_staff_only(city, client, make_user):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from website.models import MeetingFile

    Document = get_document_model()

    def upload(title):
        return Document.objects.create(
            title=title, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"{title}.pdf")
        )

    start = timezone.make_aware(datetime(2026, 12, 2, 8, 0), workdays.TZ)
    public = Meeting.objects.create(
        unit=city, title="Hội nghị công khai", chaired_by="Chủ tịch", starts_at=start, location="Hội trường"
    )
    internal = Meeting.objects.create(
        unit=city,
        title="Họp nội bộ",
        chaired_by="Chánh VP",
        starts_at=start,
        location="Phòng 2",
        internal=True,
    )
    agenda = upload("chuong-trinh")
    minutes = upload("bien-ban-noi-bo")
    loose = upload("ban-nhap")
    MeetingFile.objects.create(
        meeting=public, kind=MeetingFile.Kind.AGENDA, title="Chương trình", document=agenda
    )
    MeetingFile.objects.create(
        meeting=internal, kind=MeetingFile.Kind.MINUTES, title="Biên bản", document=minutes
    )

    assert client.get(agenda.url).status_code == 200
    assert client.get(minutes.url).status_code == 404
    assert client.get(loose.url).status_code == 404
    client.force_login(make_user(unit=city))
    assert client.get(minutes.url).status_code == 200
    assert client.get(loose.url).status_code == 200
