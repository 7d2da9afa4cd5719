"""The public catalogue: accent-insensitive search, filters, a service's page, its forms."""

import io
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from onestop import demo
from onestop.models import RequiredDocument, Service
from portal import demo as portal_demo
from portal.text import fold

LIST = "/dich-vu/"
BIRTH = "1.001193"  # Đăng ký khai sinh, level 4, every ward and commune
PERMIT = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"


@pytest.fixture
def catalogue(db):
    """The kernel's units and the 341 demo services (no staff accounts: not needed here)."""
    portal_demo.seed_units()
    demo.seed()


def names(response) -> list[str]:
    return [s.name for s in response.context["page"]]


def text(response) -> str:
    return response.content.decode()


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def test_list_shows_the_count_and_a_page_of_services_in_vietnamese(client, catalogue):
    page = client.get(LIST)
    assert page.status_code == 200
    html = text(page)
    assert "<h1" in html and "Dịch vụ công" in html
    assert "Số thủ tục tìm thấy: 341" in html
    assert len(names(page)) == 20
    assert 'for="id_q"' in html and 'for="id_online"' in html
    assert 'for="id_sector"' in html and 'for="id_unit"' in html
    assert "UBND phường, xã nơi cư trú (17 đơn vị)" in html
    assert "Thời hạn giải quyết" in html and "ngày làm việc" in html


def test_search_without_accents_finds_building_permits(client, catalogue):
    page = client.get(LIST, {"q": "giay phep xay dung"})
    found = names(page)
    assert PERMIT in found
    words = {"giay", "phep", "xay", "dung"}
    assert all(words <= set(fold(f"{s.name} {s.result_name}").split()) for s in page.context["page"])
    count = page.context["page"].paginator.count
    assert count >= Service.objects.filter(name__icontains="giấy phép xây dựng").count() > 10
    assert f"Số thủ tục tìm thấy: {count}" in text(page)


def test_search_without_accents_finds_birth_registration_first(client, catalogue):
    page = client.get(LIST, {"q": "dang ky khai sinh"})
    assert names(page)[0] == "Đăng ký khai sinh"
    assert "Đăng ký khai sinh có yếu tố nước ngoài" in names(page)


def test_search_with_or_without_accents_gives_the_same_results(client, catalogue):
    plain = names(client.get(LIST, {"q": "chung thuc ban sao"}))
    accented = names(client.get(LIST, {"q": "Chứng thực BẢN SAO"}))
    assert plain == accented and plain


def test_search_by_code_and_by_word_prefix(client, catalogue):
    assert names(client.get(LIST, {"q": BIRTH})) == ["Đăng ký khai sinh"]
    assert "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke" in names(client.get(LIST, {"q": "karao"}))


def test_search_uses_the_gin_index(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Service.objects.search("giay phep").explain()
    assert "service_search" in plan


def test_filter_by_online_class(client, catalogue):
    """Decree 42/2022: the public site classifies by fully / partly online, not by the 2011 levels."""
    page = client.get(LIST, {"online": "offline"})
    assert page.context["page"].paginator.count == 13
    assert {s.level for s in page.context["page"]} == {2}  # the levels stay as data
    assert "Không trực tuyến" in text(page) and "Mức độ 2" not in text(page)
    partial = client.get(LIST, {"online": "partial"}).context["page"].paginator.count
    full = client.get(LIST, {"online": "full"}).context["page"].paginator.count
    assert partial + full + 13 == 341
    # An administrator's class wins over the level's: a level-4 service set to partly online.
    service = Service.objects.filter(level=4).order_by("code").first()
    service.online_class = "partial"
    service.save()
    assert client.get(LIST, {"online": "full"}).context["page"].paginator.count == full - 1
    page = text(client.get(reverse("onestop:service", args=[service.code])))
    assert "Dịch vụ công trực tuyến một phần" in page
    assert reverse("onestop:file", args=[service.code]) in page  # still filed online


def test_filter_by_sector_and_online_class_together(client, catalogue):
    page = client.get(LIST, {"sector": "HKD", "online": "full"})
    assert sorted(names(page)) == sorted(
        Service.objects.filter(sector__code="HKD", level=4).values_list("name", flat=True)
    )
    assert "Đăng ký thành lập hộ kinh doanh" in names(page)
    assert page.context["page"].paginator.count == 5


def test_filter_by_receiving_unit(client, catalogue):
    ward = client.get(LIST, {"unit": "P1"}).context["page"]
    city = client.get(LIST, {"unit": "UBND"}).context["page"]
    assert ward.paginator.count + city.paginator.count == 341
    assert ward.paginator.count == Service.objects.filter(receiving_units__code="P1").count()
    both = client.get(LIST, {"unit": "P1", "q": "giay phep xay dung"})
    assert both.context["page"].paginator.count == 0


def test_a_bad_filter_is_reported_and_ignored(client, catalogue):
    page = client.get(LIST, {"sector": "KHONG-CO", "online": "9"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 341
    assert page.context["form"].errors.keys() == {"sector", "online"}
    assert "invalid-feedback" in text(page)


def test_no_match_shows_an_empty_state(client, catalogue):
    page = client.get(LIST, {"q": "xyzzy khong ton tai"})
    html = text(page)
    assert "Không tìm thấy thủ tục nào phù hợp." in html
    assert "Số thủ tục tìm thấy: 0" in html
    assert "Xem tất cả thủ tục" in html


def test_pages_are_bounded_and_keep_the_filters(client, catalogue):
    first = client.get(LIST, {"q": "dang ky"})
    second = client.get(LIST, {"q": "dang ky", "page": "2"})
    assert set(names(first)).isdisjoint(names(second))
    assert 'href="?q=dang+ky&amp;page=2"' in text(first)
    last = client.get(LIST, {"page": "999"})
    assert last.context["page"].number == 18 and len(names(last)) == 1
    assert client.get(LIST, {"page": "abc"}).context["page"].number == 1


def test_list_query_count_does_not_grow_with_the_results(
    client, catalogue, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE = False  # what a render costs (a cached page costs none)

    def queries(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, params).status_code == 200
        return len(ctx.captured_queries)

    queries({})  # warm the per-process caches (site profile)
    # Ward services list 17 receiving units each, city services one: same count either way
    # (a filter on a unit or sector costs one lookup of its own).
    assert queries({}) == queries({"page": "5"}) == queries({"page": "18"}) == queries({"unit": "UBND"}) - 1
    assert queries({"sector": "HT"}) == queries({"sector": "HT", "page": "2"}) == queries({"sector": "CT"})
    with django_assert_max_num_queries(8):
        client.get(LIST, {"q": "dang ky", "online": "full", "sector": "HT", "unit": "P3", "page": "2"})


def test_service_page_shows_every_catalogue_field(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = client.get(reverse("onestop:service", args=[BIRTH]))
    assert page.status_code == 200
    html = text(page)
    assert "<h1" in html and "Đăng ký khai sinh" in html
    assert "Dịch vụ công trực tuyến toàn trình" in html and "thanh toán phí, lệ phí trực tuyến" in html
    assert "Hộ tịch" in html and "1 ngày làm việc" in html
    assert "Miễn phí" in html and "Miễn lệ phí đăng ký khai sinh đúng hạn" in html
    assert "Giấy khai sinh (bản chính)" in html
    assert "Tờ khai đăng ký khai sinh (theo mẫu)" in html and "Bản chính" in html and "Bắt buộc" in html
    assert "Luật Hộ tịch số 60/2014/QH13" in html
    assert "Đơn vị tiếp nhận hồ sơ" in html  # the ward itself processes it
    assert "Phường Tân Long" in html and "Xã Thới Sơn" in html
    file_url = reverse("onestop:file", args=[BIRTH])
    assert re.search(rf'<a[^>]+href="{re.escape(file_url)}"[^>]*>Nộp hồ sơ trực tuyến</a>', html)


def test_city_service_shows_its_processing_chain_and_fee(client, catalogue):
    service = Service.objects.get(name=PERMIT)
    html = text(client.get(reverse("onestop:service", args=[service.code])))
    steps = re.search(r'<table class="table table-sm" id="steps">(.*?)</table>', html, re.S).group(1)
    assert "Phòng Quản lý đô thị" in steps and "Ủy ban nhân dân thành phố Mỹ Tho" in steps
    assert re.search(r"<td>12</td>.*<td>3</td>.*Tổng cộng</th><td>15</td>", steps, re.S)
    assert "75.000 đồng" in html and "15 ngày làm việc" in html
    assert "Ủy ban nhân dân thành phố Mỹ Tho" in html


def test_level_2_service_is_filed_in_person_with_a_form_to_download(client, catalogue):
    service = Service.objects.filter(level=2).order_by("code").first()
    html = text(client.get(reverse("onestop:service", args=[service.code])))
    assert "Nộp hồ sơ trực tuyến" not in html
    assert reverse("onestop:file", args=[service.code]) not in html
    assert "nộp trực tiếp tại Bộ phận Một cửa" in html
    form = service.documents.order_by("order").first()
    assert reverse("onestop:form", args=[service.code, form.pk]) in html


def test_unknown_code_is_a_friendly_404(client, catalogue):
    page = client.get(reverse("onestop:service", args=["9.999999"]))
    assert page.status_code == 404
    html = text(page)
    assert "Không tìm thấy thủ tục" in html and "9.999999" in html
    assert f'href="{LIST}"' in html


def test_withdrawn_service_is_not_shown(client, catalogue):
    Service.objects.filter(code=BIRTH).update(active=False)
    assert client.get(reverse("onestop:service", args=[BIRTH])).status_code == 404
    assert "Đăng ký khai sinh" not in names(client.get(LIST, {"q": "dang ky khai sinh"}))


def test_form_download_is_a_pdf_with_vietnamese_text(client, catalogue):
    service = Service.objects.get(code=BIRTH)
    document = service.documents.get(order=1)
    response = client.get(reverse("onestop:form", args=[BIRTH, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    pdf_text = nfc(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in pdf_text
    assert "Đăng ký khai sinh" in pdf_text
    assert "Giấy chứng sinh" in pdf_text  # the documents to attach are listed


def test_an_uploaded_form_template_is_served_as_is(client, catalogue, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    document = Service.objects.get(code=BIRTH).documents.get(order=1)
    document.template.save("to-khai-khai-sinh.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4 mau to khai"))
    response = client.get(reverse("onestop:form", args=[BIRTH, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 mau to khai"
    assert response["Content-Type"] == "application/pdf"


def test_form_of_another_service_is_404(client, catalogue):
    other = RequiredDocument.objects.exclude(service__code=BIRTH).first()
    assert client.get(reverse("onestop:form", args=[BIRTH, other.pk])).status_code == 404


def test_home_page_and_navigation_link_to_the_catalogue(client, db):
    html = text(client.get("/"))
    assert html.count(f'href="{LIST}"') >= 2
    assert "Dịch vụ công" in html


# --- one way of writing fees, headings and plurals (issue 7, item 12) --------------------


def test_service_page_heads_its_documents_thanh_phan_ho_so_and_writes_fees_one_way(client, catalogue):
    service = Service.objects.get(name=PERMIT)
    html = text(client.get(reverse("onestop:service", args=[service.code])))
    assert '<h2 class="h5" id="documents-title">Thành phần hồ sơ</h2>' in html
    assert "Giấy tờ cần bổ sung" not in html
    assert "75.000 đồng" in html and "75000" not in html
    listing = text(client.get(LIST, {"q": "giay phep xay dung nha o rieng le"}))
    assert "75.000 đồng" in listing
    form = text(client.get(reverse("onestop:file", args=[service.code])))
    assert "75.000 đồng" in form and "75000" not in form


def test_english_pages_say_one_working_day_and_fifteen_working_days(client, catalogue):
    client.cookies["django_language"] = "en"
    one = Service.objects.filter(processing_days=1).first()
    many = Service.objects.get(name=PERMIT)
    html = text(client.get(reverse("onestop:service", args=[one.code])))
    assert "1 working day<" in html and "working day(s)" not in html
    html = text(client.get(reverse("onestop:service", args=[many.code])))
    assert "15 working days" in html and "75,000 VND" in html and "Dossier components" in html
