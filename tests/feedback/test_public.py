"""The public site: the phone-first form, following a report, the public list, rating and reopening."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.models import Photo, Report, ReportStatus
from tests.feedback.factories import MOBILE, jpeg_bytes, photo

S = ReportStatus


def form_data(fb, **overrides):
    data = {
        "submission_key": "s" * 32,
        "category": fb.light.pk,
        f"attr_{fb.light.code}_pole": "LL-12",
        "ward": fb.ward.pk,
        "address": "12 Lê Lợi",
        "description": "Đèn không sáng, gọi 0912345678",
        "reporter_name": "Nguyễn Văn An",
        "reporter_phone": MOBILE,
        "reporter_email": "an@example.com",
        "name_public": "",
    }
    data.update(overrides)
    return data


def test_a_citizen_reports_with_a_photo_and_gets_a_code_and_a_private_link(client, fb):
    response = client.post(reverse("feedback:form"), {**form_data(fb), "photos": [photo()]})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "feedback:submitted", args=[report.code]
    )
    page = client.get(response["Location"]).content.decode()
    assert report.code in page and "?k=" in page
    assert report.photos.get().kind == Photo.Kind.REPORT
    assert report.reporter_phone == MOBILE and report.attributes == {"pole": "LL-12"}


def test_a_bad_photo_keeps_everything_typed_and_the_good_photos(client, fb):
    bad = photo("virus.jpg", b"MZ\x90\x00 not an image at all")
    response = client.post(reverse("feedback:form"), {**form_data(fb), "photos": [photo("good.jpg"), bad]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "virus.jpg" in page  # the error names the file
    assert "Nguyễn Văn An" in page and "12 Lê Lợi" in page and MOBILE in page
    assert "good.jpg" in page  # kept on the server, listed
    assert Report.objects.count() == 0 and Photo.objects.filter(report__isnull=True).count() == 1
    response = client.post(reverse("feedback:form"), form_data(fb))  # sent again without choosing it again
    report = Report.objects.get()
    assert response.status_code == 302 and report.photos.count() == 1


def test_a_double_submit_makes_one_report(client, fb):
    first = client.post(reverse("feedback:form"), form_data(fb))
    second = client.post(reverse("feedback:form"), form_data(fb))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] and Report.objects.count() == 1


@pytest.mark.parametrize(
    "field,value",
    [
        ("reporter_phone", "12"),
        ("reporter_phone", "\x00" * 3),
        ("description", ""),
        ("description", "x" * 5000),
        ("reporter_name", "a\x00b"),
        ("ward", "999999999"),
        ("ward", "abc"),
        ("category", "-1"),
        ("lat", "NaN"),
        ("lat", "1e400"),
        ("address", "y" * 400),
        ("submission_key", "short"),
        ("reporter_email", "not-an-email"),
    ],
)
def test_malformed_fields_get_a_message_never_a_500(client, fb, field, value):
    response = client.post(reverse("feedback:form"), form_data(fb, **{field: value, "lon": "106.35"}))
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_the_position_needs_consent(client, fb):
    data = form_data(fb, lat="10.354", lon="106.365")
    assert client.post(reverse("feedback:form"), data).status_code == 400
    response = client.post(reverse("feedback:form"), {**data, "location_consent": "on"})
    assert response.status_code == 302
    assert str(Report.objects.get().lat) == "10.354000"


def test_the_public_page_never_shows_personal_data(client, fb):
    report = fb.report(S.ANSWERED, description="Gọi 0912345678 hoặc an@example.com, CCCD 082085000123")
    page = client.get(reverse("feedback:report", args=[report.code])).content.decode()
    for secret in ("0912345678", "an@example.com", "082085000123", "Nguyễn Văn An", "0987654321"):
        assert secret not in page
    assert "Đã thay bóng đèn" in page
    named = fb.report(S.ANSWERED, name_public=True)
    assert "Nguyễn Văn An" in client.get(reverse("feedback:report", args=[named.code])).content.decode()


def test_the_public_list_shows_answered_reports_with_filters_and_pages(client, fb, settings):
    from feedback import selectors

    answered = [fb.report(S.ANSWERED) for _ in range(3)]
    other_ward = fb.report(S.ANSWERED, ward=fb.ward2)
    hidden = fb.report(S.ASSIGNED)
    page = client.get(reverse("feedback:list")).content.decode()
    assert all(r.code in page for r in answered) and hidden.code not in page
    assert "0912345678" not in page and "0987654321" not in page
    filtered = client.get(reverse("feedback:list"), {"phuong": fb.ward2.pk}).content.decode()
    assert other_ward.code in filtered and answered[0].code not in filtered
    searched = client.get(reverse("feedback:list"), {"q": "bong den"}).content.decode()  # folded search
    assert answered[0].code in searched
    selectors.PAGE_SIZE, old = 2, selectors.PAGE_SIZE
    try:
        first = client.get(reverse("feedback:list"))
        assert first.context["next_query"]
        second = client.get(reverse("feedback:list") + "?" + first.context["next_query"])
        codes = {item["report"].code for item in first.context["reports"] + second.context["reports"]}
        assert len(codes) == 4
    finally:
        selectors.PAGE_SIZE = old
    for junk in ({"sau": "x_y"}, {"phuong": "abc"}, {"q": "a" * 500}, {"sau": "2026-13-45T99:00:00_1"}):
        assert client.get(reverse("feedback:list"), junk).status_code == 200
    assert (
        client.get(reverse("feedback:list"), {"phuong": "\x00"}).status_code == 400
    )  # the kernel refuses NUL


def test_the_list_query_count_does_not_grow_with_the_data(client, fb, django_assert_max_num_queries):
    for _ in range(3):
        fb.report(S.ANSWERED)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("feedback:list"))
    for _ in range(12):
        fb.report(S.ANSWERED, ward=fb.ward2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("feedback:list"))


def test_the_reporter_rates_unhappy_and_reopens_once(client, fb):
    report = fb.report(S.ANSWERED)
    page = reverse("feedback:report", args=[report.code])
    assert (
        client.post(reverse("feedback:rate", args=[report.code]), {"score": 1}).status_code == 404
    )  # no key
    client.get(page, {"k": report.key})  # the private link; the browser is remembered
    assert "rating-form" in client.get(page).content.decode()
    client.post(reverse("feedback:rate", args=[report.code]), {"score": "1", "comment": "Chưa sửa"})
    assert "reopen-form" in client.get(page).content.decode()
    client.post(reverse("feedback:reopen", args=[report.code]), {"reason": "Đèn vẫn tắt"})
    report.refresh_from_db()
    assert report.status == S.ASSIGNED and report.reopened_at
    assert "reopen-form" not in client.get(page).content.decode()
    client.post(reverse("feedback:rate", args=[report.code]), {"score": "9"})


def test_invalid_reports_are_the_reporters_alone_and_unknown_codes_are_404(client, fb):
    invalid = fb.report(S.INVALID)
    assert client.get(reverse("feedback:report", args=[invalid.code])).status_code == 404
    assert client.get(reverse("feedback:report", args=[invalid.code]), {"k": invalid.key}).status_code == 302
    assert client.get(reverse("feedback:report", args=["PA-000000-0000"])).status_code == 404
    assert client.get(reverse("feedback:report", args=["x" * 300])).status_code == 404
    assert client.get(reverse("feedback:lookup"), {"ma": invalid.code}).status_code == 200


def test_citizen_photos_are_never_public_fix_photos_are_once_published(client, fb):
    from feedback import services

    report = fb.report(S.ASSIGNED)
    services.add_note(report, fb.dept_cv, "", [photo("fix.jpg", jpeg_bytes())])
    fix = report.photos.get(kind=Photo.Kind.FIX)
    url = reverse("feedback:photo", args=[report.code, fix.pk])
    assert client.get(url).status_code == 404  # not published yet
    services.submit_answer(report, fb.dept_cv, "Xong")
    services.approve_answer(report, fb.dept_ld)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    own, _key = services.submit_report(fb.data(), [photo()])
    citizen_photo = own.photos.get()
    assert client.get(reverse("feedback:photo", args=[own.code, citizen_photo.pk])).status_code == 404


def test_the_home_pages_feedback_card_links_to_the_report_form(client, fb):
    page = client.get("/").content.decode()
    assert f'href="{reverse("feedback:form")}"' in page and f'href="{reverse("feedback:list")}"' in page


def test_the_web_form_is_rate_limited_per_address(client, fb, settings):
    from portal import ratelimit

    settings.FEEDBACK_REPORTS_PER_HOUR = 2
    ratelimit.clear("feedback")
    for n in range(2):
        assert (
            client.post(reverse("feedback:form"), form_data(fb, submission_key=f"{n}" * 32)).status_code
            == 302
        )
    refused = client.post(reverse("feedback:form"), form_data(fb, submission_key="9" * 32))
    assert refused.status_code == 429 and "1022" in refused.content.decode()
    assert Report.objects.count() == 2
    ratelimit.clear("feedback")


def test_search_walks_the_newest_rows_first_then_asks_the_word_index(
    fb, monkeypatch, django_assert_max_num_queries
):
    from feedback import selectors

    lights = [fb.report(S.ANSWERED) for _ in range(3)]
    flood = fb.report(S.ANSWERED, category=fb.flood, attributes={"depth": "knee"}, description="Ngập sâu")
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    with django_assert_max_num_queries(2):  # a full page among the newest rows: one walk, one fetch
        rows = selectors.public_reports(selectors.PublicFilters(q="den duong"))
    assert [r.code for r in rows] == [r.code for r in reversed(lights)]
    monkeypatch.setattr(
        selectors, "SEARCH_WINDOW", 1
    )  # too few matches in the window: the word index answers
    assert [r.code for r in selectors.public_reports(selectors.PublicFilters(q="ngap"))] == [flood.code]
    rows = selectors.public_reports(selectors.PublicFilters(q="den duong"))
    assert [r.code for r in rows] == [r.code for r in reversed(lights)]
