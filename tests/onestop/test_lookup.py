"""Citizens look a dossier up: no enumeration, rate limits, supplements online, result, rating."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from onestop import services
from onestop.models import Dossier, DossierFile, DossierStatus, Evaluation, Rating
from portal import ratelimit
from tests.onestop.factories import CCCD, MOBILE, make_dossier, pdf_upload

NOT_FOUND = "Không tìm thấy hồ sơ khớp với thông tin đã nhập."
TOO_MANY = "Bạn đã thử quá nhiều lần."


@pytest.fixture(autouse=True)
def _clean_limits(settings):
    settings.LANGUAGE_CODE = "vi"
    ratelimit.clear()
    yield
    ratelimit.clear()


def look_up(client, code, secret, ip="203.0.113.7"):
    return client.post("/tra-cuu/", {"code": code, "secret": secret}, REMOTE_ADDR=ip)


def signed_in(client, dossier, secret=MOBILE):
    response = look_up(client, dossier.code, secret)
    assert response.status_code == 302, response.content.decode()
    return client


def alert(response) -> str:
    match = re.search(
        r'<div class="alert alert-danger" role="alert" id="lookup-error">(.*?)</div>',
        response.content.decode(),
    )
    return match.group(1) if match else ""


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_form_is_prefilled_from_the_qr_link(client, cast):
    response = client.get("/tra-cuu/?ma=000.01.26.H58-250301-0001")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="000.01.26.H58-250301-0001"' in html
    assert "Số điện thoại hoặc số CCCD" in html


def test_wrong_code_and_wrong_phone_get_the_same_answer(client, cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    wrong_code = look_up(client, dossier.code[:-1] + "9", MOBILE)
    wrong_phone = look_up(client, dossier.code, "0987654321")
    wrong_cccd = look_up(client, dossier.code, "082085999999")
    assert wrong_code.status_code == wrong_phone.status_code == wrong_cccd.status_code == 200
    assert alert(wrong_code) == alert(wrong_phone) == alert(wrong_cccd) == NOT_FOUND
    assert client.session.get("dossiers", []) == []


@pytest.mark.parametrize("secret", [MOBILE, "+84 912 345 678", CCCD, " 0820 8500 0123 "])
def test_success_with_phone_or_cccd(client, cast, secret):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    response = look_up(client, dossier.code.lower(), secret)
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{dossier.code}/"
    html = client.get(response["Location"]).content.decode()
    assert "Hồ sơ đang được giải quyết tại Phường 1." in html
    assert dossier.due_date.strftime("%d/%m/%Y") in html
    assert "Hồ sơ được tiếp nhận, đã có ngày hẹn trả kết quả" in html  # public history


def test_rate_limit_per_client_address(client, cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    for attempt in range(10):
        response = look_up(client, f"000.01.26.H58-250101-{attempt:04d}", MOBILE)
        assert alert(response) == NOT_FOUND
    blocked = look_up(client, dossier.code, MOBILE)  # even the right answer is refused now
    assert blocked.status_code == 429
    assert TOO_MANY in blocked.content.decode()
    assert "vui lòng thử lại sau 10 phút" in blocked.content.decode()
    # Another address is not affected.
    assert look_up(Client(), dossier.code, MOBILE, ip="198.51.100.1").status_code == 302


def test_failing_on_a_code_from_elsewhere_never_locks_its_applicant_out(client, cast):
    """Before the fix ten failures on a code from anywhere locked the code for everyone."""
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    for n in range(30):
        look_up(Client(), dossier.code, f"09000000{n:02d}", ip=f"192.0.2.{n % 15}")
    assert look_up(Client(), dossier.code, MOBILE, ip="198.51.100.20").status_code == 302


def test_rate_limit_per_code_from_one_address(client, cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    other = make_dossier(cast, DossierStatus.SUBMITTED)
    for n in range(5):
        assert alert(look_up(client, dossier.code, f"09000000{n:02d}")) == NOT_FOUND
    blocked = look_up(client, dossier.code, MOBILE)  # the sixth try on this code from this address
    assert blocked.status_code == 429 and TOO_MANY in blocked.content.decode()
    # The address may still look up another dossier, and the applicant elsewhere theirs.
    assert look_up(client, other.code, MOBILE).status_code == 302
    assert look_up(Client(), dossier.code, MOBILE, ip="198.51.100.1").status_code == 302


def test_successes_do_not_count_against_the_client(client, cast, settings):
    settings.ONESTOP_LOOKUP_LIMIT = 2
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    for _ in range(5):
        assert look_up(Client(), dossier.code, MOBILE).status_code == 302


def test_limiter_fails_open_when_redis_is_down(client, cast, settings):
    settings.ONESTOP_LOOKUP_LIMIT = 1
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    for _ in range(3):
        assert alert(look_up(client, dossier.code, "0987654321")) == NOT_FOUND
    assert look_up(client, dossier.code, MOBILE).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/tra-cuu/{random}/",
        "/tra-cuu/{code}/",
        "/tra-cuu/{code}/thu/receipt.pdf",
        "/tra-cuu/{code}/ket-qua/1/",
        "/tra-cuu/{long}/",
    ],
)
def test_pages_need_the_session_proof(client, cast, path):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    url = path.format(random="abc%3Cscript%3E", code=dossier.code, long="9" * 300)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/tra-cuu/")
    assert client.get(response["Location"]).status_code == 200


def test_posts_without_proof_change_nothing(client, cast):
    dossier = make_dossier(cast, DossierStatus.RETURNED)
    response = client.post(f"/tra-cuu/{dossier.code}/danh-gia/", {f: "2" for f in ("visits", "agencies")})
    assert response.status_code == 302
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "data", [{}, {"code": "x" * 500, "secret": "y" * 500}, {"code": "\x00", "secret": "\x00"}]
)
def test_garbage_look_ups_never_error(client, cast, data):
    response = client.post("/tra-cuu/", data)
    assert response.status_code in (200, 400)


def test_supplement_answered_online_goes_back_to_the_desk(client, cast):
    dossier = make_dossier(cast, DossierStatus.SUPPLEMENT_REQUESTED)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Hồ sơ chưa đầy đủ: Phường 1 đề nghị bạn bổ sung các giấy tờ dưới đây." in page
    assert "<strong>Bản vẽ</strong>: Thiếu chữ ký" in page
    letter_url = re.search(r'href="([^"]+/thu/supplement-\d+\.pdf)"', page).group(1)
    letter = client.get(letter_url)
    assert letter.status_code == 200 and dossier.code in pdf_text(letter.content)

    # A file whose content is not what its name says: refused, nothing changes.
    bad = SimpleUploadedFile("ban-ve.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    response = client.post(f"/tra-cuu/{dossier.code}/bo-sung/", {"item_0": bad})
    assert response.status_code == 400
    assert "“ban-ve.pdf” không thực sự là tệp PDF" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert not dossier.files.filter(kind=DossierFile.Kind.SUPPLEMENT).exists()

    response = client.post(
        f"/tra-cuu/{dossier.code}/bo-sung/",
        {"item_0": pdf_upload("ban-ve.pdf"), "note": "Đã ký"},
        follow=True,
    )
    html = response.content.decode()
    assert "giấy tờ bổ sung đã được gửi" in html
    assert "Hồ sơ đã được nộp và đang chờ Bộ phận một cửa của Phường 1 kiểm tra." in html
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.files.get(kind=DossierFile.Kind.SUPPLEMENT).original_name == "ban-ve.pdf"
    assert dossier.supplement_requests.get().answered_at is not None
    # A second answer is refused with a reason.
    response = client.post(f"/tra-cuu/{dossier.code}/bo-sung/", {"item_0": pdf_upload()}, follow=True)
    assert "Hồ sơ này hiện không có yêu cầu bổ sung." in response.content.decode()
    assert dossier.files.filter(kind=DossierFile.Kind.SUPPLEMENT).count() == 1


def test_supplement_during_processing_restarts_processing(client, cast):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    services.request_supplement(dossier, cast.ward_specialist, [{"name": "Sổ đỏ", "reason": "Bản mờ"}])
    signed_in(client, dossier, CCCD)
    response = client.post(
        f"/tra-cuu/{dossier.code}/bo-sung/", {"item_0": pdf_upload("so-do.pdf")}, follow=True
    )
    assert "Hồ sơ đang được giải quyết tại Phường 1." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


def test_missing_supplement_file_is_refused(client, cast):
    dossier = make_dossier(cast, DossierStatus.SUPPLEMENT_REQUESTED)
    signed_in(client, dossier)
    response = client.post(f"/tra-cuu/{dossier.code}/bo-sung/", {"note": "quên"})
    assert response.status_code == 400
    assert "Vui lòng đính kèm giấy tờ này." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED


def paid_result_ready(cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    services.confirm_payment(services.start_payment(dossier), paid=True)
    services.accept_dossier(dossier, cast.officer)
    services.submit_for_approval(dossier, cast.ward_specialist)
    return services.approve_dossier(dossier, cast.ward_leader, "Đồng ý")


def test_level_4_result_is_downloadable_after_approval(client, cast):
    dossier = paid_result_ready(cast)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Đã có kết quả giải quyết hồ sơ." in page
    url = re.search(r'href="(/tra-cuu/[^"]+/ket-qua/\d+/)"', page).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert dossier.code in pdf_text(b"".join(response.streaming_content))
    # Another browser with the URL but no proof gets nothing.
    assert Client().get(url).status_code == 302


def test_level_3_result_is_collected_at_the_desk(client, cast):
    dossier = make_dossier(cast, DossierStatus.RESULT_READY)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "ket-qua/" not in page
    assert "Vui lòng mang giấy tiếp nhận đến Bộ phận một cửa của Phường 1 để nhận kết quả." in page
    record = services.result_file(dossier)  # the desk prints it; the applicant may not download it
    assert record.kind == DossierFile.Kind.RESULT
    assert client.get(f"/tra-cuu/{dossier.code}/ket-qua/{record.pk}/").status_code == 404


def test_history_shows_no_internal_notes(client, cast):
    dossier = make_dossier(cast, DossierStatus.RESULT_READY)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Chuyển sang cơ quan tiếp theo" in page
    assert "Đủ điều kiện" not in page  # the hand-over note is internal
    assert "qldt.cv" not in page and "Cán bộ" not in page


def test_awaiting_payment_shows_the_pay_button(client, cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Vui lòng thanh toán lệ phí trực tuyến" in page
    assert f'href="/thanh-toan/{dossier.code}/?t=' in page


def test_rejected_dossier_shows_reasons_and_form_03(client, cast):
    dossier = make_dossier(cast, DossierStatus.REJECTED)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Không thuộc thẩm quyền" in page
    url = re.search(r'href="([^"]+/thu/rejection\.pdf)"', page).group(1)
    assert dossier.code in pdf_text(client.get(url).content)
    assert client.get(f"/tra-cuu/{dossier.code}/thu/apology.pdf").status_code == 404


RATING = {
    "attitude": "2",
    "publication": "0",
    "feedback": "2",
    "comment": "Tốt",
}


def test_rating_saved_once(client, cast):
    dossier = make_dossier(cast, DossierStatus.RETURNED)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    # Only what the system cannot know is asked: not the visits nor the agencies (counted from data).
    assert 'name="attitude"' in page and 'name="visits"' not in page and 'name="agencies"' not in page
    response = client.post(f"/tra-cuu/{dossier.code}/danh-gia/", RATING, follow=True)
    assert "Cảm ơn bạn đã đánh giá dịch vụ." in response.content.decode()
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.attitude, rating.publication, rating.feedback) == (2, 0, 2)
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert (evaluation.rated, evaluation.attitude, evaluation.publication, evaluation.feedback) == (
        True,
        2,
        0,
        2,
    )
    assert rating.comment == "Tốt"
    assert "Bạn đã đánh giá dịch vụ ngày" in response.content.decode()

    again = client.post(f"/tra-cuu/{dossier.code}/danh-gia/", {**RATING, "attitude": "0"}, follow=True)
    assert "Hồ sơ này đã được đánh giá." in again.content.decode()
    assert Rating.objects.get(dossier=dossier).attitude == 2


@pytest.mark.parametrize("data", [{}, {**RATING, "feedback": "5"}, {**RATING, "attitude": ""}])
def test_incomplete_rating_is_refused(client, cast, data):
    dossier = make_dossier(cast, DossierStatus.RETURNED)
    signed_in(client, dossier)
    response = client.post(f"/tra-cuu/{dossier.code}/danh-gia/", data)
    assert response.status_code == 400
    assert "Vui lòng trả lời tất cả các câu hỏi." in response.content.decode()
    assert not Rating.objects.exists()


def test_rating_before_return_is_refused(client, cast):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    signed_in(client, dossier)
    assert "Đánh giá dịch vụ" not in client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    response = client.post(f"/tra-cuu/{dossier.code}/danh-gia/", RATING, follow=True)
    assert "Không thể “Đánh giá” khi hồ sơ đang ở trạng thái “Đang giải quyết”." in response.content.decode()
    assert not Rating.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROCESSING


def test_citizen_account_lists_own_dossiers(client, cast, make_user, password):
    from onestop.workflow import Citizen
    from tests.onestop.factories import applicant

    citizen = make_user(citizen=True, username="an.nguyen")
    citizen.set_password(password)
    citizen.save()
    mine = services.create_draft(cast.service, cast.ward, applicant(), user=citizen)
    services.attach_file(
        mine, pdf_upload(), Citizen(mine.pk), required_document=cast.service.documents.first()
    )
    mine = services.submit_dossier(mine, Citizen(mine.pk))
    draft = services.create_draft(cast.service, cast.ward, applicant(), user=citizen)
    someone_else = make_dossier(cast, DossierStatus.SUBMITTED)

    assert client.get("/tai-khoan/ho-so/")["Location"].startswith("/tai-khoan/dang-nhap/")
    response = client.post("/tai-khoan/dang-nhap/", {"username": "an.nguyen", "password": password})
    assert response["Location"] == "/tai-khoan/ho-so/"
    html = client.get("/tai-khoan/ho-so/").content.decode()
    assert mine.code in html
    assert f"/ho-so/nhap/{draft.draft_token}/" in html
    assert someone_else.code not in html
    # The account is the proof: no look-up needed for one's own dossier, none for another's.
    assert "Hồ sơ đã được nộp và đang chờ" in client.get(f"/tra-cuu/{mine.code}/").content.decode()
    assert client.get(f"/tra-cuu/{someone_else.code}/").status_code == 302


def test_officials_cannot_use_the_citizen_sign_in(client, cast, password):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "p1.motcua", "password": password})
    assert response.status_code == 200
    assert "Cán bộ, công chức đăng nhập tại hệ thống quản trị nghiệp vụ" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rescheduled_dossier_offers_the_apology_letter(client, cast):
    from portal import workdays

    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    new_date = workdays.add_working_days(dossier.due_date, 3)
    services.reschedule_dossier(dossier, cast.ward_specialist, new_date, "Chờ ý kiến phòng Tài nguyên")
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert new_date.strftime("%d/%m/%Y") in page and "ngày hẹn mới" in page
    assert "Xin lỗi và hẹn lại ngày trả kết quả" in page  # public history
    url = re.search(r'href="([^"]+/thu/apology\.pdf)"', page).group(1)
    response = client.get(url)
    assert response.status_code == 200 and dossier.code in pdf_text(response.content)


def test_refused_dossier_shows_reasons_and_the_notice(client, cast):
    dossier = make_dossier(cast, DossierStatus.REFUSED)
    signed_in(client, dossier)
    page = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert "Yêu cầu của bạn không được giải quyết, với lý do dưới đây." in page
    assert "Không đủ điều kiện" in page
    url = re.search(r'href="([^"]+/thu/refusal\.pdf)"', page).group(1)
    assert dossier.code in pdf_text(client.get(url).content)
    assert client.get(f"/tra-cuu/{dossier.code}/thu/supplement-999.pdf").status_code == 404
